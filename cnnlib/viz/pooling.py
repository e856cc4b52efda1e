"""Pooling drawn as SVG: windows and what each keeps, the gradient flowing back, and pooling a real edge map.

Every figure draws a result of :mod:`cnnlib.demos.pooling` and returns the
SVG document (a string): :func:`draw_pool_windows` a
:class:`~cnnlib.demos.pooling.PoolWindows` (a small hand-checkable grid,
each window outlined in its own colour *and* dash style, max pooling's pick
circled), :func:`draw_pool_backward` a :class:`~cnnlib.demos.pooling.PoolBackward`,
:func:`draw_pool_explorer` a :class:`~cnnlib.demos.pooling.PoolLayout`.

A window is a rectangle and a kept value a circle, so "window" and "kept"
differ by shape, not only by colour. The explorer's edge map (150×128
values: too many for one ``<rect>`` each) and its pooled map go in as small
PNGs, one pixel per value, scaled up with sharp pixels; its 12×12 zoom is
drawn cell by cell. Every figure keeps its size when the settings change.
"""
from __future__ import annotations

import textwrap
from functools import lru_cache

import numpy as np

from ..demos.formatting import format_value
from ..demos.pooling import PoolBackward, PoolLayout, PoolWindows
from .palette import OKABE_ITO
from .png import array_png
from .svg import MIN_FONT_PX, Svg, number_grid

#: One colour per window of the small grids (Okabe–Ito); the window's output cell is outlined in the same colour.
WINDOW_COLORS = tuple(OKABE_ITO[c] for c in ("blue", "orange", "reddish purple", "bluish green", "sky blue",
                                             "vermillion"))
#: ... and one dash pattern per window, shared by the window and its output cell (a second cue besides colour).
WINDOW_DASHES = (None, "10 5", "10 4 2 4", "3 4")
#: The explorer's zoom (gray photo): window outlines and the kept pixels (circles).
ZOOM_WINDOW_COLOR = OKABE_ITO["sky blue"]  # non-overlapping windows: all of them
ZOOM_EXAMPLE_COLORS = (OKABE_ITO["sky blue"], OKABE_ITO["yellow"], OKABE_ITO["reddish purple"])  # overlapping
ZOOM_EXAMPLE_DASHES = (None, "8 4", "2 3")  # the three example windows differ by dash pattern too
PICK_COLOR = OKABE_ITO["vermillion"]  # the pixel a window keeps: a red-orange circle (with a white rim)
ZOOM_BOX_COLOR = OKABE_ITO["bluish green"]  # where the zoom is, on the whole map
TITLE_PX, TEXT_PX = 20, MIN_FONT_PX
MARGIN = 8


def _fmt(v) -> str:
    """A grid number, short enough for its cell: ``3.5``, ``-0.25``, ``2`` (two decimals at most)."""
    text = format_value(v)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _circle(svg: Svg, cx, cy, r, stroke, width=3.0, halo: bool = False) -> None:
    """An unfilled circle (:class:`Svg` draws none); ``halo``: a white rim under it, visible on black and white."""
    if halo:
        svg.items.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="none" stroke="#ffffff" '
                         f'stroke-width="{width + 2.5:g}"/>')
    svg.items.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="none" stroke="{stroke}" '
                     f'stroke-width="{width:g}"/>')


def _mark_windows(svg: Svg, pw: PoolWindows, cell: float, *, windows=(), cells=(), circled=()) -> None:
    """Outline window ``(i, j)`` on the grids at ``windows`` and cell ``(i, j)`` on those at ``cells`` (origins).

    One colour and dash pattern per window; ``circled``: grids on which max
    pooling's pick of each window is circled. Outlines are inset, more for
    every other window when windows overlap, so each one stays visible.
    """
    k, overlap = pw.kernel_size, pw.stride < pw.kernel_size
    for idx, (i, j) in enumerate(np.ndindex(pw.out.shape)):
        color, dash = WINDOW_COLORS[idx % len(WINDOW_COLORS)], WINDOW_DASHES[idx % len(WINDOW_DASHES)]
        d = 3 + (6 * (idx % 2) if overlap else 0)
        top, left = pw.corners[i, j]
        for x0, y0 in windows:
            svg.rect(x0 + left * cell + d, y0 + top * cell + d, k * cell - 2 * d, k * cell - 2 * d, stroke=color,
                     stroke_width=4, dash=dash)
        for x0, y0 in cells:
            svg.rect(x0 + j * cell + 3, y0 + i * cell + 3, cell - 6, cell - 6, stroke=color, stroke_width=4, dash=dash)
        for x0, y0 in circled:
            _circle(svg, x0 + (pw.cols[i, j] + 0.5) * cell, y0 + (pw.rows[i, j] + 0.5) * cell, 0.34 * cell, color)


