r"""Lesson 11's figures, as SVG: stamps adding up, the overlap (checkerboard) map, the output size.

Each function draws what :mod:`cnnlib.demos.conv_transpose` computed:

* :func:`draw_stamps`: the input, the kernel, every stamp ``x[i, j]·W`` on
  the canvas and their sum, the output (a stamp's cells outlined in blue,
  the output's frame dashed where padding is cut);
* :func:`draw_overlap`: how many stamps cover each output pixel, the
  number in every cell, beside a constant image upsampled the same way;
* :func:`draw_transpose_size`: one axis: the input spread ``S`` apart, a
  bar per stamp, the canvas with the cut padding (hatched) and the
  ``output_padding`` zero cells (dotted, hatched too where the padding
  cuts them), and the formula with the numbers.

Categories are Okabe–Ito tints *and* a second cue (a number, hatching, a
dotted or dashed outline, a legend). Every figure is at most 800 px wide,
its text at least 18 px, and :func:`draw_overlap` / :func:`draw_transpose_size`
have one size for every slider setting (the cells shrink instead).
"""
from __future__ import annotations

import textwrap

import numpy as np

from ..demos.conv_transpose import OverlapMap, StampSteps, TransposeLayout
from ..demos.formatting import format_value
from .output_size import DROP_TEXT as REFUSED_TEXT  # the dark vermillion of lesson 02's "no window fits"
from .palette import OKABE_ITO
from .png import array_png
from .svg import MIN_FONT_PX, Svg, colorbar, number_grid

TITLE_PX, TEXT_PX = 20, MIN_FONT_PX
WIDTH, MARGIN = 800, 8
STAMP_EDGE = OKABE_ITO["blue"]
STAMP_FILL = "#c4e5f7"  # sky blue, 35 %: a stamp's cells / covered cells
WEIGHT_FILL = "#F3E0B5"  # orange tint: the kernel
FEW_FILL = "#f6d9a6"  # orange, 45 %: fewer stamps than the most inside (overlap map)
MOST_FILL = "#c4e5f7"  # sky blue, 35 %: the most stamps
CUT_FILL = "#f2cfb2"  # vermillion, 30 %, hatched: cut off by the padding
EMPTY_FILL = "#ffffff"  # no stamp: zero (dotted outline)
PLAIN = "#ffffff"
CUT_PATTERN, NONE_PATTERN = "cnnlib-ct-cut", "cnnlib-ct-none"


def _patterns(svg: Svg) -> None:
    for pid, fill, path in ((CUT_PATTERN, CUT_FILL, "M0,0 L8,8 M8,0 L0,8"),
                            (NONE_PATTERN, EMPTY_FILL, "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6")):
        svg.defs.append(f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
                        f'<rect width="8" height="8" fill="{fill}"/>'
                        f'<path d="{path}" stroke="#666666" stroke-width="1.1"/></pattern>')


def _circle(svg: Svg, cx: float, cy: float, r: float, fill: str) -> None:
    svg.items.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{fill}"/>')


# -- the stamps adding up ------------------------------------------------------------------------------------
STAMP_CELL, STAMP_GAP = 26, 22


