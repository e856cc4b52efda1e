"""Lesson 13 checkers: saliency of a linear model written by hand; how many positions an occluding patch takes.

Wrong answers are matched against the classic slips: for the saliency, the
right numbers in the wrong shape, gradient × input instead of the gradient,
the absolute value, another class's weights, the bias added; for occlusion,
the output-size formula without the patch, without the ``+ 1`` or without the
stride. A diagnosis says what went wrong, never the answer; the answer is
the last of the staged hints (``result.hint(1)``, ``(2)``, ``(3)``).
"""
from __future__ import annotations

import numpy as np

from ..explain import saliency
from ..layers import Dense, Flatten
from ..model import Sequential
from ..shapes import conv_output_size
from .feedback import STUCK, Feedback, not_answered, whole_answer
from .student_code import not_written


LINEAR_SOLUTION = '''def linear_saliency(W, b, x, c):
    # z_c = sum_i x_i W[i, c] + b[c], so dz_c/dx_i = W[i, c]: the weights of class c, whatever x is
    return W[:, c].reshape(x.shape)'''

_LINEAR_HINTS = (
    "The score of a linear model is z_c = Σ_i x_i·W[i, c] + b[c], with x flattened (as Flatten does).",
    "Differentiate z_c with respect to one pixel x_i: only one term of the sum contains it. Then give the result "
    "the image's shape (C, H, W).",
    "return W[:, c].reshape(x.shape): the gradient is the column of weights of class c, whatever x is.",
)


def linear_cases():
    """The cases the checker tries: ``(W, b, x, c)`` with ``W`` ``(C·H·W, K)`` as ``Dense`` stores it."""
    rng = np.random.default_rng(14)
    cases = []
    for shape, k, c in (((1, 3, 3), 3, 2), ((2, 2, 3), 4, 0), ((1, 4, 4), 5, 3)):
        d = int(np.prod(shape))
        cases.append((rng.standard_normal((d, k)), rng.standard_normal(k), rng.uniform(0.1, 1.0, shape), c))
    return cases


def _library_saliency(W, b, x, c) -> np.ndarray:
    dense = Dense(W.shape[0], W.shape[1], dtype=np.float64)
    dense.params["W"][...] = W
    dense.params["b"][...] = b
    return saliency(Sequential([Flatten(), dense]), x, c)


def check_linear_saliency(fn) -> Feedback:
    """Check ``fn(W, b, x, c)``: the saliency ``dz_c/dx`` of the linear model ``z = flatten(x) @ W + b``.

    It is compared with :func:`cnnlib.explain.saliency` of ``Sequential([Flatten(), Dense])``
    with the same weights, on three images of different shapes.

    >>> bool(check_linear_saliency(lambda W, b, x, c: W[:, c].reshape(x.shape)))
    True
    """
    if not callable(fn):
        raise TypeError(f"check_linear_saliency expects your function linear_saliency, got {fn!r}. Hint: pass the "
                        "function itself, without calling it: check_linear_saliency(linear_saliency).")
    for W, b, x, c in linear_cases():
        try:
            got = fn(W.copy(), b.copy(), x.copy(), c)
        except Exception as exc:  # the student's code: report any error as feedback
            return Feedback(False, f"linear_saliency raised {type(exc).__name__}: {exc} (on an image of shape "
                                   f"{x.shape} with {W.shape[1]} classes)." + STUCK, hints=_LINEAR_HINTS,
                            solution_code=LINEAR_SOLUTION)
        if got is None:
            return not_written("linear_saliency", hints=_LINEAR_HINTS, solution_code=LINEAR_SOLUTION, fn=fn)
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return Feedback(False, f"linear_saliency returned {got!r:.60} ({type(got).__name__}); it should return "
                                   f"an array shaped like the image x {x.shape}." + STUCK, hints=_LINEAR_HINTS,
                            solution_code=LINEAR_SOLUTION)
        right = _library_saliency(W, b, x, c)
        if got.shape == right.shape and np.allclose(got, right, atol=1e-10):
            continue
        setting = f"image shape {x.shape}, class {c}"
        why = _linear_slip(got, W, b, x, c)
        return Feedback(False, f"wrong for {setting}: {why}" + STUCK, hints=_LINEAR_HINTS,
                        solution_code=LINEAR_SOLUTION)
    return Feedback(True, "the saliency of a linear model is its weight column W[:, c], shaped like the image: "
                          "the same for every image. That is why a linear model's saliency is a template of the "
                          "class, and a deep network's is not.")


