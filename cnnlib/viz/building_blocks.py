"""Lesson 12's figures (SVG): gradient size through depth, stacked 3×3 against one big kernel, the timeline.

Each draws what :mod:`cnnlib.demos.building_blocks` computed:

* :func:`draw_depth_gradients`: a log-scale plot of a :class:`~cnnlib.demos.building_blocks.DepthGradients`,
  plain stack dashed with squares, residual stack solid with circles, each named in a legend;
* :func:`draw_stack_vs_single`: the receptive field of ``n`` stacked 3×3 convs on the input grid, and the
  weights of the stack against one ``(2n+1)×(2n+1)`` conv as two labelled bars;
* :func:`draw_timeline`: LeNet-5 → VGG-16 → ResNet-50, each with its year, the ideas it added and its
  parameter count in a solid box (counted by cnnlib) or a dashed one (quoted, not built here).

Every figure has a fixed size (a widget's redraw never moves the page), is at most 780 px wide and has no
text under 18 px.
"""
from __future__ import annotations

import math

from ..demos.building_blocks import DepthGradients, KernelStack, Milestone
from .palette import OKABE_ITO
from .svg import Svg, marker

WIDTH = 780  # px: fits the ~820 px of a notebook cell at 1024×768
TITLE_PX, TEXT_PX = 20, 18
PLAIN_COLOR, RESIDUAL_COLOR = OKABE_ITO["vermillion"], OKABE_ITO["blue"]
PLAIN_DASH = "8 5"  # the plain stack: dashed line, square markers; the residual stack: solid, circles
STACK_COLOR, SINGLE_COLOR = OKABE_ITO["blue"], OKABE_ITO["orange"]
FIELD_FILL = "#ABD9F4"  # a light tint of Okabe–Ito sky blue: the input pixels one unit sees

# -- gradient size through depth -------------------------------------------------------------------------
PLOT_SIZE = (WIDTH, 480)
PLOT_BOX = (100, 136, 740, 394)  # left, top, right, bottom of the axes, px


def times_text(v: float) -> str:
    """A ratio as the figure writes it: ``5.1``, ``74``, ``2.3e−17`` (at full size, like :func:`decade_label`).

    >>> times_text(74.39), times_text(2.3e-17), times_text(9.96e-5)
    ('74', '2.3e−17', '1e−4')
    """
    if 0.01 <= v < 10:
        return f"{v:.2g}"
    if 10 <= v < 1000:
        return f"{v:.0f}"
    mantissa, k = f"{v:.1e}".split("e")  # '2.3', '-17': the rounding already carried into the exponent
    return f"{float(mantissa):g}e{int(k)}".replace("-", "−")


def decade_label(k: int) -> str:
    """The tick label of ``10**k``, written plainly at full size (a superscript is too small to read projected).

    >>> [decade_label(k) for k in (-2, -1, 0, 1, 3)], decade_label(-9), decade_label(7)
    (['0.01', '0.1', '1', '10', '1000'], '1e−9', '1e7')
    """
    if -4 <= k <= 5:
        return f"{10.0 ** k:.{max(0, -k)}f}"
    return f"1e{k}".replace("-", "−")


HEADROOM_PX = 16  # no point of a line nearer than this to the top or bottom of the frame: a marker stays inside


def log_axis(values, height: float, headroom: float = HEADROOM_PX) -> tuple[int, int, int]:
    """``(lo, hi, step)``: the decades ``10**lo … 10**hi`` of a log axis ``height`` px tall, labelled every ``step``.

    Starts from :func:`decade_range`, keeps at most 7 labelled decades, and adds a decade at an end while a
    value would come within ``headroom`` px of it.

    >>> log_axis([1.0, 74.0], 258)   # 74 is 11 px under 10² on -1…2: one more decade
    (-1, 3, 1)
    """
    logs = [math.log10(v) for v in values if v > 0]
    lo, hi = decade_range(values)
    while True:
        step = max(1, math.ceil((hi - lo) / 6))
        start = hi - step * math.ceil((hi - lo) / step)
        per_decade = height / (hi - start)
        if (hi - max(logs)) * per_decade < headroom:
            hi += 1
        elif (min(logs) - start) * per_decade < headroom:
            lo -= 1
        else:
            return start, hi, step


def decade_range(values) -> tuple[int, int]:
    """The smallest span of powers of ten, at least ``10⁻¹ … 10¹``, that holds every value."""
    logs = [math.log10(v) for v in values if v > 0]
    return min(-1, math.floor(min(logs))), max(1, math.ceil(max(logs)))


