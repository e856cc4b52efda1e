r"""Vectorized max and average pooling.

Instead of visiting every window (``pooling_naive``), visit every *offset*
inside the window: for offset ``(kh, kw)`` the pixels
``x_pad[:, :, kh::sh, kw::sw]`` (cut to ``H_out x W_out``) are that offset's
entry of every window at once. So a pooling layer is ``KH*KW`` whole-array
operations, a loop over the kernel and not over pixels.

Conventions (the same as ``pooling_naive`` and PyTorch):

* ``stride`` defaults to ``kernel_size``; ``padding`` is at most ``kernel_size // 2``.
* Max pooling pads with ``-inf``; average pooling pads with zeros that count
  in the divisor (``count_include_pad=True``).
* Max pooling's backward sends each window's gradient to ONE element, the
  first maximum in row-major order within the window (like ``np.argmax`` and
  PyTorch on CPU). Overlapping windows add their gradients.

Speed note. When the windows tile the input (``stride == kernel_size`` and
the padded size a multiple of it: ``MaxPool2D(2)`` on 26x26), the max is
taken in two passes (``_max_tiled``): over the ``KW`` column slices
``x[..., kw::KW]`` (the max of every window row), then over the ``KH`` row
slices of that. A slice that steps along the last axis runs without vector
instructions, and numpy pays a fixed cost per row it walks: an offset slice
``x[..., kh::KH, kw::KW]`` is a grid of short rows, while a column slice of a
tiled input is one long evenly strided run. On the seed network's first
pooling layer that halves the forward pass. Both routes give the same
numbers, ties included.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import at_least_float32, check_cache, check_dout, check_impl
from ..shapes import Geometry2D
from .arguments import pool_arguments
from .padding import pad_nchw, unpad_nchw
from .pooling_naive import avgpool2d_forward_naive, maxpool2d_forward_naive


class MaxPoolCache(NamedTuple):
    """What ``maxpool2d_backward`` needs: which offset won each window."""

    winner: np.ndarray  # (N, C, H_out, W_out) ints in [0, KH*KW): row-major offset of each window's max
    x_shape: tuple
    x_dtype: np.dtype
    geometry: Geometry2D


class TiledMaxPoolCache(NamedTuple):
    """What ``maxpool2d_backward`` needs when the windows tile the input: the winners of the two passes."""

    col_winner: np.ndarray  # (N, C, KH*H_out, W_out): which column (0..KW-1) is the max of each window row
    row_winner: np.ndarray  # (N, C, H_out, W_out): which row (0..KH-1) of each window holds its max
    x_shape: tuple
    x_dtype: np.dtype
    geometry: Geometry2D


class AvgPoolCache(NamedTuple):
    """What ``avgpool2d_backward`` needs: only shapes."""

    x_shape: tuple
    x_dtype: np.dtype
    geometry: Geometry2D
    out_hw: tuple[int, int]  # (H_out, W_out)


def _offset_slices(geometry: Geometry2D, out_hw):
    """Yield ``(rows, cols)`` for each offset ``(kh, kw)`` in row-major order.

    ``x_padded[:, :, rows, cols]`` is ``(N, C, H_out, W_out)``: the ``(kh, kw)``
    entry of every window.
    """
    (KH, KW), (sh, sw), (H_out, W_out) = geometry.kernel_size, geometry.stride, out_hw
    for kh in range(KH):
        rows = slice(kh, kh + sh * (H_out - 1) + 1, sh)
        for kw in range(KW):
            yield rows, slice(kw, kw + sw * (W_out - 1) + 1, sw)


def _windows_disjoint(geometry: Geometry2D) -> bool:
    """True when no pixel lies in two windows (stride at least the window), so backward may assign."""
    return geometry.stride[0] >= geometry.kernel_size[0] and geometry.stride[1] >= geometry.kernel_size[1]


def _windows_tile(padded_hw, geometry: Geometry2D, out_hw) -> bool:
    """True when the windows cover every padded pixel exactly once (stride = kernel, no leftover rows/columns)."""
    (KH, KW), (H_out, W_out) = geometry.kernel_size, out_hw
    return geometry.stride == (KH, KW) and padded_hw == (KH * H_out, KW * W_out)


def maxpool2d_forward(x, kernel_size=None, stride=None, padding=0, *, geometry=None):
    """Max pooling over ``KH x KW`` windows (vectorized).

    Args:
        x: input ``(N, C, H, W)``.
        kernel_size: int or ``(KH, KW)``.
        stride: int or ``(sh, sw)``; defaults to ``kernel_size``.
        padding: int or ``(ph, pw)``, at most ``kernel_size // 2`` (default 0).
        geometry: a ``Geometry2D`` resolved before (what the pooling layers pass),
            instead of kernel_size, stride and padding.

    Shape:
        ``out``: ``(N, C, H_out, W_out)`` with ``H_out = (H + 2*ph - KH) // sh + 1``.

    Returns ``(out, cache)``; pass ``cache`` to ``maxpool2d_backward``.

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> maxpool2d_forward(x, 2)[0][0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    x, geometry, out_hw = pool_arguments(x, kernel_size, stride, padding, geometry, "maxpool2d_forward")
    x_padded = pad_nchw(x, geometry.pads, value=-np.inf)
    if _windows_tile(x_padded.shape[2:], geometry, out_hw):  # the common case: two passes (module docstring)
        out, col_winner, row_winner = _max_tiled(x_padded, geometry)
        return out, TiledMaxPoolCache(col_winner, row_winner, x.shape, x.dtype, geometry)
    out, winner = _max_over_offsets(x_padded, geometry, out_hw)
    return out, MaxPoolCache(winner, x.shape, x.dtype, geometry)


def _max_over_offsets(x_padded, geometry: Geometry2D, out_hw):
    """Any windows: the max over the ``KH*KW`` offsets, and which offset (row-major) won each window."""
    # Offset t of every window: x_padded[:, :, rows, cols], (N, C, H_out, W_out).
    return _first_max([x_padded[:, :, rows, cols] for rows, cols in _offset_slices(geometry, out_hw)])


def _max_tiled(x_padded, geometry: Geometry2D):
    """Windows that tile ``x_padded``: the max of every window as a max over columns, then over rows.

    Returns ``(out, col_winner, row_winner)`` (see ``TiledMaxPoolCache``). Each pass keeps the
    first maximum, so together they keep the first in row-major order: a later row of a window wins
    only if its max is strictly larger than every earlier row's, and within that row the first
    column holding it wins.
    """
    KH, KW = geometry.kernel_size
    # Pass 1: column kw of every window row is x_padded[..., kw::KW], (N, C, KH*H_out, W_out).
    row_max, col_winner = _first_max([x_padded[:, :, :, kw::KW] for kw in range(KW)])
    # Pass 2: row kh of every window is row_max[:, :, kh::KH], (N, C, H_out, W_out).
    out, row_winner = _first_max([row_max[:, :, kh::KH] for kh in range(KH)])
    return out, col_winner, row_winner


def _first_max(candidates):
    """Element-wise max of same-shaped arrays, and the index of the first array holding it."""
    if len(candidates) == 1:
        return candidates[0].copy(), np.zeros(candidates[0].shape, dtype=np.uint8)
    first, second = candidates[:2]
    best = np.maximum(first, second)
    # 1 where the second is strictly larger (a tie stays with the first); reads one slice instead of two.
    winner = (first < best).view(np.uint8)  # the bools as the numbers 0 and 1, without a copy
    if len(candidates) > 2:
        winner = winner.astype(np.min_scalar_type(len(candidates) - 1), copy=False)  # room for every index
    for k in range(2, len(candidates)):
        better = candidates[k] > best
        np.maximum(best, candidates[k], out=best)
        np.maximum(winner, better * winner.dtype.type(k), out=winner)  # k grows: the last strict win is the winner
    return best, winner


def _send_to_winner(dout, winner, targets) -> None:
    """Write ``dout`` into ``targets[winner]`` and 0 into the other targets, element by element."""
    for k, target in enumerate(targets):
        np.multiply(dout, winner == k, out=target)


def maxpool2d_backward(dout, cache):
    """Gradient of ``maxpool2d_forward``: each window's gradient goes to its (first) maximum.

    Args:
        dout: gradient w.r.t. ``out``, ``(N, C, H_out, W_out)``.
        cache: the second value returned by ``maxpool2d_forward``.

    Returns ``dx`` shaped like ``x``.

    >>> out, cache = maxpool2d_forward(np.array([[[[1., 2.], [4., 3.]]]]), 2)
    >>> maxpool2d_backward(np.ones_like(out), cache)
    array([[[[0., 0.],
             [1., 0.]]]])
    """
    op = "maxpool2d_backward"
    if isinstance(cache, TiledMaxPoolCache):
        return _backward_tiled(dout, cache)
    winner, x_shape, x_dtype, geometry = check_cache(cache, MaxPoolCache, op, "maxpool2d_forward")
    dout = check_dout(dout, winner.shape, op, "maxpool2d_forward")
    out_hw, padded_hw = winner.shape[2:], geometry.padded_hw(x_shape[2:])
    disjoint = _windows_disjoint(geometry)
    # When the windows tile the input exactly, the loop below writes every pixel: no need to zero first.
    fill = np.empty if _windows_tile(padded_hw, geometry, out_hw) else np.zeros
    dx_padded = fill((*x_shape[:2], *padded_hw), dtype=x_dtype)
    for t, (rows, cols) in enumerate(_offset_slices(geometry, out_hw)):
        target = dx_padded[:, :, rows, cols]  # (N, C, H_out, W_out) view: offset t of every window
        # The windows whose winner is offset t pass their gradient on, the others pass 0.
        if disjoint:  # every pixel is in at most one window: write straight into dx
            np.multiply(dout, winner == t, out=target)
        else:  # overlapping windows add up
            target += dout * (winner == t)
    return unpad_nchw(dx_padded, geometry.pads)


def _backward_tiled(dout, cache):
    """``maxpool2d_backward`` when the windows tile the input: undo the two passes, the last one first."""
    col_winner, row_winner, x_shape, x_dtype, geometry = cache
    dout = check_dout(dout, row_winner.shape, "maxpool2d_backward", "maxpool2d_forward")
    KH, KW = geometry.kernel_size
    # Pass 2 backward: each window's gradient goes to the row that won, (N, C, KH*H_out, W_out).
    d_row_max = np.empty(col_winner.shape, dtype=x_dtype)
    _send_to_winner(dout, row_winner, [d_row_max[:, :, kh::KH] for kh in range(KH)])
    # Pass 1 backward: each row's gradient goes to the column that won. The windows cover every
    # pixel, so every entry of dx is written: no need to zero it first.
    dx_padded = np.empty((*x_shape[:2], *geometry.padded_hw(x_shape[2:])), dtype=x_dtype)
    _send_to_winner(d_row_max, col_winner, [dx_padded[:, :, :, kw::KW] for kw in range(KW)])
    return unpad_nchw(dx_padded, geometry.pads)


def maxpool2d_indices(x, kernel_size, stride=None, padding=0):
    """Max pooling plus the position, in the unpadded ``x``, of the element each window picked.

    The picked element is the first maximum in row-major order within the
    window (the one the backward pass sends the gradient to).

    Returns ``(out, rows, cols)``, all ``(N, C, H_out, W_out)``: ``out[n, c, i, j]
    == x[n, c, rows[n, c, i, j], cols[n, c, i, j]]``.

    >>> out, rows, cols = maxpool2d_indices(np.array([[[[1., 2.], [4., 3.]]]]), 2)
    >>> int(rows[0, 0, 0, 0]), int(cols[0, 0, 0, 0])
    (1, 0)
    """
    x, geometry, out_hw = pool_arguments(x, kernel_size, stride, padding, None, "maxpool2d_indices")
    out, winner = _max_over_offsets(pad_nchw(x, geometry.pads, value=-np.inf), geometry, out_hw)
    KW, (sh, sw), (H_out, W_out) = geometry.kernel_size[1], geometry.stride, out_hw
    (top, _), (left, _) = geometry.pads
    kh, kw = np.divmod(winner.astype(np.intp), KW)  # the winner's offset inside its window
    i = np.arange(H_out)[:, None]  # (H_out, 1), broadcasts over (N, C, H_out, W_out)
    j = np.arange(W_out)[None, :]  # (1, W_out)
    return out, i * sh + kh - top, j * sw + kw - left


def avgpool2d_forward(x, kernel_size=None, stride=None, padding=0, *, geometry=None):
    """Average pooling over ``KH x KW`` windows (vectorized); padding zeros count in the mean.

    Args:
        x: input ``(N, C, H, W)``.
        kernel_size: int or ``(KH, KW)``.
        stride: int or ``(sh, sw)``; defaults to ``kernel_size``.
        padding: int or ``(ph, pw)``, at most ``kernel_size // 2`` (default 0).
        geometry: a ``Geometry2D`` resolved before (what the pooling layers pass),
            instead of kernel_size, stride and padding.

    Shape:
        ``out``: ``(N, C, H_out, W_out)`` with ``H_out = (H + 2*ph - KH) // sh + 1``.

    Returns ``(out, cache)``; pass ``cache`` to ``avgpool2d_backward``.

    >>> avgpool2d_forward(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0][0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    x, geometry, out_hw = pool_arguments(x, kernel_size, stride, padding, geometry, "avgpool2d_forward")
    x_padded = pad_nchw(at_least_float32(x), geometry.pads, value=0.0)  # float16 window sums overflow past 65504
    total = None
    for rows, cols in _offset_slices(geometry, out_hw):
        if total is None:
            total = x_padded[:, :, rows, cols].copy()  # (N, C, H_out, W_out)
        else:
            total += x_padded[:, :, rows, cols]
    KH, KW = geometry.kernel_size
    return (total / (KH * KW)).astype(x.dtype, copy=False), AvgPoolCache(x.shape, x.dtype, geometry, out_hw)


def avgpool2d_backward(dout, cache):
    """Gradient of ``avgpool2d_forward``: every pixel of a window gets ``dout / (KH*KW)``.

    Args:
        dout: gradient w.r.t. ``out``, ``(N, C, H_out, W_out)``.
        cache: the second value returned by ``avgpool2d_forward``.

    Returns ``dx`` shaped like ``x``.

    >>> out, cache = avgpool2d_forward(np.ones((1, 1, 2, 2)), 2)
    >>> avgpool2d_backward(np.ones_like(out), cache)
    array([[[[0.25, 0.25],
             [0.25, 0.25]]]])
    """
    op = "avgpool2d_backward"
    x_shape, x_dtype, geometry, out_hw = check_cache(cache, AvgPoolCache, op, "avgpool2d_forward")
    dout = check_dout(dout, (*x_shape[:2], *out_hw), op, "avgpool2d_forward")
    KH, KW = geometry.kernel_size
    share = (dout / (KH * KW)).astype(x_dtype, copy=False)
    dx_padded = np.zeros((*x_shape[:2], *geometry.padded_hw(x_shape[2:])), dtype=x_dtype)
    disjoint = _windows_disjoint(geometry)
    for rows, cols in _offset_slices(geometry, out_hw):
        if disjoint:
            dx_padded[:, :, rows, cols] = share
        else:
            dx_padded[:, :, rows, cols] += share
    return unpad_nchw(dx_padded, geometry.pads)


def maxpool2d(x, kernel_size, stride=None, padding=0, impl="fast") -> np.ndarray:
    """Max pooling without a cache; ``impl`` is ``"fast"`` (default) or ``"naive"``.

    >>> maxpool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2, impl="naive")[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    forward = maxpool2d_forward if check_impl(impl, "maxpool2d") == "fast" else maxpool2d_forward_naive
    return forward(x, kernel_size, stride, padding)[0]


def avgpool2d(x, kernel_size, stride=None, padding=0, impl="fast") -> np.ndarray:
    """Average pooling without a cache; ``impl`` is ``"fast"`` (default) or ``"naive"``.

    >>> avgpool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    forward = avgpool2d_forward if check_impl(impl, "avgpool2d") == "fast" else avgpool2d_forward_naive
    return forward(x, kernel_size, stride, padding)[0]