def _linear_slip(got: np.ndarray, W, b, x, c) -> str:
    """What ``got`` probably is, when it is not ``W[:, c]`` shaped like ``x``."""
    column = W[:, c]
    if got.size == column.size and np.allclose(got.ravel(), column):
        return f"the right numbers in the wrong shape {got.shape}: saliency is shaped like the image x."
    if got.shape != x.shape:
        return f"your answer has shape {got.shape}; a saliency has the image's shape {x.shape}."
    flat = got.ravel()
    slips = [
        (x.ravel() * column, "that is gradient × input (each pixel's contribution to z_c). The gradient alone "
                             "does not depend on x."),
        (np.abs(column), "you took the absolute value: that is what saliency_map shows, but the gradient keeps "
                         "its sign."),
        (-column, "the sign is flipped."),
        (column + b[c], "the bias does not depend on x: its derivative is 0."),
        (np.ones_like(column), "all ones: the derivative of x_i alone is 1, but z_c holds x_i times a weight; "
                               "differentiate that product."),
    ]
    slips += [(W[:, k], f"those are the weights of class {k}; the score asked for is class {c}.")
              for k in range(W.shape[1]) if k != c]
    for guess, why in slips:
        if np.allclose(flat, guess):
            return why
    if np.allclose(np.sort(flat), np.sort(column)):
        return ("the right numbers in the wrong places: Flatten reads the image channel by channel, row by row "
                "(numpy's C order), and the weights must go back into the image in that same order.")
    return "differentiate z_c = Σ_i x_i·W[i, c] + b[c] with respect to each x_i."


def check_occlusion_positions(answer, size: int, patch: int, stride: int) -> Feedback:
    """Check the number of positions, along one side, of a ``patch`` moved by ``stride`` over a ``size`` image.

    :func:`cnnlib.explain.occlusion` places the patch like a pooling window (no
    padding): ``(size − patch) // stride + 1`` positions per side.

    >>> bool(check_occlusion_positions(8, 28, 7, 3))
    True
    """
    setting = f"a patch of {patch}×{patch}, stride {stride}, on a {size}×{size} image"
    right = conv_output_size(size, patch, stride)
    hints = ("The patch is placed like a pooling window without padding: its first position starts at 0, the "
             "next one `stride` pixels further, and it must fit inside the image.",
             "Lesson 02's output-size formula with padding 0: H_out = floor((H − K) / S) + 1, with the patch as K.",
             f"The answer: ({size} − {patch}) // {stride} + 1 = {right} positions per side, {right * right} "
             "forward passes in all.")
    if answer is None:
        return not_answered(f"the number of patch positions along one side for {setting}", hints=hints)
    got = whole_answer(answer, "patch positions along one side", hints=hints)
    if isinstance(got, Feedback):  # a number with a fraction
        return got
    if got == right:
        return Feedback(True, f"({size} − {patch}) // {stride} + 1 = {right} per side: {right}² = {right * right} "
                              "occluded images, one forward pass each.")
    slips = [
        (right * right, "that counts every position of the whole map (rows × columns); the question asks for one "
                        "side."),
        (size // stride, "you left out the patch: its last position must still fit inside the image."),
        ((size - patch) // stride, "almost: the first position (starting at pixel 0) is missing, the + 1."),
        (size - patch + 1, "that is the count at stride 1: the patch moves by the stride."),
        (-(-(size - patch) // stride) + 1, "the last partial step does not count: the patch must fit, so round down."),
    ]
    for guess, why in slips:
        if got == guess and guess != right:
            return Feedback(False, f"you answered {got} for {setting}; {why}" + STUCK, hints=hints)
    return Feedback(False, f"you answered {got} for {setting}." + STUCK, hints=hints)
