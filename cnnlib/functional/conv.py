r"""Vectorized 2-D convolution: im2col, then one matrix product.

``conv2d_forward_naive`` loops over every output pixel. Here all windows are
copied into the columns of one matrix (``im2col``) and every dot product of
every filter with every window happens in a single matmul:

.. math::

    \underbrace{\text{out}}_{(C_{out},\,N H_{out} W_{out})}
    = \underbrace{W}_{(C_{out},\,C K_H K_W)}
      \underbrace{\text{cols}}_{(C K_H K_W,\,N H_{out} W_{out})} + b

The backward pass is two more matmuls (``dW = dout @ cols.T`` and
``dcols = W.T @ dout``) and ``col2im``, which adds each column of ``dcols``
back onto the window it came from.

The bias rides along in the matmul (the "bias trick"): ``cols`` gets an extra
row of ones and ``W`` an extra column ``b``, so ``W @ cols`` adds ``b`` to
every column, and in the backward pass that row's entry of ``dout @ cols.T``
is ``db``, the sum of ``dout``. That saves a pass over the output each way.

Speed note. When each image has many output pixels and the filters are small
(a first layer: ``C*KH*KW = 9``, ``H_out*W_out = 676``) the columns run in
``(n, i, j)`` order and the product is one matmul per sample, ``np.matmul``
over the batch, which reads and writes NCHW directly. In the other case (small
images, many channels: 11x11, 7x7 or 4x4 outputs) a copy in ``(n, i, j)``
order moves runs of only ``W_out`` numbers, and numpy pays a fixed cost per
run. There the columns run in ``(i, j, n)`` order, the batch last
(``image_to_columns_batch_last`` reads a batch-last copy of the input in runs
of ``N`` numbers or more); the product ``(C_out, H_out*W_out*N)`` is copied
into NCHW one channel at a time (``_batch_first``); the backward pass puts
``dout`` in the same order once, for ``dW`` and for ``dcols``, and ``col2im``
adds rows of ``W_out*N`` numbers (``columns_to_image_batch_last``). All routes
compute the same numbers, up to the rounding of sums taken in another order.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import check_bool, check_cache, check_dout, check_impl
from ..shapes import Geometry2D
from .arguments import conv_arguments
from .conv_naive import conv2d_forward_naive
from .im2col import columns_to_image, columns_to_image_batch_last, image_to_columns, image_to_columns_batch_last
from .padding import pad_nchw, unpad_nchw


class ConvCache(NamedTuple):
    """What ``conv2d_backward`` needs from the forward pass."""

    cols: np.ndarray  # (C*KH*KW, N*H_out*W_out), plus a last row of ones when there is a bias; columns in
    # (n, i, j) order, or (i, j, n) when _per_sample is False (module docstring)
    x_shape: tuple
    x_dtype: np.dtype
    W: np.ndarray
    has_bias: bool
    geometry: Geometry2D
    out_hw: tuple[int, int]  # (H_out, W_out)


def conv2d_forward(x, W, b=None, stride=1, padding=0, dilation=1, *, geometry=None):
    """2-D cross-correlation of a batch with a bank of filters (vectorized).

    Same arguments, numbers and cache contract as ``conv2d_forward_naive``.

    Args:
        x: input ``(N, C, H, W_in)``.
        W: filters ``(C_out, C, KH, KW)``.
        b: bias ``(C_out,)`` or None (default).
        stride: int or ``(sh, sw)`` (default 1).
        padding: int, ``(ph, pw)``, ``"valid"``, ``"same"`` (stride 1 only,
            odd extra pixel bottom/right) or ``((top, bottom), (left, right))``
            (default 0).
        dilation: int or ``(dh, dw)`` (default 1).
        geometry: a ``Geometry2D`` resolved before (what ``Conv2D`` passes),
            instead of stride, padding and dilation.

    Shape:
        ``out``: ``(N, C_out, H_out, W_out)`` with
        ``H_out = (H + top + bottom - dh*(KH-1) - 1) // sh + 1``.

    Returns ``(out, cache)``; pass ``cache`` to ``conv2d_backward``.

    >>> out, cache = conv2d_forward(np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3)), padding="same")
    >>> out.shape
    (2, 4, 5, 5)
    """
    x, W, b, geometry, (H_out, W_out) = conv_arguments(x, W, b, stride, padding, dilation, geometry,
                                                       "conv2d_forward")
    N, C_out = x.shape[0], W.shape[0]
    has_bias = b is not None
    W_rows = W.reshape(C_out, -1)  # (C_out, C*KH*KW): one filter per row
    if has_bias:  # the bias trick: b as a last column meets the row of ones in cols
        W_rows = np.concatenate([W_rows, b[:, None]], axis=1, dtype=np.result_type(W_rows, x))
        # W_rows is now (C_out, C*KH*KW + 1)
    # The route: W_rows.shape[1] is cols.shape[0], which conv2d_backward reads to take the same one.
    if _per_sample(W_rows.shape[1], H_out * W_out):  # big images: cols' columns in (n, i, j) order
        cols = image_to_columns(pad_nchw(x, geometry.pads), geometry, (H_out, W_out), ones_row=has_bias)
        # cols: (C*KH*KW [+1], N*H_out*W_out)
        out = np.matmul(W_rows, _per_sample_cols(cols, N, H_out * W_out))  # (N, C_out, H_out*W_out), NCHW already
        out = out.reshape(N, C_out, H_out, W_out)  # (N, C_out, H_out, W_out), no copy
    else:  # small images: cols' columns in (i, j, n) order, the batch last (module docstring)
        cols = image_to_columns_batch_last(x, geometry, (H_out, W_out), ones_row=has_bias)
        # cols: (C*KH*KW [+1], H_out*W_out*N)
        out = W_rows @ cols  # (C_out, H_out*W_out*N)
        out = out.reshape(C_out, H_out, W_out, N)  # (C_out, H_out, W_out, N); explicit sizes: -1 fails when N = 0
        out = _batch_first(out.transpose(3, 0, 1, 2), out.dtype)  # (N, C_out, H_out, W_out) in NCHW memory
    return out, ConvCache(cols, x.shape, x.dtype, W, has_bias, geometry, (H_out, W_out))


def conv2d_backward(dout, cache, need_dx=True):
    """Gradients of ``conv2d_forward``: two matmuls and a ``col2im``.

    Args:
        dout: gradient w.r.t. ``out``, ``(N, C_out, H_out, W_out)``.
        cache: the second value returned by ``conv2d_forward``.
        need_dx: compute ``dx`` (default True). The first layer of a network
            does not need it, and skipping it saves the larger half of the work.

    Returns ``(dx, dW, db)``; ``dx`` is None when ``need_dx=False``, ``db`` is
    None when the forward pass had no bias.

    >>> out, cache = conv2d_forward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), b=np.zeros(1))
    >>> dx, dW, db = conv2d_backward(np.ones_like(out), cache)
    >>> dW[0, 0], db
    (array([[4., 4.],
           [4., 4.]]), array([4.]))
    """
    op = "conv2d_backward"
    need_dx = check_bool(need_dx, "need_dx", "need_dx=False skips dx (the first layer does not need it).")
    cols, x_shape, x_dtype, W, has_bias, geometry, (H_out, W_out) = check_cache(cache, ConvCache, op,
                                                                                "conv2d_forward")
    N, C_out = x_shape[0], W.shape[0]
    dout = check_dout(dout, (N, C_out, H_out, W_out), op, "conv2d_forward")

    W_rows_t = W.reshape(C_out, -1).T  # (C*KH*KW, C_out)
    padded_shape = (N, x_shape[1], *geometry.padded_hw(x_shape[2:]))
    if _per_sample(cols.shape[0], H_out * W_out):  # the route conv2d_forward took: columns in (n, i, j) order
        dout3 = dout.reshape(N, C_out, H_out * W_out)  # no copy
        cols_t = _per_sample_cols(cols, N, H_out * W_out).transpose(0, 2, 1)  # (N, H_out*W_out, C*KH*KW) view
        dW = np.matmul(dout3, cols_t).sum(axis=0)  # sum over samples of dout[n] @ cols[n].T
        dW, db = _split_bias(dW, W, has_bias)
        if not need_dx:
            return None, dW, db
        # dx: dcols = W_rows.T @ dout, then col2im adds every column back onto its window.
        dout2d = dout3.transpose(1, 0, 2).reshape(C_out, -1)  # (C_out, N*H_out*W_out), a copy
        dx_padded = columns_to_image(W_rows_t @ dout2d, padded_shape, geometry, (H_out, W_out))
        dx = unpad_nchw(dx_padded, geometry.pads)  # (N, C, H, W) view: drop the padding's gradient
        return np.ascontiguousarray(dx, dtype=x_dtype), dW, db  # one copy: NCHW order, unpadded, x's dtype
    # cols' columns in (i, j, n) order, the batch last: dout in the same order serves dW and dx
    dout_batch_last = dout.transpose(1, 2, 3, 0).reshape(C_out, -1)  # (C_out, H_out*W_out*N), a copy
    dW = (cols @ dout_batch_last.T).T  # = dout @ cols.T, (C_out, C*KH*KW [+1]); OpenBLAS prefers this order
    dW, db = _split_bias(dW, W, has_bias)
    if not need_dx:
        return None, dW, db
    dx_padded = columns_to_image_batch_last(W_rows_t @ dout_batch_last, padded_shape, geometry, (H_out, W_out))
    dx = unpad_nchw(dx_padded, geometry.pads)  # (N, C, H, W) view of (C, H, W, N) memory, without the padding
    return _batch_first(dx, x_dtype), dW, db


def _split_bias(dW, W, has_bias):
    """``(dW, db)`` from the product with ``cols``: the row of ones gave ``dW``'s last column, the sum of ``dout``."""
    db = None
    if has_bias:
        dW, db = dW[:, :-1], dW[:, -1].astype(W.dtype)  # (C_out, C*KH*KW), (C_out,)
    return np.ascontiguousarray(dW.reshape(W.shape), dtype=W.dtype), db  # dW: (C_out, C, KH, KW)


