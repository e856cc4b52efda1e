"""Pooling drawn: windows and what each keeps, the gradient flowing back, and pooling a real edge map.

Every figure draws a result of :mod:`cnnlib.demos.pooling`:
:func:`draw_pool_windows` a :class:`~cnnlib.demos.pooling.PoolWindows` (a small
hand-checkable grid, each window outlined in its own colour, max pooling's
picks circled), :func:`draw_pool_backward` a
:class:`~cnnlib.demos.pooling.PoolBackward`, :func:`draw_pool_explorer` a
:class:`~cnnlib.demos.pooling.PoolLayout` (the whole map, the pooled map and a zoom).
"""
from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from ..demos.pooling import PoolBackward, PoolLayout, PoolWindows
from .grids import draw_grid, outline_cells
from .palette import OKABE_ITO
from .style import (GRID_HEADROOM, HIGHLIGHT, IMAGE_CMAP, LABEL_SIZE, TITLE_SIZE, axes_at, grid_row_figure,
                    reuse_figure, set_labels, set_title, signed_norm)

#: One colour per window of the small grids (Okabe–Ito); the window's output cell is outlined in the same colour.
WINDOW_COLORS = tuple(OKABE_ITO[c] for c in ("blue", "orange", "reddish purple", "bluish green", "sky blue",
                                             "vermillion"))
#: ... and one outline style per window, shared by the window and its output cell (a second cue besides colour).
WINDOW_STYLES = ("-", "--", "-.", ":")
#: The explorer's zoom (gray photo): window outlines (light, lines) and the kept pixels (circles).
ZOOM_WINDOW_COLOR = OKABE_ITO["sky blue"]  # non-overlapping windows: one grid of lines
ZOOM_EXAMPLE_COLORS = (OKABE_ITO["sky blue"], OKABE_ITO["yellow"], OKABE_ITO["reddish purple"])  # overlapping
ZOOM_EXAMPLE_STYLES = ("-", "--", ":")  # the three example windows differ by line style too
PICK_COLOR = OKABE_ITO["vermillion"]  # the pixel a window keeps: a red-orange circle
EXPLORER_TEXT = 14  # the explorer's titles and notes (points): readable when projected
_NO_LABELS = {"xlabel": None, "ylabel": None}


def _outline_windows(pw: PoolWindows, window_axes, cell_axes, *, circled=(), inset: bool = True,
                     linewidth: float = 3.5) -> None:
    """Outline window ``(i, j)`` on every ``window_axes`` and cell ``(i, j)`` on every ``cell_axes``, one colour and style each.

    ``circled``: the axes on which max pooling's pick of each window is circled.
    ``inset``: draw every other window slightly smaller, so overlapping windows stay distinguishable.
    """
    k = pw.kernel_size
    for idx, (i, j) in enumerate(np.ndindex(pw.out.shape)):
        color = WINDOW_COLORS[idx % len(WINDOW_COLORS)]
        style = WINDOW_STYLES[idx % len(WINDOW_STYLES)]
        d = 0.06 * (idx % 2) if inset else 0.0
        top, left = pw.corners[i, j]
        for ax in window_axes:
            outline_cells(ax, top + d, left + d, k - 2 * d, k - 2 * d, color=color, linewidth=linewidth,
                          linestyle=style)
        for ax in cell_axes:
            outline_cells(ax, i, j, 1, 1, color=color, linewidth=linewidth, linestyle=style)
        for ax in circled:
            ax.add_patch(Circle((pw.cols[i, j], pw.rows[i, j]), 0.36, fill=False, edgecolor=color, linewidth=2.5,
                                zorder=6))


def _suptitle(fig: Figure, text: str, size: float = TITLE_SIZE - 1) -> None:
    fig.suptitle(text, fontsize=size, fontweight="bold", y=1 - 0.2 / fig.get_figheight())


def draw_pool_windows(pw: PoolWindows) -> Figure:
    """The input with every window outlined in its colour (max pooling: its maximum circled) and the output."""
    x, out = pw.x, pw.out
    fig, (ax_in, ax_out) = grid_row_figure([x.shape, out.shape], gap=1.6, top=1.0, bottom=1.0, min_width=8.5)
    norm = signed_norm(x, headroom=GRID_HEADROOM)  # same colours for the same values in both grids
    draw_grid(ax_in, x, title=f"input {x.shape[0]}×{x.shape[1]}", norm=norm)
    draw_grid(ax_out, out, title=f"output {out.shape[0]}×{out.shape[1]}", ylabel=None, norm=norm)
    is_max = pw.pool == "max"
    _outline_windows(pw, [ax_in], [ax_out], circled=[ax_in] if is_max else [])
    k, s = pw.kernel_size, pw.stride
    kept = "the largest value (circled)" if is_max else "the mean"
    _suptitle(fig, f"{pw.pool} pooling {k}×{k}, stride {s}: each output is {kept} of its window")
    fig.text(0.5, 0.1 / fig.get_figheight(), "no learnable parameters; the depth (channels) stays the same",
             ha="center", va="bottom", fontsize=LABEL_SIZE)
    return fig


