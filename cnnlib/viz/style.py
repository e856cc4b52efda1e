"""One look for every lesson figure: colours, font sizes, figure helpers.

Colour rule, used everywhere:

* numbers in small grids, kernels and signed feature maps use the diverging
  map :data:`SIGNED_CMAP` centred at 0 (red positive, blue negative, white 0);
* photographs and non-negative feature maps use :data:`IMAGE_CMAP` (gray).

Figures are plain :class:`matplotlib.figure.Figure` objects, not pyplot
figures: nothing global to close, and a widget can redraw them quickly.
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

SIGNED_CMAP = "RdBu_r"
IMAGE_CMAP = "gray"
HIGHLIGHT = "#1a9e3f"  # the current window / patch (green: not on the red-blue map)
DROPPED = "#d62728"  # rows/columns the floor drops
PADDING_FACE = "#d9d9d9"  # zero padding cells
TITLE_SIZE = 14
LABEL_SIZE = 12
VALUE_SIZE = 13
DPI = 100
GRID_HEADROOM = 2.0  # number grids use ±2·max|v| colour limits: light cells, readable numbers


def new_figure(width: float, height: float, **kwargs) -> Figure:
    """A pyplot-free figure with constrained layout (``width``, ``height`` in inches)."""
    kwargs.setdefault("layout", "constrained")
    return Figure(figsize=(width, height), dpi=DPI, **kwargs)


def grid_row_layout(shapes, *, cell: float = 0.6, gap: float = 0.8, top: float = 1.0, bottom: float = 0.9,
                    left: float = 0.7, right: float = 0.3, min_width: float = 0.0):
    """``(fig_w, fig_h, boxes)``: a figure size and one Axes box per ``(rows, cols)`` in ``shapes``, side by side.

    Cells are ``cell`` inches wide; the boxes are ``(left, bottom, width,
    height)`` figure fractions, vertically centred. Positions are computed
    here instead of by a layout engine: a redraw is then several times
    faster, which is what keeps the widgets instant.
    """
    heights = [r * cell for r, _ in shapes]
    widths = [c * cell for _, c in shapes]
    body_w = sum(widths) + gap * (len(shapes) - 1)
    fig_w = max(left + body_w + right, min_width)
    fig_h = top + max(heights) + bottom
    x = left + (fig_w - left - body_w - right) / 2
    mid = bottom + max(heights) / 2
    boxes = []
    for w, h in zip(widths, heights):
        boxes.append((x / fig_w, (mid - h / 2) / fig_h, w / fig_w, h / fig_h))
        x += w + gap
    return fig_w, fig_h, boxes


def grid_row_figure(shapes, **layout):
    """A new figure with one Axes per ``(rows, cols)`` in ``shapes`` (keywords as :func:`grid_row_layout`).

    Returns ``(fig, axes)``.
    """
    fig_w, fig_h, boxes = grid_row_layout(shapes, **layout)
    fig = Figure(figsize=(fig_w, fig_h), dpi=DPI)
    return fig, [fig.add_axes(box) for box in boxes]


def rows_figure(rows, *, cell: float = 0.5, gap: float = 0.7, row_gap: float = 1.3, top: float = 0.9,
                bottom: float = 0.6, side: float = 0.6, min_width: float = 0.0, figure: Figure | None = None):
    """A figure with rows of grid Axes; ``rows`` is a list of lists of ``(n_rows, n_cols)`` shapes.

    Like :func:`grid_row_figure` but for several rows, each centred. Returns
    ``(fig, axes)`` with ``axes[r][k]`` the ``k``-th grid of row ``r``.
    ``figure``: lay out this figure again instead of making a new one; its
    Axes are cleared, moved and reused (:func:`axes_at`), and the ones not
    needed hidden: three times faster than new Axes.
    """
    widths = [sum(c * cell for _, c in shapes) + gap * (len(shapes) - 1) for shapes in rows]
    heights = [max(r * cell for r, _ in shapes) for shapes in rows]
    fig_w = max(max(widths) + 2 * side, min_width)
    fig_h = top + sum(heights) + row_gap * (len(rows) - 1) + bottom
    fig = reuse_figure(figure, fig_w, fig_h)
    axes, n = [], 0
    y_top = fig_h - top
    for shapes, w_row, h_row in zip(rows, widths, heights):
        x = (fig_w - w_row) / 2
        mid = y_top - h_row / 2
        row_axes = []
        for r, c in shapes:
            w, h = c * cell, r * cell
            row_axes.append(axes_at(fig, n, (x / fig_w, (mid - h / 2) / fig_h, w / fig_w, h / fig_h)))
            x += w + gap
            n += 1
        axes.append(row_axes)
        y_top -= h_row + row_gap
    hide_axes_from(fig, n)
    return fig, axes


def reuse_figure(figure: Figure | None, width: float, height: float) -> Figure:
    """``figure`` resized to ``width × height`` inches, or a new figure if it is None.

    A widget draws every picture on the figure it drew the last one on
    (with :func:`clear_axes` on its Axes): reusing Axes is about three times
    faster than making new ones.
    """
    if figure is None:
        return Figure(figsize=(width, height), dpi=DPI)
    figure.set_size_inches(width, height)
    # Keep the one suptitle artist, emptied and reset (suptitle() returns it): the next suptitle() call
    # updates it. Removing it instead leaves matplotlib < 3.10.9 updating a removed, invisible title.
    title = figure.suptitle("")
    for text in list(figure.texts):
        if text is not title:
            text.remove()
    return figure


def axes_at(fig: Figure, index: int, box):
    """Axes number ``index`` of ``fig``, cleared (:func:`clear_axes`) and moved to ``box``; a new one if there is none.

    ``box`` is ``(left, bottom, width, height)`` in figure fractions.
    """
    if index < len(fig.axes):
        ax = fig.axes[index]
        clear_axes(ax)
        ax.set_position(box)
        ax.set_visible(True)
        return ax
    return fig.add_axes(box)


def hide_axes_from(fig: Figure, index: int) -> None:
    """Clear and hide the Axes of ``fig`` from number ``index`` on (the last picture had more panels)."""
    for ax in fig.axes[index:]:
        clear_axes(ax)
        ax.set_visible(False)


def clear_axes(ax) -> None:
    """Remove everything drawn on ``ax`` (data, texts, legend, title, axis labels); keep the Axes and its ticks.

    Afterwards ``ax`` autoscales like a new Axes; drawing on it again gives
    the same picture as drawing on a new one, only faster.
    """
    for artist in [*ax.images, *ax.texts, *ax.collections, *ax.patches, *ax.lines, *ax.artists]:
        artist.remove()
    ax.containers.clear()  # bar containers: their patches are gone already
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title("")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.relim()
    ax.autoscale(True)


def set_title(ax, text: str, *, fontsize: float = TITLE_SIZE, **kwargs) -> None:
    """Axes title at a fixed height: skips matplotlib's per-draw search for a free spot (faster redraws)."""
    ax.set_title(text, y=1.0, pad=6, fontsize=fontsize, **kwargs)