def _legend_row(svg: Svg, x: float, y: float, kept: bool, window_text: str) -> None:
    """The two shapes a reader must tell apart: a window (rectangle) and a kept value (circle)."""
    svg.rect(x, y - 10, 28, 20, stroke=WINDOW_COLORS[0], stroke_width=3)
    svg.text(x + 38, y, window_text, anchor="start")
    if kept:
        _circle(svg, x + 14, y + 28, 10, WINDOW_COLORS[0])
        svg.text(x + 38, y + 28, "circled: the value the window keeps (its largest)", anchor="start")


def draw_pool_windows(pw: PoolWindows) -> str:
    """The input with every window outlined (max pooling: its maximum circled) and the output, as SVG.

    The size depends on the input's shape only: every window size, stride and pooling type fits the same box.
    """
    x, out = pw.x, pw.out
    H, W = x.shape
    cell = min(56.0, (800 - 2 * MARGIN - 72) / (2 * W))
    top = 100
    width = max(2 * MARGIN + 2 * W * cell + 72, 600)
    height = top + H * cell + 110
    is_max = pw.pool == "max"
    k, s = pw.kernel_size, pw.stride
    svg = Svg(width, height, title=f"{pw.pool} pooling {k}×{k}, stride {s}")
    svg.text(MARGIN, 18, f"{pw.pool} pooling {k}×{k}, stride {s}", size=TITLE_PX, anchor="start", weight="bold")
    kept = "the largest value (circled)" if is_max else "the mean"
    svg.text(MARGIN, 46, f"each output is {kept} of its window", anchor="start")
    out_x = MARGIN + W * cell + 72
    svg.text(MARGIN, top - 20, f"input {H}×{W}", anchor="start")
    svg.text(out_x, top - 20, f"output {out.shape[0]}×{out.shape[1]}", anchor="start")
    number_grid(svg, x, MARGIN, top, cell, fmt=_fmt)
    number_grid(svg, out, out_x, top, cell, fill="#F2F2F2", fmt=_fmt)
    svg.line(MARGIN + W * cell + 12, top + H * cell / 2, out_x - 12, top + H * cell / 2, arrow=True)
    _mark_windows(svg, pw, cell, windows=[(MARGIN, top)], cells=[(out_x, top)],
                  circled=[(MARGIN, top)] if is_max else [])
    y = top + H * cell + 26
    _legend_row(svg, MARGIN, y, is_max, "a window and its output: one colour and dash each")
    svg.text(MARGIN, height - 16, "no learnable parameters; the depth (channels) stays the same", anchor="start")
    return svg.to_string()


def draw_pool_backward(pb: PoolBackward) -> str:
    """``x`` with its windows and maxima (circled), ``dout``, and ``dx`` for max and for average pooling, as SVG."""
    pw = pb.windows
    H, W = pw.x.shape
    Wo = pb.dout.shape[1]
    gap = 28
    cell = min(52.0, (800 - 2 * MARGIN - 3 * gap) / (3 * W + Wo))
    top = 112
    xs = [MARGIN, MARGIN + W * cell + gap]
    xs += [xs[1] + Wo * cell + gap, xs[1] + Wo * cell + gap + W * cell + gap]
    width = xs[3] + W * cell + MARGIN
    height = top + H * cell + 92
    k, s = pw.kernel_size, pw.stride
    svg = Svg(width, height, title=f"pooling backward, {k}×{k} windows, stride {s}")
    svg.text(MARGIN, 18, f"pooling backward ({k}×{k} windows, stride {s})", size=TITLE_PX, anchor="start",
             weight="bold")
    svg.text(MARGIN, 46, "each window sends its gradient back to the elements it used", anchor="start")
    grids = ((pw.x, "x (forward)"), (pb.dout, "dout"), (pb.dx_max, "dx, max"), (pb.dx_avg, "dx, average"))
    for x0, (values, name) in zip(xs, grids):
        svg.text(x0, top - 20, name, anchor="start")
        number_grid(svg, values, x0, top, cell, fill="#F2F2F2" if name == "dout" else "#FFFFFF", fmt=_fmt)
    _mark_windows(svg, pw, cell, windows=[(xs[0], top), (xs[2], top), (xs[3], top)], cells=[(xs[1], top)],
                  circled=[(xs[0], top), (xs[2], top)])
    y = top + H * cell + 24
    svg.text(MARGIN, y, "dx, max: all of dout to the circled max, 0 elsewhere", anchor="start")
    svg.text(MARGIN, y + 26, f"dx, average: dout / {k * k} to every element of the window", anchor="start")
    svg.text(MARGIN, y + 52, "a window and its dout: one colour and dash each", anchor="start")
    return svg.to_string()


