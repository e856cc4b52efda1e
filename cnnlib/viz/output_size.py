r"""Where the windows go: the figure behind :math:`H_{out} = \lfloor (H + 2P - K_{eff})/S \rfloor + 1`.

:func:`draw_output_size` draws an :class:`~cnnlib.demos.output_size.OutputSizeLayout`
(the arithmetic along one axis, from :func:`~cnnlib.demos.output_size.output_size_layout`)
for a square input: the formula with the numbers in it (at the top, where a
student sees it next to the sliders), the window positions, the padded grid
and the output grid. Everything is in coordinates of the **padded** input
(0 = the first padding column), like the layout's ``starts`` and ``dropped``.

Cell categories are Okabe–Ito tints plus hatching (dropped ``xx``, skipped
``//``) and a legend, so colour is never the only cue.
"""
from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import offset_copy

from ..demos.output_size import OutputSizeLayout, cell_categories
from .grids import outline_cells
from .palette import OKABE_ITO
from .style import HIGHLIGHT, LABEL_SIZE, TITLE_SIZE, axes_at, reuse_figure

#: Cell fills by category (Okabe–Ito mixed with white), INPUT..SKIP of :mod:`cnnlib.demos.output_size`.
INPUT_FILL = "#c4e5f7"  # sky blue, 35 %
PAD_FILL = "#d9d9d9"  # neutral gray: zero padding
DROP_FILL = "#e8a673"  # vermillion, 55 %: cells the floor drops (hatched xx)
DROP_PAD_FILL = "#f2cfb2"  # vermillion, 30 %: padding cells the floor drops (hatched xx)
SKIP_FILL = "#f4ec7b"  # yellow, 70 %: cells between windows (hatched //)
CELL_FILLS = (INPUT_FILL, PAD_FILL, DROP_FILL, DROP_PAD_FILL, SKIP_FILL)
OUTPUT_FILL = "#b2e2d5"  # bluish green, 30 %
DROP_HATCH, SKIP_HATCH = "xx", "//"
DROP_TEXT, SKIP_TEXT = OKABE_ITO["vermillion"], "#7a6a00"  # the formula lines about them (dark enough to read)
_CELL_CMAP = ListedColormap(list(CELL_FILLS))
#: The legend: every cell category, with its fill and hatching.
LEGEND = (("input", INPUT_FILL, ""), ("zero padding", PAD_FILL, ""),
          ("dropped (floor)", DROP_FILL, DROP_HATCH), ("skipped (stride)", SKIP_FILL, SKIP_HATCH))
#: Fixed figure size (inches): a setting change never moves the sliders' page.
FIG_W, FIG_H = 9.6, 7.0
_LEFT, _TITLE_H, _LINE_H, _MAX_LINES = 0.9, 0.42, 0.25, 5
_GRID = 3.2  # the padded grid's largest side, inches
_STRIP_TITLE, _STRIP, _GAP = 0.3, 0.6, 0.45  # inches, above the grid
XLABEL = "column of the padded input (0 = first padding column)"
YLABEL = "row of the padded input"


def _title(lay: OutputSizeLayout) -> str:
    pad = lay.padding[0] if lay.padding[0] == lay.padding[1] else lay.padding
    dil = f", dilation {lay.dilation}" if lay.dilation != 1 else ""
    head = f"input {lay.size}×{lay.size}, kernel {lay.kernel_size}×{lay.kernel_size}, stride {lay.stride}, padding {pad}{dil}"
    if lay.error:
        return head + "  →  no valid output"
    return head + f"  →  output {lay.out_size}×{lay.out_size}"


def _line_color(lay: OutputSizeLayout, i: int, line: str) -> str:
    if (lay.dropped and "floor drops" in line) or (lay.error and i == len(lay.formula.splitlines()) - 1):
        return DROP_TEXT
    return SKIP_TEXT if "skipped" in line else "black"


