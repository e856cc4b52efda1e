r"""Where the windows go: the figure behind :math:`H_{out} = \lfloor (H + 2P - K_{eff})/S \rfloor + 1`, as SVG.

:func:`draw_output_size` draws an :class:`~cnnlib.demos.output_size.OutputSizeLayout`
(the arithmetic along one axis, from :func:`~cnnlib.demos.output_size.output_size_layout`)
for a square input, top to bottom: the formula with the numbers in it (at the
top, next to the sliders: it is the point of the figure), one bar per window
position, the padded grid with the first window (solid) and the last (dashed),
and on the right the output grid and a legend. Every number counts cells of
the **padded** input (0 = the first padding column), like the layout's
``starts`` and ``dropped``.

Cell categories are Okabe–Ito tints *and* a pattern (dropped: crossed ×,
skipped: striped /) *and* a legend; the real input is framed in black. So no
category rests on colour alone. The drawing is :data:`WIDTH` × :data:`HEIGHT`
CSS px for every setting: the grid keeps its box and its cells shrink as the
padded input grows (the widget's largest, 12 + 2·3 = 18 cells, gets 14 px cells).
"""
from __future__ import annotations

import math
import textwrap

from ..demos.output_size import DROP, DROP_PAD, INPUT, PAD, SKIP, OutputSizeLayout, cell_categories
from .palette import OKABE_ITO
from .svg import MIN_FONT_PX, Svg

#: Cell fills by category (Okabe–Ito mixed with white), INPUT..SKIP of :mod:`cnnlib.demos.output_size`.
INPUT_FILL = "#c4e5f7"  # sky blue, 35 %
PAD_FILL = "#d9d9d9"  # neutral gray: zero padding
DROP_FILL = "#e8a673"  # vermillion, 55 %: cells the floor drops (crossed ×)
DROP_PAD_FILL = "#f2cfb2"  # vermillion, 30 %: padding cells the floor drops (crossed ×)
SKIP_FILL = "#f4ec7b"  # yellow, 70 %: cells between windows (striped /)
CELL_FILLS = (INPUT_FILL, PAD_FILL, DROP_FILL, DROP_PAD_FILL, SKIP_FILL)
OUTPUT_FILL = "#b2e2d5"  # bluish green, 30 %
WINDOW = OKABE_ITO["blue"]  # the first window (solid), the last (dashed), the kernel's taps (dots)
WINDOW_BAR = OKABE_ITO["sky blue"]
FRAME = "#000000"  # around the real (unpadded) input
DROP_TEXT, SKIP_TEXT = "#B34700", "#6B5E00"  # darker vermillion / yellow: the formula lines about them
LAST_DASH = "7 4"
#: Patterns (the second cue): dropped cells crossed, skipped cells striped.
DROP_PATTERN, DROP_PAD_PATTERN, SKIP_PATTERN = "cnnlib-os-drop", "cnnlib-os-drop-pad", "cnnlib-os-skip"
_PATTERNS = ((DROP_PATTERN, DROP_FILL, "M0,0 L8,8 M8,0 L0,8"), (DROP_PAD_PATTERN, DROP_PAD_FILL, "M0,0 L8,8 M8,0 L0,8"),
             (SKIP_PATTERN, SKIP_FILL, "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6"))
_CELL_FACE = {INPUT: INPUT_FILL, PAD: PAD_FILL, DROP: f"url(#{DROP_PATTERN})", DROP_PAD: f"url(#{DROP_PAD_PATTERN})",
              SKIP: f"url(#{SKIP_PATTERN})"}
#: The legend of the cells: (label, fill, the pattern over it: the second cue).
LEGEND = (("input (framed)", INPUT_FILL, None), ("zero padding", PAD_FILL, None),
          ("dropped (floor)", DROP_FILL, DROP_PATTERN), ("skipped (stride)", SKIP_FILL, SKIP_PATTERN))
#: ... and of the window marks: (label, outline dash; None: the kernel's taps, dots).
MARKS = (("first window", ""), ("last window", LAST_DASH), ("kernel taps (dots)", None))

# Layout, CSS px. The figure fits a notebook cell at 1024×768 (≤ 800 px) and never changes size.
WIDTH, MARGIN = 800, 8
TITLE_PX, TEXT_PX = 20, MIN_FONT_PX
FORMULA_TOP, LINE, FORMULA_ROWS = 42, 22, 5  # K_eff, the formula, its numbers, skipped, dropped
WRAP = 86  # characters per line: the widget's longest (85) is 763 px in DejaVu Sans at 18 px
STRIP_TOP = FORMULA_TOP + FORMULA_ROWS * LINE + 22
STRIP_H = 48
GRID_X, GRID_TOP = 44, STRIP_TOP + STRIP_H + 28  # column numbers sit between the strip and the grid
GRID_BOX, CELL_MAX = 252, 32  # the padded grid's box and largest cell
RIGHT_X = GRID_X + GRID_BOX + 36
OUT_TOP, OUT_BOX = STRIP_TOP + 24, 160
LEGEND_TOP, LEGEND_PITCH, LEGEND_COL = OUT_TOP + OUT_BOX + 26, 28, 232
HEIGHT = GRID_TOP + GRID_BOX + 2 * LINE + 16
CAPTION = "rows and columns count cells of the padded input (0 = first {} cell)"


