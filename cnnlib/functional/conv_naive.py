r"""2-D convolution written as loops that read like the math.

For sample :math:`n`, filter :math:`f` and output position :math:`(i, j)`:

.. math::

    \text{out}[n, f, i, j] = b[f] + \sum_{c}\sum_{k_h}\sum_{k_w}
        W[f, c, k_h, k_w]\;
        x_{\text{pad}}[n, c,\; i s_h + k_h d_h,\; j s_w + k_w d_w]

This is cross-correlation (the kernel is not flipped), like every deep
learning framework. These loops are slow; ``conv2d_forward`` in
``cnnlib.functional.conv`` computes the same numbers with one matmul, and
the tests check that the two agree.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import check_bool, check_cache, check_dout
from ..shapes import Geometry2D
from .arguments import conv_arguments
from .padding import pad_nchw, unpad_nchw


class ConvNaiveCache(NamedTuple):
    """What ``conv2d_backward_naive`` needs from the forward pass."""

    x_padded: np.ndarray
    x_shape: tuple
    W: np.ndarray
    has_bias: bool
    geometry: Geometry2D
    out_hw: tuple[int, int]  # (H_out, W_out)


def conv2d_forward_naive(x, W, b=None, stride=1, padding=0, dilation=1, *, geometry=None):
    """2-D cross-correlation with explicit loops over n, f, i, j.

    Args:
        x: input ``(N, C, H, W_in)``.
        W: filters ``(C_out, C, KH, KW)``.
        b: bias ``(C_out,)`` or None (default).
        stride: int or ``(sh, sw)`` (default 1).
        padding: int, ``(ph, pw)``, ``"valid"``, ``"same"`` or
            ``((top, bottom), (left, right))`` (default 0). Zeros are added.
        dilation: int or ``(dh, dw)``; the gap between kernel taps (default 1).
        geometry: a ``Geometry2D`` resolved before, instead of stride, padding and dilation.

    Shape:
        ``out``: ``(N, C_out, H_out, W_out)`` with
        ``H_out = (H + top + bottom - dh*(KH-1) - 1) // sh + 1``.

    Returns ``(out, cache)``; pass ``cache`` to ``conv2d_backward_naive``.

    >>> out, _ = conv2d_forward_naive(np.ones((1, 1, 4, 4)), np.ones((1, 1, 2, 2)))
    >>> out[0, 0]
    array([[4., 4., 4.],
           [4., 4., 4.],
           [4., 4., 4.]])
    """
    x, W, b, geometry, (H_out, W_out) = conv_arguments(x, W, b, stride, padding, dilation, geometry,
                                                       "conv2d_forward_naive")
    N = x.shape[0]
    C_out, C, KH, KW = W.shape
    (sh, sw), (dh, dw) = geometry.stride, geometry.dilation
    x_padded = pad_nchw(x, geometry.pads)

    # Height and width a (dilated) window spans in the padded input.
    span_h = dh * (KH - 1) + 1
    span_w = dw * (KW - 1) + 1
    out = np.zeros((N, C_out, H_out, W_out), dtype=np.result_type(x, W))
    for n in range(N):
        for f in range(C_out):
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i * sh, j * sw  # the window's top-left corner
                    # Every dh-th row and dw-th column of the span: the pixels the kernel touches,
                    # (C, KH, KW).
                    region = x_padded[n, :, top : top + span_h : dh, left : left + span_w : dw]
                    out[n, f, i, j] = np.sum(region * W[f])
            if b is not None:
                out[n, f] += b[f]
    return out, ConvNaiveCache(x_padded, x.shape, W, b is not None, geometry, (H_out, W_out))


def conv2d_backward_naive(dout, cache, need_dx=True):
    """Gradients of ``conv2d_forward_naive``, with the same loops run backwards.

    Each output ``out[n, f, i, j]`` was ``sum(region * W[f])``, so its gradient
    ``g = dout[n, f, i, j]`` flows to ``W[f]`` as ``g * region`` and to the
    region of the input as ``g * W[f]``. Windows overlap, so both accumulate.

    Args:
        dout: gradient of the loss w.r.t. ``out``, ``(N, C_out, H_out, W_out)``.
        cache: the second value returned by ``conv2d_forward_naive``.
        need_dx: compute ``dx`` (default True); ``dx`` is None otherwise.

    Returns ``(dx, dW, db)``: ``dx`` like ``x``, ``dW`` like ``W``, ``db``
    ``(C_out,)`` or None if there was no bias.

    >>> out, cache = conv2d_forward_naive(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)))
    >>> conv2d_backward_naive(np.ones_like(out), cache)[0][0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    op = "conv2d_backward_naive"
    need_dx = check_bool(need_dx, "need_dx", "need_dx=False skips dx (the first layer does not need it).")
    x_padded, x_shape, W, has_bias, geometry, (H_out, W_out) = check_cache(cache, ConvNaiveCache, op,
                                                                           "conv2d_forward_naive")
    N = x_shape[0]
    C_out, C, KH, KW = W.shape
    (sh, sw), (dh, dw) = geometry.stride, geometry.dilation
    dout = check_dout(dout, (N, C_out, H_out, W_out), op, "conv2d_forward_naive")

    span_h = dh * (KH - 1) + 1
    span_w = dw * (KW - 1) + 1
    dx_padded = np.zeros_like(x_padded) if need_dx else None
    dW = np.zeros_like(W)
    for n in range(N):
        for f in range(C_out):
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i * sh, j * sw
                    rows = slice(top, top + span_h, dh)
                    cols = slice(left, left + span_w, dw)
                    g = dout[n, f, i, j]
                    dW[f] += g * x_padded[n, :, rows, cols]
                    if need_dx:
                        dx_padded[n, :, rows, cols] += g * W[f]
    db = dout.sum(axis=(0, 2, 3)).astype(W.dtype) if has_bias else None

    dx = unpad_nchw(dx_padded, geometry.pads) if need_dx else None  # drop the padding's gradient
    return dx, dW, db