def draw_output_size(layout: OutputSizeLayout, *, figure: Figure | None = None) -> Figure:
    """Draw ``layout`` for a square input: formula (top), window positions, padded grid, output grid, legend.

    The figure is always :data:`FIG_W` × :data:`FIG_H` inches and the formula
    lines sit at the top, so moving a slider never moves the page.
    Everything is drawn in one Axes, in units of one cell (y pointing down):
    one Axes and few tick labels keep a redraw fast enough for a slider.
    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    lay = layout
    span = lay.padded_size
    cell = min(_GRID / span, 0.55)  # inches per cell
    title = 0.1 / cell
    strip_top = -0.5 - (_GAP + _STRIP) / cell
    y0, y1 = strip_top - _STRIP_TITLE / cell, span - 0.5
    gap_x = 0.9 / cell
    right = max(lay.out_size, 1) if not lay.error else 4.4 / cell
    x0, x1 = -0.5, span - 0.5 + gap_x + right
    ax_w, ax_h = (x1 - x0) * cell, (y1 - y0) * cell
    top_in = _TITLE_H + _MAX_LINES * _LINE_H + 0.08  # the Axes' top, inches below the figure's top
    fig = reuse_figure(figure, FIG_W, FIG_H)
    ax = axes_at(fig, 0, (_LEFT / FIG_W, 1 - (top_in + ax_h) / FIG_H, ax_w / FIG_W, ax_h / FIG_H))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)
    for side in ax.spines.values():
        side.set_visible(False)
    _draw_padded_grid(ax, lay, title)
    _draw_window_strip(ax, lay, top=strip_top, height=_STRIP / cell, title=title)
    out_left = span - 0.5 + gap_x
    if lay.error:
        ax.text(out_left, (span - 1) / 2, textwrap.fill(lay.error, 40), color=DROP_TEXT, fontsize=LABEL_SIZE,
                va="center")
    else:
        _draw_output_grid(ax, lay, out_left, title)
    fig.suptitle(_title(lay), fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.1 / FIG_H, va="top")
    for i, line in enumerate(lay.formula.splitlines()):
        fig.text(0.3 / FIG_W, 1 - (_TITLE_H + _LINE_H * i) / FIG_H, line, fontsize=LABEL_SIZE + 1,
                 color=_line_color(lay, i, line), va="top")
    if not fig.legends:  # the same for every setting: drawn once, kept on redraws
        handles = [Patch(facecolor=fill, edgecolor="#555555", hatch=hatch, label=label)
                   for label, fill, hatch in LEGEND]
        fig.legend(handles=handles, loc="upper left", ncol=2, fontsize=LABEL_SIZE, frameon=False,
                   bbox_to_anchor=((_LEFT + _GRID + 0.8) / FIG_W, 1 - (top_in - 0.05) / FIG_H),
                   handlelength=1.6, handleheight=1.1, columnspacing=1.0)
    return fig


def _cell_lines(ax, left: float, top: float, size: int) -> None:
    """White borders of a ``size × size`` block of cells whose first cell is centred at ``(left, top)``."""
    edges = np.arange(size + 1) - 0.5
    ax.hlines(top + edges, left - 0.5, left + size - 0.5, color="white", linewidth=1)
    ax.vlines(left + edges, top - 0.5, top + size - 0.5, color="white", linewidth=1)


def _hatch(ax, x: float, y: float, w: float, h: float, hatch: str) -> None:
    """Hatch the rectangle with top-left corner ``(x, y)`` (cell units) in dark gray, no fill, no edge."""
    ax.add_patch(Rectangle((x, y), w, h, fill=False, hatch=hatch, edgecolor="#555555", linewidth=0, zorder=2))


def _hatch_categories(ax, lay: OutputSizeLayout) -> None:
    """The second cue: dropped cells cross-hatched, skipped cells striped (rows and columns, as the fills)."""
    n = lay.padded_size
    d0 = lay.dropped[0] if lay.dropped else n
    if lay.dropped:
        _hatch(ax, d0 - 0.5, -0.5, n - d0, n, DROP_HATCH)  # the last columns
        _hatch(ax, -0.5, d0 - 0.5, d0, n - d0, DROP_HATCH)  # the last rows (the corner is hatched once)
    for s in lay.skipped:
        _hatch(ax, s - 0.5, -0.5, 1, d0, SKIP_HATCH)
        _hatch(ax, -0.5, s - 0.5, d0, 1, SKIP_HATCH)


def _draw_padded_grid(ax, lay: OutputSizeLayout, title: float) -> None:
    n, k = lay.padded_size, lay.k_eff
    ax.imshow(cell_categories(lay), cmap=_CELL_CMAP, vmin=-0.5, vmax=len(CELL_FILLS) - 0.5,
              interpolation="nearest", extent=(-0.5, n - 0.5, n - 0.5, -0.5))
    _hatch_categories(ax, lay)
    _cell_lines(ax, 0, 0, n)
    ticks = np.arange(0, n, 1 if n <= 9 else 2)  # every label is a text to draw: keep them few
    labels = [str(t) for t in ticks]  # padded coordinates, like the window starts above
    ax.set_xticks(ticks, labels)
    ax.set_yticks(ticks, labels)
    ax.tick_params(labelsize=LABEL_SIZE - 1)
    ax.text(-0.5, n - 0.5, XLABEL, ha="left", va="top", fontsize=LABEL_SIZE,
            transform=offset_copy(ax.transData, ax.figure, y=-22, units="points"))
    ax.text(-0.5, (n - 1) / 2, YLABEL, rotation=90, ha="right", va="center", fontsize=LABEL_SIZE,
            transform=offset_copy(ax.transData, ax.figure, x=-26, units="points"))
    how = "H + 2P" if lay.padding[0] == lay.padding[1] else "H + P_before + P_after"
    ax.text(-0.5, -0.5 - title, f"padded input {n}×{n}  ({how} = {n})",
            fontsize=LABEL_SIZE, va="bottom")
    if lay.error:
        outline_cells(ax, 0, 0, n, n, color=DROP_TEXT, linestyle="--")  # the kernel would cover all this and more
        return
    outline_cells(ax, 0, 0, k, k, color=HIGHLIGHT, clip_on=False)  # the first window
    last = lay.starts[-1]
    outline_cells(ax, last, last, k, k, color=HIGHLIGHT, linestyle="--", linewidth=3, clip_on=False)  # the last
    taps = np.arange(0, k, lay.dilation)
    rr, cc = np.meshgrid(taps, taps, indexing="ij")
    ax.plot(cc.ravel(), rr.ravel(), "o", color=HIGHLIGHT, markersize=min(max(3.0, 50 / n), 9.0))


def _draw_window_strip(ax, lay: OutputSizeLayout, top: float, height: float, title: float) -> None:
    """One horizontal bar per window position along the columns, stacked like a timeline, above the grid."""
    n, k = lay.padded_size, lay.k_eff
    rows = max(len(lay.starts), 1)
    pitch = height / rows
    starts = np.asarray(lay.starts)
    ys = top + (np.arange(len(starts)) + 0.5) * pitch
    ax.add_patch(Rectangle((-0.5, top), n, height, fill=False, edgecolor="#555555", linewidth=1))
    ax.barh(ys, k, left=starts - 0.5, height=0.7 * pitch, color=HIGHLIGHT, alpha=0.35, edgecolor=HIGHLIGHT)
    if lay.dilation > 1 and len(starts):
        taps = (starts[:, None] + np.arange(0, k, lay.dilation)[None, :]).ravel()
        ax.plot(taps, np.repeat(ys, len(taps) // len(starts)), "o", color=HIGHLIGHT, markersize=3)
    if lay.dropped:
        d0 = lay.dropped[0]
        ax.add_patch(Rectangle((d0 - 0.5, top), n - d0, height, facecolor=DROP_FILL, hatch=DROP_HATCH,
                               edgecolor="#555555", linewidth=0))
    for s in lay.skipped:
        ax.add_patch(Rectangle((s - 0.5, top), 1, height, facecolor=SKIP_FILL, hatch=SKIP_HATCH,
                               edgecolor="#555555", linewidth=0))
    if lay.error:
        ax.text((n - 1) / 2, top + height / 2, "no window fits", ha="center", va="center", color=DROP_TEXT,
                fontsize=LABEL_SIZE)
    ax.text(-0.5, top + height / 2, "window j", rotation=90, ha="right", va="center", fontsize=LABEL_SIZE - 2,
            transform=offset_copy(ax.transData, ax.figure, x=-6, units="points"))
    shown = ", ".join(str(v) for v in lay.starts[:8]) + (", …" if len(lay.starts) > 8 else "")
    count = f"{len(lay.starts)} window position{'s' if len(lay.starts) != 1 else ''}"
    text = f"{count}, starts j·S = {shown}" if lay.starts else "0 window positions"
    ax.text(-0.5, top - title, text, fontsize=LABEL_SIZE, va="bottom")


def _draw_output_grid(ax, lay: OutputSizeLayout, left: float, title: float) -> None:
    m = lay.out_size
    x0 = left + 0.5  # centre of the output's first cell
    ax.imshow(np.zeros((m, m)), cmap=ListedColormap([OUTPUT_FILL]), interpolation="nearest",
              extent=(left, left + m, m - 0.5, -0.5))
    _cell_lines(ax, x0, 0, m)
    outline_cells(ax, 0, x0, 1, 1, color=HIGHLIGHT, linewidth=3, clip_on=False)
    outline_cells(ax, m - 1, x0 + m - 1, 1, 1, color=HIGHLIGHT, linestyle="--", linewidth=3, clip_on=False)
    ax.text(left + m / 2, -0.5 - title, f"output {m}×{m}", ha="center", va="bottom", fontsize=TITLE_SIZE)