# The explorer, CSS px: one row of four panels, ≤ 800 px wide, the same size for every setting.
MAP_BOX = (150, 176)  # (width, height) the whole map and the pooled map are fitted into
ZOOM_BOX = 204  # the zoom (12 cells of 17 px) and its outputs
PANEL_TOP = 118
EXPLORER_X = (MARGIN, MARGIN + 150 + 14, MARGIN + 2 * 150 + 14 + 24, MARGIN + 2 * 150 + 14 + 24 + ZOOM_BOX + 16)
EXPLORER_W = EXPLORER_X[3] + ZOOM_BOX + MARGIN
BAR_TOP = PANEL_TOP + ZOOM_BOX + 12
NOTE_TOP, NOTE_ROWS, NOTE_WRAP = BAR_TOP + 78, 3, 76
EXPLORER_H = NOTE_TOP + NOTE_ROWS * 24 + 4


@lru_cache(maxsize=8)
def _map_png(values: bytes, shape: tuple, vmax: float) -> bytes:
    """The edge map as a gray PNG: the same for every setting, so encoded once."""
    return array_png(np.frombuffer(values, dtype=np.float32).reshape(shape), "gray", 0.0, vmax)


def _gray(v: float, vmax: float) -> str:
    """The gray of ``v`` on ``0 … vmax`` (matplotlib's "gray": linear from black to white)."""
    level = int(round(255 * min(max(v / vmax, 0.0), 1.0))) if vmax > 0 else 0
    return f"#{level:02x}{level:02x}{level:02x}"


def _gray_bar(svg: Svg, x: float, w: float, vmax: float, label: str) -> None:
    """A horizontal gray colour bar from 0 to ``vmax``, its limits below the ends and ``label`` between them."""
    svg.image(x, BAR_TOP, w, 14, array_png(np.linspace(0.0, vmax, 128)[None, :], "gray", 0.0, vmax or 1.0),
              pixelated=False)
    svg.rect(x, BAR_TOP, w, 14, stroke="#333333")
    svg.text(x, BAR_TOP + 30, "0", anchor="start")
    svg.text(x + w, BAR_TOP + 30, f"{vmax:.2g}", anchor="end")
    svg.text(x + w / 2, BAR_TOP + 30, label)


