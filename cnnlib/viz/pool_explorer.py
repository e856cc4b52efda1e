"""Pooling a real feature map: which pixel each window keeps, and what the map looks like afterwards.

:func:`edge_map` makes lesson 03's feature map (the photo filtered with
Sobel x, then ReLU); :func:`pool_layout` pools it with cnnlib and records,
for a small zoomed region, where every window sits and which element max
pooling picked (:func:`cnnlib.functional.maxpool2d_indices`);
:func:`draw_pool_explorer` draws the whole map, the pooled map and the zoom.
:func:`draw_avg_pool` is the small hand-checkable grid for average pooling,
the companion of :func:`cnnlib.viz.pooling.draw_max_pool`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..functional import avgpool2d, maxpool2d, maxpool2d_indices
from ..kernels import get_kernel
from ..layers import Conv2D, ReLU
from ..shapes import conv_output_size
from .grids import draw_grid, outline_cells
from .pooling import WINDOW_COLORS
from .style import (GRID_HEADROOM, HIGHLIGHT, IMAGE_CMAP, LABEL_SIZE, TITLE_SIZE, axes_at, grid_row_figure,
                    reuse_figure, set_title, signed_norm)

POOLS = ("max", "average")
ZOOM = (48, 36, 12)  # (top, left, size) of the zoomed region; a multiple of 1, 2, 3 and 4, so windows line up


def edge_map(image, kernel: str = "sobel_x") -> np.ndarray:
    """ReLU of the 2-D ``image`` filtered by a classic 3×3 kernel (padding 1, so the size is kept)."""
    conv = Conv2D(1, 1, 3, padding=1, bias=False)
    conv.params["W"][...] = get_kernel(kernel)[None, None]  # (C_out=1, C_in=1, 3, 3)
    x = np.asarray(image, dtype=np.float32)[None, None]  # (1, 1, H, W)
    return ReLU()(conv(x))[0, 0]


def pool2d(fmap, pool: str, kernel_size: int, stride: int) -> np.ndarray:
    """Max or average pooling of one 2-D map with cnnlib."""
    if pool not in POOLS:
        raise ValueError(f"pool must be one of {POOLS}, got {pool!r}.")
    fn = maxpool2d if pool == "max" else avgpool2d
    return fn(np.asarray(fmap)[None, None], kernel_size, stride)[0, 0]


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
    crop = fmap[top : top + size, left : left + size]
    crop_pooled = pool2d(crop, pool, kernel_size, stride)
    n = crop_pooled.shape[0]
    starts = tuple(range(0, n * stride, stride))
    counts = np.zeros(crop.shape, dtype=int)
    if pool == "max":
        _, rows, cols = maxpool2d_indices(crop[None, None], kernel_size, stride)
        rows, cols = rows[0, 0], cols[0, 0]  # (n, n) each
        np.add.at(counts, (rows, cols), 1)
    else:
        rows = cols = np.zeros((0, 0), dtype=int)
    H, W = fmap.shape
    h_out = conv_output_size(H, kernel_size, stride)
    w_out = conv_output_size(W, kernel_size, stride)
    formula = (f"H_out = ⌊({H} − {kernel_size}) / {stride}⌋ + 1 = {h_out},   "
               f"W_out = ⌊({W} − {kernel_size}) / {stride}⌋ + 1 = {w_out}")
    return PoolLayout(pool, kernel_size, stride, fmap, pooled, tuple(zoom), crop, crop_pooled, starts, rows, cols,
                      counts, formula)


def draw_pool_explorer(layout: PoolLayout, *, figure: Figure | None = None) -> Figure:
    """The feature map and its pooled version (whole), and the zoomed region with its windows and picks.

    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    lay = layout
    H, W = lay.fmap.shape
    top, left, size = lay.zoom
    k, s = lay.kernel_size, lay.stride
    img_h = 3.3
    img_w = img_h * W / H
    zoom_in = 3.3
    n = lay.crop_pooled.shape[0]
    widths = [img_w, img_w, zoom_in, zoom_in]
    gaps = [0.4, 0.9, 0.7]
    left_m, fig_h = 0.25, img_h + 1.6
    fig_w = left_m + sum(widths) + sum(gaps) + 0.3
    fig = reuse_figure(figure, fig_w, fig_h)
    vmax = float(lay.fmap.max()) or 1.0
    style = {"cmap": IMAGE_CMAP, "vmin": 0.0, "vmax": vmax, "interpolation": "nearest"}
    x = left_m
    axes = []
    for w, gap in zip(widths, gaps + [0]):
        axes.append(axes_at(fig, len(axes), (x / fig_w, 0.7 / fig_h, w / fig_w, img_h / fig_h)))
        x += w + gap
    ax_map, ax_pool, ax_zoom, ax_out = axes
    name = "max" if lay.pool == "max" else "average"
    ax_map.imshow(lay.fmap, **style)
    ax_map.add_patch(Rectangle((left - 0.5, top - 0.5), size, size, fill=False, edgecolor=HIGHLIGHT, linewidth=2))
    set_title(ax_map, f"edge map {H}×{W}", fontsize=LABEL_SIZE + 1)
    ax_pool.imshow(lay.pooled, **style)
    set_title(ax_pool, f"{name} pooled {lay.pooled.shape[0]}×{lay.pooled.shape[1]}", fontsize=LABEL_SIZE + 1)
    for ax in (ax_map, ax_pool):
        ax.set_axis_off()
    zoom_style = {**style, "vmax": float(lay.crop.max()) or 1.0}  # brightened: its own largest value is white
    ax_zoom.imshow(lay.crop, **zoom_style)
    _draw_windows(ax_zoom, lay)
    set_title(ax_zoom, f"zoom: {size}×{size} pixels (green box)", fontsize=LABEL_SIZE + 1)
    ax_out.imshow(lay.crop_pooled, **zoom_style)
    set_title(ax_out, f"its {n}×{n} outputs", fontsize=LABEL_SIZE + 1)
    for ax in (ax_zoom, ax_out):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"{name} pooling, window {k}×{k}, stride {s}:   {lay.formula}", fontsize=TITLE_SIZE,
                 fontweight="bold", y=1 - 0.12 / fig_h)
    note = _zoom_note(lay)
    fig.text(0.5, 0.12 / fig_h, note, ha="center", va="bottom", fontsize=LABEL_SIZE)
    return fig


