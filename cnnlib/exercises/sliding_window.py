"""Lesson 01 checkers: an output cell by hand, ``corr2d``, a convolution layer by hand.

All compare with :func:`cnnlib.functional.conv2d` (through
:func:`cnnlib.demos.sliding_window.correlate`) and, when the answer is wrong,
look for the mistake it suggests: a flipped kernel (convolution
instead of cross-correlation), swapped row and column, a window that does
not move by the stride, a sum without the weights, …

The write-a-function checkers (:func:`check_corr2d`,
:func:`check_conv_layer`, and lesson 00's in :mod:`cnnlib.exercises.window`) say "not written yet" while
the exercise cell still holds its skeleton (the function returns ``None``),
and their result gives staged hints, ``.hint(1)`` to ``.hint(3)``
(texts in :mod:`cnnlib.exercises.bug_hints`), and ``.solution()``, the
reference below it.
"""
from __future__ import annotations

import inspect

import numpy as np

from ..demos.sliding_window import SEED_INPUT, SEED_KERNEL, correlate
from .feedback import STUCK, Feedback, grid, not_answered, num, number_answer
from .student_code import call_student, student_array, unwritten_function, wrong_function

# -- reference solutions (what .solution() shows) --------------------------------------------------------------
def corr2d_solution(x, k):
    """2-D cross-correlation of x (H, W) with k (KH, KW): stride 1, no padding."""
    KH, KW = k.shape
    H_out, W_out = x.shape[0] - KH + 1, x.shape[1] - KW + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = np.sum(x[i:i + KH, j:j + KW] * k)
    return out


def conv_layer_solution(x, W, b, corr2d=corr2d_solution):
    """x (C_in, H, W), W (C_out, C_in, KH, KW), b (C_out,) -> (C_out, H_out, W_out)."""
    maps = []
    for f in range(W.shape[0]):
        total = sum(corr2d(x[c], W[f, c]) for c in range(W.shape[1]))
        maps.append(total + b[f])
    return np.stack(maps)


def check_output_cell(row: int, col: int, answer, x=None, kernel=None, stride: int = 1, padding: int = 0) -> Feedback:
    """Check a hand-computed ``out[row, col]`` of ``x ⋆ kernel`` (default: the lesson's 4×4 ⋆ 2×2 example).

    >>> check_output_cell(0, 0, 2).correct
    True
    """
    x = SEED_INPUT if x is None else np.asarray(x, dtype=float)
    kernel = SEED_KERNEL if kernel is None else np.asarray(kernel, dtype=float)
    out = correlate(x, kernel, stride, padding)
    h_out, w_out = out.shape
    if not (0 <= row < h_out and 0 <= col < w_out):
        raise ValueError(
            f"out[{row}, {col}] does not exist: the output is {h_out}×{w_out}, so row must be in 0..{h_out - 1} "
            f"and col in 0..{w_out - 1}."
        )
    kh, kw = kernel.shape
    top, left = row * stride, col * stride
    padded = np.pad(x, padding)
    patch = padded[top : top + kh, left : left + kw]
    where = f"the {kh}×{kw} patch whose top-left corner is at ({row}·{stride}, {col}·{stride}) = ({top}, {left})"
    if padding:
        where += " of the zero-padded input"
    right = out[row, col]
    products = " + ".join(f"{num(p)}·{num(w)}" if w >= 0 else f"{num(p)}·({num(w)})"
                          for p, w in zip(patch.ravel(), kernel.ravel()))
    hints = (f"out[{row}, {col}] is one number: the kernel laid on one patch of the input, the {kh * kw} products "
             "of overlapping cells added up.",
             f"The patch is {where}: {grid(patch)}. Pair its cell (m, n) with kernel[m, n] = {grid(kernel)}, "
             "without flipping the kernel.",
             f"The answer: {products} = {num(right)}.")
    if answer is None:
        return not_answered(f"your value of out[{row}, {col}]", hints=hints)
    answer = number_answer(answer)
    if np.isclose(answer, right):
        return Feedback(True, f"out[{row}, {col}] = {num(right)}: the sum of {where} times the kernel, element by element.")
    slips = []  # every slip that gives this number, most telling first
    for guess, why in _cell_mistakes(x, kernel, stride, padding, row, col, patch, out):
        if guess is not None and np.isclose(answer, guess) and why not in slips:
            slips.append(why)
    if len(slips) == 1:
        return Feedback(False, f"you answered {num(answer)}; {slips[0]}" + STUCK, hints=hints)
    if slips:
        listed = " ".join(f"({i}) {why}" for i, why in enumerate(slips, 1))
        return Feedback(False, f"you answered {num(answer)}, which {len(slips)} different slips give: {listed}"
                        + STUCK, hints=hints)
    return Feedback(
        False,
        f"you answered {num(answer)}. Take {where}, multiply it element-wise with the kernel and add the "
        f"{kh * kw} products." + STUCK, hints=hints,
    )


