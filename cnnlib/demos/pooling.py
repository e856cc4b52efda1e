"""Pooling window by window: which element each window keeps, its gradient, and the same on a real feature map.

Every number comes from :mod:`cnnlib.functional` (``maxpool2d_indices`` for
the picks, the pooling forward and backward for outputs and gradients).

>>> X = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]])
>>> pool_windows(X, 2).out.tolist()
[[6.0, 5.0], [3.0, 8.0]]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..functional import (avgpool2d, avgpool2d_backward, avgpool2d_forward, maxpool2d, maxpool2d_backward,
                          maxpool2d_forward, maxpool2d_indices)
from ..shapes import conv_output_size

POOLS = ("max", "average")
ZOOM = (48, 36, 12)  # (top, left, size) of the zoomed region; a multiple of 1, 2, 3 and 4, so windows line up


def pool2d(fmap, pool: str, kernel_size: int, stride: int | None = None) -> np.ndarray:
    """Max or average pooling of one 2-D map with cnnlib (``stride`` defaults to the window)."""
    if pool not in POOLS:
        raise ValueError(f"pool must be one of {POOLS}, got {pool!r}.")
    fn = maxpool2d if pool == "max" else avgpool2d
    return fn(np.asarray(fmap)[None, None], kernel_size, stride)[0, 0]


def _max_picks(x, kernel_size: int, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, cols)``, each ``(H_out, W_out)``: where in the 2-D ``x`` each window's maximum is."""
    _, rows, cols = maxpool2d_indices(np.asarray(x)[None, None], kernel_size, stride)
    return rows[0, 0], cols[0, 0]


@dataclass(frozen=True)
class PoolWindows:
    """A small 2-D input pooled: the output, each window's corner and (max pooling) each window's pick.

    ``corners[i, j]`` is ``(top, left)`` of the window of output ``(i, j)``;
    ``rows[i, j], cols[i, j]`` the element max pooling kept (empty for average).
    """

    pool: str
    kernel_size: int
    stride: int
    x: np.ndarray
    out: np.ndarray
    corners: np.ndarray  # (H_out, W_out, 2)
    rows: np.ndarray
    cols: np.ndarray


def pool_windows(x, kernel_size: int = 2, stride: int | None = None, pool: str = "max") -> PoolWindows:
    """Pool the 2-D ``x`` and record every window (``stride`` defaults to the window)."""
    x = np.asarray(x, dtype=float)
    s = kernel_size if stride is None else stride
    out = pool2d(x, pool, kernel_size, s)
    corners = np.stack(np.indices(out.shape), axis=-1) * s  # (H_out, W_out, 2): (i*s, j*s)
    rows, cols = _max_picks(x, kernel_size, s) if pool == "max" else (np.zeros((0, 0), int),) * 2
    return PoolWindows(pool, kernel_size, s, x, out, corners, rows, cols)


@dataclass(frozen=True)
class PoolBackward:
    """The gradient of a 2-D ``x`` through max and through average pooling, for one upstream ``dout``."""

    windows: PoolWindows  # max pooling's windows and picks
    dout: np.ndarray
    dx_max: np.ndarray
    dx_avg: np.ndarray


def pool_gradients(x, dout, kernel_size: int = 2, stride: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(dx_max, dx_avg)``: the gradients of 2-D ``x`` through max and average pooling, from cnnlib."""
    x = np.asarray(x, dtype=float)[None, None]  # (1, 1, H, W)
    dout = np.asarray(dout, dtype=float)[None, None]
    _, cache = maxpool2d_forward(x, kernel_size, stride)
    dx_max = maxpool2d_backward(dout, cache)[0, 0] + 0.0  # + 0.0: no "-0"
    _, cache = avgpool2d_forward(x, kernel_size, stride)
    dx_avg = avgpool2d_backward(dout, cache)[0, 0] + 0.0
    return dx_max, dx_avg


def pool_backward(x, dout, kernel_size: int = 2, stride: int | None = None) -> PoolBackward:
    """Both pooling gradients of ``x`` with max pooling's windows, for the backward figure."""
    windows = pool_windows(x, kernel_size, stride)
    return PoolBackward(windows, np.asarray(dout, dtype=float), *pool_gradients(x, dout, kernel_size, windows.stride))


@dataclass(frozen=True)
class PoolLayout:
    """A pooled feature map and, for the zoomed region, every window and (max pooling) its pick.

    ``rows``/``cols`` give the picked element of each zoom window in zoom
    coordinates (empty for average pooling); ``counts[r, c]`` is how many
    windows picked pixel ``(r, c)`` (overlapping windows can pick the same one).
    """

    pool: str
    kernel_size: int
    stride: int
    fmap: np.ndarray
    pooled: np.ndarray
    zoom: tuple  # (top, left, size) in fmap
    crop: np.ndarray
    crop_pooled: np.ndarray
    starts: tuple  # window starts along each axis of the crop
    rows: np.ndarray
    cols: np.ndarray
    counts: np.ndarray
    formula: str


def pool_layout(fmap, pool: str = "max", kernel_size: int = 2, stride: int = 2, zoom=ZOOM) -> PoolLayout:
    """Pool ``fmap`` (2-D) and lay out the windows of the zoomed region ``zoom = (top, left, size)``."""
    fmap = np.asarray(fmap, dtype=np.float32)
    pooled = pool2d(fmap, pool, kernel_size, stride)
    top, left, size = zoom
    zoomed = pool_windows(fmap[top : top + size, left : left + size], kernel_size, stride, pool)
    counts = np.zeros(zoomed.x.shape, dtype=int)
    np.add.at(counts, (zoomed.rows, zoomed.cols), 1)
    H, W = fmap.shape
    h_out, w_out = (conv_output_size(n, kernel_size, stride) for n in (H, W))
    formula = (f"H_out = ⌊({H} − {kernel_size}) / {stride}⌋ + 1 = {h_out},   "
               f"W_out = ⌊({W} − {kernel_size}) / {stride}⌋ + 1 = {w_out}")
    starts = tuple(range(0, zoomed.out.shape[0] * stride, stride))
    return PoolLayout(pool, kernel_size, stride, fmap, pooled, tuple(zoom), zoomed.x.astype(np.float32),
                      zoomed.out.astype(np.float32), starts, zoomed.rows, zoomed.cols, counts, formula)
