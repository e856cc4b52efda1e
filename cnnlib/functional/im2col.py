r"""im2col: turn every window of an image into a column, so a convolution is one matmul.

A convolution computes, at every output position, the dot product of one
window of the (padded) input with each filter. If we copy every window into
a column of a matrix ``cols``, all those dot products become a single matrix
product ``W.reshape(C_out, -1) @ cols``.

Layout used throughout cnnlib:

* ``cols`` has shape ``(C*KH*KW, N*H_out*W_out)``: **one column per window**
  (the "col" in im2col).
* Rows run over ``(c, kh, kw)`` in C order, the same order as
  ``W[f].ravel()``, so ``W.reshape(C_out, C*KH*KW) @ cols`` lines up.
* Columns run over ``(n, i, j)`` in C order: sample, output row, output column.
  The ``*_batch_last`` functions use ``(i, j, n)`` order instead, the batch last:
  ``conv2d_forward`` builds its columns that way for small images (``conv.py``'s speed note).

``col2im`` goes back: it adds every column onto the window it came from.
Where windows overlap the contributions *add up* (this is exactly the
gradient of im2col).
"""
from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._checks import as_float_array, check_numeric, check_positive_int
from ..shapes import Geometry2D
from .padding import pad_batch_last


def _window_geometry(KH, KW, stride, dilation) -> Geometry2D:
    """The checked window of ``im2col``'s arguments; its input is padded already, so ``pads`` are 0."""
    kernel = check_positive_int(KH, "KH"), check_positive_int(KW, "KW")
    return Geometry2D.conv(kernel, stride, 0, dilation)


def _check_4d(x, name):
    x = check_numeric(x, "x")
    if x.ndim != 4:
        raise ValueError(
            f"{name} expects a 4-D array (N, C, H, W), got shape {x.shape} ({x.ndim}-D). "
            "Hint: pad first, then pass the padded batch; add a batch axis with x[None] for one image."
        )
    return x


def window_view(x_padded: np.ndarray, geometry: Geometry2D, out_hw) -> np.ndarray:
    """``sliding_windows`` for checked arguments: ``x_padded`` is padded already, ``out_hw`` its ``(H_out, W_out)``."""
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel_size, geometry.stride, geometry.dilation
    sN, sC, sH, sW = x_padded.strides
    # Moving one output row jumps sh input rows; moving one kernel row jumps dh input rows.
    return as_strided(
        x_padded,
        shape=(x_padded.shape[0], x_padded.shape[1], *out_hw, KH, KW),
        strides=(sN, sC, sH * sh, sW * sw, sH * dh, sW * dw),
        writeable=False,
    )


def image_to_columns(x_padded: np.ndarray, geometry: Geometry2D, out_hw, ones_row: bool = False) -> np.ndarray:
    """``im2col`` for checked arguments (what ``conv2d_forward`` calls); see ``window_view``.

    ``ones_row=True`` appends a row of ones, ``(C*KH*KW + 1, N*H_out*W_out)``: with the bias as the
    last column of the weights, the one matmul then adds the bias too (the "bias trick").
    """
    windows = window_view(x_padded, geometry, out_hw)  # (N, C, H_out, W_out, KH, KW)
    return _copy_to_columns(windows.transpose(1, 4, 5, 0, 2, 3), ones_row)  # from (C, KH, KW, N, H_out, W_out)


def image_to_columns_batch_last(x: np.ndarray, geometry: Geometry2D, out_hw, ones_row: bool = False) -> np.ndarray:
    """``im2col`` with the columns in ``(i, j, n)`` order, the batch last (``conv2d_forward``'s for small images).

    The same windows as ``image_to_columns``, in another column order. ``x`` is padded into ``(C, H, W, N)``
    memory first (``pad_batch_last``), so every run the copy reads is ``W_out * N`` neighbouring numbers (only
    ``N`` when the width stride is more than 1), not ``W_out``: numpy pays a fixed cost per run, and a 4-number run is
    mostly that cost. Takes the input unpadded (the padding is part of that one copy).

    Shape:
        ``x`` is ``(N, C, H, W)``; returns ``(C*KH*KW [+1], H_out*W_out*N)``.
    """
    x_padded = pad_batch_last(x, geometry.pads).transpose(3, 0, 1, 2)  # (N, C, H_pad, W_pad) view, batch-last memory
    windows = window_view(x_padded, geometry, out_hw)  # (N, C, H_out, W_out, KH, KW)
    return _copy_to_columns(windows.transpose(1, 4, 5, 2, 3, 0), ones_row)  # from (C, KH, KW, H_out, W_out, N)