_ROTATED = ("you rotated the kernel by 180°: that is convolution, not cross-correlation. Deep-learning "
            "'convolution' slides the kernel as it is, without flipping it.")
_TRANSPOSED = "you used the transposed kernel: read kernel[m, n] as row m, column n."
_EITHER = ("it could be either of two slips: you rotated the kernel by 180° (convolution instead of "
           "cross-correlation), or you used the transposed kernel (kernel[n, m] instead of kernel[m, n], row m, "
           "column n). ")


def _same_here(kernel) -> str:
    if np.allclose(kernel.T, kernel[::-1, ::-1]):
        return f"On this kernel the two are the same, {grid(kernel.T)}, so its answer cannot tell them apart."
    return "On this window the two give the same sum."


def _cell_mistakes(x, kernel, stride, padding, row, col, patch, out):
    """``(wrong value, explanation)`` pairs, most telling first."""
    rotated = float((patch * kernel[::-1, ::-1]).sum())
    transposed = float((patch * kernel.T).sum()) if kernel.shape[0] == kernel.shape[1] else None
    either = transposed is not None and np.isclose(rotated, transposed)  # one number, two slips: name both once
    yield rotated, f"{_EITHER}{_same_here(kernel)}" if either else _ROTATED
    if row != col and col < out.shape[0] and row < out.shape[1]:
        yield out[col, row], f"that is out[{col}, {row}]: you swapped row and column (row is the vertical index)."
    if not either:
        yield transposed, _TRANSPOSED
    yield float(patch.sum()), "you added the patch values: multiply each one by its kernel weight first."
    yield float((patch * np.abs(kernel)).sum()), "you dropped a minus sign: some kernel weights are negative."
    if stride > 1:
        stride1 = correlate(x, kernel, 1, padding)
        yield stride1[row, col], (
            f"right at stride 1, wrong at stride {stride}: the window start is missing '* stride' "
            f"(out[{row}, {col}] starts at ({row}·{stride}, {col}·{stride}))."
        )
    if padding:
        unpadded = correlate(x, kernel, stride, 0)
        if row < unpadded.shape[0] and col < unpadded.shape[1]:
            yield unpadded[row, col], "you forgot the zero padding: count the window on the padded input."
    for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        r, c = row + dr, col + dc
        if 0 <= r < out.shape[0] and 0 <= c < out.shape[1]:
            step = {(0, 1): "right", (0, -1): "left", (1, 0): "down", (-1, 0): "up"}[dr, dc]
            yield out[r, c], (f"that is out[{r}, {c}], the neighbouring cell: its window is one step {step} from the "
                              f"window for out[{row}, {col}].")
    for p in np.unique(patch * kernel):
        yield float(p), "that is one of the products: add all of them."


