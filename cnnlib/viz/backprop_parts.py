"""What both backward-pass figures (:mod:`cnnlib.viz.backprop`) are drawn from: cell kinds, grids, titles, legends.

Each kind of cell has a light Okabe–Ito tint *and* a second mark (a thick or
dashed outline, hatching), and a legend names them: colour is never the only
cue. A grid is an SVG group ``<g data-grid=name>`` with one
``<rect data-kind=...>`` and one ``<text>`` per cell, row by row.
:func:`frame_shapes` gives the largest shape of each grid over the widget's
settings: a figure laid out on it keeps one size for every setting.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from ..demos.conv_backward import ConvBackward
from ..demos.formatting import format_value
from .palette import OKABE_ITO
from .svg import FONT, Svg

CELL = 28  # px per cell
GAP = 16  # px between the whole pass's grids (it must fit the ~800 px of a notebook cell at 1024×768)
VALUE_PX, TITLE_PX, SUPTITLE_PX = 18, 19, 20
LINE = 24  # px per line of text


def tint(color: str, amount: float) -> str:
    """``color`` mixed with white: ``amount`` 0 is white, 1 the colour itself.

    >>> tint("#0072B2", 0.5), tint("#000000", 0)
    ('#80B8D8', '#FFFFFF')
    """
    rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    mixed = 255 - amount * (255 - rgb)
    return "#" + "".join(f"{int(round(v)):02X}" for v in mixed)


PLAIN = "#FFFFFF"
PADDING_FILL = "#D4D4D4"  # zero padding (and the K − 1 zeros around dout): gray
WINDOW_FILL, WINDOW_EDGE = tint(OKABE_ITO["sky blue"], 0.5), OKABE_ITO["blue"]  # the window / the cell: thick outline
INSERTED_FILL = tint(OKABE_ITO["yellow"], 0.6)  # the zeros a stride > 1 inserts into dout
EXTRA_FILL = PADDING_FILL  # + hatching: the rows/columns the floor dropped
CROP_EDGE = OKABE_ITO["black"]  # dashed: the part of dx_pad that is dx
FILLS = {"value": PLAIN, "padding": PADDING_FILL, "window": WINDOW_FILL, "inserted": INSERTED_FILL,
         "extra": EXTRA_FILL}
#: The cell colours the figures put side by side (checked for colour-vision deficiency in tests/viz/test_palette.py).
CATEGORY_COLORS = [PLAIN, PADDING_FILL, WINDOW_FILL, INSERTED_FILL]
# The hatching's id: one per page, so only the whole-pass figure defines it. (A url(#id) finds the first element
# with that id in the page: one inside a hidden tab draws nothing.)
HATCH_ID = "cnnlib-backprop-hatch"
HATCH = (f'<pattern id="{HATCH_ID}" width="8" height="8" patternUnits="userSpaceOnUse" '
         'patternTransform="rotate(45)">'
         '<line x1="0" y1="0" x2="0" y2="8" stroke="#444444" stroke-width="2"/></pattern>')
SWATCH, SWATCH_GAP, ENTRY_GAP = 20, 6, 22  # a legend entry: swatch, space, label, space before the next one


def zeros(n: int) -> str:
    """How many zeros, in words.

    >>> zeros(1), zeros(2)
    ('1 zero', '2 zeros')
    """
    return f"{n} zero{'' if n == 1 else 's'}"


def frame_shapes(cb: ConvBackward, max_padding: int) -> dict:
    """The largest ``(rows, cols)`` of each grid for any stride and padding ``<= max_padding``: the figure's frame."""
    (h, w), (kh, kw) = cb.x.shape, cb.kernel.shape
    p = max(max_padding, cb.padding)
    hp, wp = h + 2 * p, w + 2 * p
    return {"padded": (hp, wp), "dout": (hp - kh + 1, wp - kw + 1), "full": (hp + kh - 1, wp + kw - 1),
            "kernel": (kh, kw)}


def padding_kinds(shape, p: int) -> np.ndarray:
    """"padding" in the outer ``p`` rings of a ``shape`` grid, "value" inside."""
    kinds = np.full(shape, "padding", dtype=object)
    kinds[p:shape[0] - p, p:shape[1] - p] = "value"
    return kinds


