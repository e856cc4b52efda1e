r"""Vectorized 2-D transposed convolution: one matrix product, then ``col2im``.

A transposed convolution is the backward of a convolution with respect to its
input. ``conv2d_backward`` computes ``dx`` as ``dcols = W.T @ dout`` followed
by ``col2im``; here the input ``x`` plays the part of ``dout``:

.. math::

    \underbrace{\text{cols}}_{(C_{out} K_H K_W,\; N H W)}
    = \underbrace{W^\top}_{(C_{out} K_H K_W,\; C_{in})}
      \underbrace{x}_{(C_{in},\; N H W)}, \qquad
    \text{out} = \text{col2im}(\text{cols}) + b

Each column of ``cols`` is one input pixel times the whole kernel, and
``col2im`` (``cnnlib.functional.im2col``, the same code ``conv2d_backward``
uses) adds it onto the output window at ``(i*sh - ph, j*sw - pw)``; the
padding rows are then cut off. So a ``Conv2D`` with weight ``W`` (read as
``(C_out, C_in, KH, KW)`` = this op's ``(C_in, C_out, KH, KW)``) has
``dx = conv_transpose2d(dout, W)``. The other way round, the backward of a
transposed convolution is a convolution: ``im2col`` of the padded ``dout``
and two matmuls. ``conv_transpose2d_forward_naive`` writes the same numbers
as loops.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import check_bool, check_cache, check_dout, check_impl
from ..shapes import Geometry2D
from .conv_transpose_naive import conv_transpose2d_forward_naive, conv_transpose_arguments
from .im2col import columns_to_image, image_to_columns
from .padding import pad_nchw, unpad_nchw


class ConvTransposeCache(NamedTuple):
    """What ``conv_transpose2d_backward`` needs from the forward pass."""

    x_rows: np.ndarray  # (C_in, N*H*W): one column per input pixel
    x_shape: tuple
    x_dtype: np.dtype
    W: np.ndarray
    has_bias: bool
    geometry: Geometry2D  # of the convolution this op transposes
    out_hw: tuple[int, int]  # (H_out, W_out)


def conv_transpose2d_forward(x, W, b=None, stride=1, padding=0, output_padding=0, dilation=1):
    """2-D transposed convolution of a batch (vectorized), the arithmetic of ``torch.nn.ConvTranspose2d``.

    Args:
        x: input ``(N, C_in, H, W_in)``.
        W: weights ``(C_in, C_out, KH, KW)`` (input channels first, as in PyTorch).
        b: bias ``(C_out,)`` or None (default).
        stride: int or ``(sh, sw)``: the step between stamped windows in the output (default 1).
        padding: int or ``(ph, pw)``: rows/columns cut from each side of the output (default 0).
        output_padding: int or ``(oph, opw)``, smaller than the stride or the dilation:
            rows/columns added at the bottom/right (default 0).
        dilation: int or ``(dh, dw)`` (default 1).

    Shape:
        ``out``: ``(N, C_out, H_out, W_out)`` with
        ``H_out = (H - 1)*sh - 2*ph + dh*(KH - 1) + oph + 1``.

    Returns ``(out, cache)``; pass ``cache`` to ``conv_transpose2d_backward``.

    >>> out, _ = conv_transpose2d_forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), stride=2)
    >>> out.shape
    (1, 1, 4, 4)
    """
    x, W, b, geometry, (H_out, W_out) = conv_transpose_arguments(x, W, b, stride, padding, output_padding,
                                                                 dilation, "conv_transpose2d_forward")
    N, C_in, H, W_in = x.shape
    C_out = W.shape[1]
    x_rows = x.transpose(1, 0, 2, 3).reshape(C_in, N * H * W_in)  # (C_in, N*H*W)
    cols = W.reshape(C_in, -1).T @ x_rows  # (C_out*KH*KW, N*H*W): every pixel times the whole kernel
    (top, bottom), (left, right) = geometry.pads
    canvas = (N, C_out, H_out + top + bottom, W_out + left + right)  # the output before the padding is cut off
    out = columns_to_image(cols, canvas, geometry, (H, W_in))  # (N, C_out, H_pad, W_pad)
    out = np.ascontiguousarray(unpad_nchw(out, geometry.pads))  # (N, C_out, H_out, W_out)
    if b is not None:
        out += b[:, None, None]
    return out, ConvTransposeCache(x_rows, x.shape, x.dtype, W, b is not None, geometry, (H_out, W_out))


def conv_transpose2d_backward(dout, cache, need_dx=True):
    """Gradients of ``conv_transpose2d_forward``: ``im2col`` of the padded ``dout``, then two matmuls.

    The window of ``dout`` that input pixel ``(i, j)`` was stamped on holds
    its gradient: ``dx`` is the convolution of ``dout`` with ``W`` (the
    forward conv this op transposes), and ``dW`` sums ``x * window``.

    Args:
        dout: gradient w.r.t. ``out``, ``(N, C_out, H_out, W_out)``.
        cache: the second value returned by ``conv_transpose2d_forward``.
        need_dx: compute ``dx`` (default True); ``dx`` is None otherwise.

    Returns ``(dx, dW, db)``: ``dx`` like ``x``, ``dW`` like ``W``, ``db``
    ``(C_out,)`` or None if there was no bias.

    >>> out, cache = conv_transpose2d_forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), stride=2)
    >>> dx, dW, db = conv_transpose2d_backward(np.ones_like(out), cache)
    >>> dx[0, 0]
    array([[4., 4.],
           [4., 4.]])
    """
    op = "conv_transpose2d_backward"
    need_dx = check_bool(need_dx, "need_dx", "need_dx=False skips dx (the first layer does not need it).")
    x_rows, x_shape, x_dtype, W, has_bias, geometry, out_hw = check_cache(cache, ConvTransposeCache, op,
                                                                          "conv_transpose2d_forward")
    N, C_in, H, W_in = x_shape
    dout = check_dout(dout, (N, W.shape[1], *out_hw), op, "conv_transpose2d_forward")
    dcols = image_to_columns(pad_nchw(dout, geometry.pads), geometry, (H, W_in))  # (C_out*KH*KW, N*H*W)
    dW = (x_rows @ dcols.T).reshape(W.shape).astype(W.dtype, copy=False)  # (C_in, C_out*KH*KW) -> W's shape
    db = dout.sum(axis=(0, 2, 3)).astype(W.dtype, copy=False) if has_bias else None
    if not need_dx:
        return None, dW, db
    dx = W.reshape(C_in, -1) @ dcols  # (C_in, N*H*W)
    dx = dx.reshape(C_in, N, H, W_in).transpose(1, 0, 2, 3)  # (N, C_in, H, W)
    return np.ascontiguousarray(dx, dtype=x_dtype), dW, db


def conv_transpose2d(x, W, b=None, stride=1, padding=0, output_padding=0, dilation=1, impl="fast") -> np.ndarray:
    """Transposed convolution without keeping a cache; ``impl`` is ``"fast"`` (default) or ``"naive"``.

    Arguments as ``conv_transpose2d_forward``.

    >>> conv_transpose2d(np.array([[[[1.0, 2.0]]]]), np.ones((1, 1, 1, 2)), stride=2)[0, 0]
    array([[1., 1., 2., 2.]])
    """
    forward = conv_transpose2d_forward if check_impl(impl, "conv_transpose2d") == "fast" else (
        conv_transpose2d_forward_naive)
    return forward(x, W, b, stride, padding, output_padding, dilation)[0]
