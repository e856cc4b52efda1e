"""Lesson 07 checker: the shape of im2col's column matrix for a batch.

Wrong answers are matched against the classic slips: one column per input
pixel instead of per window (the output size), rows without the channels,
the batch left out, the two axes swapped. Every wrong answer carries staged
hints (``result.hint(1)``, ``(2)``, ``(3)``).
"""
from __future__ import annotations

import numbers

import numpy as np

from .._checks import check_positive_int
from ..shapes import conv_output_size
from .feedback import STUCK, Feedback, not_answered


def _shape_answer(answer) -> tuple[int, int]:
    """``answer`` as a pair of whole numbers; a TypeError naming it otherwise."""
    if (isinstance(answer, (tuple, list)) and len(answer) == 2
            and all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in answer)):
        return int(answer[0]), int(answer[1])
    raise TypeError(f"answer must be a shape, two whole numbers (rows, columns) like cols.shape gives, got "
                    f"{answer!r}. Hint: write it as a tuple of two ints, or None while you work it out.")


def check_im2col_shape(answer, batch: int, in_channels: int, size: int, kernel_size: int, padding: int = 0,
                       stride: int = 1) -> Feedback:
    """Check ``im2col(x, K, K, ...).shape`` for ``x`` of shape ``(batch, in_channels, size, size)``.

    >>> bool(check_im2col_shape((288, 7744), batch=64, in_channels=32, size=13, kernel_size=3))
    True
    """
    n, c, h, k = (check_positive_int(v, name) for v, name in
                  ((batch, "batch"), (in_channels, "in_channels"), (size, "size"), (kernel_size, "kernel_size")))
    out = conv_output_size(h, k, stride, padding)
    rows, windows = c * k * k, n * out * out
    right = (rows, windows)
    setting = (f"{n} input{'s' if n != 1 else ''} of {c}×{h}×{h}, a {k}×{k} kernel"
               + (f", padding {padding}" if padding else "") + (f", stride {stride}" if stride != 1 else ""))
    hints = ("One column per window, and one row per number in a window.",
             f"A window holds C·K·K numbers (every input channel's {k}×{k} patch); each image has H_out·W_out "
             f"windows, H_out = ⌊(H + 2P − K)/S⌋ + 1 = {out}, and the batch puts its images' columns side by side.",
             f"The answer: ({c}·{k}·{k}, {n}·{out}·{out}) = {right}.")
    if answer is None:
        return not_answered(f"the shape of cols for {setting}, as a tuple (rows, columns)", hints=hints)
    got = _shape_answer(answer)
    if got == right:
        return Feedback(True, f"{right}: {rows} numbers per window, {windows:,} windows "
                              f"({n}·{out}·{out}); {rows * windows * 4 / 1e6:.1f} MB in float32.")
    slips = [
        ((rows, n * h * h), f"one column per input pixel; there is one per window, and a {k}×{k} window fits "
                            f"{out}×{out} times here, not {h}×{h}."),
        ((k * k, windows), "the rows hold one window's numbers from every input channel: C·K·K, not K·K."),
        ((rows, out * out), "that is one image; the batch puts every image's columns side by side."),
        ((windows, rows), "the axes are swapped: cnnlib's cols has one row per window entry, one column per window "
                          "(so that the weights, as rows, multiply it from the left)."),
    ]
    whys = [why for guess, why in slips if got == guess and guess != right]
    if whys:
        return Feedback(False, f"you answered {got} for {setting}; {' Or: '.join(whys)}" + STUCK, hints=hints)
    return Feedback(False, f"you answered {got} for {setting}." + STUCK, hints=hints)
