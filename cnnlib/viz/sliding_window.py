"""The sliding window drawn as SVG, one step at a time: the input with the window, kernel, products, output so far.

:func:`draw_conv_step` draws one step of a
:class:`~cnnlib.demos.sliding_window.SlidingWindow` (from
:func:`~cnnlib.demos.sliding_window.sliding_window_steps`) as an SVG string,
left to right: the (padded) input with the window outlined, the kernel, the
products ``patch ⊙ k`` with their sum, and the output filled so far with the
current cell outlined. The step's equation is the title, and the caption says
where the window starts. Every index is a cell of the *padded* input: the row
and column numbers beside the input, the window's corner in the caption.

:func:`sliding_window_animation` puts every step in one looping SVG (for
``images/``): the parts that never move are drawn once, each step is one
``<g data-step=i>``, the very group :func:`draw_conv_step` draws, shown in turn.

Colour is never the only cue: the window and its output cell are a light
tint *and* a thick outline, padding cells are gray *and* dashed *and* named
in the legend, cells not computed yet say ``?``. Colours mark kinds of cells,
not values: the numbers are written in the cells.

>>> from cnnlib.demos.sliding_window import SEED_INPUT, SEED_KERNEL, sliding_window_steps
>>> svg = draw_conv_step(sliding_window_steps(SEED_INPUT, SEED_KERNEL), 1)
>>> "out[0, 1] = 2·1 + 3·0 + 1·(-1) + 2·1 = 3" in svg
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..demos.formatting import format_value
from ..demos.sliding_window import SlidingWindow, step_equation
from .backprop import tint
from .palette import OKABE_ITO
from .svg import Svg

CELL = 36  # px per cell, at least: wide enough for "-12" at 18 px
GAP = 28  # px between grids
MARGIN = 8
VALUE_PX, TITLE_PX = 18, 20  # every text is at least svg.MIN_FONT_PX (18)
LINE, TITLE_LINE = 26, 28  # px per line of 18 px and of 20 px text
MAX_WIDTH = 800  # the ~820 px of a notebook cell at 1024×768: titles wrap to fit

PLAIN, PENDING_TEXT = "#FFFFFF", "#777777"
WINDOW_EDGE = OKABE_ITO["bluish green"]  # the lessons' "green window": thick outline
WINDOW_FILL = tint(WINDOW_EDGE, 0.25)  # the window's cells, their products, its output cell
# Zero padding: gray, dashed, in the legend. Its zeros are black like every number: under the window's see-through
# tint a #333333 zero on gray fell to 4.1:1 contrast; black keeps 6.5:1 there (11:1 outside the window).
PADDING_FILL, PADDING_DASH = "#BDBDBD", "4 3"
KERNEL_FILL = tint(OKABE_ITO["orange"], 0.3)
#: The cell colours side by side (tests check them for colour-vision deficiency).
CATEGORY_COLORS = [PLAIN, PADDING_FILL, WINDOW_FILL, KERNEL_FILL]


def _text_width(text: str, size: float = VALUE_PX) -> float:
    """About how wide ``text`` is in px (DejaVu Sans averages 0.6 em per character)."""
    return 0.6 * size * len(text)


def _wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` as lines no wider than ``width`` px, broken before `` + ``."""
    parts = text.split(" + ")
    lines, current = [], parts[0]
    for part in parts[1:]:
        if _text_width(current + " + " + part, size) > width:
            lines.append(current)
            current = "+ " + part
        else:
            current += " + " + part
    return lines + [current]


def step_title(sw: SlidingWindow, index: int) -> str:
    """``step 2 of 9:  out[0, 1] = 2·1 + … = 3``: the title of step ``index`` (0-based)."""
    return f"step {index + 1} of {len(sw.steps)}:  {step_equation(sw.steps[index], sw.kernel)}"


