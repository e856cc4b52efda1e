r"""Max and average pooling written as loops that read like the definition.

For sample :math:`n`, channel :math:`c` and output position :math:`(i, j)`
the window is ``x_pad[n, c, i*sh : i*sh + KH, j*sw : j*sw + KW]`` and

* max pooling keeps its largest value,
* average pooling keeps its mean (padding zeros count in the divisor, as
  PyTorch's default ``count_include_pad=True``).

Max pooling pads with ``-inf`` so padding never wins. In the backward pass
each window sends its gradient to ONE element: the first maximum in row-major
order within the window (what ``np.argmax`` returns, and what PyTorch does on
CPU). Overlapping windows add their gradients.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import at_least_float32, check_cache, check_dout
from ..shapes import Geometry2D
from .arguments import pool_arguments
from .padding import pad_nchw, unpad_nchw


# What the naive pooling backward functions need from the forward pass: the padded input, the input's shape,
# the window and (H_out, W_out). One type per op, so that a max-pool backward refuses an average pool's cache.
_CACHE_FIELDS = [("x_padded", np.ndarray), ("x_shape", tuple), ("geometry", Geometry2D), ("out_hw", tuple)]
MaxPoolNaiveCache = NamedTuple("MaxPoolNaiveCache", _CACHE_FIELDS)
AvgPoolNaiveCache = NamedTuple("AvgPoolNaiveCache", _CACHE_FIELDS)


def maxpool2d_forward_naive(x, kernel_size=None, stride=None, padding=0, *, geometry=None):
    """Max pooling with explicit loops over n, c, i, j.

    Args:
        x: input ``(N, C, H, W)``.
        kernel_size: int or ``(KH, KW)``.
        stride: int or ``(sh, sw)``; defaults to ``kernel_size``.
        padding: int or ``(ph, pw)``, at most ``kernel_size // 2`` (default 0).
        geometry: a ``Geometry2D`` resolved before (what the pooling layers pass),
            instead of kernel_size, stride and padding.

    Shape:
        ``out``: ``(N, C, H_out, W_out)`` with ``H_out = (H + 2*ph - KH) // sh + 1``.

    Returns ``(out, cache)``.

    >>> x = np.array([[[[1., 2.], [4., 3.]]]])
    >>> maxpool2d_forward_naive(x, 2)[0]
    array([[[[4.]]]])
    """
    x, geometry, (H_out, W_out) = pool_arguments(x, kernel_size, stride, padding, geometry,
                                                 "maxpool2d_forward_naive")
    x_padded = pad_nchw(x, geometry.pads, value=-np.inf)
    N, C = x.shape[:2]
    (KH, KW), (sh, sw) = geometry.kernel_size, geometry.stride
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    region = x_padded[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW]
                    out[n, c, i, j] = np.max(region)
    return out, MaxPoolNaiveCache(x_padded, x.shape, geometry, (H_out, W_out))


def maxpool2d_backward_naive(dout, cache):
    """Gradient of ``maxpool2d_forward_naive``: each window's gradient goes to its first maximum.

    Args:
        dout: gradient w.r.t. ``out``, ``(N, C, H_out, W_out)``.
        cache: the second value returned by ``maxpool2d_forward_naive``.

    Returns ``dx`` shaped like ``x``.

    >>> out, cache = maxpool2d_forward_naive(np.array([[[[1., 2.], [4., 3.]]]]), 2)
    >>> maxpool2d_backward_naive(np.ones_like(out), cache)
    array([[[[0., 0.],
             [1., 0.]]]])
    """
    op = "maxpool2d_backward_naive"
    x_padded, x_shape, geometry, (H_out, W_out) = check_cache(cache, MaxPoolNaiveCache, op, "maxpool2d_forward_naive")
    N, C = x_shape[:2]
    (KH, KW), (sh, sw) = geometry.kernel_size, geometry.stride
    dout = check_dout(dout, (N, C, H_out, W_out), op, "maxpool2d_forward_naive")
    dx_padded = np.zeros_like(x_padded)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    region = x_padded[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW]
                    # np.argmax returns the FIRST maximum in row-major order: ties go to one element.
                    r, s = np.unravel_index(np.argmax(region), region.shape)
                    dx_padded[n, c, i * sh + r, j * sw + s] += dout[n, c, i, j]
    return unpad_nchw(dx_padded, geometry.pads)  # drop the padding's gradient


def avgpool2d_forward_naive(x, kernel_size=None, stride=None, padding=0, *, geometry=None):
    """Average pooling with explicit loops; padding zeros count in the mean.

    Args:
        x: input ``(N, C, H, W)``.
        kernel_size: int or ``(KH, KW)``.
        stride: int or ``(sh, sw)``; defaults to ``kernel_size``.
        padding: int or ``(ph, pw)``, at most ``kernel_size // 2`` (default 0).
        geometry: a ``Geometry2D`` resolved before (what the pooling layers pass),
            instead of kernel_size, stride and padding.

    Shape:
        ``out``: ``(N, C, H_out, W_out)`` with ``H_out = (H + 2*ph - KH) // sh + 1``.

    Returns ``(out, cache)``.

    >>> avgpool2d_forward_naive(np.array([[[[1., 2.], [4., 3.]]]]), 2)[0]
    array([[[[2.5]]]])
    """
    x, geometry, (H_out, W_out) = pool_arguments(x, kernel_size, stride, padding, geometry,
                                                 "avgpool2d_forward_naive")
    x_padded = pad_nchw(x, geometry.pads, value=0.0)
    N, C = x.shape[:2]
    (KH, KW), (sh, sw) = geometry.kernel_size, geometry.stride
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    region = x_padded[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW]
                    # float16 sums overflow past 65504: add in float32. The divisor counts padding too.
                    out[n, c, i, j] = np.sum(at_least_float32(region)) / (KH * KW)
    return out, AvgPoolNaiveCache(x_padded, x.shape, geometry, (H_out, W_out))


def avgpool2d_backward_naive(dout, cache):
    """Gradient of ``avgpool2d_forward_naive``: each window shares its gradient equally.

    Args:
        dout: gradient w.r.t. ``out``, ``(N, C, H_out, W_out)``.
        cache: the second value returned by ``avgpool2d_forward_naive``.

    Returns ``dx`` shaped like ``x``.

    >>> out, cache = avgpool2d_forward_naive(np.ones((1, 1, 2, 2)), 2)
    >>> avgpool2d_backward_naive(np.ones_like(out), cache)
    array([[[[0.25, 0.25],
             [0.25, 0.25]]]])
    """
    op = "avgpool2d_backward_naive"
    x_padded, x_shape, geometry, (H_out, W_out) = check_cache(cache, AvgPoolNaiveCache, op, "avgpool2d_forward_naive")
    N, C = x_shape[:2]
    (KH, KW), (sh, sw) = geometry.kernel_size, geometry.stride
    dout = check_dout(dout, (N, C, H_out, W_out), op, "avgpool2d_forward_naive")
    dx_padded = np.zeros_like(x_padded)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    dx_padded[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW] += dout[n, c, i, j] / (KH * KW)
    return unpad_nchw(dx_padded, geometry.pads)  # drop the padding's gradient