def _title(lay: OutputSizeLayout) -> str:
    pad = lay.padding[0] if lay.padding[0] == lay.padding[1] else lay.padding
    dil = f", dilation {lay.dilation}" if lay.dilation != 1 else ""
    k = lay.kernel_size
    head = f"{lay.size}×{lay.size} input, {k}×{k} kernel, stride {lay.stride}, padding {pad}{dil}"
    return head + (" → no output" if lay.error else f" → {lay.out_size}×{lay.out_size} output")


def _line_color(lay: OutputSizeLayout, i: int, line: str) -> str:
    if (lay.dropped and "floor drops" in line) or (lay.error and i == len(lay.formula.splitlines()) - 1):
        return DROP_TEXT
    return SKIP_TEXT if "skipped" in line else "#000000"


def formula_rows(lay: OutputSizeLayout) -> list[tuple[int, str, str]]:
    """The formula lines as drawn: ``(indent in characters, text, colour)``, long lines wrapped at :data:`WRAP`."""
    rows = []
    for i, line in enumerate(lay.formula.splitlines()):
        indent = len(line) - len(line.lstrip(" "))  # "      = ⌊…": the equals signs line up
        color = _line_color(lay, i, line)
        for k, part in enumerate(textwrap.wrap(line.strip(), WRAP - indent)):
            rows.append((indent + (2 if k else 0), part, color))
    return rows


def _circle(svg: Svg, cx: float, cy: float, r: float, fill: str) -> None:
    """A filled dot (:class:`Svg` draws no circles)."""
    svg.items.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{fill}"/>')


def _patterns(svg: Svg) -> None:
    """The hatching of dropped and skipped cells, as SVG patterns (:class:`Svg` has none)."""
    for pid, fill, path in _PATTERNS:
        svg.defs.append(f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
                        f'<rect width="8" height="8" fill="{fill}"/>'
                        f'<path d="{path}" stroke="#444444" stroke-width="1.2"/></pattern>')


def draw_output_size(layout: OutputSizeLayout) -> str:
    """The SVG (a string) of ``layout`` for a square input: formula, window bars, padded grid, output, legend.

    Always :data:`WIDTH` × :data:`HEIGHT` px with the formula at the top, so moving a slider never moves the page.
    """
    lay = layout
    svg = Svg(WIDTH, HEIGHT, title=_title(lay))
    _patterns(svg)
    svg.text(MARGIN, 18, _title(lay), size=TEXT_PX, anchor="start", weight="bold")
    rows = formula_rows(lay)
    pitch = min(LINE, FORMULA_ROWS * LINE / len(rows))  # squeezed only for inputs beyond the widget's sliders
    for r, (indent, text, color) in enumerate(rows):
        svg.text(MARGIN + indent * 0.5 * TEXT_PX, FORMULA_TOP + (r + 0.5) * pitch, text, anchor="start", fill=color)
    n = lay.padded_size
    cell = min(GRID_BOX / max(n, lay.k_eff if lay.error else n), CELL_MAX)  # no window: room for the kernel
    _draw_window_strip(svg, lay, cell)
    _draw_padded_grid(svg, lay, cell)
    if lay.error:
        for r, part in enumerate(textwrap.wrap(lay.error, 42)):
            svg.text(RIGHT_X, OUT_TOP + (r + 0.5) * LINE, part, anchor="start", fill=DROP_TEXT)
    else:
        _draw_output_grid(svg, lay)
    _draw_legend(svg)
    how = "H + 2P" if lay.padding[0] == lay.padding[1] else "H + P_before + P_after"
    y = GRID_TOP + GRID_BOX + 4
    svg.text(MARGIN, y + LINE / 2, f"padded input {n}×{n}  ({how} = {n}); the framed part is the input",
             anchor="start")
    svg.text(MARGIN, y + 1.5 * LINE, CAPTION.format("padding" if lay.padding[0] else "input"), anchor="start")
    return svg.to_string()