def step_caption(sw: SlidingWindow, index: int) -> list[str]:
    """The two caption lines of step ``index``: where the window's top-left corner is, in padded-input cells."""
    s, S = sw.steps[index], sw.stride
    where = "the padded input" if _is_padded(sw) else "the input"
    return [f"stride {S}: the window's top-left corner is at (row·{S}, col·{S})",
            f"= ({s.row}·{S}, {s.col}·{S}) = ({s.top}, {s.left}) of {where}"]


def _is_padded(sw: SlidingWindow) -> bool:
    return any(p for side in sw.padding for p in side)


@dataclass(frozen=True)
class StepLayout:
    """Where everything goes: one layout per :class:`SlidingWindow`, so every step has the same size."""

    width: float
    height: float
    cell: float
    title_lines: int  # the most lines any step's title wraps to (at MAX_WIDTH)
    x_input: float  # left edge of the input grid (row numbers sit left of it)
    x_kernel: float
    x_products: float
    x_output: float
    y_block_titles: float
    y_grids: float
    y_caption: float
    y_legend: float


def step_layout(sw: SlidingWindow) -> StepLayout:
    """The :class:`StepLayout` of ``sw``: fixed by its shapes and numbers, never by the step."""
    (hp, wp), (kh, kw), (ho, wo) = sw.padded.shape, sw.kernel.shape, sw.output.shape
    numbers = [*sw.padded.ravel(), *sw.kernel.ravel(), *sw.output.ravel(), *np.ravel([s.products for s in sw.steps])]
    cell = max(CELL, math.ceil(max(_text_width(format_value(v)) for v in numbers) + 12))
    row_numbers = math.ceil(_text_width(str(hp - 1)) + 10)
    names = _block_titles(sw)
    sums = max(_text_width(f"sum = {format_value(s.value)}") for s in sw.steps)
    blocks = [max(wp * cell, _text_width(names[0], TITLE_PX)), max(kw * cell, _text_width(names[1], TITLE_PX)),
              max(kw * cell, _text_width(names[2], TITLE_PX), sums), max(wo * cell, _text_width(names[3], TITLE_PX))]
    x = [MARGIN + row_numbers]  # left edges of the grids: input, kernel, products, output
    for w in blocks[:-1]:
        x.append(x[-1] + w + GAP)
    titles = [_wrap(step_title(sw, i), MAX_WIDTH - 2 * MARGIN, TITLE_PX) for i in range(len(sw.steps))]
    texts = [_text_width(line, TITLE_PX) for lines in titles for line in lines]
    texts += [_text_width(line) for i in range(len(sw.steps)) for line in step_caption(sw, i)]
    texts.append(_legend_width(sw))
    width = math.ceil(max(x[-1] + blocks[-1], max(texts) + MARGIN) + MARGIN)
    title_lines = max(len(lines) for lines in titles)
    y_block_titles = MARGIN + title_lines * TITLE_LINE + 14
    y_grids = y_block_titles + TITLE_LINE + LINE  # block titles, then the input's column numbers
    grids_height = max(hp * cell, ho * cell, kh * cell + LINE + 12)
    y_caption = y_grids + grids_height + 16
    y_legend = y_caption + 2 * LINE + 10
    return StepLayout(width, y_legend + LINE + MARGIN, cell, title_lines, *x,
                      y_block_titles, y_grids, y_caption, y_legend)


def _block_titles(sw: SlidingWindow) -> list[str]:
    h_out, w_out = sw.output.shape
    return ["padded input x" if _is_padded(sw) else "input x", "kernel k", "patch ⊙ k", f"output {h_out}×{w_out}"]


def _legend_entries(sw: SlidingWindow) -> list[tuple[str, str]]:
    """``(kind, label)`` of each legend entry."""
    entries = [("window", "window / current cell")]
    if _is_padded(sw):
        entries.append(("padding", "zero padding"))
    return entries + [("pending", "not computed yet")]


def _legend_width(sw: SlidingWindow) -> float:
    return sum(26 + _text_width(label) + 22 for _, label in _legend_entries(sw))


