r"""One window of a convolution, followed through im2col: its column of the matrix and the one output it gives.

im2col copies window :math:`(i, j)` into column :math:`k = i \cdot W_{out} + j`
of ``cols``; the flattened kernel times that column is ``out[i, j]``.
:func:`im2col_window` takes the matrix from :func:`cnnlib.functional.im2col`
and the output from :func:`cnnlib.functional.conv2d`, so what the explorer
shows is what the library computes.

>>> w = im2col_window(SEED_INPUT, SEED_KERNEL, 0, 1)
>>> w.column, w.cols.shape, w.equation
(1, (4, 9), 'out[0, 1] = 1·2 + 0·3 + (-1)·1 + 1·2 = 3')
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_positive_int
from ..functional import conv2d, im2col
from .formatting import format_value, paren
from .sliding_window import SEED_INPUT, SEED_KERNEL


@dataclass(frozen=True)
class Im2colWindow:
    """Window ``(row, col)`` of ``x ⋆ kernel`` (one channel, stride 1, no padding), seen through im2col.

    ``cols`` is ``(KH*KW, H_out*W_out)``, one column per window; ``column`` is
    the chosen window's column; ``weights`` the flattened kernel (one row of
    ``W.reshape(C_out, -1)``); ``products`` the element-wise products whose
    sum is ``value == output[row, col]``.
    """

    x: np.ndarray  # (H, W)
    kernel: np.ndarray  # (KH, KW)
    row: int
    col: int
    cols: np.ndarray  # (KH*KW, H_out*W_out)
    output: np.ndarray  # (H_out, W_out), from conv2d
    column: int
    weights: np.ndarray  # (KH*KW,)
    products: np.ndarray  # (KH*KW,)
    value: float
    tap_labels: tuple  # "x[i+a, j+b]" for each row of cols
    equation: str


def im2col_window(x=SEED_INPUT, kernel=SEED_KERNEL, row: int = 0, col: int = 0) -> Im2colWindow:
    """Follow window ``(row, col)`` of the cross-correlation ``x ⋆ kernel`` through im2col.

    Args:
        x: the ``(H, W)`` input (default: the 4×4 example of the theory notes).
        kernel: the ``(KH, KW)`` kernel (default: the 2×2 example).
        row, col: the window, i.e. the output cell, ``0 <= row < H_out``, ``0 <= col < W_out``.

    Raises ValueError (naming the valid range) for a window that does not exist.
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"x and kernel must be 2-D (one channel), got shapes {x.shape} and {kernel.shape}. "
                         "Hint: pass x[0, 0] and W[0, 0] of a batch and a filter bank.")
    KH, KW = kernel.shape
    cols = im2col(x[None, None], KH, KW)  # (KH*KW, H_out*W_out): one column per window
    output = conv2d(x[None, None], kernel[None, None])[0, 0]  # (H_out, W_out)
    H_out, W_out = output.shape
    row, col = check_positive_int(row, "row", minimum=0), check_positive_int(col, "col", minimum=0)
    if row >= H_out or col >= W_out:
        raise ValueError(f"window (row, col) = ({row}, {col}) does not exist: the output is {H_out}×{W_out}, "
                         f"so row must be 0..{H_out - 1} and col 0..{W_out - 1}. "
                         f"Hint: H_out = H − KH + 1 = {x.shape[0]} − {KH} + 1.")
    column = row * W_out + col  # columns run over (i, j) in C order
    weights = kernel.ravel()  # (KH*KW,): the kernel as one row of the weight matrix
    products = weights * cols[:, column]
    value = float(output[row, col])
    taps = tuple(f"x[i+{a}, j+{b}]" for a in range(KH) for b in range(KW))
    terms = " + ".join(f"{paren(w)}·{paren(v)}" for w, v in zip(weights, cols[:, column]))
    equation = f"out[{row}, {col}] = {terms} = {format_value(value)}"
    return Im2colWindow(x, kernel, row, col, cols, output, column, weights, products, value, taps, equation)