def draw_pool_backward(pb: PoolBackward) -> Figure:
    """``x`` with its windows and maxima (circled), ``dout``, and ``dx`` for max and for average pooling."""
    pw = pb.windows
    fig, (ax_x, ax_d, ax_max, ax_avg) = grid_row_figure([pw.x.shape, pb.dout.shape, pw.x.shape, pw.x.shape],
                                                        gap=1.0, top=1.1, bottom=1.0, min_width=12)
    draw_grid(ax_x, pw.x, title="x (forward input)", **_NO_LABELS)
    draw_grid(ax_d, pb.dout, title="dout", **_NO_LABELS)
    draw_grid(ax_max, pb.dx_max, title="dx, max pooling", **_NO_LABELS)
    draw_grid(ax_avg, pb.dx_avg, title="dx, average pooling", **_NO_LABELS)
    k, s = pw.kernel_size, pw.stride
    _outline_windows(pw, [ax_x, ax_max, ax_avg], [ax_d], circled=[ax_x, ax_max], inset=s < k, linewidth=3)
    set_labels(ax_max, "all of dout to the max, 0 elsewhere", None, fontsize=LABEL_SIZE)
    set_labels(ax_avg, f"dout / {k * k} to every element", None, fontsize=LABEL_SIZE)
    _suptitle(fig, f"pooling backward ({k}×{k} windows, stride {s}): each window sends its gradient back to the "
                   "elements it used", size=TITLE_SIZE)
    return fig