def fit_suptitle(fig: Figure, text: str, **kwargs):
    """``fig.suptitle(text)`` in bold at :data:`TITLE_SIZE`, broken at spaces so that no line is wider than the figure.

    A title wider than its figure is cut off at both edges, not wrapped.

    >>> fit_suptitle(new_figure(3, 2), "a title much too long for a figure three inches wide").get_text().count("\\n")
    2
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop, room = FontProperties(size=TITLE_SIZE, weight="bold"), 0.95 * fig.get_figwidth() * 72  # points
    lines: list[str] = []
    for word in text.split(" "):
        longer = f"{lines[-1]} {word}" if lines else word
        if lines and TextToPath().get_text_width_height_descent(longer, prop, ismath=False)[0] > room:
            lines.append(word)
        else:
            lines[-1:] = [longer]
    return fig.suptitle("\n".join(lines), fontsize=TITLE_SIZE, fontweight="bold", **kwargs)


def set_labels(ax, xlabel: str | None, ylabel: str | None, *, fontsize: float = LABEL_SIZE,
               tick_chars: int = 2) -> None:
    """Axis labels at fixed offsets from the axes (faster than matplotlib's automatic placement).

    ``tick_chars`` is the widest y tick label in characters, to clear it.
    """
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=fontsize)
        ax.xaxis.set_label_coords(0.5, 0, transform=offset_copy(ax.transAxes, ax.figure, y=-24, units="points"))
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=fontsize)
        dx = -(10 + 6.5 * tick_chars)
        ax.yaxis.set_label_coords(0, 0.5, transform=offset_copy(ax.transAxes, ax.figure, x=dx, units="points"))


def signed_norm(values, *, headroom: float = 1.0) -> Normalize:
    """A norm centred at 0 with symmetric limits ``±max|values|·headroom``."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    vmax = float(np.abs(finite).max()) if finite.size else 1.0
    vmax = vmax * headroom if vmax > 0 else 1.0
    return Normalize(vmin=-vmax, vmax=vmax)


def image_style(values, kernel=None, *, signed: bool | None = None, robust: bool = False) -> dict:
    """``imshow`` keyword arguments: gray for non-negative maps, diverging at 0 for signed ones.

    If ``kernel`` is given and its weights sum to 1 (identity, blurs, sharpen:
    brightness is kept), the map is shown as a photo, gray on 0..1, clipped.
    Signed maps use limits ``±`` the 98th percentile of ``|values|``, so a
    few extreme pixels do not wash the rest out. ``signed=True`` forces the
    diverging map (to compare a map before and after ReLU). Non-negative maps
    go from 0 to their largest value, or with ``robust=True`` to their 98th
    percentile too (a mosaic of many channels on one scale: one bright channel
    would otherwise leave the others nearly black).
    """
    values = np.asarray(values, dtype=float)
    if signed is None:
        if kernel is not None and abs(float(np.sum(kernel)) - 1.0) < 1e-6:
            return {"cmap": IMAGE_CMAP, "vmin": 0.0, "vmax": 1.0}
        signed = bool(values.size and np.nanmin(values) < 0)
    if signed:
        return {"cmap": SIGNED_CMAP, "norm": robust_signed_norm(values)}
    if robust:
        return {"cmap": IMAGE_CMAP, "norm": Normalize(0.0, robust_limit(values))}
    vmax = float(np.nanmax(values)) if values.size else 1.0
    return {"cmap": IMAGE_CMAP, "vmin": 0.0, "vmax": vmax if vmax > 0 else 1.0}


def robust_limit(values, percentile: float = 98.0) -> float:
    """The ``percentile`` of ``|values|``: the largest value if that is 0, 1 if every value is 0 or none is finite."""
    mags = np.abs(np.asarray(values, dtype=float))
    mags = mags[np.isfinite(mags)]
    if not mags.size:
        return 1.0
    return float(np.percentile(mags, percentile)) or float(mags.max()) or 1.0


def robust_signed_norm(values, percentile: float = 98.0) -> Normalize:
    """Centred at 0, limits ``±`` :func:`robust_limit` of ``values``."""
    vmax = robust_limit(values, percentile)
    return Normalize(vmin=-vmax, vmax=vmax)
