"""The receptive field of one unit drawn as SVG: which cells of every earlier layer, and of the input, it sees.

:func:`draw_receptive_field` draws a :class:`~cnnlib.demos.receptive_field.ReceptiveFieldLayout`
(from :func:`~cnnlib.demos.receptive_field.receptive_field_layout`): one grid per
stage (the input, then every conv and pooling output) side by side, and under
them one line per stage saying which rows and columns the unit depends on.
Marks never rest on colour alone: the unit is a vermillion cell in a thick
black ring, what it depends on is a blue-tinted block with a solid blue
outline, its receptive field on the input a dashed green frame, and each mark
has its swatch and words in the table. A grid is a few rectangles and one
path, not a rectangle per cell: a redraw is a few kilobytes.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..demos.receptive_field import ReceptiveFieldLayout
from .palette import OKABE_ITO
from .png import encode_png
from .svg import Svg, text_width

WIDTH = 800  # px: fits the ~820 px of a notebook cell at 1024×768, never scaled down
MARGIN, MIN_GAP = 8, 14
MIN_PANEL, MAX_PANEL = 64, 224  # px: a grid's longer side, whatever its number of cells
TITLE_PX, TEXT_PX = 20, 18
LINE = 26  # px between table lines
TITLE_H = 64  # two title lines
LABEL_H = 30  # the "layer k" line above the grids

UNIT_FILL = OKABE_ITO["vermillion"]  # the chosen unit ("red" in the lesson), in a black ring
RING = "#000000"
SEEN_FILL, SEEN_EDGE = "#ABD9F4", OKABE_ITO["blue"]  # what the unit depends on: light blue, solid blue outline
FIELD_EDGE, FIELD_DASH = OKABE_ITO["bluish green"], "9 4"  # the receptive field on the input: dashed green frame
FIELD_HALO, HALO_OUT = "#FFFFFF", 1.5  # ... on a 7-px white band, its centre 1.5 px outside the dashes' centre
GRID_LINE, LATER_FILL, LATER_TEXT = "#BBBBBB", "#F2F2F2", "#6F6F6F"  # stages after the unit: gray


class Panel(NamedTuple):
    """Where stage ``s`` is drawn: top-left corner ``(x, y)`` and the side ``cell`` of one cell, in px."""

    x: float
    y: float
    cell: float


def panel_layout(sizes, width: float = WIDTH) -> list[Panel]:
    """One :class:`Panel` per ``(H, W)`` in ``sizes``, side by side in ``width`` px, top-aligned.

    Cells are as large as fits: every grid gets the same cell side ``c``
    (a multiple of 0.5 px), except that a grid's longer side is kept between
    ``MIN_PANEL`` and ``MAX_PANEL`` px, so a 4×4 layer stays big enough to
    point at and a large input does not crowd out the rest.
    """
    longest = [max(h, w) for h, w in sizes]
    room = width - 2 * MARGIN - MIN_GAP * (len(sizes) - 1)
    c = 24.0
    while True:
        sides = [min(max(c * n, MIN_PANEL), MAX_PANEL) for n in longest]
        if sum(s * w / n for s, (_, w), n in zip(sides, sizes, longest)) <= room:
            break
        if c <= 0.5:
            raise ValueError(f"{len(sizes)} stages do not fit side by side in {width} px (each grid needs at least "
                             f"{MIN_PANEL} px). Hint: pass fewer layers, e.g. model.layers[:5].")
        c -= 0.5
    cells = [s / n for s, n in zip(sides, longest)]
    widths = [cell * w for cell, (_, w) in zip(cells, sizes)]
    gap = (width - 2 * MARGIN - sum(widths)) / max(len(sizes) - 1, 1)
    panels, x = [], float(MARGIN)
    for cell, w in zip(cells, widths):
        panels.append(Panel(x, float(TITLE_H + LABEL_H), cell))
        x += w + gap
    return panels


def receptive_field_size(layout: ReceptiveFieldLayout) -> tuple[int, int]:
    """``(width, height)`` in CSS px: fixed by the network, so picking another layer or unit never resizes the page."""
    panels = panel_layout(layout.sizes)
    grid_h = max(p.cell * h for p, (h, _) in zip(panels, layout.sizes))
    return WIDTH, int(round(TITLE_H + LABEL_H + grid_h + 34 + LINE * len(layout.sizes) + 4))


def draw_receptive_field(layout: ReceptiveFieldLayout, image=None) -> str:
    """The SVG (a string) of ``layout``: a grid per stage, the regions marked, and a line per stage.

    ``image``: an ``(H, W, 3)`` or ``(H, W)`` picture in 0..1 drawn under the input grid;
    what the unit cannot see is faded.
    """
    lay = layout
    width, height = receptive_field_size(lay)
    panels = panel_layout(lay.sizes)
    rf, (ui, uj) = lay.rf, lay.unit
    svg = Svg(width, height, title=f"receptive field of unit ({ui}, {uj}) of layer {lay.label(lay.stage)}")
    svg.text(MARGIN, 18, f"unit ({ui}, {uj}) of layer {lay.layer} sees {rf.size[0]}×{rf.size[1]} input pixels",
             size=TITLE_PX, anchor="start", weight="bold")  # the layer's name is in the table: it fits any name
    svg.text(MARGIN, 46, f"one step to the next unit of this layer moves its window {rf.jump[1]} input pixel"
             f"{'s' if rf.jump[1] != 1 else ''} (the jump)", size=TEXT_PX, anchor="start")
    grid_bottom = 0.0
    for s, ((H, W), p) in enumerate(zip(lay.sizes, panels)):
        w, h = W * p.cell, H * p.cell
        later = s > lay.stage
        svg.text(p.x + w / 2, TITLE_H + LABEL_H / 2 - 4, "input" if s == 0 else f"layer {lay.indices[s]}",
                 size=TEXT_PX, weight="normal" if later else "bold", fill=LATER_TEXT if later else "#000000")
        if s == 0 and image is not None:
            svg.image(p.x, p.y, w, h, _png(np.asarray(image, dtype=float)))  # one pixel per input pixel
        else:
            svg.rect(p.x, p.y, w, h, fill=LATER_FILL if later else "#FFFFFF")
        if later:
            _grid_lines(svg, p, H, W)
        else:
            _draw_marks(svg, lay, s, p, w, h, with_image=s == 0 and image is not None)
        svg.text(p.x + w / 2, p.y + h + 18, f"{H}×{W}", size=TEXT_PX, fill=LATER_TEXT if later else "#000000")
        grid_bottom = max(grid_bottom, p.y + h)
    _draw_table(svg, lay, grid_bottom + 34 + LINE / 2, table_x(lay))
    return svg.to_string()


def _draw_marks(svg: Svg, lay: ReceptiveFieldLayout, s: int, p: Panel, w: float, h: float, with_image: bool) -> None:
    """Stage ``s`` up to the unit's: what the unit depends on (or the unit itself), the grid lines, the outlines."""
    (t, b), (l, r) = lay.regions[s]
    box = (p.x + l * p.cell, p.y + t * p.cell, (r - l) * p.cell, (b - t) * p.cell)
    H, W = lay.sizes[s]
    if with_image:  # fade what the unit cannot see: the panel minus the region (even-odd fill)
        _path(svg, f"M{p.x:g} {p.y:g}h{w:g}v{h:g}h{-w:g}z M{box[0]:g} {box[1]:g}h{box[2]:g}v{box[3]:g}h{-box[2]:g}z",
              fill="#FFFFFF", fill_opacity=0.65, fill_rule="evenodd")
    elif s < lay.stage:
        svg.rect(*box, fill=SEEN_FILL)
    else:
        svg.rect(*box, fill=UNIT_FILL)
    _grid_lines(svg, p, H, W)
    if s == 0:  # the dashes on a white band keep the frame visible on any photo (under deuteranopia the green
        # turns gray, like the photo); the band lies outside the dashes, so it hides no more of the field
        x, y, w, h = box
        svg.rect(x - HALO_OUT, y - HALO_OUT, w + 2 * HALO_OUT, h + 2 * HALO_OUT, stroke=FIELD_HALO, stroke_width=7)
        svg.rect(*box, stroke=FIELD_EDGE, stroke_width=4, dash=FIELD_DASH)
    elif s < lay.stage:
        svg.rect(*box, stroke=SEEN_EDGE, stroke_width=2.5)
    else:  # the unit: a ring around the cell, visible even when a cell is a few pixels wide
        pad = 3.5
        svg.rect(box[0] - pad, box[1] - pad, box[2] + 2 * pad, box[3] + 2 * pad, stroke=RING, stroke_width=3)


