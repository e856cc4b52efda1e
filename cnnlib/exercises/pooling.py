"""Lesson 04 and 06 checkers: predict a pooled output, and the gradient that flows back through max pooling.

Wrong answers are compared with the usual slips: average instead of max (or
the reverse), a window that does not move by the stride, the gradient spread
over the window instead of sent to its maximum.
"""
from __future__ import annotations

import numpy as np

from ..demos.pooling import pool2d, pool_gradients
from .feedback import STUCK, Feedback, grid_answer, not_answered


def check_pool_output(answer, x, pool: str = "max", kernel_size: int = 2, stride: int | None = None) -> Feedback:
    """Check a hand-computed pooled output of the 2-D ``x`` (``pool`` is ``"max"`` or ``"average"``).

    >>> bool(check_pool_output([[6, 5], [3, 8]], [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]]))
    True
    """
    if pool not in ("max", "average"):
        raise ValueError(f"pool must be 'max' or 'average', got {pool!r}.")
    s = kernel_size if stride is None else stride
    x = np.asarray(x, dtype=float)
    right = pool2d(x, pool, kernel_size, s)
    setting = f"{pool} pooling, {kernel_size}×{kernel_size} windows, stride {s}"
    keep = "largest value" if pool == "max" else "mean"
    hints = (f"Each output is the {keep} of one {kernel_size}×{kernel_size} window of x.",
             f"Output (i, j) reads rows i·{s} to i·{s} + {kernel_size - 1} and the same columns; there are "
             f"⌊(H − {kernel_size})/{s}⌋ + 1 windows per axis.",
             f"The answer: {(right + 0.0).tolist()}.")
    if answer is None:
        return not_answered(f"your {right.shape[0]}×{right.shape[1]} output for {setting}", hints=hints)
    got = grid_answer(answer, shape=right.shape)

    def wrong(message: str) -> Feedback:
        return Feedback(False, message + STUCK, hints=hints)

    if got.shape != right.shape:
        hint = ""
        if s != 1 and got.shape == pool2d(x, pool, kernel_size, 1).shape:
            hint = f" That is the size for stride 1: the windows jump {s} cells, so they do not overlap."
        return wrong(f"your output is {got.shape[0]}×{got.shape[1]} but {setting} gives "
                     f"{right.shape[0]}×{right.shape[1]}: ⌊(H − {kernel_size})/{s}⌋ + 1 per axis.{hint}")
    if np.allclose(got, right):
        return Feedback(True, f"{setting}: each output is the {'largest value' if pool == 'max' else 'mean'} "
                              "of its window.")
    other = "average" if pool == "max" else "max"
    if np.allclose(got, pool2d(x, other, kernel_size, s)):
        return wrong(f"those are the {'means' if other == 'average' else 'maxima'} of the windows: "
                               f"{pool} pooling keeps the {'largest value' if pool == 'max' else 'mean'} instead.")
    if pool == "max" and np.allclose(got, -pool2d(-x, "max", kernel_size, s)):
        return wrong("those are the smallest values: max pooling keeps the largest one of each window.")
    if np.allclose(got, right.T):
        return wrong("right numbers, transposed: output row i comes from input rows i·stride onwards.")
    bad = tuple(int(v) for v in np.argwhere(~np.isclose(got, right))[0])
    i, j = bad
    return wrong(f"out[{i}, {j}] should be {right[i, j]:g}: its window is rows {i * s}..{i * s + kernel_size - 1}, "
                           f"columns {j * s}..{j * s + kernel_size - 1} of the input.")


def check_maxpool_grad(answer, x, dout, kernel_size: int = 2, stride: int | None = None) -> Feedback:
    """Check a hand-computed ``dx`` of max pooling for the 2-D ``x`` and upstream gradient ``dout``.

    >>> x = [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]]
    >>> bool(check_maxpool_grad([[0, 0, 0, 0], [0, 1, 2, 0], [3, 0, 0, 4], [0, 0, 0, 0]], x, [[1, 2], [3, 4]]))
    True
    """
    s = kernel_size if stride is None else stride
    dx_max, dx_avg = pool_gradients(x, dout, kernel_size, s)
    hints = ("Max pooling passed on one element per window, its maximum; only that element changed the output.",
             f"Split x into its {kernel_size}×{kernel_size} windows (stride {s}) and find the largest element of "
             "each.",
             f"The answer: 0 everywhere except each window's maximum, which gets that window's dout: "
             f"{(dx_max + 0.0).tolist()}.")
    if answer is None:
        return not_answered(f"your {dx_max.shape[0]}×{dx_max.shape[1]} gradient dx", hints=hints)
    got = grid_answer(answer, shape=dx_max.shape)
    if got.shape != dx_max.shape:
        return Feedback(False, f"dx has the shape of the forward input x, {dx_max.shape}; yours is {got.shape}."
                        + STUCK, hints=hints)
    if np.allclose(got, dx_max):
        return Feedback(True, "each window's gradient went to its maximum, and every other element got 0.")
    if np.allclose(got, dx_avg):
        return Feedback(False, "you spread each gradient evenly over its window: that is average pooling's "
                               "backward. In max pooling only the maximum reached the output, so it gets all of it."
                        + STUCK, hints=hints)
    every = dx_avg * kernel_size * kernel_size
    if np.allclose(got, every):
        return Feedback(False, "every element of a window got the whole gradient: only the window's maximum "
                               "changed the output, so only it gets dout; the others get 0." + STUCK, hints=hints)
    if not np.allclose(dx_max, dx_max.T) and np.allclose(got, dx_max.T):
        return Feedback(False, "right values, transposed: rows and columns are swapped. dx has x's layout, so each "
                               "window's maximum gets its gradient at its own (row, column) in x." + STUCK, hints=hints)
    if np.array_equal(got != 0, dx_max != 0):
        return Feedback(False, "you found the right elements, the maxima, but gave them other values: the maximum "
                               "of each window gets that window's own entry of dout, the gradient of the output "
                               "it produced." + STUCK, hints=hints)
    return Feedback(False, "find the largest element of each window of x: it gets that window's dout, "
                           "every other element gets 0." + STUCK, hints=hints)
