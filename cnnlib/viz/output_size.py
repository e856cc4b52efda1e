r"""Where the windows go: the figure behind :math:`H_{out} = \lfloor (H + 2P - K_{eff})/S \rfloor + 1`.

:func:`draw_output_size` draws an :class:`~cnnlib.demos.output_size.OutputSizeLayout`
(the arithmetic along one axis, from :func:`~cnnlib.demos.output_size.output_size_layout`)
for a square input: the padded grid, every window position, the output grid
and the formula with the numbers in it.
"""
from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import offset_copy

from ..demos.output_size import OutputSizeLayout, cell_categories
from .grids import outline_cells
from .style import DROPPED, HIGHLIGHT, LABEL_SIZE, TITLE_SIZE, axes_at, reuse_figure

SKIPPED = "#f5c26b"  # cells between windows when the stride is larger than the kernel
_CELL_CMAP = ListedColormap(["#cfe3f3", "#d9d9d9", "#f4a6a6", "#e8c4c4", SKIPPED])  # by category, INPUT..SKIP


def _title(lay: OutputSizeLayout) -> str:
    pad = lay.padding[0] if lay.padding[0] == lay.padding[1] else lay.padding
    dil = f", dilation {lay.dilation}" if lay.dilation != 1 else ""
    head = f"input {lay.size}×{lay.size}, kernel {lay.kernel_size}×{lay.kernel_size}, stride {lay.stride}, padding {pad}{dil}"
    if lay.error:
        return head + "  →  no valid output"
    return head + f"  →  output {lay.out_size}×{lay.out_size}"


def draw_output_size(layout: OutputSizeLayout, *, figure: Figure | None = None) -> Figure:
    """Draw ``layout`` for a square input: padded grid, window positions, output grid, formula.

    Everything is drawn in one Axes, in units of one cell (y pointing down):
    one Axes and few tick labels keep a redraw fast enough for a slider.
    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    lay = layout
    span = lay.padded_size
    cell = min(4.2 / span, 0.7)  # inches per cell
    rows = max(len(lay.starts), 1)
    strip = min(0.2 * rows + 0.25, 1.6) / cell  # the window strip's height, in cells
    gap_y, gap_x, title = 0.5 / cell, 1.0 / cell, 0.1 / cell
    right = (max(lay.out_size, 1) if not lay.error else 4.4 / cell)
    x0, x1 = -0.5, span - 0.5 + gap_x + right
    y0, y1 = -0.5 - gap_y - strip - 0.45 / cell, span - 0.5  # top (negative: above the grid), bottom
    lines = lay.formula.splitlines()
    left, bottom, top = 0.9, 1.0 + 0.32 * len(lines), 0.55
    ax_w, ax_h = (x1 - x0) * cell, (y1 - y0) * cell
    fig_w, fig_h = max(left + ax_w + 0.4, 10.6), bottom + ax_h + top
    fig = reuse_figure(figure, fig_w, fig_h)
    ax = axes_at(fig, 0, (left / fig_w, bottom / fig_h, ax_w / fig_w, ax_h / fig_h))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)
    for side in ax.spines.values():
        side.set_visible(False)
    _draw_padded_grid(ax, lay, title)
    _draw_window_strip(ax, lay, top=-0.5 - gap_y - strip, height=strip, title=title)
    out_left = span - 0.5 + gap_x
    if lay.error:
        ax.text(out_left, (span - 1) / 2, _wrap(lay.error, 42), color=DROPPED, fontsize=LABEL_SIZE, va="center")
    else:
        _draw_output_grid(ax, lay, out_left, title)
    fig.suptitle(_title(lay), fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.12 / fig_h, va="top")
    for i, line in enumerate(lines):
        color = "black"
        if (lay.dropped and "floor drops" in line) or (lay.error and i == len(lines) - 1):
            color = DROPPED
        elif "skipped" in line:
            color = "#b36b00"
        fig.text(0.3 / fig_w, (bottom - 0.75 - 0.32 * i) / fig_h, line, fontsize=LABEL_SIZE, color=color, va="top")
    return fig


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width)


def _cell_lines(ax, left: float, top: float, size: int) -> None:
    """White borders of a ``size × size`` block of cells whose first cell is centred at ``(left, top)``."""
    edges = np.arange(size + 1) - 0.5
    ax.hlines(top + edges, left - 0.5, left + size - 0.5, color="white", linewidth=1)
    ax.vlines(left + edges, top - 0.5, top + size - 0.5, color="white", linewidth=1)


def _draw_padded_grid(ax, lay: OutputSizeLayout, title: float) -> None:
    n, k = lay.padded_size, lay.k_eff
    ax.imshow(cell_categories(lay), cmap=_CELL_CMAP, vmin=-0.5, vmax=4.5, interpolation="nearest",
              extent=(-0.5, n - 0.5, n - 0.5, -0.5))
    _cell_lines(ax, 0, 0, n)
    before = lay.padding[0]
    ticks = np.arange(0, n, 1 if n <= 9 else 2)  # every label is a text to draw: keep them few
    labels = [str(t - before) for t in ticks]
    ax.set_xticks(ticks, labels)
    ax.set_yticks(ticks, labels)
    ax.tick_params(labelsize=LABEL_SIZE - 3)
    ax.text(-0.5, n - 0.5, "column of the input (gray: zero padding)", ha="left", va="top",
            fontsize=LABEL_SIZE - 1, transform=offset_copy(ax.transData, ax.figure, y=-20, units="points"))
    ax.text(-0.5, (n - 1) / 2, "row", rotation=90, ha="right", va="center", fontsize=LABEL_SIZE,
            transform=offset_copy(ax.transData, ax.figure, x=-24, units="points"))
    notes = (["red: dropped"] if lay.dropped else []) + (["orange: skipped"] if lay.skipped else [])
    ax.text(-0.5, -0.5 - title, "padded input" + (f"  ({', '.join(notes)})" if notes else ""),
            fontsize=LABEL_SIZE, va="bottom")
    if lay.error:
        outline_cells(ax, 0, 0, n, n, color=DROPPED, linestyle="--")  # the kernel would cover all this and more
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
        ax.add_patch(Rectangle((lay.dropped[0] - 0.5, top), n - lay.dropped[0], height, color=DROPPED, alpha=0.25,
                               linewidth=0))
    if lay.error:
        ax.text((n - 1) / 2, top + height / 2, "no window fits", ha="center", va="center", color=DROPPED,
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
    ax.imshow(np.zeros((m, m)), cmap=ListedColormap(["#c7e9c0"]), interpolation="nearest",
              extent=(left, left + m, m - 0.5, -0.5))
    _cell_lines(ax, x0, 0, m)
    outline_cells(ax, 0, x0, 1, 1, color=HIGHLIGHT, linewidth=3, clip_on=False)
    outline_cells(ax, m - 1, x0 + m - 1, 1, 1, color=HIGHLIGHT, linestyle="--", linewidth=3, clip_on=False)
    ax.text(left + m / 2, -0.5 - title, f"output {m}×{m}", ha="center", va="bottom", fontsize=TITLE_SIZE)
