"""Draw a small number grid: coloured cells with their values written in them.

The building block of every sliding-window figure: an input with the current
patch outlined, a kernel, the element-wise products, a partly filled output.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from ..demos.formatting import format_value
from .style import GRID_HEADROOM, HIGHLIGHT, LABEL_SIZE, SIGNED_CMAP, VALUE_SIZE, set_labels, set_title, signed_norm


def _text_colors(values, cmap, norm, padding_mask=None) -> np.ndarray:
    """Black or white for each cell, whichever reads better on its colour; gray for NaN and padding."""
    rgba = cmap(norm(np.nan_to_num(values)))  # (rows, cols, 4)
    luminance = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
    colors = np.where(luminance < 0.5, "white", "black").astype(object)
    colors[~np.isfinite(values)] = "#888888"
    if padding_mask is not None:
        colors[padding_mask] = "#555555"
    return colors


def draw_grid(
    ax,
    values,
    *,
    title: str | None = None,
    highlight=None,
    highlight_color: str = HIGHLIGHT,
    padding_mask=None,
    norm=None,
    show_values: bool = True,
    fontsize: float = VALUE_SIZE,
    xlabel: str | None = "column",
    ylabel: str | None = "row",
    row_offset: int = 0,
    col_offset: int = 0,
    ticks: bool = True,
):
    """Draw ``values`` (2-D) as a grid of coloured cells with their numbers.

    Args:
        ax: the matplotlib Axes to draw on.
        values: 2-D array; NaN cells are left blank and marked ``?`` (not computed yet).
        title: Axes title.
        highlight: ``(top, left, height, width)`` or a list of them: rectangles to outline.
        highlight_color: outline colour (default the lesson's green).
        padding_mask: boolean array like ``values``; True cells are drawn as gray zero padding.
        norm: colour normalisation; default centred at 0 (``signed_norm``) with headroom,
            so cells stay light and the numbers readable.
        show_values: write each value in its cell.
        fontsize: size of the numbers.
        xlabel, ylabel: axis labels.
        row_offset, col_offset: tick labels start here (e.g. ``-P`` on a padded input).
        ticks: label the rows and columns with their indices (default True). Tick
            labels are the slowest part of a grid to build: leave them off where
            the indices say nothing.

    Returns the ``AxesImage``.

    >>> from cnnlib.viz.style import new_figure
    >>> ax = new_figure(3, 3).add_subplot()
    >>> im = draw_grid(ax, [[1, 2], [3, 4]], title="x")
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"draw_grid expects a 2-D array, got shape {values.shape}. Hint: draw one channel at a time.")
    if norm is None:
        norm = signed_norm(values, headroom=GRID_HEADROOM)
    shown = np.ma.masked_invalid(values)
    if padding_mask is not None:
        padding_mask = np.asarray(padding_mask, dtype=bool)
        shown = np.ma.masked_where(padding_mask, shown)
    im = ax.imshow(shown, cmap=SIGNED_CMAP, norm=norm, interpolation="nearest")
    rows, cols = values.shape
    if padding_mask is not None and padding_mask.any():
        # One gray layer under the masked cells: cheaper than one patch per cell.
        pad_rgba = np.zeros((rows, cols, 4))
        pad_rgba[padding_mask] = (0.85, 0.85, 0.85, 1.0)
        ax.imshow(pad_rgba, interpolation="nearest", zorder=0.5)
    if show_values:
        # Text objects made directly, sharing one FontProperties: a third of the cost of ax.text.
        font = FontProperties(size=fontsize)
        colors = _text_colors(values, im.cmap, norm, padding_mask)
        for (i, j), v in np.ndenumerate(values):
            ax.add_artist(Text(j, i, format_value(v), ha="center", va="center", fontproperties=font,
                               color=colors[i, j]))
    ax.add_collection(LineCollection(_cell_borders(rows, cols), colors="#9e9e9e", linewidths=1), autolim=False)
    ax.set_xlim(-0.5, cols - 0.5)  # explicit: a reused Axes (style.clear_axes) may remember a bigger grid
    ax.set_ylim(rows - 0.5, -0.5)
    if ticks:
        ax.tick_params(labelsize=LABEL_SIZE - 2)  # before the ticks exist: they are made with it
        _index_ticks(ax.set_xticks, cols, col_offset)
        _index_ticks(ax.set_yticks, rows, row_offset)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    set_labels(ax, xlabel, ylabel, tick_chars=len(str(row_offset)) if row_offset < 0 else 1)
    if title:
        set_title(ax, title)
    for rect in _as_rects(highlight):
        outline_cells(ax, *rect, color=highlight_color)
    return im


def _cell_borders(rows: int, cols: int) -> list:
    """Line segments between the cells of a ``rows × cols`` grid drawn by ``imshow``, its outline included."""
    across = [[(-0.5, y - 0.5), (cols - 0.5, y - 0.5)] for y in range(rows + 1)]
    down = [[(x - 0.5, -0.5), (x - 0.5, rows - 0.5)] for x in range(cols + 1)]
    return across + down


def update_grid(ax, values) -> None:
    """Refill a grid drawn by :func:`draw_grid` (no padding mask) with new values of the same shape.

    Keeps the colour scale; much faster than drawing a new grid, which is
    what the step widget does on every move.
    """
    values = np.asarray(values, dtype=float)
    im = ax.images[0]
    if im.get_array().shape != values.shape:
        raise ValueError(f"update_grid needs values of shape {im.get_array().shape}, got {values.shape}.")
    im.set_data(np.ma.masked_invalid(values))
    colors = _text_colors(values, im.cmap, im.norm)
    for text, v, color in zip(ax.texts, values.ravel(), colors.ravel()):
        text.set_text(format_value(v))
        text.set_color(color)


def _index_ticks(setter, n: int, offset: int) -> None:
    step = 1 if n <= 12 else (2 if n <= 24 else 5)
    ticks = np.arange(0, n, step)
    setter(ticks, [str(t + offset) for t in ticks])


def _as_rects(highlight):
    if highlight is None:
        return []
    if len(highlight) == 4 and all(np.isscalar(v) for v in highlight):
        return [tuple(highlight)]
    return [tuple(r) for r in highlight]


def outline_cells(ax, top: int, left: int, height: int, width: int, *, color: str = HIGHLIGHT, linewidth: float = 4, **kwargs):
    """Outline the block of cells ``[top:top+height, left:left+width]`` on a grid drawn with ``imshow``."""
    rect = Rectangle(
        (left - 0.5, top - 0.5), width, height, fill=False, edgecolor=color, linewidth=linewidth, zorder=5, **kwargs
    )
    ax.add_patch(rect)
    return rect


def padding_mask(shape, padding) -> np.ndarray:
    """Boolean mask of a padded grid of ``shape``: True on the padding border.

    ``padding`` is ``((top, bottom), (left, right))`` as returned by
    :func:`cnnlib.shapes.resolve_padding`, or one int for all sides.
    """
    if np.isscalar(padding):
        padding = ((padding, padding), (padding, padding))
    (top, bottom), (left, right) = padding
    mask = np.ones(shape, dtype=bool)
    mask[top : shape[0] - bottom, left : shape[1] - right] = False
    return mask