def stamps_size(steps: StampSteps) -> tuple[int, int]:
    """``(width, height)`` in px: the stamps in rows of at most four, under x, W and the output."""
    ch, cw = steps.canvas.shape
    per_row = min(4, len(steps.steps))
    rows = -(-len(steps.steps) // per_row)
    top_h = max(steps.x.shape[0], steps.kernel.shape[0], ch) * STAMP_CELL
    width = max(2 * MARGIN + per_row * (cw * STAMP_CELL + 30),
                2 * MARGIN + (steps.x.shape[1] + steps.kernel.shape[1] + cw) * STAMP_CELL + 3 * 60)
    return int(width), int(40 + top_h + 40 + rows * (ch * STAMP_CELL + 40) + 8)


def draw_stamps(steps: StampSteps) -> str:
    """The SVG of every stamp of ``steps``: top row ``x``, ``W`` and the cropped sum; below, each stamp on the canvas."""
    st = steps
    (H, W_in), (KH, KW), (ch, cw) = st.x.shape, st.kernel.shape, st.canvas.shape
    width, height = stamps_size(st)
    if width > WIDTH:
        raise ValueError(f"draw_stamps: {H}×{W_in} input with a {KH}×{KW} kernel needs {width} px, more than "
                         f"{WIDTH}. Hint: draw a smaller example (2×2 input, kernel up to 3×3).")
    svg = Svg(width, height, title=f"transposed convolution, stride {st.stride}: {len(st.steps)} stamps add up")
    c = STAMP_CELL
    top = 40
    fmt = format_value
    svg.text(MARGIN, top - 22, "x", size=TITLE_PX, anchor="start", weight="bold")
    number_grid(svg, st.x, MARGIN, top, c, fill=STAMP_FILL, fmt=fmt)
    w_x = MARGIN + W_in * c + 60
    svg.text(w_x, top - 22, "W", size=TITLE_PX, anchor="start", weight="bold")
    number_grid(svg, st.kernel, w_x, top, c, fill=WEIGHT_FILL, fmt=fmt)
    o_x = w_x + KW * c + 60
    p, H_out, W_out = st.padding, *st.output.shape
    label = "sum of the stamps" + (f" (padding {p} cut: dashed frame)" if p else "")
    svg.text(o_x, top - 22, label, size=TEXT_PX, anchor="start", weight="bold")
    number_grid(svg, st.canvas, o_x, top, c, fmt=fmt)
    svg.rect(o_x + p * c, top + p * c, W_out * c, H_out * c, stroke="#000000", stroke_width=3,
             dash="7 4" if p else None)
    per_row = min(4, len(st.steps))
    y0 = top + max(H, KH, ch) * c + 40
    for k, step in enumerate(st.steps):
        x = MARGIN + (k % per_row) * (cw * c + 30)
        y = y0 + (k // per_row) * (ch * c + 40)
        v = fmt(step.value)
        svg.text(x, y - 14, f"x[{step.row}, {step.col}]·W = {v}·W", size=TEXT_PX, anchor="start")
        grid = np.full(st.canvas.shape, np.nan)
        grid[step.top : step.top + KH, step.left : step.left + KW] = step.stamp
        fills = [[STAMP_FILL if np.isfinite(grid[r, q]) else PLAIN for q in range(cw)] for r in range(ch)]
        number_grid(svg, grid, x, y, c, fills=fills, fmt=lambda a: "" if not np.isfinite(a) else fmt(a))
        svg.rect(x + step.left * c, y + step.top * c, KW * c, KH * c, stroke=STAMP_EDGE, stroke_width=3)
        if k % per_row:
            svg.text(x - 15, y + ch * c / 2, "+", size=TITLE_PX, weight="bold")
    return svg.to_string()


# -- the overlap map (checkerboard) ----------------------------------------------------------------------------
OV_BOX, OV_CELL_MAX, IMG_BOX = 392, 40, 240
OV_TOP = 72
OV_HEIGHT = OV_TOP + OV_BOX + 34 + 28


def draw_overlap(ov: OverlapMap, image: np.ndarray | None = None) -> str:
    """The SVG of ``ov``: stamps per output pixel (number, tint), interior dashed; ``image`` beside it on a gray scale.

    :data:`WIDTH` × :data:`OV_HEIGHT` px whatever the kernel and stride: the cells shrink as the output grows.
    """
    n = ov.counts.shape[0]
    cell = min(OV_CELL_MAX, OV_BOX // n)
    svg = Svg(WIDTH, OV_HEIGHT, title=f"overlap of the stamps, K={ov.kernel_size}, S={ov.stride}")
    _patterns(svg)
    k, s = ov.kernel_size, ov.stride
    verdict = "holes" if k < s else "uneven: a checkerboard" if ov.uneven else "even inside"
    svg.text(MARGIN, 18, f"{ov.size}×{ov.size} input, kernel {k}, stride {s}: K % S = {k % s} → {verdict}",
             size=TITLE_PX, anchor="start", weight="bold")
    svg.text(MARGIN, 46, "stamps over each output pixel", anchor="start")
    most = max(v for v in np.ravel(ov.counts))
    a, b = ov.interior
    for r in range(n):
        for q in range(n):
            v = int(ov.counts[r, q])
            face = f"url(#{NONE_PATTERN})" if v == 0 else (MOST_FILL if v == most else FEW_FILL)
            svg.rect(MARGIN + q * cell, OV_TOP + r * cell, cell, cell, fill=face, stroke="#777777")
            if cell >= 22:
                svg.text(MARGIN + (q + 0.5) * cell, OV_TOP + (r + 0.5) * cell, str(v))
    svg.rect(MARGIN + a * cell, OV_TOP + a * cell, (b - a) * cell, (b - a) * cell, stroke="#000000",
             stroke_width=3, dash="7 4")
    inside = ", ".join(map(str, ov.interior_values))
    svg.text(MARGIN, OV_TOP + OV_BOX + 12, f"inside the dashed frame (far from the border): {inside}",
             anchor="start")
    ly = OV_TOP + OV_BOX + 34
    for i, (label, face) in enumerate(((f"most stamps ({most})", MOST_FILL), ("fewer", FEW_FILL),
                                       ("none: a hole (hatched)", f"url(#{NONE_PATTERN})"))):
        x = MARGIN + i * 230
        svg.rect(x, ly, 24, 20, fill=face, stroke="#777777")
        svg.text(x + 30, ly + 10, label, anchor="start")
    if image is not None:
        _draw_image(svg, image, MARGIN + OV_BOX + 40, OV_TOP)
    return svg.to_string()


def _draw_image(svg: Svg, image: np.ndarray, x: float, y: float) -> None:
    h, w = image.shape
    scale = IMG_BOX / max(h, w)
    svg.text(x, 46, "a constant image, upsampled", anchor="start")
    svg.image(x, y, w * scale, h * scale, array_png(image, "gray", 0.0, 1.0))
    svg.rect(x, y, w * scale, h * scale, stroke="#333333")
    colorbar(svg, x + IMG_BOX + 14, y, IMG_BOX, "gray", 0.0, 1.0, ticks=(0.0, 0.5, 1.0))
    lo, hi = float(image.min()), float(image.max())
    svg.text(x, y + IMG_BOX + 22, f"values {format_value(lo)} … {format_value(hi)}", anchor="start")


# -- the output size along one axis ------------------------------------------------------------------------------
TS_LINE, TS_FORMULA_ROWS, TS_WRAP = 24, 4, 78
TS_INPUT_TOP = 40 + TS_FORMULA_ROWS * TS_LINE + 30
TS_ROW = 26  # the input row, the canvas row, the output row
TS_STAMPS_TOP = TS_INPUT_TOP + TS_ROW + 30
TS_STAMP_PITCH, TS_MAX_STAMPS = 18, 8
TS_CANVAS_TOP = TS_STAMPS_TOP + TS_MAX_STAMPS * TS_STAMP_PITCH + 34
TS_OUT_TOP = TS_CANVAS_TOP + TS_ROW + 40
TS_LEGEND_TOP = TS_OUT_TOP + TS_ROW + 44
TS_HEIGHT = TS_LEGEND_TOP + 2 * 28 + 8
TS_X, TS_BOX, TS_CELL_MAX = 150, 640, 32
ZERO_MARK_MIN_CELL = 18  # narrower zero cells keep only their dotted outline (an 18 px "0" is 11.5 px wide)


def _zero_mark(svg: Svg, x: float, y: float, cell: float) -> None:
    """A "0" centred on the cell at ``x`` (``cell`` px wide) at height ``y``, where it fits: not only dotted."""
    if cell >= ZERO_MARK_MIN_CELL:
        svg.text(x + cell / 2, y, "0")


def draw_transpose_size(lay: TransposeLayout) -> str:
    """The SVG of ``lay``: formula on top, input spread ``S`` apart, stamps, canvas, output, legend.

    Always :data:`WIDTH` × :data:`TS_HEIGHT` px; cells are ``min(32, 640 / canvas)`` px wide.
    A setting PyTorch refuses (``lay.error``) keeps that size: the title ends in
    "refused", the canvas is drawn with what the padding would cut, and
    the explanation, marked ✗, takes the place of the output and the legend.
    """
    result = "refused" if lay.error else str(lay.out_size)
    svg = Svg(WIDTH, TS_HEIGHT, title=f"transposed convolution: {lay.size} → {result}")
    _patterns(svg)
    head = (f"input {lay.size}, kernel {lay.kernel_size}, stride {lay.stride}, padding {lay.padding}, "
            f"output_padding {lay.output_padding}" + (f", dilation {lay.dilation}" if lay.dilation != 1 else "")
            + f" → {result}")
    svg.text(MARGIN, 18, head, size=TEXT_PX, anchor="start", weight="bold")
    rows = [*lay.formula.splitlines(), *textwrap.wrap(lay.conv_back, TS_WRAP)][:TS_FORMULA_ROWS]
    for r, line in enumerate(rows):
        indent = (len(line) - len(line.lstrip(" "))) * 0.5 * TEXT_PX  # SVG collapses leading spaces
        svg.text(MARGIN + indent, 40 + (r + 0.5) * TS_LINE, line.strip(), anchor="start")
    n = lay.canvas_size
    cell = min(TS_CELL_MAX, TS_BOX / n)
    x0 = TS_X
    label = lambda y, text: svg.text(TS_X - 10, y, text, anchor="end")  # noqa: E731
    label(TS_INPUT_TOP + TS_ROW / 2, "input x")
    for i, start in enumerate(lay.starts):  # the input pixel sits above where its stamp starts
        svg.rect(x0 + start * cell, TS_INPUT_TOP, cell, TS_ROW, fill=STAMP_FILL, stroke=STAMP_EDGE)
    svg.text(x0, TS_INPUT_TOP - 14, f"spread {lay.stride} apart: pixel i at i·S", anchor="start")
    label(TS_STAMPS_TOP + TS_MAX_STAMPS * TS_STAMP_PITCH / 2, "stamps")
    pitch = TS_MAX_STAMPS * TS_STAMP_PITCH / max(len(lay.starts), TS_MAX_STAMPS)
    for i, start in enumerate(lay.starts):
        y = TS_STAMPS_TOP + i * pitch
        svg.rect(x0 + start * cell, y + 2, lay.k_eff * cell, pitch - 4, fill=STAMP_FILL, stroke=STAMP_EDGE)
        for t in range(0, lay.k_eff, lay.dilation):  # the taps
            _circle(svg, x0 + (start + t + 0.5) * cell, y + pitch / 2, max(2.0, min(0.15 * cell, 4.0)), STAMP_EDGE)
    covered = np.zeros(n, dtype=bool)
    for start in lay.starts:
        covered[start : start + lay.k_eff : lay.dilation] = True
    label(TS_CANVAS_TOP + TS_ROW / 2, "canvas")
    keep = range(lay.out_start, lay.out_start + lay.out_size)
    for c in range(n):
        face = (f"url(#{CUT_PATTERN})" if c not in keep else STAMP_FILL if covered[c] else EMPTY_FILL)
        svg.rect(x0 + c * cell, TS_CANVAS_TOP, cell, TS_ROW, fill=face, stroke="#777777",
                 dash=None if covered[c] else "3 3")  # a zero cell is dotted, hatched too where it is cut
        if not covered[c]:
            _zero_mark(svg, x0 + c * cell, TS_CANVAS_TOP + TS_ROW / 2, cell)
    svg.text(x0, TS_CANVAS_TOP + TS_ROW + 18, f"the stamps cover (H − 1)·S + D·(K − 1) + 1 = {lay.span} cells",
             anchor="start")
    if lay.error:  # no output row: the reason instead, where the output and the legend would be
        for r, line in enumerate(textwrap.wrap("✗ " + lay.error, TS_WRAP)):
            svg.text(MARGIN, TS_OUT_TOP + (r + 0.5) * TS_LINE, line, anchor="start", fill=REFUSED_TEXT)
        return svg.to_string()
    label(TS_OUT_TOP + TS_ROW / 2, "output")
    for c in keep:
        svg.rect(x0 + c * cell, TS_OUT_TOP, cell, TS_ROW, fill=STAMP_FILL if covered[c] else EMPTY_FILL,
                 stroke="#000000", stroke_width=1.5, dash=None if covered[c] else "3 3")
        if not covered[c]:
            _zero_mark(svg, x0 + c * cell, TS_OUT_TOP + TS_ROW / 2, cell)
    op, p = lay.output_padding, lay.padding
    added = f"{op} zero{'s' if op > 1 else ''} added, then " if op else ""
    svg.text(x0, TS_OUT_TOP + TS_ROW + 18, f"H_out = {lay.span}" + (f" + {op}" if op else "") + f" − 2·{p} = "
             f"{lay.out_size}: " + added + (f"{p} cut at each end" if p else "nothing cut"), anchor="start")
    legend = ((STAMP_FILL, None, "stamped"), (f"url(#{CUT_PATTERN})", None, "cut by padding (×)"),
              (EMPTY_FILL, "3 3", "no stamp: 0 (dotted)"))
    for i, (face, dash, text) in enumerate(legend):
        x = MARGIN + i * 260
        svg.rect(x, TS_LEGEND_TOP, 24, 20, fill=face, stroke="#777777", dash=dash)
        if dash:
            _zero_mark(svg, x, TS_LEGEND_TOP + 10, 24)
        svg.text(x + 30, TS_LEGEND_TOP + 10, text, anchor="start")
    svg.text(MARGIN, TS_LEGEND_TOP + 40, "dots: where the kernel's taps land (every D-th cell)", anchor="start")
    return svg.to_string()