def _copy_to_columns(windows: np.ndarray, ones_row: bool) -> np.ndarray:
    """The one copy of ``im2col``: a ``(C, KH, KW, a, b, c)`` view of windows into ``(C*KH*KW [+1], a*b*c)`` rows.

    ``ones_row=True`` appends the bias trick's row of ones.
    """
    rows, columns = math.prod(windows.shape[:3]), math.prod(windows.shape[3:])  # C*KH*KW, a*b*c
    cols = np.empty((rows + ones_row, columns), dtype=windows.dtype)
    cols[:rows].reshape(windows.shape)[...] = windows  # the copy, into (C, KH, KW, a, b, c) rows
    if ones_row:
        cols[-1] = 1
    return cols


def columns_to_image(cols: np.ndarray, x_padded_shape, geometry: Geometry2D, out_hw) -> np.ndarray:
    """``col2im`` for checked arguments (what ``conv2d_backward`` calls); returns ``(N, C, H_pad, W_pad)``."""
    N, C, H, W = x_padded_shape
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel_size, geometry.stride, geometry.dilation
    H_out, W_out = out_hw
    cols6 = cols.reshape(C, KH, KW, N, H_out, W_out)  # (C, KH, KW, N, H_out, W_out)
    # Accumulate in (C, N, H, W) order so each slice below has the same axis order as cols6[:, kh, kw].
    dx = np.zeros((C, N, H, W), dtype=cols.dtype)
    # One slice-add per kernel offset (KH*KW of them, not one per pixel): all the
    # windows' (kh, kw) entries land on a strided grid of the input.
    for kh in range(KH):
        top = kh * dh
        rows = slice(top, top + sh * (H_out - 1) + 1, sh)
        for kw in range(KW):
            left = kw * dw
            dx[:, :, rows, left : left + sw * (W_out - 1) + 1 : sw] += cols6[:, kh, kw]
    return dx.transpose(1, 0, 2, 3)  # (N, C, H, W)


def columns_to_image_batch_last(cols: np.ndarray, x_padded_shape, geometry: Geometry2D, out_hw) -> np.ndarray:
    """``col2im`` for columns in ``(i, j, n)`` order, the batch last (what ``conv2d_backward`` uses).

    The same sums as ``columns_to_image``, accumulated in ``(C, H, W, N)`` order. Each slice-add then
    runs over rows of ``W_out * N`` neighbouring numbers instead of ``W_out``: numpy pays a fixed cost
    per row it walks, and an 11-number row is mostly that cost.

    Shape:
        ``cols`` is ``(C*KH*KW, H_out*W_out*N)``; returns an ``(N, C, H, W)`` view of the sums.
    """
    N, C, H, W = x_padded_shape
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel_size, geometry.stride, geometry.dilation
    H_out, W_out = out_hw
    cols6 = cols.reshape(C, KH, KW, H_out, W_out, N)  # (C, KH, KW, H_out, W_out, N)
    dx = np.zeros((C, H, W, N), dtype=cols.dtype)
    for kh in range(KH):
        top = kh * dh
        rows = slice(top, top + sh * (H_out - 1) + 1, sh)
        for kw in range(KW):
            left = kw * dw
            dx[:, rows, left : left + sw * (W_out - 1) + 1 : sw] += cols6[:, kh, kw]  # (C, H_out, W_out, N)
    return dx.transpose(3, 0, 1, 2)  # (N, C, H, W)