def _batch_first(view, dtype):
    """Copy ``view``, an ``(N, C, H, W)`` view of batch-last memory, into a new NCHW array of ``dtype``.

    The forward pass's output (from ``(C_out, H_out, W_out, N)``) and the backward pass's ``dx`` (from
    ``(C, H_pad, W_pad, N)``, the padding cut off) both come back to NCHW this way.

    One channel at a time: numpy's one-shot transposing copy strides through all of memory (a stride
    of ``N*4`` bytes, 512 for a batch of 128, which also maps to few cache sets); one channel's
    ``(H, W, N)`` block stays in cache. On ``(24, 16, 16, 128)`` with the padding cut off the loop
    takes 0.4x the time (1.0 instead of 2.7 ms), on ``(32, 13, 13, 64)`` 0.6x (0.35 instead of 0.6 ms).
    """
    out = np.empty(view.shape, dtype=dtype)
    for c in range(view.shape[1]):
        out[:, c] = view[:, c]  # (N, H, W) <- a (H, W, N) block read transposed
    return out


def _per_sample(rows: int, pixels: int) -> bool:
    """Use one matmul per sample when an image has more output pixels than a filter has weights."""
    return pixels >= rows


def _per_sample_cols(cols, N, P):
    """View ``cols`` ``(C*KH*KW, N*P)`` as ``N`` matrices ``(C*KH*KW, P)``, without copying."""
    return cols.reshape(cols.shape[0], N, P).transpose(1, 0, 2)  # (N, C*KH*KW, P), P = H_out*W_out


def conv2d(x, W, b=None, stride=1, padding=0, dilation=1, impl="fast") -> np.ndarray:
    """Convolve without keeping a cache; ``impl`` is ``"fast"`` (default) or ``"naive"``.

    Arguments as ``conv2d_forward``.

    >>> conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), impl="naive")[0, 0]
    array([[4., 4.],
           [4., 4.]])
    """
    forward = conv2d_forward if check_impl(impl, "conv2d") == "fast" else conv2d_forward_naive
    return forward(x, W, b, stride, padding, dilation)[0]