def check_corr2d(corr2d) -> Feedback:
    """Test a student's ``corr2d(x, kernel)`` (2-D cross-correlation, stride 1, no padding) against cnnlib.

    Tries the lesson's example, a non-square input and kernel and a random
    case; on failure the message names the case and the likely mistake, and
    the result gives staged hints and a solution on request.

    >>> check_corr2d(corr2d_solution).correct
    True
    """
    rng = np.random.default_rng(0)
    cases = [
        ("the 4×4 ⋆ 2×2 example", SEED_INPUT, SEED_KERNEL),
        ("a 3×5 input with a 2×3 kernel", np.arange(15.0).reshape(3, 5), np.array([[1.0, 0, -1], [2, 0, -2]])),
        ("a random 6×5 input with a 3×3 kernel", rng.integers(-3, 4, (6, 5)).astype(float),
         rng.integers(-2, 3, (3, 3)).astype(float)),
    ]
    for name, x, k in cases:
        expected = correlate(x, k)
        got, error = call_student(corr2d, x, k)
        if error:
            return wrong_function("function_crash", f"corr2d raised {error} (on {name}).", corr2d_solution,
                                  name="corr2d", problem=error, example="corr2d(x, k) with the 4×4 x and 2×2 k above")
        if got is None:
            return unwritten_function("corr2d", "corr2d_unwritten", corr2d_solution, corr2d)
        got = student_array(got, "corr2d", f"the {expected.shape[0]}×{expected.shape[1]} output array")
        if isinstance(got, Feedback):
            return got
        if got.shape != expected.shape:
            hint = ""
            if got.shape == (expected.shape[0] - 1, expected.shape[1] - 1):
                hint = " Off by one: there are H - KH + 1 window positions, so loop over range(H - KH + 1)."
            elif got.shape == expected.shape[::-1]:
                hint = " Height and width are swapped: the output is (H - KH + 1, W - KW + 1)."
            elif got.shape == x.shape:
                hint = " The output has the input's size: without padding it shrinks to (H - KH + 1, W - KW + 1)."
            message = f"on {name} corr2d returned shape {got.shape}, expected {expected.shape}.{hint}"
            return wrong_function("corr2d_shape", message, corr2d_solution, why=message)
        if np.allclose(got, expected):
            continue
        rotated = np.allclose(got, correlate(x, k[::-1, ::-1]))
        transposed = k.shape[0] == k.shape[1] and np.allclose(got, correlate(x, k.T))
        if rotated and transposed:  # on this kernel the transpose is the 180° rotation: try the other cases
            slip = _which_slip(corr2d, cases)
            if slip is None:
                message = (f"on {name}: {_EITHER}On this kernel the two are the same, {grid(k.T)}, so this case "
                           "cannot tell them apart.")
                return wrong_function("corr2d_kernel", message, corr2d_solution, why=message)
            name, rotated = f"{name} and {slip[0]}", slip[1]  # the second case tells the two slips apart
        if rotated:
            message = (f"on {name}: you flipped the kernel (rotated it by 180°): that is convolution, not "
                       "cross-correlation.")
            return wrong_function("corr2d_kernel", message, corr2d_solution, why=message)
        if transposed:
            message = f"on {name}: you used the transposed kernel; index it as kernel[m, n], row m, column n."
            return wrong_function("corr2d_kernel", message, corr2d_solution, why=message)
        if got.shape[::-1] == expected.shape and np.allclose(got.T, expected):
            message = (f"on {name}: your output is the right one transposed: rows and columns are swapped. "
                       "Write out[i, j] for row i and column j, with the patch x[i:i+KH, j:j+KW].")
            return wrong_function("corr2d_cell", message, corr2d_solution, why=message)
        patch_sums = correlate(x, np.ones_like(k))
        if np.allclose(got, patch_sums):
            message = (f"on {name}: every cell is the plain sum of its patch: multiply the patch by the kernel, "
                       "element by element, before summing.")
            return wrong_function("corr2d_cell", message, corr2d_solution, why=message)
        bad = tuple(int(v) for v in np.argwhere(~np.isclose(got, expected))[0])
        message = (f"on {name}: out{list(bad)} is {num(got[bad])}, expected {num(expected[bad])}. "
                   f"Check that out[i, j] uses the patch x[i:i+KH, j:j+KW].")
        return wrong_function("corr2d_cell", message, corr2d_solution, why=message)
    return Feedback(True, "corr2d matches cnnlib on all three cases, including a non-square input and kernel.",
                    solution_code=inspect.getsource(corr2d_solution))