def table_x(lay: ReceptiveFieldLayout) -> float:
    """Where the table's second column (a swatch, then words) starts: after the longest stage name."""
    return MARGIN + max(text_width(lay.label(s), TEXT_PX) for s in range(len(lay.sizes))) + 24


def _draw_table(svg: Svg, lay: ReceptiveFieldLayout, y: float, x: float) -> None:
    """One line per stage: its name, a swatch of its mark, and the rows and columns the unit depends on there."""
    (ui, uj) = lay.unit
    for s in range(len(lay.sizes)):
        later = s > lay.stage
        color = LATER_TEXT if later else "#000000"
        svg.text(MARGIN, y, lay.label(s), size=TEXT_PX, anchor="start", fill=color)
        sx, sy = x, y - 9
        if later:
            svg.rect(sx, sy, 18, 18, fill=LATER_FILL, stroke=GRID_LINE)
            what = "after the unit: not part of its field"
        else:
            (t, b), (l, r) = lay.regions[s]
            where = f"rows {t}–{b - 1}, columns {l}–{r - 1}"
            if s == lay.stage:
                svg.rect(sx + 2, sy + 2, 14, 14, fill=UNIT_FILL, stroke=RING, stroke_width=3)
                what = f"the unit ({ui}, {uj})"
            elif s == 0:
                svg.rect(sx, sy, 18, 18, fill="#FFFFFF", stroke=FIELD_EDGE, stroke_width=3, dash="5 2")
                what = f"receptive field {b - t}×{r - l}: {where}"
            else:
                svg.rect(sx, sy, 18, 18, fill=SEEN_FILL, stroke=SEEN_EDGE, stroke_width=2.5)
                what = f"depends on {b - t}×{r - l}: {where}"
        svg.text(sx + 28, y, what, size=TEXT_PX, anchor="start", fill=color)
        y += LINE


