"""Adding padding around a batch of images, and cutting the gradient of the padding off again."""
from __future__ import annotations

import numbers

import numpy as np

from .._checks import check_ndim, check_numeric


def _pads(pads, who: str) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)`` from ``((top, bottom), (left, right))``, ints >= 0, or a clear error."""
    try:
        (top, bottom), (left, right) = pads
    except (TypeError, ValueError):
        raise TypeError(f"{who}: pads must be ((top, bottom), (left, right)), got {pads!r}. "
                        "Hint: e.g. ((1, 1), (1, 1)) for one pixel on every side; Geometry2D.conv(...).pads "
                        "gives a layer's.") from None
    sides = (top, bottom, left, right)
    if not all(isinstance(p, numbers.Integral) and not isinstance(p, bool) for p in sides):
        raise TypeError(f"{who}: pads must be whole numbers, got {pads!r}. Hint: e.g. ((1, 1), (1, 1)).")
    if min(sides) < 0:
        raise ValueError(f"{who}: pads must be whole numbers >= 0, got {pads!r}. Hint: padding adds rows and "
                         "columns; it cannot remove them.")
    return tuple(int(p) for p in sides)


def _fits(value, dtype) -> bool:
    """Whether ``value`` is exactly a value of the integer (or bool) ``dtype``: -inf in an int array is not."""
    v = float(value)
    if not (np.isfinite(v) and v.is_integer()):
        return False
    info = np.iinfo(dtype) if dtype.kind != "b" else None
    return v in (0.0, 1.0) if info is None else info.min <= v <= info.max


def pad_nchw(x: np.ndarray, pads, value: float = 0.0) -> np.ndarray:
    """Pad the two spatial axes of ``x`` by ``pads = ((top, bottom), (left, right))`` with ``value``.

    Shape:
        ``(N, C, H, W)`` in, ``(N, C, H + top + bottom, W + left + right)`` out
        (``x`` itself, not a copy, when every pad is 0).

    >>> pad_nchw(np.ones((1, 1, 1, 2)), ((1, 0), (0, 1)))[0, 0]
    array([[0., 0., 0.],
           [1., 1., 0.]])
    """
    top, bottom, left, right = _pads(pads, "pad_nchw")
    x = check_numeric(x, "x")
    check_ndim(x, 4, "pad_nchw", "(N, C, H, W)")
    if top == bottom == left == right == 0:
        return x
    if x.dtype.kind in "iub" and not _fits(value, x.dtype):
        raise ValueError(f"pad_nchw: value={value!r} does not fit x's dtype {x.dtype}. Hint: pad a float "
                         "array, x.astype(np.float32), e.g. with -np.inf for max pooling.")
    N, C, H, W = x.shape
    # A filled array with x copied into its middle: the same result as np.pad, about twice as fast here.
    out = np.full((N, C, top + H + bottom, left + W + right), value, dtype=x.dtype)
    out[:, :, top : top + H, left : left + W] = x
    return out


def pad_batch_last(x: np.ndarray, pads) -> np.ndarray:
    """``pad_nchw(x, pads)`` with zeros, laid out batch last: ``(C, H_pad, W_pad, N)`` memory.

    What the batch-last ``im2col`` reads (``image_to_columns_batch_last``): its copy then reads runs of
    ``W_out * N`` neighbouring numbers (``N`` when the width stride is more than 1) instead of ``W_out``.

    Shape:
        ``(N, C, H, W)`` in, ``(C, H + top + bottom, W + left + right, N)`` out (always a new array).

    >>> pad_batch_last(np.arange(2.0).reshape(2, 1, 1, 1), ((0, 1), (0, 0)))[0, :, 0]
    array([[0., 1.],
           [0., 0.]])
    """
    top, bottom, left, right = _pads(pads, "pad_batch_last")
    x = check_numeric(x, "x")
    check_ndim(x, 4, "pad_batch_last", "(N, C, H, W)")
    N, C, H, W = x.shape
    out = np.zeros((C, top + H + bottom, left + W + right, N), dtype=x.dtype)
    out[:, top : top + H, left : left + W] = x.transpose(1, 2, 3, 0)  # (C, H, W, N) view of x, copied in
    return out


def unpad_nchw(x_padded: np.ndarray, pads) -> np.ndarray:
    """The inverse of ``pad_nchw``: a view without the padded rows and columns.

    In a backward pass this drops the gradient of the padding, which is not an input.

    Shape:
        ``(N, C, H_pad, W_pad)`` in, ``(N, C, H_pad - top - bottom, W_pad - left - right)`` out.

    >>> unpad_nchw(np.arange(6.0).reshape(1, 1, 2, 3), ((1, 0), (0, 1)))[0, 0]
    array([[3., 4.]])
    """
    top, bottom, left, right = _pads(pads, "unpad_nchw")
    x_padded = check_numeric(x_padded, "x_padded")
    check_ndim(x_padded, 4, "unpad_nchw", "(N, C, H_pad, W_pad)")
    H_pad, W_pad = x_padded.shape[2:]
    if top + bottom >= H_pad or left + right >= W_pad:
        raise ValueError(f"unpad_nchw: pads {pads!r} remove all of the {H_pad}×{W_pad} padded input. Hint: pass "
                         "the pads that padded it (the same ((top, bottom), (left, right)) given to pad_nchw).")
    return x_padded[:, :, top : H_pad - bottom, left : W_pad - right]
