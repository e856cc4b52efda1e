"""Lesson 03's filter figure as SVG: the photo, the 3×3 kernel with its numbers, the feature map, two colour bars.

The photo and the feature map go in as small PNGs (one pixel per value,
:func:`~cnnlib.viz.png.array_png`) that the browser scales up with sharp
pixels; the kernel is a number grid, titles and tick labels are SVG text of
at least 18 px. The figure is :data:`FIGURE_W` × :data:`FIGURE_H` px for
every setting (it fits a notebook cell at 1024×768 without being scaled
down), and the photo and the map share one pixel scale, so the map shrinks
with the stride; at a stride above 1 a note under the map says it is drawn
to the photo's scale (so a small map does not look broken). The colour scale (fixed or stretched) is chosen by
:func:`cnnlib.viz.filters.map_style`; the map's colour bar and its title
give its limits, and a triangle at an end of the bar (and a note under it)
says that values beyond it are clipped.

>>> import numpy as np
>>> svg = draw_filter_result(np.zeros((8, 6)), np.eye(3), np.zeros((6, 4)), kernel_name="diagonal")
>>> svg.count("<image"), "weights sum to 3" in svg
(4, True)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex

from ..demos.formatting import format_value
from .filters import bar_extend, clipped_text, map_style
from .png import array_png
from .style import GRID_HEADROOM, IMAGE_CMAP, SIGNED_CMAP, signed_norm
from .svg import Svg, colorbar, number_grid

MARGIN = 8
BOX_W, BOX_H = 196, 232  # px: the photo and the largest feature map (padding 3) fit a box this size
MAX_GROWTH = 4  # a 3×3 kernel with padding up to 3 makes the map at most 4 pixels bigger than the photo
BAR_W, BAR_GAP = 16, 8  # colour bar width, gap between a picture's box and its bar
PHOTO_TICKS_W, MAP_TICKS_W = 44, 64  # room for the tick labels: "0.5"; "−0.25", "−1200"
CELL = 52  # kernel cell: "−0.25" at 18 px fits
GAP = 24
LINE = 23  # title line height, for 18 px text
TITLE_PX = 18
TOP = MARGIN + 3 * LINE + 22  # the pictures start under three title lines and a bar's end triangle
FIGURE_W = (2 * MARGIN + 2 * (BOX_W + BAR_GAP + BAR_W) + PHOTO_TICKS_W + MAP_TICKS_W + 2 * GAP + 3 * CELL)
FIGURE_H = TOP + BOX_H + 40
NOTE_Y = TOP + BOX_H + 22  # the clipping note, under the pictures


NOTE_GAP = 12  # px between a strided map and the note under it


def scale_note(stride) -> list[str]:
    """The lines under a strided feature map: it is drawn at the photo's pixel scale, so about ``1/stride`` as big.

    >>> scale_note(1), scale_note(4)
    ([], ["drawn to the photo's", 'scale: 1/4 the size'])
    """
    if isinstance(stride, (tuple, list)):
        stride = max(stride)
    return [] if int(stride) <= 1 else ["drawn to the photo's", f"scale: 1/{int(stride)} the size"]


def pixel_scale(image_shape) -> float:
    """CSS px per image pixel: the photo, and its feature map with padding up to 3, fit ``BOX_W × BOX_H``."""
    ih, iw = image_shape[:2]
    return min(BOX_W / (iw + MAX_GROWTH), BOX_H / (ih + MAX_GROWTH))


def draw_filter_result(image, kernel, feature_map, *, stride=1, padding=0, kernel_name: str | None = None,
                       scale: str = "fixed") -> str:
    """The SVG (a string): input photo, 3×3 kernel with its numbers and their sum, feature map, at one pixel scale.

    Args:
        image: 2-D gray photo in [0, 1], drawn on gray 0 … 1.
        kernel: the 2-D kernel; its numbers are written in its cells, their sum above it.
        feature_map: 2-D, what ``kernel`` made of ``image`` (with ``stride``, ``padding``: named in its title).
        kernel_name: the kernel's title (default "kernel").
        scale: ``"fixed"`` (same limits for every kernel: the weights' sum shows as brightness) or
            ``"stretched"`` (limits fitted to this map); see :func:`~cnnlib.viz.filters.map_style`.

    The figure's size is :data:`FIGURE_W` × :data:`FIGURE_H` whatever the settings; both pictures
    are anchored at the top left of their boxes, so a smaller map is seen to be smaller.
    """
    image, kernel, fmap = (np.asarray(a, dtype=float) for a in (image, kernel, feature_map))
    ih, iw = image.shape[:2]
    fh, fw = fmap.shape
    px = pixel_scale(image.shape)
    style, scale_text = map_style(fmap, kernel, scale)
    cmap, lo, hi = style["cmap"], float(style["norm"].vmin), float(style["norm"].vmax)
    pad = padding if isinstance(padding, str) else f"{padding}"
    name = kernel_name or "kernel"
    svg = Svg(FIGURE_W, FIGURE_H, title=f"{name} on the photo: feature map {fh}×{fw}, stride {stride}, padding {pad}")

    # 1. the photo and its colour bar
    x = MARGIN
    _titles(svg, x, [f"input {ih}×{iw}", "gray 0 … 1"])
    svg.image(x, TOP, iw * px, ih * px, _photo_png(image.tobytes(), image.shape))
    x += BOX_W + BAR_GAP
    colorbar(svg, x, TOP, ih * px, IMAGE_CMAP, 0.0, 1.0, [0.0, 0.5, 1.0], width=BAR_W)

    # 2. the kernel: its numbers on light cells (red positive, blue negative), their sum above
    x += BAR_W + PHOTO_TICKS_W + GAP
    kh, kw = kernel.shape
    centre = x + 3 * CELL / 2
    _titles(svg, centre, [name, f"weights sum to {float(np.sum(kernel)):.3g}"], anchor="middle")
    tint = signed_norm(kernel, headroom=GRID_HEADROOM)
    rgba = colormaps[SIGNED_CMAP](tint(kernel))  # (KH, KW, 4); one colormap lookup: each copy builds its table
    fills = [[to_hex(c) for c in row] for row in rgba]
    number_grid(svg, kernel, centre - kw * CELL / 2, TOP + (ih * px - kh * CELL) / 2, CELL, fills=fills,
                size=TITLE_PX, fmt=format_value)

    # 3. the feature map, at the photo's pixel scale, and its colour bar (a triangle where values are clipped)
    x += 3 * CELL + GAP
    _titles(svg, x, [f"feature map {fh}×{fw}", f"stride {stride}, padding {pad}", scale_text])
    svg.image(x, TOP, fw * px, fh * px, array_png(fmap, cmap, lo, hi))
    for k, line in enumerate(scale_note(stride)):  # under the map, left of its colour bar
        svg.text(x, TOP + fh * px + NOTE_GAP + (k + 0.5) * LINE, line, size=TITLE_PX, anchor="start")
    x += BOX_W + BAR_GAP
    colorbar(svg, x, TOP, ih * px, cmap, lo, hi, np.linspace(lo, hi, 5), width=BAR_W,
             extend=bar_extend(fmap, style["norm"]))
    note = clipped_text(fmap, style["norm"])
    if note:
        svg.text(FIGURE_W - MARGIN, NOTE_Y, note, size=TITLE_PX, anchor="end")
    return svg.to_string()


@lru_cache(maxsize=4)
def _photo_png(pixels: bytes, shape: tuple) -> bytes:
    """The photo's PNG, gray 0 … 1: a widget shows the same photo on every move, encoded once."""
    return array_png(np.frombuffer(pixels).reshape(shape), IMAGE_CMAP, 0.0, 1.0, compress_level=6)


def _titles(svg: Svg, x: float, lines, anchor: str = "start") -> None:
    for k, line in enumerate(lines):
        svg.text(x, MARGIN + (k + 0.5) * LINE, line, size=TITLE_PX, anchor=anchor)

