"""Lesson 01 checkers: predict an output cell, write ``corr2d``.

Both compare with :func:`cnnlib.functional.conv2d` (through
:func:`cnnlib.demos.sliding_window.correlate`) and, when the answer is wrong,
look for the mistake it suggests: a flipped kernel (convolution
instead of cross-correlation), swapped row and column, a window that does
not move by the stride, a sum without the weights, …
"""
from __future__ import annotations

import numpy as np

from ..demos.sliding_window import SEED_INPUT, SEED_KERNEL, correlate
from .feedback import Feedback, not_answered


def _num(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:g}"


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
    if answer is None:
        return not_answered(f"your value of out[{row}, {col}]")
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        raise TypeError(f"answer must be a number, got {answer!r}.") from None
    kh, kw = kernel.shape
    top, left = row * stride, col * stride
    padded = np.pad(x, padding)
    patch = padded[top : top + kh, left : left + kw]
    where = f"the {kh}×{kw} patch whose top-left corner is at ({row}·{stride}, {col}·{stride}) = ({top}, {left})"
    if padding:
        where += " of the zero-padded input"
    right = out[row, col]
    if np.isclose(answer, right):
        return Feedback(True, f"out[{row}, {col}] = {_num(right)}: the sum of {where} times the kernel, element by element.")
    for guess, why in _cell_mistakes(x, kernel, stride, padding, row, col, patch, out):
        if guess is not None and np.isclose(answer, guess):
            return Feedback(False, f"you answered {_num(answer)}; {why}")
    return Feedback(
        False,
        f"you answered {_num(answer)}. Take {where}, multiply it element-wise with the kernel and add the "
        f"{kh * kw} products. Patch = {patch.astype(float).tolist()}, kernel = {kernel.tolist()}.",
    )


_ROTATED = ("you rotated the kernel by 180°: that is convolution, not cross-correlation. Deep-learning "
            "'convolution' slides the kernel as it is, without flipping it.")
_TRANSPOSED = "you used the transposed kernel: read kernel[m, n] as row m, column n."
_EITHER = ("it could be either of two slips: you rotated the kernel by 180° (convolution instead of "
           "cross-correlation), or you used the transposed kernel (kernel[n, m] instead of kernel[m, n], row m, "
           "column n). ")


def _grid(a) -> str:
    return "[" + ", ".join("[" + ", ".join(_num(v) for v in row) + "]" for row in a) + "]"


def _same_here(kernel) -> str:
    if np.allclose(kernel.T, kernel[::-1, ::-1]):
        return f"On this kernel the two are the same, {_grid(kernel.T)}, so its answer cannot tell them apart."
    return "On this window the two give the same sum."


def _cell_mistakes(x, kernel, stride, padding, row, col, patch, out):
    """``(wrong value, explanation)`` pairs, most telling first."""
    rotated = float((patch * kernel[::-1, ::-1]).sum())
    transposed = float((patch * kernel.T).sum()) if kernel.shape[0] == kernel.shape[1] else None
    if transposed is not None and np.isclose(rotated, transposed):
        yield rotated, f"{_EITHER}{_same_here(kernel)}"
    yield rotated, _ROTATED
    if row != col and col < out.shape[0] and row < out.shape[1]:
        yield out[col, row], f"that is out[{col}, {row}]: you swapped row and column (row is the vertical index)."
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
            yield out[r, c], f"that is out[{r}, {c}], the neighbouring cell: the window for out[{row}, {col}] is one step over."
    for p in np.unique(patch * kernel):
        yield float(p), "that is one of the products: add all of them."


def check_corr2d(corr2d) -> Feedback:
    """Test a student's ``corr2d(x, kernel)`` (2-D cross-correlation, stride 1, no padding) against cnnlib.

    Tries the lesson's example, a non-square input and kernel and a random
    case; on failure the message names the case and the likely mistake.
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
        try:
            got = np.asarray(corr2d(x.copy(), k.copy()), dtype=float)
        except Exception as exc:  # the student's code: report, don't crash the lesson
            return Feedback(False, f"corr2d raised {type(exc).__name__}: {exc} (on {name}).")
        if got.shape != expected.shape:
            hint = ""
            if got.shape == (expected.shape[0] - 1, expected.shape[1] - 1):
                hint = " Off by one: there are H - KH + 1 window positions, so loop over range(H - KH + 1)."
            elif got.shape == expected.shape[::-1]:
                hint = " Height and width are swapped: the output is (H - KH + 1, W - KW + 1)."
            elif got.shape == x.shape:
                hint = " The output has the input's size: without padding it shrinks to (H - KH + 1, W - KW + 1)."
            return Feedback(False, f"on {name} corr2d returned shape {got.shape}, expected {expected.shape}.{hint}")
        if np.allclose(got, expected):
            continue
        rotated = np.allclose(got, correlate(x, k[::-1, ::-1]))
        transposed = k.shape[0] == k.shape[1] and np.allclose(got, correlate(x, k.T))
        if rotated and transposed:  # on this kernel the transpose is the 180° rotation: try the other cases
            slip = _which_slip(corr2d, cases)
            if slip is None:
                return Feedback(False, f"on {name}: {_EITHER}On this kernel the two are the same, "
                                       f"{_grid(k.T)}, so this case cannot tell them apart.")
            name, rotated = f"{name} and {slip[0]}", slip[1]  # the second case tells the two slips apart
        if rotated:
            return Feedback(False, f"on {name}: you flipped the kernel (rotated it by 180°): that is convolution, "
                                   "not cross-correlation.")
        if transposed:
            return Feedback(False, f"on {name}: you used the transposed kernel; index it as kernel[m, n], row m, "
                                   "column n.")
        bad = tuple(int(v) for v in np.argwhere(~np.isclose(got, expected))[0])
        return Feedback(
            False,
            f"on {name}: out{list(bad)} is {_num(got[bad])}, expected {_num(expected[bad])}. "
            f"Check that out[i, j] uses the patch x[i:i+KH, j:j+KW].",
        )
    return Feedback(True, "corr2d matches cnnlib on all three cases, including a non-square input and kernel.")


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