def _draw_windows(ax, lay: PoolLayout) -> None:
    """Outline the zoom's windows (all when they do not overlap, three examples when they do) and mark picks."""
    k, s, size = lay.kernel_size, lay.stride, lay.crop.shape[0]
    starts = lay.starts
    if s >= k:
        segs = []
        for a in starts:
            for b in starts:
                x0, y0 = b - 0.5, a - 0.5
                segs += [[(x0, y0), (x0 + k, y0)], [(x0 + k, y0), (x0 + k, y0 + k)], [(x0 + k, y0 + k), (x0, y0 + k)],
                         [(x0, y0 + k), (x0, y0)]]
        ax.add_collection(LineCollection(segs, colors=WINDOW_COLORS[1], linewidths=1.6))
    else:  # overlapping windows: the first one and its neighbours to the right and below
        for (a, b), color in zip(((0, 0), (0, s), (s, 0)), WINDOW_COLORS[:3]):
            outline_cells(ax, a, b, k, k, color=color, linewidth=2.5)
    ax.set_xlim(-0.5, size - 0.5)
    ax.set_ylim(size - 0.5, -0.5)
    if lay.pool == "max":
        picked = np.nonzero((lay.counts > 0) & (lay.crop > 0))  # an all-zero window has nothing to keep
        ax.scatter(picked[1], picked[0], s=40 + 25 * np.minimum(lay.counts[picked] - 1, 6), facecolors="none",
                   edgecolors="#d62728", linewidths=2, zorder=6)


def _zoom_note(lay: PoolLayout) -> str:
    k, s = lay.kernel_size, lay.stride
    if lay.pool == "max":
        note = "red circles: the pixel each window keeps (its largest; all-black windows are all 0)"
        if s < k:
            note += "; windows overlap, so a pixel can be kept by several (bigger circle)"
    else:
        note = "average pooling keeps no single pixel: each output is the mean of its whole window"
    if s > k:
        note += f"; stride {s} > window {k}: some pixels are never looked at"
    return note


def draw_avg_pool(x, kernel_size: int = 2, stride: int | None = None) -> Figure:
    """Average pooling on a small 2-D ``x``: each window outlined in its colour, its mean in the output."""
    x = np.asarray(x, dtype=float)
    s = kernel_size if stride is None else stride
    out = pool2d(x, "average", kernel_size, s)
    fig, (ax_in, ax_out) = grid_row_figure([x.shape, out.shape], gap=1.6, top=1.0, bottom=1.0, min_width=8.5)
    norm = signed_norm(x, headroom=GRID_HEADROOM)
    draw_grid(ax_in, x, title=f"input {x.shape[0]}×{x.shape[1]}", norm=norm)
    draw_grid(ax_out, out, title=f"output {out.shape[0]}×{out.shape[1]}", ylabel=None, norm=norm)
    for idx, (i, j) in enumerate(np.ndindex(out.shape)):
        color = WINDOW_COLORS[idx % len(WINDOW_COLORS)]
        inset = 0.06 * (idx % 2)
        outline_cells(ax_in, i * s + inset, j * s + inset, kernel_size - 2 * inset, kernel_size - 2 * inset,
                      color=color, linewidth=3.5)
        outline_cells(ax_out, i, j, 1, 1, color=color, linewidth=3.5)
    fig.suptitle(f"average pooling {kernel_size}×{kernel_size}, stride {s}: each output is the mean of its window",
                 fontsize=TITLE_SIZE - 1, fontweight="bold", y=1 - 0.2 / fig.get_figheight())
    fig.text(0.5, 0.1 / fig.get_figheight(), "no learnable parameters; the depth (channels) stays the same",
             ha="center", va="bottom", fontsize=LABEL_SIZE)
    return fig