def _grid_lines(svg: Svg, p: Panel, H: int, W: int) -> None:
    """All the cell borders of an ``H × W`` grid as one path (one element, not ``H·W`` rectangles)."""
    w, h = W * p.cell, H * p.cell
    rows = "".join(f"M{p.x:g} {p.y + k * p.cell:g}h{w:g}" for k in range(H + 1))
    cols = "".join(f"M{p.x + k * p.cell:g} {p.y:g}v{h:g}" for k in range(W + 1))
    _path(svg, rows + cols, stroke=GRID_LINE, stroke_width=0.6 if p.cell < 12 else 1.0)


def _path(svg: Svg, d: str, *, fill: str = "none", stroke: str = "none", stroke_width: float = 1.0,
          fill_opacity: float | None = None, fill_rule: str | None = None) -> None:
    """An SVG ``<path>`` (``Svg`` has no method for it yet): ``d`` is made of numbers only, nothing to escape."""
    extra = f' fill-opacity="{fill_opacity:g}"' if fill_opacity is not None else ""
    extra += f' fill-rule="{fill_rule}"' if fill_rule else ""
    svg.items.append(f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width:g}"{extra}/>')


def _png(image: np.ndarray) -> bytes:
    """PNG bytes of a picture in 0..1, ``(H, W, 3)`` or gray ``(H, W)``; the same picture is encoded once."""
    rgb = np.clip(image, 0.0, 1.0)
    if rgb.ndim == 2:
        rgb = np.repeat(rgb[..., None], 3, axis=-1)  # (H, W) -> (H, W, 3)
    pixels = np.round(rgb[..., :3] * 255).astype(np.uint8)
    return _encode(pixels.shape, pixels.tobytes())


@lru_cache(maxsize=4)
def _encode(shape: tuple, data: bytes) -> bytes:
    rgb = np.frombuffer(data, dtype=np.uint8).reshape(shape)  # (H, W, 3)
    rgba = np.concatenate([rgb, np.full(shape[:2] + (1,), 255, dtype=np.uint8)], axis=-1)  # (H, W, 4), opaque
    return encode_png(rgba)