def sliding_windows(x, KH, KW, stride=1, dilation=1) -> np.ndarray:
    """A read-only view of every ``KH x KW`` window of ``x``, without copying.

    ``windows[n, c, i, j]`` is the window whose top-left corner is
    ``x[n, c, i*sh, j*sw]``, taking every ``dilation``-th pixel.

    Args:
        x: array ``(N, C, H, W)`` (pad it first if you want padding).
        KH, KW: window height and width.
        stride: int or ``(sh, sw)`` (default 1).
        dilation: int or ``(dh, dw)`` (default 1).

    Shape:
        ``(N, C, H_out, W_out, KH, KW)`` with
        ``H_out = (H - dh*(KH-1) - 1) // sh + 1`` (same for ``W_out``).

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> sliding_windows(x, 2, 2)[0, 0, 0, 1]
    array([[1., 2.],
           [5., 6.]])
    """
    x = _check_4d(x, "sliding_windows")
    geometry = _window_geometry(KH, KW, stride, dilation)
    return window_view(x, geometry, geometry.output_hw(x.shape[2:]))


def im2col(x_padded, KH, KW, stride=1, dilation=1) -> np.ndarray:
    """Copy every window of ``x_padded`` into one column of a matrix.

    Args:
        x_padded: array ``(N, C, H, W)``, already padded.
        KH, KW: kernel height and width.
        stride: int or ``(sh, sw)`` (default 1).
        dilation: int or ``(dh, dw)`` (default 1).

    Shape:
        ``cols``: ``(C*KH*KW, N*H_out*W_out)``; rows in ``(c, kh, kw)`` order,
        columns in ``(n, i, j)`` order (see the module docstring).

    >>> cols = im2col(np.arange(16.0).reshape(1, 1, 4, 4), 2, 2)
    >>> cols.shape, cols[:, 1]          # the window at output (0, 1)
    ((4, 9), array([1., 2., 5., 6.]))
    """
    x_padded = _check_4d(x_padded, "im2col")
    geometry = _window_geometry(KH, KW, stride, dilation)
    return image_to_columns(x_padded, geometry, geometry.output_hw(x_padded.shape[2:]))


def col2im(cols, x_padded_shape, KH, KW, stride=1, dilation=1) -> np.ndarray:
    """Add every column of ``cols`` back onto its window; the adjoint of ``im2col``.

    Overlapping windows accumulate, so ``col2im(im2col(x))`` is ``x`` times the
    number of windows covering each pixel, and ``col2im`` of a gradient with
    respect to ``cols`` is the gradient with respect to ``x_padded``.

    Args:
        cols: ``(C*KH*KW, N*H_out*W_out)`` in the layout ``im2col`` returns.
        x_padded_shape: ``(N, C, H, W)`` of the padded input.
        KH, KW, stride, dilation: as for ``im2col``.

    Shape:
        returns ``(N, C, H, W)`` = ``x_padded_shape``.

    >>> x = np.ones((1, 1, 3, 3))
    >>> col2im(im2col(x, 2, 2), x.shape, 2, 2)[0, 0]   # how many windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    shape = tuple(x_padded_shape) if isinstance(x_padded_shape, (tuple, list)) else ()
    if len(shape) != 4 or not all(isinstance(s, numbers.Integral) and s >= 0 for s in shape) or min(shape[1:]) < 1:
        raise ValueError(
            f"col2im expects x_padded_shape as 4 ints (N, C, H, W), C, H, W >= 1, got {x_padded_shape!r}. "
            "Hint: pass x_padded.shape of the padded input im2col was given."
        )
    N, C, H, W = (int(s) for s in shape)
    geometry = _window_geometry(KH, KW, stride, dilation)
    out_hw = geometry.output_hw((H, W))
    cols = as_float_array(cols, "cols")  # sums: bools would OR, not count
    KH, KW = geometry.kernel_size
    if cols.shape != (C * KH * KW, N * out_hw[0] * out_hw[1]):
        raise ValueError(
            f"col2im expects cols of shape (C*KH*KW, N*H_out*W_out) = {(C * KH * KW, N * out_hw[0] * out_hw[1])} "
            f"for x_padded_shape={tuple(x_padded_shape)}, got {cols.shape}. "
            "Hint: pass the same KH, KW, stride and dilation that produced cols."
        )
    return columns_to_image(cols, (N, C, H, W), geometry, out_hw)