def draw_pool_explorer(layout: PoolLayout, *, figure: Figure | None = None) -> Figure:
    """The feature map and its pooled version (whole), and the zoomed region with its windows and picks.

    About 10 inches wide (shown unscaled in a notebook at 1024 px) with
    14-point text, and the same size for every setting.
    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    lay = layout
    H, W = lay.fmap.shape
    top, left, size = lay.zoom
    img_h = 2.3
    img_w = img_h * W / H
    widths = [img_w, img_w, img_h, img_h]
    gaps = [0.25, 0.55, 0.45]
    left_m, bottom, head = 0.2, 1.55, 1.45  # inches: colour bars and note lines below, titles above
    fig_h = bottom + img_h + head
    fig_w = 2 * left_m + sum(widths) + sum(gaps)
    fig = reuse_figure(figure, fig_w, fig_h)
    style = {"cmap": IMAGE_CMAP, "vmin": 0.0, "vmax": float(lay.fmap.max()) or 1.0, "interpolation": "nearest"}
    x, axes = left_m, []
    for w, gap in zip(widths, gaps + [0]):
        axes.append(axes_at(fig, len(axes), (x / fig_w, bottom / fig_h, w / fig_w, img_h / fig_h)))
        x += w + gap
    ax_map, ax_pool, ax_zoom, ax_out = axes
    ax_map.imshow(lay.fmap, **style)
    ax_map.add_patch(Rectangle((left - 0.5, top - 0.5), size, size, fill=False, edgecolor=HIGHLIGHT, linewidth=2.5))
    set_title(ax_map, f"edge map\n{H}×{W}", fontsize=EXPLORER_TEXT)
    ax_pool.imshow(lay.pooled, **style)
    set_title(ax_pool, f"{lay.pool} pooled\n{lay.pooled.shape[0]}×{lay.pooled.shape[1]}", fontsize=EXPLORER_TEXT)
    for ax in (ax_map, ax_pool):
        ax.set_axis_off()
    zoom_style = {**style, "vmax": float(lay.crop.max()) or 1.0}  # brightened: its own largest value is white
    ax_zoom.imshow(lay.crop, **zoom_style)
    _draw_zoom_windows(ax_zoom, lay)
    set_title(ax_zoom, f"zoom {size}×{size}\n(green box)", fontsize=EXPLORER_TEXT)
    ax_out.imshow(lay.crop_pooled, **zoom_style)
    n = lay.crop_pooled.shape[0]
    set_title(ax_out, f"its {n}×{n}\noutputs", fontsize=EXPLORER_TEXT)
    for ax in (ax_zoom, ax_out):
        ax.set_xticks([])
        ax.set_yticks([])
    bar_y, bar_h = bottom - 0.3, 0.13  # inches: the colour bars, just under the images
    _gray_bar(axes_at(fig, 4, (left_m / fig_w, bar_y / fig_h, (2 * img_w + gaps[0]) / fig_w, bar_h / fig_h)),
              style["vmax"], "edge strength")
    zoom_x = left_m + 2 * img_w + gaps[0] + gaps[1]
    _gray_bar(axes_at(fig, 5, (zoom_x / fig_w, bar_y / fig_h, (2 * img_h + gaps[2]) / fig_w, bar_h / fig_h)),
              zoom_style["vmax"], "edge strength (zoom brightened)")
    fig.suptitle(f"{lay.pool} pooling, window {lay.kernel_size}×{lay.kernel_size}, stride {lay.stride}",
                 fontsize=EXPLORER_TEXT + 1, fontweight="bold", y=1 - 0.08 / fig_h, va="top")
    fig.text(0.5, 1 - 0.42 / fig_h, lay.formula, ha="center", va="top", fontsize=EXPLORER_TEXT)
    fig.text(0.5, 0.8 / fig_h, textwrap.fill(_zoom_note(lay), 92), ha="center", va="top", fontsize=EXPLORER_TEXT,
             linespacing=1.15)
    return fig


_RAMP = np.linspace(0.0, 1.0, 128)[None, :]  # (1, 128): a colour bar drawn as one small image


def _gray_bar(ax, vmax: float, label: str) -> None:
    """A horizontal gray colour bar from 0 to ``vmax`` (an image and two tick labels: cheap to redraw)."""
    ax.imshow(_RAMP, cmap=IMAGE_CMAP, aspect="auto", extent=(0.0, vmax, 0.0, 1.0))
    ax.set_yticks([])
    ax.set_xticks([0.0, vmax], ["0", f"{vmax:.2g}"])
    ax.tick_params(labelsize=EXPLORER_TEXT - 1, length=3, pad=2)
    ax.text(0.5, -0.35, label, transform=ax.transAxes, ha="center", va="top", fontsize=EXPLORER_TEXT - 1)


def _draw_zoom_windows(ax, lay: PoolLayout) -> None:
    """Outline the zoom's windows (all when they do not overlap, three examples when they do) and mark picks."""
    k, s, size = lay.kernel_size, lay.stride, lay.crop.shape[0]
    if s >= k:
        segs = []
        for a in lay.starts:
            for b in lay.starts:
                x0, y0 = b - 0.5, a - 0.5
                segs += [[(x0, y0), (x0 + k, y0)], [(x0 + k, y0), (x0 + k, y0 + k)], [(x0 + k, y0 + k), (x0, y0 + k)],
                         [(x0, y0 + k), (x0, y0)]]
        ax.add_collection(LineCollection(segs, colors=ZOOM_WINDOW_COLOR, linewidths=1.6))
    else:  # overlapping windows: the first one and its neighbours to the right and below
        for (a, b), color, style in zip(((0, 0), (0, s), (s, 0)), ZOOM_EXAMPLE_COLORS, ZOOM_EXAMPLE_STYLES):
            outline_cells(ax, a, b, k, k, color=color, linewidth=2.5, linestyle=style)
    ax.set_xlim(-0.5, size - 0.5)
    ax.set_ylim(size - 0.5, -0.5)
    if lay.pool == "max":
        picked = np.nonzero((lay.counts > 0) & (lay.crop > 0))  # an all-zero window has nothing to keep
        ax.scatter(picked[1], picked[0], s=40 + 25 * np.minimum(lay.counts[picked] - 1, 6), facecolors="none",
                   edgecolors=PICK_COLOR, linewidths=2.2, zorder=6)


def _zoom_note(lay: PoolLayout) -> str:
    k, s = lay.kernel_size, lay.stride
    lines = "light-blue lines: the windows" if s >= k else "three example windows (solid, dashed, dotted)"
    if lay.pool == "max":
        note = f"{lines}; red-orange circles: the pixel each window keeps (its largest; all-black windows are all 0)"
        if s < k:
            note += "; windows overlap, so a pixel can be kept by several (bigger circle)"
    else:
        note = f"{lines}; average pooling keeps no single pixel: each output is the mean of its whole window"
    if s > k:
        note += f"; stride {s} > window {k}: some pixels are never looked at"
    return note