def check_conv_layer(conv_layer_by_hand) -> Feedback:
    """Test a student's ``conv_layer_by_hand(x, W, b)``: filters over channels, one bias per filter (lesson 01).

    ``x`` is ``(C_in, H, W)``, ``W`` ``(C_out, C_in, KH, KW)``, ``b`` ``(C_out,)``; the result
    ``(C_out, H_out, W_out)``.

    >>> check_conv_layer(conv_layer_solution).correct
    True
    """
    rng = np.random.default_rng(2)
    x = rng.integers(0, 4, (3, 5, 5)).astype(float)  # 3 channels
    W = rng.integers(-2, 3, (2, 3, 3, 3)).astype(float)  # 2 filters of 3 kernels
    b = np.array([0.5, -1.0])
    per_channel = np.stack([[correlate(x[c], W[f, c]) for c in range(3)] for f in range(2)])  # (2, 3, 3, 3)
    expected = per_channel.sum(axis=1) + b[:, None, None]
    name = "a 3-channel 5×5 input, 2 filters of 3×3×3, biases [0.5, -1]"
    got, error = call_student(conv_layer_by_hand, x, W, b)
    if error:
        message = f"conv_layer_by_hand raised {error} (on {name})."
        if "NoneType" in error:
            message += " Is corr2d written yet? This function uses it: its check above must pass first."
        return wrong_function("function_crash", message, conv_layer_solution, name="conv_layer_by_hand",
                              problem=error, example="conv_layer_by_hand(image, layer.params['W'], layer.params['b'])")
    if got is None:
        return unwritten_function("conv_layer_by_hand", "layer_unwritten", conv_layer_solution, conv_layer_by_hand)
    got = student_array(got, "conv_layer_by_hand", f"the feature maps, an array of shape {expected.shape}")
    if isinstance(got, Feedback):
        return got
    if got.shape != expected.shape:
        why = f"on {name} it returned shape {got.shape}, expected {expected.shape}: (C_out, H_out, W_out)."
        if got.shape == per_channel.shape:
            why += " You kept one map per (filter, channel): add the channels up."
        elif got.shape == expected.shape[1:]:
            why += " You returned one map: stack one map per filter."
        return wrong_function("layer_shape", why, conv_layer_solution, why=why)
    if np.allclose(got, expected):
        return Feedback(True, "one map per filter, the channels added up, one bias per filter: equal to cnnlib.",
                        solution_code=inspect.getsource(conv_layer_solution))
    said = f"on {name}: right shape, wrong numbers"
    no_bias = per_channel.sum(axis=1)
    bias_checks = [
        (no_bias, "you left out the bias: add b[f] to filter f's map."),
        (no_bias + 3 * b[:, None, None], "you added the bias once per CHANNEL (3 times): add b[f] once per filter."),
        (no_bias + b[::-1, None, None], "each filter got the other filter's bias: filter f gets b[f]."),
        (no_bias + b.sum(), "every filter got the sum of all biases: filter f gets only b[f]."),
    ]
    for guess, why in bias_checks:
        if np.allclose(got, guess):
            return wrong_function("layer_bias", f"{said}: {why}", conv_layer_solution, why=f"{said}: {why}")
    channel_checks = [
        (per_channel[:, 0] + b[:, None, None], "only channel 0 was used: add the maps of ALL input channels."),
        (per_channel.mean(axis=1) + b[:, None, None], "you averaged the channels: add them up instead."),
        (per_channel[:, -1] + b[:, None, None], "only the last channel was used (the sum was overwritten, = instead "
                                                "of +=): add the maps of ALL input channels."),
    ]
    for c in range(x.shape[0]):  # one channel left out, e.g. range(C_in - 1) or range(1, C_in)
        channel_checks.append((expected - per_channel[:, c], f"channel {c} was left out: the sum runs over all "
                               f"{x.shape[0]} input channels, c = 0 to {x.shape[0] - 1} (range(C_in))."))
    for guess, why in channel_checks:
        if np.allclose(got, guess):
            return wrong_function("layer_channels", f"{said}: {why}", conv_layer_solution, why=f"{said}: {why}")
    bad = tuple(int(v) for v in np.argwhere(~np.isclose(got, expected))[0])
    why = (f"{said}: out{list(bad)} is {num(got[bad])}, expected {num(expected[bad])}. out[f] = b[f] + "
           "the sum over c of corr2d(x[c], W[f, c]).")
    return wrong_function("function_other", why, conv_layer_solution, why=why)


def _which_slip(corr2d, cases):
    """``(case name, True if rotated / False if transposed)`` from a square case that tells the two apart, or None."""
    for name, x, k in cases:
        if k.shape[0] != k.shape[1] or np.allclose(k.T, k[::-1, ::-1]):
            continue
        try:
            got = np.asarray(corr2d(x.copy(), k.copy()), dtype=float)
        except Exception:  # the student's code: a crash here just leaves the question open
            continue
        for rotated, kk in ((True, k[::-1, ::-1]), (False, k.T)):
            ref = correlate(x, kk)
            if got.shape == ref.shape and np.allclose(got, ref):
                return name, rotated
    return None