def draw_depth_gradients(g: DepthGradients) -> str:
    """``‖dL/dx_l‖`` relative to the top, block by block, plain (dashed, squares) and residual (solid, circles)."""
    width, height = PLOT_SIZE
    left, top, right, bottom = PLOT_BOX
    svg = Svg(width, height, title=f"gradient size through {g.depth} blocks, plain and with skips")
    blocks = "Conv + BatchNorm + ReLU" if g.batchnorm else "Conv + ReLU"
    svg.text(8, 18, "‖dL/dx‖ at each block's input, relative to the top", size=TITLE_PX, anchor="start",
             weight="bold")
    init = "He init" if g.init == "he" else "uniform init (PyTorch's default)"
    svg.text(8, 46, f"{g.depth} blocks of {blocks}, {init}", size=TEXT_PX, anchor="start")
    lo, hi, step = log_axis([*g.plain, *g.residual], bottom - top)  # at most 7 labelled decades, room at both ends

    def y_of(v: float) -> float:
        return bottom - (math.log10(v) - lo) / (hi - lo) * (bottom - top)

    def x_of(layer: int) -> float:
        return left + layer / g.depth * (right - left)

    with svg.group("axes"):
        for k in range(lo, hi + 1, step):
            y = y_of(10.0 ** k)
            svg.line(left, y, right, y, stroke="#DDDDDD" if k else "#888888", stroke_width=1)
            svg.text(left - 8, y, decade_label(k), size=TEXT_PX, anchor="end")
        svg.rect(left, top, right - left, bottom - top, stroke="#333333")
        ticks = sorted({0, g.depth, *range(0, g.depth + 1, 10 if g.depth > 20 else 5)})
        for t in ticks:
            svg.line(x_of(t), bottom, x_of(t), bottom + 5, stroke="#333333", stroke_width=1)
            svg.text(x_of(t), bottom + 18, str(t), size=TEXT_PX)
        svg.text((left + right) / 2, bottom + 46, "block number   (0: the network's input; the top on the right)",
                 size=TEXT_PX)
    for i, (name, values, color, dash, shape) in enumerate((
            ("plain", g.plain, PLAIN_COLOR, PLAIN_DASH, "s"),
            ("residual", g.residual, RESIDUAL_COLOR, None, "o"))):
        with svg.group(f"{name} stack"):
            points = [(x_of(layer), y_of(v)) for layer, v in enumerate(values)]
            svg.polyline(points, stroke=color, stroke_width=3, dash=dash)
            every = max(1, g.depth // 20)  # at most ~20 markers per line
            for layer in range(0, g.depth + 1, every):
                marker(svg, shape, *points[layer], size=11, fill=color, stroke="#222222")
        x0, legend_y = 8, 78 + 28 * i
        svg.polyline([(x0, legend_y), (x0 + 44, legend_y)], stroke=color, stroke_width=3, dash=dash)
        marker(svg, shape, x0 + 22, legend_y, size=12, fill=color, stroke="#222222")
        label = "plain stack" if name == "plain" else "with skips (Residual)"
        svg.text(x0 + 54, legend_y, f"{label}: {times_text(values[0])}× at the input", size=TEXT_PX, anchor="start")
    return svg.to_string()


# -- n stacked 3×3 convs against one (2n+1)×(2n+1) conv ---------------------------------------------------
STACK_SIZE = (WIDTH, 380)
MAX_STACKED = 4  # the grid has room for the field of 4 stacked 3×3 convs (9×9)
FIELD_CELL = 26


def draw_stack_vs_single(s: KernelStack) -> str:
    """The field of ``n`` stacked 3×3 convs on a 9×9 input patch, and both weight counts as bars (units of C²)."""
    if not 1 <= s.n_stacked <= MAX_STACKED:
        raise ValueError(f"draw_stack_vs_single draws 1 to {MAX_STACKED} stacked convs, got {s.n_stacked}. "
                         "Hint: the 9×9 grid holds the field of at most 4 stacked 3×3 convs.")
    width, height = STACK_SIZE
    n, k, C = s.n_stacked, s.kernel_size, s.channels
    svg = Svg(width, height, title=f"{n} stacked 3×3 convs against one {k}×{k} conv")
    bias = " + biases" if s.bias else ", no biases"
    svg.text(8, 18, f"{n} × conv 3×3 against one conv {k}×{k}, C = {C} channels{bias}", size=TITLE_PX,
             anchor="start", weight="bold")
    # the input patch: the field of one output unit (centre), each layer's reach outlined
    side = 2 * MAX_STACKED + 1
    x0, y0 = 8, 80
    centre = MAX_STACKED
    reach = s.stack_rf // 2
    svg.text(x0, y0 - 24, "input pixels one unit sees", size=TEXT_PX, anchor="start")
    with svg.group("receptive field"):
        for r in range(side):
            for c in range(side):
                inside = abs(r - centre) <= reach and abs(c - centre) <= reach
                svg.rect(x0 + c * FIELD_CELL, y0 + r * FIELD_CELL, FIELD_CELL, FIELD_CELL,
                         fill=FIELD_FILL if inside else "#FFFFFF", stroke="#999999")
        for layer in range(1, n + 1):  # after layer l the field is (2l+1)×(2l+1)
            a = centre - layer
            svg.rect(x0 + a * FIELD_CELL, y0 + a * FIELD_CELL, (2 * layer + 1) * FIELD_CELL,
                     (2 * layer + 1) * FIELD_CELL, stroke=OKABE_ITO["blue"], stroke_width=3 if layer == n else 1.5,
                     dash=None if layer == n else "5 4")
        marker(svg, "X", x0 + (centre + 0.5) * FIELD_CELL, y0 + (centre + 0.5) * FIELD_CELL, size=14)
    svg.text(x0, y0 + side * FIELD_CELL + 22, f"field {s.stack_rf}×{s.stack_rf} (one {k}×{k}: {s.single_rf}×"
             f"{s.single_rf})", size=TEXT_PX, anchor="start")
    if n > 1:
        earlier = "conv 1" if n == 2 else f"convs 1…{n - 1}"
        svg.text(x0, y0 + side * FIELD_CELL + 48, f"dashed: after {earlier}", size=TEXT_PX, anchor="start")
    # the weights as bars, in units of C²: n·9 against (2n+1)², scaled to the largest, 81
    bx, bw = 290, WIDTH - 290 - 16
    scale = bw / (2 * MAX_STACKED + 1) ** 2
    rows = ((f"{n} × conv 3×3: {n}·9·C² = {9 * n}·C²", 9 * n, s.stack_params, s.stack_formula, STACK_COLOR,
             "stack"),
            (f"one conv {k}×{k}: {k}²·C² = {k * k}·C²", k * k, s.single_params, s.single_formula, SINGLE_COLOR,
             "single"))
    for i, (label, units, params, formula, color, name) in enumerate(rows):
        y = y0 + i * 120
        with svg.group(f"{name} weights"):
            svg.text(bx, y, label, size=TEXT_PX, anchor="start")
            svg.rect(bx, y + 18, units * scale, 36, fill=color, stroke="#222222", stroke_width=1.5)
            svg.text(bx, y + 76, f"summary(): {params:,} parameters" + ("" if params == formula else
                                                                      f" (formula: {formula:,})"),
                     size=TEXT_PX, anchor="start")
    svg.text(bx, y0 + 244, f"the stack: {9 * n}/{k * k} = {9 * n / (k * k):.0%} of the weights,", size=TEXT_PX,
             anchor="start")
    svg.text(bx, y0 + 270, f"{n} ReLU{'s' if n > 1 else ''} instead of 1", size=TEXT_PX, anchor="start")
    return svg.to_string()


# -- LeNet → VGG → ResNet ---------------------------------------------------------------------------------
ROW_H = 124
TIMELINE_TOP = 56
MODEL_COLORS = (OKABE_ITO["bluish green"], OKABE_ITO["orange"], OKABE_ITO["blue"])
MODEL_MARKERS = ("s", "^", "o")
BOX_X, BOX_W = 528, WIDTH - 528 - 8


def timeline_size(n: int) -> tuple[int, int]:
    """``(width, height)`` of a timeline of ``n`` milestones."""
    return WIDTH, TIMELINE_TOP + n * ROW_H + 64


def _params_text(n: int) -> str:
    """61,706 stays exact; millions are written as the papers write them (138M, 25.6M)."""
    return f"{n:,}" if n < 1_000_000 else f"{n / 1e6:.3g}M"


def draw_timeline(milestones: list[Milestone]) -> str:
    """One row per milestone, oldest on top: year, name, reference, the ideas it added, its parameter count."""
    width, height = timeline_size(len(milestones))
    svg = Svg(width, height, title="LeNet to VGG to ResNet: what each added")
    svg.text(8, 20, "what each network added", size=TITLE_PX, anchor="start", weight="bold")
    svg.text(width - 8, 20, "parameters", size=TITLE_PX, anchor="end", weight="bold")
    line_x = 24
    svg.line(line_x, TIMELINE_TOP + 20, line_x, TIMELINE_TOP + (len(milestones) - 1) * ROW_H + 20,
             stroke="#888888", stroke_width=3)
    for i, m in enumerate(milestones):
        y = TIMELINE_TOP + i * ROW_H
        color, shape = MODEL_COLORS[i % 3], MODEL_MARKERS[i % 3]
        with svg.group(f"milestone {m.name}"):
            marker(svg, shape, line_x, y + 20, size=20, fill=color, stroke="#222222", stroke_width=1.5)
            svg.text(50, y + 20, f"{m.year}  {m.name}", size=22, anchor="start", weight="bold")
            svg.text(272, y + 20, m.reference, size=TEXT_PX, anchor="start", fill="#444444")
            for j, idea in enumerate(m.ideas):
                svg.text(50, y + 52 + 26 * j, f"+ {idea}", size=TEXT_PX, anchor="start")
            quoted = m.counted != "cnnlib summary()"
            svg.rect(BOX_X, y + 40, BOX_W, 70, fill="#FFFFFF", stroke="#333333", stroke_width=2,
                     dash="7 5" if quoted else None)
            svg.text(BOX_X + BOX_W / 2, y + 62, _params_text(m.params), size=22, weight="bold")
            svg.text(BOX_X + BOX_W / 2, y + 90, m.counted, size=TEXT_PX)
    foot = TIMELINE_TOP + len(milestones) * ROW_H + 8
    svg.text(8, foot + 12, "solid box: counted here by cnnlib's summary();", size=TEXT_PX, anchor="start")
    svg.text(8, foot + 40, "dashed box: quoted, not built here.", size=TEXT_PX, anchor="start")
    return svg.to_string()