def _padding_mask(sw: SlidingWindow) -> np.ndarray:
    (top, bottom), (left, right) = sw.padding
    mask = np.ones(sw.padded.shape, dtype=bool)
    mask[top:sw.padded.shape[0] - bottom, left:sw.padded.shape[1] - right] = False
    return mask


def _cells(svg: Svg, values, x0: float, y0: float, cell: float, fills, dashed=None) -> None:
    """Cells with their numbers (black; gray "?" where not computed yet): ``fills[r][c]``, ``dashed[r][c]`` (a dashed
    border)."""
    for (r, c), v in np.ndenumerate(np.asarray(values, dtype=float)):
        x, y = x0 + c * cell, y0 + r * cell
        dash = PADDING_DASH if dashed is not None and dashed[r][c] else None
        svg.rect(x, y, cell, cell, fill=fills[r][c], stroke="#555555", stroke_width=1.5 if dash else 1, dash=dash)
        color = "#000000" if np.isfinite(v) else PENDING_TEXT
        svg.text(x + cell / 2, y + cell / 2, format_value(v), size=VALUE_PX, fill=color)


def _draw_frame(svg: Svg, sw: SlidingWindow, lay: StepLayout) -> None:
    """What every step shares: block titles, the input with its row and column numbers, the kernel, the legend."""
    (hp, wp), (kh, kw) = sw.padded.shape, sw.kernel.shape
    cell, y = lay.cell, lay.y_grids
    titles = _block_titles(sw)
    for x0, title in zip((lay.x_input, lay.x_kernel, lay.x_products, lay.x_output), titles):
        svg.text(x0, lay.y_block_titles + TITLE_LINE / 2, title, size=TITLE_PX, anchor="start", weight="bold")
    for c in range(wp):  # indices of the padded input: the caption's coordinates
        svg.text(lay.x_input + (c + 0.5) * cell, y - LINE / 2, str(c), size=VALUE_PX, fill="#444444")
    for r in range(hp):
        svg.text(lay.x_input - 8, y + (r + 0.5) * cell, str(r), size=VALUE_PX, anchor="end", fill="#444444")
    pad = _padding_mask(sw)
    svg.items.append('<g data-grid="input">')
    _cells(svg, sw.padded, lay.x_input, y, cell, np.where(pad, PADDING_FILL, PLAIN), dashed=pad)
    svg.items.append("</g>")
    svg.items.append('<g data-grid="kernel">')
    _cells(svg, sw.kernel, lay.x_kernel, y, cell, np.full((kh, kw), KERNEL_FILL))
    svg.items.append("</g>")
    x = MARGIN
    for kind, label in _legend_entries(sw):
        ly = lay.y_legend + LINE / 2
        if kind == "window":
            svg.rect(x, ly - 10, 20, 20, fill=WINDOW_FILL, stroke=WINDOW_EDGE, stroke_width=3)
        elif kind == "padding":
            svg.rect(x, ly - 10, 20, 20, fill=PADDING_FILL, stroke="#555555", stroke_width=1.5, dash=PADDING_DASH)
        else:
            svg.rect(x, ly - 10, 20, 20, fill=PLAIN, stroke="#555555")
            svg.text(x + 10, ly, "?", size=VALUE_PX, fill=PENDING_TEXT)
        svg.text(x + 26, ly, label, size=VALUE_PX, anchor="start")
        x += 26 + _text_width(label) + 22