def draw_pool_explorer(layout: PoolLayout) -> str:
    """The feature map and its pooled version (whole), and the zoomed region with its windows and picks, as SVG.

    :data:`EXPLORER_W` × :data:`EXPLORER_H` px for every setting; text ≥ 18 px.
    """
    lay = layout
    H, W = lay.fmap.shape
    top, left, size = lay.zoom
    x_map, x_pool, x_zoom, x_out = EXPLORER_X
    svg = Svg(EXPLORER_W, EXPLORER_H, title=f"{lay.pool} pooling, window {lay.kernel_size}, stride {lay.stride}")
    svg.text(MARGIN, 18, f"{lay.pool} pooling, window {lay.kernel_size}×{lay.kernel_size}, stride {lay.stride}",
             size=TITLE_PX, anchor="start", weight="bold")
    svg.text(MARGIN, 46, lay.formula.replace(",   ", ",  "), anchor="start")

    # the whole map and the pooled map: photos, as PNGs at the same displayed size
    vmax = float(lay.fmap.max()) or 1.0
    scale = min(MAP_BOX[0] / W, MAP_BOX[1] / H)
    w, h = W * scale, H * scale
    Hp, Wp = lay.pooled.shape
    titles = (("edge map", f"{H}×{W}"), (f"{lay.pool} pooled", f"{Hp}×{Wp}"),
              (f"zoom {size}×{size}", "(the box at left)"), (f"its {lay.crop_pooled.shape[0]}×{lay.crop_pooled.shape[1]}",
                                                       "outputs"))
    for x0, (line1, line2) in zip(EXPLORER_X, titles):
        svg.text(x0, PANEL_TOP - 38, line1, anchor="start")
        svg.text(x0, PANEL_TOP - 16, line2, anchor="start")
    svg.image(x_map, PANEL_TOP, w, h, _map_png(lay.fmap.tobytes(), lay.fmap.shape, vmax))
    zoom_box = (x_map + left * scale, PANEL_TOP + top * scale, size * scale, size * scale)
    svg.rect(*zoom_box, stroke="white", stroke_width=6)  # a white rim: the box stands out on a dark map
    svg.rect(*zoom_box, stroke=ZOOM_BOX_COLOR, stroke_width=3)
    svg.image(x_pool, PANEL_TOP, w, h, array_png(lay.pooled, "gray", 0.0, vmax))
    _gray_bar(svg, x_map, x_pool + MAP_BOX[0] - x_map, vmax, "edge strength")

    # the zoom, cell by cell (brightened: its own largest value is white), with its windows and picks
    zmax = float(lay.crop.max()) or 1.0
    cell = ZOOM_BOX / size
    for (r, c), v in np.ndenumerate(lay.crop):
        svg.rect(x_zoom + c * cell, PANEL_TOP + r * cell, cell, cell, fill=_gray(v, zmax))
    n = lay.crop_pooled.shape[0]
    out_cell = ZOOM_BOX / n
    for (r, c), v in np.ndenumerate(lay.crop_pooled):
        svg.rect(x_out + c * out_cell, PANEL_TOP + r * out_cell, out_cell, out_cell, fill=_gray(v, zmax),
                 stroke="#777777")
    _draw_zoom_windows(svg, lay, x_zoom, cell)
    _gray_bar(svg, x_zoom, x_out + ZOOM_BOX - x_zoom, zmax, "edge strength, zoom brightened")

    # what the marks mean: shapes as well as colours
    k, s = lay.kernel_size, lay.stride
    y = NOTE_TOP - 16
    if s >= k:
        svg.rect(MARGIN, y - 10, 28, 20, stroke=ZOOM_WINDOW_COLOR, stroke_width=3)
        svg.text(MARGIN + 38, y, "the windows", anchor="start")
    else:
        for i, (color, dash) in enumerate(zip(ZOOM_EXAMPLE_COLORS, ZOOM_EXAMPLE_DASHES)):
            svg.rect(MARGIN + 4 + 10 * i, y - 10 + 3 * i, 22, 16, stroke=color, stroke_width=3, dash=dash)
        svg.text(MARGIN + 64, y, "3 example windows", anchor="start")
    if lay.pool == "max":
        _circle(svg, 300, y, 9, PICK_COLOR, 2.5)
        svg.text(318, y, "the pixel each window keeps", anchor="start")
    for r, line in enumerate(textwrap.wrap(_zoom_note(lay), NOTE_WRAP)[:NOTE_ROWS]):
        svg.text(MARGIN, NOTE_TOP + 12 + 24 * r, line, anchor="start")
    return svg.to_string()


def _draw_zoom_windows(svg: Svg, lay: PoolLayout, x0: float, cell: float) -> None:
    """Outline the zoom's windows (all when they do not overlap, three examples when they do) and circle picks."""
    k, s = lay.kernel_size, lay.stride
    if s >= k:
        for a in lay.starts:
            for b in lay.starts:
                svg.rect(x0 + b * cell, PANEL_TOP + a * cell, k * cell, k * cell, stroke=ZOOM_WINDOW_COLOR,
                         stroke_width=2)
    else:  # overlapping windows: the first one and its neighbours to the right and below
        for (a, b), color, dash in zip(((0, 0), (0, s), (s, 0)), ZOOM_EXAMPLE_COLORS, ZOOM_EXAMPLE_DASHES):
            svg.rect(x0 + b * cell + 1.5, PANEL_TOP + a * cell + 1.5, k * cell - 3, k * cell - 3, stroke=color,
                     stroke_width=3, dash=dash)
    if lay.pool == "max":
        picked = zip(*np.nonzero((lay.counts > 0) & (lay.crop > 0)))  # an all-zero window has nothing to keep
        for r, c in picked:
            radius = 0.3 * cell + 2.5 * min(int(lay.counts[r, c]) - 1, 4)  # kept by several windows: bigger
            _circle(svg, x0 + (c + 0.5) * cell, PANEL_TOP + (r + 0.5) * cell, radius, PICK_COLOR, 2.5, halo=True)


def _zoom_note(lay: PoolLayout) -> str:
    k, s = lay.kernel_size, lay.stride
    if lay.pool == "max":
        note = "Max pooling keeps each window's largest pixel (an all-black window is all 0: nothing circled)."
        if s < k:
            note += " Windows overlap, so a pixel can be kept by several (bigger circle)."
    else:
        note = "Average pooling keeps no single pixel: each output is the mean of its whole window."
    if s > k:
        note += f" Stride {s} > window {k}: some pixels are never looked at."
    return note
