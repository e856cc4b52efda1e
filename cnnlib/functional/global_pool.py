r"""Global average pooling: the mean of each whole feature map, as a loop and vectorized.

.. math::

    \text{out}[n, c] = \frac{1}{H W} \sum_{i, j} x[n, c, i, j], \qquad
    dx[n, c, i, j] = \frac{dout[n, c]}{H W}

Every pixel contributes equally to its channel's mean, so backward spreads
each gradient evenly over the ``H*W`` pixels. The ``*_naive`` functions write
the sums as loops; the others use ``mean`` and broadcasting, and the tests
check that the two agree.
"""
from __future__ import annotations

import numpy as np

from .._checks import at_least_float32, check_dout, check_nchw


def global_avgpool2d_forward(x):
    """Mean over the spatial axes of every channel (vectorized).

    Shape: ``x`` ``(N, C, H, W)``, ``out`` ``(N, C)``.

    Returns ``(out, cache)``; ``cache`` is ``x``'s shape, for ``global_avgpool2d_backward``.

    >>> global_avgpool2d_forward(np.arange(8.0).reshape(1, 2, 2, 2))[0]
    array([[1.5, 5.5]])
    """
    x = check_nchw(x, "x", "global_avgpool2d_forward")
    out = at_least_float32(x).mean(axis=(2, 3)).astype(x.dtype, copy=False)  # (N, C)
    return out, x.shape


def global_avgpool2d_backward(dout, cache):
    """``dx``: each ``dout[n, c]`` shared equally by the ``H*W`` pixels of its map.

    >>> global_avgpool2d_backward(np.array([[4.0]]), (1, 1, 2, 2))[0, 0]
    array([[1., 1.],
           [1., 1.]])
    """
    N, C, H, W = cache
    dout = check_dout(dout, (N, C), "global_avgpool2d_backward", "global_avgpool2d_forward")
    dx = np.empty((N, C, H, W), dtype=dout.dtype)
    dx[...] = (dout / (H * W))[:, :, None, None]  # (N, C, 1, 1) broadcast over every pixel
    return dx


def global_avgpool2d_forward_naive(x):
    """Mean over the spatial axes with explicit loops over n, c, i, j; same contract as the vectorized one.

    >>> global_avgpool2d_forward_naive(np.arange(8.0).reshape(1, 2, 2, 2))[0]
    array([[1.5, 5.5]])
    """
    x = check_nchw(x, "x", "global_avgpool2d_forward_naive")
    N, C, H, W = x.shape
    out = np.zeros((N, C), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            total = 0.0
            for i in range(H):
                for j in range(W):
                    total += x[n, c, i, j]
            out[n, c] = total / (H * W)
    return out, x.shape


def global_avgpool2d_backward_naive(dout, cache):
    """``dx`` with explicit loops: every pixel of map ``(n, c)`` gets ``dout[n, c] / (H*W)``."""
    N, C, H, W = cache
    dout = check_dout(dout, (N, C), "global_avgpool2d_backward_naive", "global_avgpool2d_forward_naive")
    dx = np.zeros((N, C, H, W), dtype=dout.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    dx[n, c, i, j] = dout[n, c] / (H * W)
    return dx