def lines(svg: Svg, x: float, y: float, text: str, *, size: float = TITLE_PX, weight: str = "normal",
          anchor: str = "middle") -> None:
    """``text``'s lines (split at ``\\n``), one :data:`LINE` apart, the first centred on ``y``."""
    for k, line in enumerate(text.split("\n")):
        svg.text(x, y + k * LINE, line, size=size, weight=weight, anchor=anchor)


def grid(svg: Svg, name: str, values, kinds, x0: float, y0: float, *, outlines=()) -> None:
    """Cells ``values`` at ``(x0, y0)``, filled by ``kinds``; ``outlines``: ``(top, left, h, w, colour, dash)``."""
    values = np.asarray(values, dtype=float)
    svg.items.append(f'<g data-grid="{name}">')
    for (r, c), v in np.ndenumerate(values):
        kind = kinds[r, c]
        x, y = x0 + c * CELL, y0 + r * CELL
        svg.items.append(f'<rect data-kind="{kind}" x="{x:g}" y="{y:g}" width="{CELL}" height="{CELL}" '
                         f'fill="{FILLS[kind]}" stroke="#8C8C8C" stroke-width="1"/>')
        if kind == "extra":
            svg.items.append(f'<rect x="{x:g}" y="{y:g}" width="{CELL}" height="{CELL}" fill="url(#{HATCH_ID})"/>')
        color = "#555555" if kind in ("padding", "extra", "inserted") else "#000000"
        svg.items.append(f'<text x="{x + CELL / 2:g}" y="{y + CELL / 2:g}" font-size="{VALUE_PX}px" '
                         f'font-family="{FONT}" text-anchor="middle" dominant-baseline="central" '
                         f'fill="{color}">{escape(format_value(v))}</text>')
    for top, left, h, w, color, dash in outlines:
        svg.rect(x0 + left * CELL, y0 + top * CELL, w * CELL, h * CELL, stroke=color, stroke_width=4 if not dash else 3,
                 dash=dash)
    svg.items.append("</g>")


def width_of(text: str, size: float = VALUE_PX, *, bold: bool = False) -> float:
    """The width in px of ``text``'s longest line in DejaVu Sans (the figures' first font), measured by matplotlib."""
    return max(_line_width(line, size, bold) for line in text.split("\n"))


@lru_cache(maxsize=1024)
def _line_width(line: str, size: float, bold: bool) -> float:
    font = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    return float(_TEXT_TO_PATH.get_text_width_height_descent(line, font, ismath=False)[0])


_TEXT_TO_PATH = TextToPath()


def wrap(text: str, width: float, size: float = TITLE_PX) -> str:
    """``text`` with its lines broken before `` + `` where they are wider than ``width`` px (bold)."""
    out = []
    for line in text.split("\n"):
        parts = line.split(" + ")
        current = parts[0]
        for part in parts[1:]:
            if width_of(current + " + " + part, size, bold=True) > width:
                out.append(current)
                current = "+ " + part
            else:
                current += " + " + part
        out.append(current)
    return "\n".join(out)


def entry_width(label: str) -> float:
    """The width in px of one legend entry: its swatch and its label."""
    return SWATCH + SWATCH_GAP + width_of(label)


def legend(svg: Svg, x: float, y: float, entries, *, column: bool = False) -> None:
    """Swatches with their labels from ``(x, y)``, in a row (or a ``column``): ``(kind or None, edge, dash, label)``."""
    for kind, edge, dash, label in entries:
        fill = FILLS[kind] if kind else PLAIN
        svg.rect(x, y - SWATCH / 2, SWATCH, SWATCH, fill=fill, stroke=edge or "#8C8C8C", stroke_width=3 if edge else 1,
                 dash=dash)
        if kind == "extra":
            svg.rect(x, y - SWATCH / 2, SWATCH, SWATCH, fill=f"url(#{HATCH_ID})")
        svg.text(x + SWATCH + SWATCH_GAP, y, label, size=VALUE_PX, anchor="start")
        if column:
            y += LINE + 4
        else:
            x += entry_width(label) + ENTRY_GAP
