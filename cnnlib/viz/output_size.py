r"""Where the windows go: the figure behind :math:`H_{out} = \lfloor (H + 2P - K_{eff})/S \rfloor + 1`.

:func:`output_size_layout` does the arithmetic along one axis (window starts,
covered cells, the cells the floor drops) with :mod:`cnnlib.shapes`;
:func:`draw_output_size` draws it for a square input: the padded grid, every
window position, the output grid and the formula with the numbers in it.
"""
from __future__ import annotations

import textwrap

from dataclasses import dataclass, replace

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import offset_copy

from ..shapes import conv_output_size, effective_kernel_size, resolve_padding
from .grids import outline_cells
from .style import DROPPED, HIGHLIGHT, LABEL_SIZE, TITLE_SIZE, axes_at, reuse_figure

# Cell categories of the padded grid and their colours.
INPUT, PAD, DROP, DROP_PAD, SKIP = 0, 1, 2, 3, 4
SKIPPED = "#f5c26b"  # cells between windows when the stride is larger than the kernel
_CELL_CMAP = ListedColormap(["#cfe3f3", "#d9d9d9", "#f4a6a6", "#e8c4c4", SKIPPED])


@dataclass(frozen=True)
class OutputSizeLayout:
    """One axis of a convolution: sizes, window starts and what the floor drops.

    Coordinates are in the padded input (0 is the first padding cell).
    ``error`` is a message when no window fits; then ``out_size`` is 0 and
    ``starts`` is empty.
    """

    size: int
    kernel_size: int
    stride: int
    padding: tuple  # (before, after)
    dilation: int
    k_eff: int
    padded_size: int
    out_size: int
    starts: tuple
    covered: np.ndarray  # bool (padded_size,): inside at least one window
    dropped: tuple  # padded coordinates no window reaches because of the floor
    skipped: tuple  # padded coordinates between windows (stride larger than the kernel)
    formula: str  # the formula with the numbers substituted, one step per line
    error: str | None = None


def output_size_layout(size: int, kernel_size: int, stride: int = 1, padding=0, dilation: int = 1) -> OutputSizeLayout:
    """Lay out the windows of a convolution along one axis of length ``size``.

    Args:
        size: input length ``H``.
        kernel_size: ``K``.
        stride: ``S`` (default 1).
        padding: ``P`` per side, ``"valid"``, ``"same"`` or ``(before, after)``.
        dilation: ``D`` (default 1).

    Invalid settings (no window fits) give a layout with ``error`` set
    instead of raising, so a widget can show the message.

    >>> output_size_layout(7, 3, stride=2, padding=1).starts
    (0, 2, 4, 6)
    """
    if isinstance(padding, (tuple, list)):
        before, after = padding
    else:
        (before, after), _ = resolve_padding(padding, kernel_size, stride, dilation)
    k_eff = effective_kernel_size(kernel_size, dilation)
    padded = size + before + after
    args = (size, kernel_size, stride, (before, after), dilation, k_eff, padded)
    try:
        out = conv_output_size(size, kernel_size, stride, (before, after), dilation)
    except ValueError as exc:
        return OutputSizeLayout(*args, 0, (), np.zeros(padded, dtype=bool), (), (), "", error=str(exc))
    starts = tuple(range(0, out * stride, stride))  # window j starts at j*S
    covered = np.zeros(padded, dtype=bool)
    for s in starts:
        covered[s : s + k_eff] = True
    dropped = tuple(range(starts[-1] + k_eff, padded))  # past the end of the last window
    skipped = tuple(int(i) for i in np.flatnonzero(~covered[: starts[-1] + k_eff]))
    lay = OutputSizeLayout(*args, out, starts, covered, dropped, skipped, "")
    return replace(lay, formula="\n".join(formula_lines(lay)))


def formula_lines(lay: OutputSizeLayout) -> list[str]:
    """The output-size formula, then the same with this layout's numbers, then what the floor dropped."""
    before, after = lay.padding
    k_sym = "K" if lay.dilation == 1 else "K_eff"
    lines = []
    if lay.dilation != 1:
        k, d = lay.kernel_size, lay.dilation
        lines.append(f"K_eff = K + (K − 1)(D − 1) = {k} + ({k} − 1)·({d} − 1) = {lay.k_eff}")
    if before == after:
        p_sym, p_num = "2P", f"2·{before}"
    else:
        p_sym, p_num = "P_before + P_after", f"{before} + {after}"
    numerator = lay.padded_size - lay.k_eff
    s = lay.stride
    lines.append(f"H_out = ⌊(H + {p_sym} − {k_sym}) / S⌋ + 1")
    if lay.error:
        lines.append(f"      = ⌊({lay.size} + {p_num} − {lay.k_eff}) / {s}⌋ + 1:  {lay.size + before + after} − {lay.k_eff} "
                     "< 0, no window fits")
        return lines
    lines.append(
        f"      = ⌊({lay.size} + {p_num} − {lay.k_eff}) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1"
        f" = {numerator // s} + 1 = {lay.out_size}"
    )
    if lay.skipped:
        lines.append(
            f"The stride {s} is larger than the kernel ({lay.k_eff} cells): the cells between windows are skipped (orange)."
        )
    if lay.dropped:
        n = len(lay.dropped)
        rows = f"{n} row{'s' if n > 1 else ''} and column{'s' if n > 1 else ''}"
        lines.append(f"{numerator} / {s} leaves a remainder of {numerator % s}: the floor drops the last {rows} (red).")
    return lines


def cell_categories(layout: OutputSizeLayout) -> np.ndarray:
    """The padded grid as categories ``INPUT``/``PAD``/``DROP``/``DROP_PAD``/``SKIP`` (square input)."""
    n = layout.padded_size
    before, after = layout.padding
    is_pad_1d = np.ones(n, dtype=bool)
    is_pad_1d[before : n - after] = False
    is_drop_1d = np.zeros(n, dtype=bool)
    is_drop_1d[list(layout.dropped)] = True
    is_pad = is_pad_1d[:, None] | is_pad_1d[None, :]
    is_drop = is_drop_1d[:, None] | is_drop_1d[None, :]
    cats = np.where(is_pad, PAD, INPUT)
    cats = np.where(is_drop, np.where(is_pad, DROP_PAD, DROP), cats)
    is_skip_1d = np.zeros(n, dtype=bool)
    is_skip_1d[list(layout.skipped)] = True
    cats = np.where((is_skip_1d[:, None] | is_skip_1d[None, :]) & ~is_drop, SKIP, cats)
    return cats


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
    lines = lay.formula.splitlines() if not lay.error else formula_lines(lay)
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
