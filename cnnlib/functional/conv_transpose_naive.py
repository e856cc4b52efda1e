r"""2-D transposed convolution written as loops that read like the math.

Every input pixel stamps the kernel, scaled by its value, onto the output,
with the stamps ``stride`` apart; where stamps overlap they add up. For
sample :math:`n`, input channel :math:`c` and input pixel :math:`(i, j)`:

.. math::

    \text{out}_{\text{pad}}[n,\, :,\; i s_h + k_h d_h,\; j s_w + k_w d_w]
        \mathrel{+}= x[n, c, i, j]\; W[c,\, :,\, k_h, k_w]

then ``padding`` rows and columns are cut from each side of
:math:`\text{out}_{\text{pad}}` and the bias is added. This is the same
scatter that ``conv2d_backward_naive`` does to compute ``dx``, which is why a
transposed convolution is "the backward of a convolution". The loops are
slow; ``conv_transpose2d_forward`` in ``cnnlib.functional.conv_transpose``
computes the same numbers with one matmul, and the tests check that the two agree.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import check_bool, check_cache, check_dout, check_nchw
from .._checks.conv_transpose import check_conv_transpose_weights
from ..shapes import Geometry2D, conv_transpose_geometry, conv_transpose_output_hw
from .padding import pad_nchw, unpad_nchw


class ConvTransposeNaiveCache(NamedTuple):
    """What ``conv_transpose2d_backward_naive`` needs from the forward pass."""

    x: np.ndarray
    W: np.ndarray
    has_bias: bool
    geometry: Geometry2D  # of the convolution this op transposes
    out_hw: tuple[int, int]  # (H_out, W_out)


def conv_transpose_arguments(x, W, b, stride, padding, output_padding, dilation, who: str):
    """Checked ``(x, W, b, geometry, (H_out, W_out))`` of a transposed-conv call."""
    x = check_nchw(x, "x", who)
    W, b = check_conv_transpose_weights(x, W, b, who)
    geometry, out_pad = conv_transpose_geometry(W.shape[2:], stride, padding, output_padding, dilation, who=who)
    return x, W, b, geometry, conv_transpose_output_hw(x.shape[2:], geometry, out_pad)


def conv_transpose2d_forward_naive(x, W, b=None, stride=1, padding=0, output_padding=0, dilation=1):
    """2-D transposed convolution with explicit loops over n, c, i, j: each pixel stamps the kernel.

    Args:
        x: input ``(N, C_in, H, W_in)``.
        W: weights ``(C_in, C_out, KH, KW)`` (input channels first, as in PyTorch).
        b: bias ``(C_out,)`` or None (default).
        stride: int or ``(sh, sw)`` (default 1).
        padding: int or ``(ph, pw)``, cut from each side of the output (default 0).
        output_padding: int or ``(oph, opw)``, added at the bottom/right (default 0).
        dilation: int or ``(dh, dw)`` (default 1).

    Shape:
        ``out``: ``(N, C_out, H_out, W_out)`` with
        ``H_out = (H - 1)*sh - 2*ph + dh*(KH - 1) + oph + 1``.

    Returns ``(out, cache)``; pass ``cache`` to ``conv_transpose2d_backward_naive``.

    >>> x = np.array([[1.0, 2.0], [3.0, 4.0]])[None, None]
    >>> conv_transpose2d_forward_naive(x, np.ones((1, 1, 2, 2)), stride=2)[0][0, 0]
    array([[1., 1., 2., 2.],
           [1., 1., 2., 2.],
           [3., 3., 4., 4.],
           [3., 3., 4., 4.]])
    """
    x, W, b, geometry, (H_out, W_out) = conv_transpose_arguments(x, W, b, stride, padding, output_padding,
                                                                 dilation, "conv_transpose2d_forward_naive")
    N, C_in, H, W_in = x.shape
    C_out, KH, KW = W.shape[1:]
    (sh, sw), (dh, dw) = geometry.stride, geometry.dilation
    (top, bottom), (left, right) = geometry.pads
    span_h, span_w = geometry.span()  # rows and columns one (dilated) stamp covers
    out_padded = np.zeros((N, C_out, H_out + top + bottom, W_out + left + right), dtype=np.result_type(x, W))
    for n in range(N):
        for c in range(C_in):
            for i in range(H):
                for j in range(W_in):
                    row, col = i * sh, j * sw  # the stamp's top-left corner, stride apart
                    # Every dh-th row and dw-th column of the span: where the kernel's taps land.
                    out_padded[n, :, row : row + span_h : dh, col : col + span_w : dw] += x[n, c, i, j] * W[c]
    out = np.ascontiguousarray(unpad_nchw(out_padded, geometry.pads))  # cut the padding off
    if b is not None:
        out += b[:, None, None]
    return out, ConvTransposeNaiveCache(x, W, b is not None, geometry, (H_out, W_out))


def conv_transpose2d_backward_naive(dout, cache, need_dx=True):
    """Gradients of ``conv_transpose2d_forward_naive``, with the same loops.

    Pixel ``x[n, c, i, j]`` was added onto a window of the (padded) output as
    ``x[n, c, i, j] * W[c]``, so with ``window`` the matching window of the
    padded ``dout``: ``dx[n, c, i, j] = sum(window * W[c])`` (a convolution of
    ``dout``) and ``dW[c] += x[n, c, i, j] * window``.

    Args:
        dout: gradient of the loss w.r.t. ``out``, ``(N, C_out, H_out, W_out)``.
        cache: the second value returned by ``conv_transpose2d_forward_naive``.
        need_dx: compute ``dx`` (default True); ``dx`` is None otherwise.

    Returns ``(dx, dW, db)``: ``dx`` like ``x``, ``dW`` like ``W``, ``db``
    ``(C_out,)`` or None if there was no bias.

    >>> out, cache = conv_transpose2d_forward_naive(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), stride=2)
    >>> conv_transpose2d_backward_naive(np.ones_like(out), cache)[1][0, 0]
    array([[4., 4.],
           [4., 4.]])
    """
    op = "conv_transpose2d_backward_naive"
    need_dx = check_bool(need_dx, "need_dx", "need_dx=False skips dx (the first layer does not need it).")
    x, W, has_bias, geometry, out_hw = check_cache(cache, ConvTransposeNaiveCache, op,
                                                   "conv_transpose2d_forward_naive")
    N, C_in, H, W_in = x.shape
    dout = check_dout(dout, (N, W.shape[1], *out_hw), op, "conv_transpose2d_forward_naive")
    (sh, sw), (dh, dw) = geometry.stride, geometry.dilation
    span_h, span_w = geometry.span()
    dout_padded = pad_nchw(dout, geometry.pads)  # the padding's gradient is 0: it was cut off
    dx = np.zeros(x.shape, dtype=x.dtype) if need_dx else None
    dW = np.zeros_like(W)
    for n in range(N):
        for c in range(C_in):
            for i in range(H):
                for j in range(W_in):
                    row, col = i * sh, j * sw
                    window = dout_padded[n, :, row : row + span_h : dh, col : col + span_w : dw]  # (C_out, KH, KW)
                    dW[c] += x[n, c, i, j] * window
                    if need_dx:
                        dx[n, c, i, j] = np.sum(window * W[c])
    db = dout.sum(axis=(0, 2, 3)).astype(W.dtype) if has_bias else None
    return dx, dW, db
