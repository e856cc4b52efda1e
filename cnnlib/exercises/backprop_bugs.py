"""Find-the-bug exercises for lesson 06: backward passes with one deliberate mistake each.

Each function below computes gradients the way a student would write them,
from plain arrays (no cache), and each has exactly one line wrong. In the
lesson you read one with ``inspect.getsource``, copy it into a cell, fix it
and hand your copy to the matching checker in
:mod:`cnnlib.exercises.gradcheck_diagnosis`, which runs gradient checks
under several settings and names the mistake that remains.

The signatures (all arrays NCHW, float64):

* ``conv_backward(dout, x, W, stride=1, padding=0) -> (dx, dW, db)``
* ``maxpool_backward(dout, x, kernel_size=2, stride=2) -> dx``
* ``batchnorm_backward(dout, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)``
  (training mode: the batch statistics are recomputed from ``x``)
"""
from __future__ import annotations

import numpy as np

from ..functional import conv2d


def conv_backward_broken_1(dout, x, W, stride=1, padding=0):
    """Gradients of a convolution, with loops.

    The gradient of each output cell flows back to its window.
    """
    N, C, H, W_in = x.shape
    F, _, KH, KW = W.shape
    H_out, W_out = dout.shape[2], dout.shape[3]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad)
    dW = np.zeros_like(W)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i, j
                    window = x_pad[n, :, top:top + KH, left:left + KW]
                    dW[f] += dout[n, f, i, j] * window
                    dx_pad[n, :, top:top + KH, left:left + KW] += dout[n, f, i, j] * W[f]
    dx = dx_pad[:, :, padding:padding + H, padding:padding + W_in]
    return dx, dW, db


def conv_backward_broken_2(dout, x, W, stride=1, padding=0):
    """Gradients of a convolution as correlations.

    dW = x_pad ⋆ dout, and dx_pad = the full correlation of dout with W.
    """
    N, C, H, W_in = x.shape
    F, _, KH, KW = W.shape
    H_out, W_out = dout.shape[2], dout.shape[3]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    # Dilate dout: stride - 1 zeros between entries, so dout[i, j] sits where its window starts.
    d = np.zeros((N, F, (H_out - 1) * stride + 1, (W_out - 1) * stride + 1))
    d[:, :, ::stride, ::stride] = dout
    hd, wd = d.shape[2], d.shape[3]
    # dW[f, c] = sum over n of x_pad[n, c] ⋆ d[n, f]: the batch plays the role of the channels.
    x_used = x_pad[:, :, :hd + KH - 1, :wd + KW - 1]  # rows the floor dropped never met a window
    dW = conv2d(x_used.transpose(1, 0, 2, 3),  # (C, N, H', W'): the batch as channels
                d.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)  # (F, C, KH, KW)
    # dx_pad: pad d by K - 1 (plus the dropped rows) and correlate with the kernel.
    extra_h = x_pad.shape[2] - (hd + KH - 1)
    extra_w = x_pad.shape[3] - (wd + KW - 1)
    d_full = np.pad(d, ((0, 0), (0, 0), (KH - 1, KH - 1 + extra_h), (KW - 1, KW - 1 + extra_w)))
    # From the output channels back to the input channels:
    W_back = W.transpose(1, 0, 2, 3)  # (C, F, KH, KW)
    dx_pad = conv2d(d_full, W_back)  # (N, C, H + 2P, W + 2P)
    dx = dx_pad[:, :, padding:padding + H, padding:padding + W_in]
    db = dout.sum(axis=(0, 2, 3))
    return dx, dW, db


def conv_backward_broken_3(dout, x, W, stride=1, padding=0):
    """Gradients of a convolution, one kernel offset at a time, including the padding.

    Weight W[:, :, kh, kw] meets the padded input at rows kh, kh + stride, ... (one per output
    row), and the same for columns; broadcasting does the batch, the channels and the output cells
    at once.
    """
    N, C, H, W_in = x.shape
    F, _, KH, KW = W.shape
    H_out, W_out = dout.shape[2], dout.shape[3]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad)
    dW = np.zeros_like(W)
    for kh in range(KH):
        for kw in range(KW):
            rows = slice(kh, kh + (H_out - 1) * stride + 1, stride)  # H_out rows of x_pad
            cols = slice(kw, kw + (W_out - 1) * stride + 1, stride)  # W_out columns
            seen = x_pad[:, None, :, rows, cols]  # (N, 1, C, H_out, W_out): what this weight met
            d = dout[:, :, None]  # (N, F, 1, H_out, W_out)
            w = W[:, :, kh, kw][None, :, :, None, None]  # (F, C) -> (1, F, C, 1, 1)
            dW[:, :, kh, kw] = (d * seen).sum(axis=(0, 3, 4))  # (F, C)
            dx_pad[:, :, rows, cols] += (d * w).sum(axis=1)  # (N, C, H_out, W_out)
    db = dout.sum(axis=(0, 2, 3))
    dx = dx_pad[:, :, :H, :W_in]
    return dx, dW, db


def maxpool_backward_broken(dout, x, kernel_size=2, stride=2):
    """Gradient of max pooling, with loops: each window passes its gradient back."""
    N, C, H, W = x.shape
    H_out, W_out = dout.shape[2], dout.shape[3]
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i * stride, j * stride
                    window = x[n, c, top:top + kernel_size, left:left + kernel_size]
                    r, s = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, top:top + kernel_size, left:left + kernel_size] += dout[n, c, i, j]
    return dx


def batchnorm_backward_broken(dout, x, gamma, eps=1e-5):
    """Gradients of BatchNorm2D in training mode: statistics per channel, recomputed from x."""
    axes = (0, 2, 3)
    mean = x.mean(axis=axes, keepdims=True)  # (1, C, 1, 1)
    var = x.var(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    dbeta = dout.sum(axis=axes)  # (C,)
    dgamma = (dout * x_hat).sum(axis=axes)
    m = x.shape[0] * x.shape[2] * x.shape[3]  # values per channel
    g = gamma.reshape(1, -1, 1, 1) * inv_std
    dx = g / m * (m * dout - dout.sum(axis=0, keepdims=True)
                  - x_hat * (dout * x_hat).sum(axis=0, keepdims=True))
    return dx, dgamma, dbeta


#: The broken functions by the mistake they contain (the checkers compare against them; tests use this map).
BROKEN = {
    "stride": conv_backward_broken_1,
    "flip": conv_backward_broken_2,
    "crop": conv_backward_broken_3,
    "every_element": maxpool_backward_broken,
    "bn_axes": batchnorm_backward_broken,
}
