"""Robustness to small shifts drawn as SVG: edge maps of the photo and of the shifted photo, before and after pooling.

:func:`draw_shift_comparison` draws a :class:`~cnnlib.demos.translation.ShiftComparison`
(from :func:`~cnnlib.demos.translation.compare_shift`) in two rows: the edge
maps of the photo and of the shifted photo, then the same two maps after max
pooling. Each row shows both maps whole (one pixel per value: a one-pixel
edge never disappears) and a zoom of the same region (green box) of both,
where the shift can be seen. The pooling windows are drawn as a grid on the
zoom of the edge maps, and the same grid on the zoom of the pooled maps is
one cell per window, right below the window it came from. On the right, the
similarity for every shift (the lesson's table), the current shift outlined.

The maps go in as small PNGs, one pixel per value, scaled up with sharp
pixels; they are encoded once per map and kept (:func:`map_png`), so moving
the slider only writes text. The figure is :data:`SHIFT_SIZE` for every
shift and window; text is 18 px and more.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..demos.translation import MAX_SHIFT, ShiftComparison
from .palette import OKABE_ITO
from .png import array_png
from .svg import MIN_FONT_PX, Svg, colorbar

TITLE_PX, TEXT_PX = 20, MIN_FONT_PX
MARGIN = 8
SHIFT_SIZE = (800, 472)  # (width, height) in CSS px, the same for every setting; fits a cell at 1024×768
MAP_W, MAP_H = 128, 150  # the whole maps' box: the 150×128 edge map at one pixel per value
ZOOM = (84, 36, 24)  # (top, left, size) of the zoomed region of the edge map: multiples of 12, so the
ZOOM_PX = 144  # 2×2, 3×3 and 4×4 windows line up with it; 144 px: 6 px per value, 6·k px per pooled value
COLUMNS = (MARGIN, 146, 290, 442)  # x of: the photo's map, the shifted photo's, the zoom of each
ROW_TOPS = (92, 278)  # y of the maps: edge maps, pooled maps
TABLE_X, TABLE_TOP, TABLE_ROW = 604, 92, 26  # the similarity table: one row per shift
TABLE_COLS = (44, 72, 72)  # widths of its columns: shift, edge maps, pooled maps
BAR_TOP, BAR_H = 300, 128  # the colour bar of the maps, below the table
LEGEND_Y = 452

ZOOM_COLOR = OKABE_ITO["bluish green"]  # the zoomed region: a box on the whole maps, a frame round each zoom
WINDOW_COLOR = OKABE_ITO["sky blue"]  # the grid of pooling windows on the zooms
EDGE_BAR, POOLED_BAR = "#DDDDDD", "#C6E3F6"  # the table's value bars (the column header says which is which)
CURRENT_EDGE = "#000000"  # the current shift's row: a thick black outline and bold numbers


@lru_cache(maxsize=64)
def _encoded(values: bytes, dtype: str, shape: tuple, vmax: float) -> bytes:
    return array_png(np.frombuffer(values, dtype=dtype).reshape(shape), "gray", 0.0, vmax)


def map_png(values, vmax: float) -> bytes:
    """PNG bytes of the 2-D map ``values`` in gray on ``0 … vmax``, one pixel per value.

    Kept by value: the 150×128 maps of the photo and of each shift are encoded once, however often they are drawn.
    """
    values = np.ascontiguousarray(values)
    return _encoded(values.tobytes(), values.dtype.str, values.shape, float(vmax))


def zoom_of(values, kernel_size: int = 1) -> np.ndarray:
    """The zoomed region :data:`ZOOM` of an edge map (``kernel_size=1``) or of its ``kernel_size`` pooled map.

    >>> zoom_of(np.arange(150 * 128).reshape(150, 128), 4).shape
    (6, 6)
    """
    top, left, size = (v // kernel_size for v in ZOOM)
    return np.asarray(values)[top:top + size, left:left + size]


def _row_header(svg: Svg, y: float, left: str, right: str) -> None:
    svg.text(MARGIN, y, left, size=TEXT_PX, anchor="start", weight="bold")
    svg.text(COLUMNS[3] + ZOOM_PX, y, right, size=TEXT_PX, anchor="end")


def _window_grid(svg: Svg, x0: float, y0: float, step: float) -> None:
    """Lines every ``step`` px across a zoom: the pooling windows (on a pooled zoom: its cells)."""
    for i in range(1, int(round(ZOOM_PX / step))):
        svg.line(x0 + i * step, y0, x0 + i * step, y0 + ZOOM_PX, stroke=WINDOW_COLOR, stroke_width=1.5)
        svg.line(x0, y0 + i * step, x0 + ZOOM_PX, y0 + i * step, stroke=WINDOW_COLOR, stroke_width=1.5)


def _maps_row(svg: Svg, c: ShiftComparison, top: float, maps, scale: int, vmax: float) -> None:
    """One row: the photo's and the shifted photo's map whole (``scale`` px per value) and zoomed, with the grid."""
    z_top, z_left, z_size = ZOOM
    names = ("photo", "shifted")
    stage = "edge map" if scale == 1 else "pooled map"
    for x0, name, m in zip(COLUMNS[:2], names, maps):
        with svg.group(f"{stage} {name}"):
            svg.image(x0, top, m.shape[1] * scale, m.shape[0] * scale, map_png(m, vmax))
        svg.rect(x0 + z_left, top + z_top, z_size, z_size, stroke=ZOOM_COLOR, stroke_width=2)
    for x0, name, m in zip(COLUMNS[2:], names, maps):
        with svg.group(f"{stage} zoom {name}"):
            svg.image(x0, top, ZOOM_PX, ZOOM_PX, map_png(zoom_of(m, scale), vmax))
        _window_grid(svg, x0, top, ZOOM_PX / z_size * c.kernel_size)
        svg.rect(x0, top, ZOOM_PX, ZOOM_PX, stroke=ZOOM_COLOR, stroke_width=3)


def _table(svg: Svg, c: ShiftComparison) -> None:
    """Similarity to the unshifted maps for every shift: a number and a bar as long as it; the current row outlined."""
    x_shift, x_edge, x_pool = TABLE_X, TABLE_X + TABLE_COLS[0], TABLE_X + sum(TABLE_COLS[:2])
    svg.text(TABLE_X, 52, "similarity", size=TEXT_PX, anchor="start")
    for x, w, head in zip((x_shift, x_edge, x_pool), TABLE_COLS, ("shift", "edges", "pooled")):
        svg.text(x + w / 2, 78, head, size=TEXT_PX)
    with svg.group("similarity table"):
        for s, before, after in zip(c.shifts, c.curve_before, c.curve_after):
            y = TABLE_TOP + s * TABLE_ROW
            weight = "bold" if s == c.shift else "normal"
            svg.text(x_shift + TABLE_COLS[0] / 2, y + TABLE_ROW / 2, str(s), size=TEXT_PX, weight=weight)
            cells = ((x_edge, TABLE_COLS[1], before, EDGE_BAR), (x_pool, TABLE_COLS[2], after, POOLED_BAR))
            for x, w, value, fill in cells:
                svg.rect(x + 2, y + 2, max(value, 0.0) * (w - 4), TABLE_ROW - 4, fill=fill)
                svg.text(x + w / 2, y + TABLE_ROW / 2, f"{value:.2f}", size=TEXT_PX, weight=weight)
    svg.rect(TABLE_X, TABLE_TOP, sum(TABLE_COLS), (MAX_SHIFT + 1) * TABLE_ROW, stroke="#888888")
    svg.rect(TABLE_X, TABLE_TOP + c.shift * TABLE_ROW, sum(TABLE_COLS), TABLE_ROW, stroke=CURRENT_EDGE,
             stroke_width=3)


def draw_shift_comparison(c: ShiftComparison) -> str:
    """The photo's and the shifted photo's edge maps, before and after max pooling, and the similarities, as SVG.

    :data:`SHIFT_SIZE` px for every shift and window size; every text ≥ 18 px.
    """
    k, s = c.kernel_size, c.shift
    width, height = SHIFT_SIZE
    svg = Svg(width, height, title=f"shift {s} px, {k}×{k} max pooling")
    svg.text(MARGIN, 18, f"shift {s} px: similarity {c.before:.2f} before pooling, {c.after:.2f} after {k}×{k} "
             "pooling", size=TITLE_PX, anchor="start", weight="bold")
    for x0, title in zip(COLUMNS, ("photo", f"shifted {s} px", "zoom: photo", "zoom: shifted")):
        svg.text(x0, 52, title, size=TEXT_PX, anchor="start")
    vmax = float(c.fmap.max()) or 1.0  # max pooling keeps the largest value: one scale for all four maps
    H, W = c.fmap.shape
    Hp, Wp = c.pooled.shape
    _row_header(svg, ROW_TOPS[0] - 14, f"edge maps {H}×{W}", f"similarity {c.before:.2f}")
    _maps_row(svg, c, ROW_TOPS[0], (c.fmap, c.fmap_shifted), 1, vmax)
    _row_header(svg, ROW_TOPS[1] - 14, f"after {k}×{k} max pooling: {Hp}×{Wp}", f"similarity {c.after:.2f}")
    _maps_row(svg, c, ROW_TOPS[1], (c.pooled, c.pooled_shifted), k, vmax)
    _table(svg, c)
    colorbar(svg, TABLE_X, BAR_TOP, BAR_H, "gray", 0.0, vmax)
    svg.text(TABLE_X + 64, BAR_TOP + BAR_H / 2 - 12, "edge", size=TEXT_PX, anchor="start")
    svg.text(TABLE_X + 64, BAR_TOP + BAR_H / 2 + 12, "strength", size=TEXT_PX, anchor="start")
    # what the marks mean: a box and a grid, not only a colour
    svg.rect(MARGIN, LEGEND_Y - 10, 28, 20, stroke=ZOOM_COLOR, stroke_width=3)
    svg.text(MARGIN + 38, LEGEND_Y, "the zoomed region", size=TEXT_PX, anchor="start")
    x = 236
    svg.rect(x, LEGEND_Y - 10, 28, 20, fill="#333333")
    svg.line(x + 14, LEGEND_Y - 10, x + 14, LEGEND_Y + 10, stroke=WINDOW_COLOR, stroke_width=1.5)
    svg.line(x, LEGEND_Y, x + 28, LEGEND_Y, stroke=WINDOW_COLOR, stroke_width=1.5)
    svg.text(x + 38, LEGEND_Y, f"{k}×{k} pooling windows: one pooled value each", size=TEXT_PX, anchor="start")
    return svg.to_string()