def _draw_step(svg: Svg, sw: SlidingWindow, index: int, lay: StepLayout, *, visibility: str = "",
               animate: str = "") -> None:
    """One step as ``<g data-step=index>``: title, window, products and sum, output so far, caption.

    ``visibility`` and ``animate`` (an SMIL element) are for the animation: when the group shows.
    """
    s = sw.steps[index]
    (kh, kw), (ho, wo) = sw.kernel.shape, sw.output.shape
    cell, y = lay.cell, lay.y_grids
    shown = f' visibility="{visibility}"' if visibility else ""
    svg.items.append(f'<g data-step="{index}"{shown}>{animate}')
    for k, line in enumerate(_wrap(step_title(sw, index), MAX_WIDTH - 2 * MARGIN, TITLE_PX)):
        svg.text(MARGIN, MARGIN + (k + 0.5) * TITLE_LINE, line, size=TITLE_PX, anchor="start", weight="bold")
    # the window: a see-through tint over the input's cells (drawn once, in the frame), outlined
    svg.rect(lay.x_input + s.left * cell, y + s.top * cell, kw * cell, kh * cell, fill=WINDOW_EDGE, opacity=0.25,
             stroke=WINDOW_EDGE, stroke_width=4)
    _cells(svg, s.products, lay.x_products, y, cell, np.full((kh, kw), WINDOW_FILL))
    svg.text(lay.x_products, y + kh * cell + LINE / 2 + 6, f"sum = {format_value(s.value)}", size=VALUE_PX,
             anchor="start", weight="bold")
    fills = np.full((ho, wo), PLAIN, dtype=object)
    fills[s.row, s.col] = WINDOW_FILL
    _cells(svg, sw.partial_output(index), lay.x_output, y, cell, fills)
    svg.rect(lay.x_output + s.col * cell, y + s.row * cell, cell, cell, stroke=WINDOW_EDGE, stroke_width=4)
    for k, line in enumerate(step_caption(sw, index)):
        svg.text(MARGIN, lay.y_caption + (k + 0.5) * LINE, line, size=VALUE_PX, anchor="start")
    svg.items.append("</g>")


def draw_conv_step(sw: SlidingWindow, index: int) -> str:
    """The SVG (a string) of step ``index`` of ``sw``: input with the window, kernel, products, output so far.

    ``index`` runs over ``0 .. len(sw.steps) - 1``; every step of ``sw`` has the same size.
    """
    if not 0 <= index < len(sw.steps):
        raise ValueError(f"step index must be in 0..{len(sw.steps) - 1}, got {index}.")
    lay = step_layout(sw)
    svg = Svg(lay.width, lay.height, title=f"sliding window, {step_title(sw, index)}")
    _draw_frame(svg, sw, lay)
    _draw_step(svg, sw, index, lay)
    return svg.to_string()


def sliding_window_animation(sw: SlidingWindow, frame_ms: int = 1200) -> str:
    """Every step of ``sw`` in one looping SVG, ``frame_ms`` each (SMIL: no script, plays in an ``<img>``).

    The frame is drawn once; step ``i`` is the group :func:`draw_conv_step` draws,
    visible from ``i·frame_ms`` for ``frame_ms``. Without SMIL, step 1 shows.
    """
    if frame_ms <= 0:
        raise ValueError(f"frame_ms must be a positive number of milliseconds, got {frame_ms}.")
    n = len(sw.steps)
    lay = step_layout(sw)
    svg = Svg(lay.width, lay.height, title=f"sliding window: all {n} steps, {frame_ms} ms each")
    _draw_frame(svg, sw, lay)
    for i in range(n):
        _draw_step(svg, sw, i, lay, visibility="visible" if i == 0 else "hidden",
                   animate=_visibility_animation(i, n, frame_ms))
    return svg.to_string()


def _visibility_animation(i: int, n: int, frame_ms: int) -> str:
    """SMIL that shows step ``i`` of ``n`` during its ``frame_ms``, looping forever (nothing for one step)."""
    if n == 1:
        return ""
    values, times = ["hidden", "visible", "hidden"], [0, i / n, (i + 1) / n]  # discrete: each holds until the next
    if i == 0:
        values, times = values[1:], [0, 1 / n]
    elif i == n - 1:
        values, times = values[:2], times[:2]
    return (f'<animate attributeName="visibility" values="{";".join(values)}" '
            f'keyTimes="{";".join(f"{t:.6g}" for t in times)}" calcMode="discrete" dur="{n * frame_ms}ms" '
            'repeatCount="indefinite"/>')
