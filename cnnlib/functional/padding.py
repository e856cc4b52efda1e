"""Adding padding around a batch of images, and cutting the gradient of the padding off again."""
from __future__ import annotations

import numpy as np


def pad_nchw(x: np.ndarray, pads, value: float = 0.0) -> np.ndarray:
    """Pad the two spatial axes of ``x`` by ``pads = ((top, bottom), (left, right))`` with ``value``.

    Shape:
        ``(N, C, H, W)`` in, ``(N, C, H + top + bottom, W + left + right)`` out
        (``x`` itself, not a copy, when every pad is 0).

    >>> pad_nchw(np.ones((1, 1, 1, 2)), ((1, 0), (0, 1)))[0, 0]
    array([[0., 0., 0.],
           [1., 1., 0.]])
    """
    (top, bottom), (left, right) = pads
    if top == bottom == left == right == 0:
        return x
    N, C, H, W = x.shape
    # A filled array with x copied into its middle: the same result as np.pad, about twice as fast here.
    out = np.full((N, C, top + H + bottom, left + W + right), value, dtype=x.dtype)
    out[:, :, top : top + H, left : left + W] = x
    return out


def unpad_nchw(x_padded: np.ndarray, pads) -> np.ndarray:
    """The inverse of ``pad_nchw``: a view without the padded rows and columns.

    In a backward pass this drops the gradient of the padding, which is not an input.

    Shape:
        ``(N, C, H_pad, W_pad)`` in, ``(N, C, H_pad - top - bottom, W_pad - left - right)`` out.

    >>> unpad_nchw(np.arange(6.0).reshape(1, 1, 2, 3), ((1, 0), (0, 1)))[0, 0]
    array([[3., 4.]])
    """
    (top, bottom), (left, right) = pads
    H_pad, W_pad = x_padded.shape[2:]
    return x_padded[:, :, top : H_pad - bottom, left : W_pad - right]