def _draw_window_strip(svg: Svg, lay: OutputSizeLayout, cell: float) -> None:
    """One bar per window position along the columns, stacked like a timeline, above the grid."""
    n, k = lay.padded_size, lay.k_eff
    shown = ", ".join(str(v) for v in lay.starts[:8]) + (", …" if len(lay.starts) > 8 else "")
    count = f"{len(lay.starts)} window position{'s' if len(lay.starts) != 1 else ''}"
    no_fit = f"0 window positions: the {k}×{k} kernel (dashed) does not fit"
    svg.text(MARGIN, STRIP_TOP - 12, f"{count}, starts j·S = {shown}" if lay.starts else no_fit, anchor="start")
    for d in lay.dropped:
        svg.rect(GRID_X + d * cell, STRIP_TOP, cell, STRIP_H, fill=f"url(#{DROP_PATTERN})")
    for s in lay.skipped:
        svg.rect(GRID_X + s * cell, STRIP_TOP, cell, STRIP_H, fill=f"url(#{SKIP_PATTERN})")
    pitch = STRIP_H / max(len(lay.starts), 1)
    for j, start in enumerate(lay.starts):
        y = STRIP_TOP + (j + 0.15) * pitch
        svg.rect(GRID_X + start * cell, y, k * cell, 0.7 * pitch, fill=WINDOW_BAR, stroke=WINDOW, stroke_width=1,
                 opacity=0.6)
    svg.rect(GRID_X, STRIP_TOP, n * cell, STRIP_H, stroke="#555555")


def _draw_padded_grid(svg: Svg, lay: OutputSizeLayout, cell: float) -> None:
    n, k = lay.padded_size, lay.k_eff
    cats = cell_categories(lay)
    for r in range(n):
        for c in range(n):
            svg.rect(GRID_X + c * cell, GRID_TOP + r * cell, cell, cell, fill=_CELL_FACE[int(cats[r, c])],
                     stroke="#ffffff", stroke_width=1)
    step = math.ceil(26 / cell)  # a number every 26 px or more: 18 px digits never touch
    for i in range(0, n, step):
        svg.text(GRID_X + (i + 0.5) * cell, GRID_TOP - 12, str(i))  # columns, under the window bars
        svg.text(GRID_X - 6, GRID_TOP + (i + 0.5) * cell, str(i), anchor="end")  # rows
    before, after = lay.padding
    if lay.size:
        svg.rect(GRID_X + before * cell, GRID_TOP + before * cell, lay.size * cell, lay.size * cell, stroke=FRAME,
                 stroke_width=2)
    if lay.error:  # the kernel, dashed, sticks out of the padded input
        svg.rect(GRID_X, GRID_TOP, k * cell, k * cell, stroke=DROP_TEXT, stroke_width=3, dash=LAST_DASH)
        return
    svg.rect(GRID_X, GRID_TOP, k * cell, k * cell, stroke=WINDOW, stroke_width=4)  # the first window
    last = lay.starts[-1]
    svg.rect(GRID_X + last * cell, GRID_TOP + last * cell, k * cell, k * cell, stroke=WINDOW, stroke_width=4,
             dash=LAST_DASH)
    radius = max(2.5, min(0.16 * cell, 5.0))
    for r in range(0, k, lay.dilation):  # the cells the first window's kernel touches
        for c in range(0, k, lay.dilation):
            _circle(svg, GRID_X + (c + 0.5) * cell, GRID_TOP + (r + 0.5) * cell, radius, WINDOW)


def _draw_output_grid(svg: Svg, lay: OutputSizeLayout) -> None:
    m = lay.out_size
    cell = min(OUT_BOX / m, CELL_MAX)
    svg.text(RIGHT_X, OUT_TOP - 12, f"output {m}×{m}", size=TITLE_PX, anchor="start")
    for r in range(m):
        for c in range(m):
            svg.rect(RIGHT_X + c * cell, OUT_TOP + r * cell, cell, cell, fill=OUTPUT_FILL, stroke="#ffffff")
    svg.rect(RIGHT_X, OUT_TOP, cell, cell, stroke=WINDOW, stroke_width=4)  # from the first window
    svg.rect(RIGHT_X + (m - 1) * cell, OUT_TOP + (m - 1) * cell, cell, cell, stroke=WINDOW, stroke_width=4,
             dash=LAST_DASH)  # from the last


def _draw_legend(svg: Svg) -> None:
    """The cell categories (left column) and the window marks (right column)."""
    for i, (label, fill, pattern) in enumerate(LEGEND):
        y = LEGEND_TOP + i * LEGEND_PITCH
        svg.rect(RIGHT_X, y, 26, 20, fill=f"url(#{pattern})" if pattern else fill, stroke="#555555")
        svg.text(RIGHT_X + 34, y + 10, label, anchor="start")
    x = RIGHT_X + LEGEND_COL
    for i, (label, dash) in enumerate(MARKS):
        y = LEGEND_TOP + i * LEGEND_PITCH
        if dash is None:
            svg.rect(x, y, 26, 20, fill=INPUT_FILL)
            _circle(svg, x + 7, y + 10, 3.5, WINDOW)
            _circle(svg, x + 19, y + 10, 3.5, WINDOW)
        else:
            svg.rect(x + 2, y + 2, 22, 16, stroke=WINDOW, stroke_width=4, dash=dash or None)
        svg.text(x + 34, y + 10, label, anchor="start")
