"""The backward pass drawn: one output cell's gradient flowing back, and the whole pass as correlations.

Top row, for the chosen output cell: the window it used in the (padded)
input, the kernel, ``dout`` with the cell outlined, and ``dW`` and
``dx_pad`` as they fill up cell by cell. Bottom row, every cell at once:
``dout`` with the stride's zeros inserted (yellow) and ``K - 1`` zeros
around it (gray), the kernel rotated 180°, their full correlation
``dx_pad`` and, cropped out of it, ``dx``.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .backprop import ConvBackward
from .grids import draw_grid, outline_cells, padding_mask
from .style import DPI, GRID_HEADROOM, HIGHLIGHT, LABEL_SIZE, TITLE_SIZE, set_labels, signed_norm

INSERTED_FACE = (1.0, 0.93, 0.55, 1.0)  # the zeros a stride > 1 inserts into dout (yellow)
CROP_COLOR = "#222222"  # the part of dx_pad that is dx


def rows_figure(rows, *, cell: float = 0.5, gap: float = 0.7, row_gap: float = 1.3, top: float = 0.9,
                bottom: float = 0.6, side: float = 0.6, min_width: float = 0.0):
    """A figure with rows of grid Axes; ``rows`` is a list of lists of ``(n_rows, n_cols)`` shapes.

    Like ``style.grid_row_figure`` but for several rows, each centred; the
    positions are fixed here (no layout engine), which keeps redraws fast.
    Returns ``(fig, axes)`` with ``axes[r][k]`` the ``k``-th grid of row ``r``.
    """
    widths = [sum(c * cell for _, c in shapes) + gap * (len(shapes) - 1) for shapes in rows]
    heights = [max(r * cell for r, _ in shapes) for shapes in rows]
    fig_w = max(max(widths) + 2 * side, min_width)
    fig_h = top + sum(heights) + row_gap * (len(rows) - 1) + bottom
    fig = Figure(figsize=(fig_w, fig_h), dpi=DPI)
    axes = []
    y_top = fig_h - top
    for shapes, w_row, h_row in zip(rows, widths, heights):
        x = (fig_w - w_row) / 2
        mid = y_top - h_row / 2
        row_axes = []
        for r, c in shapes:
            w, h = c * cell, r * cell
            row_axes.append(fig.add_axes((x / fig_w, (mid - h / 2) / fig_h, w / fig_w, h / fig_h)))
            x += w + gap
        axes.append(row_axes)
        y_top -= h_row + row_gap
    return fig, axes


def _overlay(ax, mask, face) -> None:
    """Paint the cells where ``mask`` is True with ``face`` (RGBA), under the numbers."""
    rgba = np.zeros(mask.shape + (4,))
    rgba[mask] = face
    ax.imshow(rgba, interpolation="nearest", zorder=0.6)


def draw_backward_step(cb: ConvBackward, index: int) -> Figure:
    """Draw cell ``index`` (0-based, row-major) of ``cb``'s backward pass, and the whole pass below it."""
    if not 0 <= index < len(cb.cells):
        raise ValueError(f"cell index must be in 0..{len(cb.cells) - 1}, got {index}.")
    c = cb.cells[index]
    kh, kw = cb.kernel.shape
    p, s = cb.padding, cb.stride
    dW_so_far, dxp_so_far = cb.partial(index)
    pad_mask = padding_mask(cb.padded.shape, p)
    rows = [
        [cb.padded.shape, cb.kernel.shape, cb.dout.shape, cb.kernel.shape, cb.padded.shape],
        [cb.dout_full.shape, cb.kernel.shape, cb.padded.shape, cb.x.shape],
    ]
    fig, ((ax_x, ax_w, ax_d, ax_dw, ax_dxp), (ax_full, ax_rot, ax_corr, ax_dx)) = rows_figure(
        rows, cell=0.5, min_width=12.5)
    window = (c.top, c.left, kh, kw)
    no_labels = {"xlabel": None, "ylabel": None}

    # Row 1: one output cell.
    draw_grid(ax_x, cb.padded, title="x" + (f" padded (P={p})" if p else ""), padding_mask=pad_mask,
              highlight=window, **no_labels)
    draw_grid(ax_w, cb.kernel, title="W", **no_labels)
    draw_grid(ax_d, cb.dout, title=f"dout {cb.dout.shape[0]}×{cb.dout.shape[1]}", highlight=(c.row, c.col, 1, 1),
              **no_labels)
    draw_grid(ax_dw, dW_so_far, title="dW so far", norm=signed_norm(cb.dW, headroom=GRID_HEADROOM), **no_labels)
    draw_grid(ax_dxp, dxp_so_far, title="dx_pad so far" if p else "dx so far", padding_mask=pad_mask,
              norm=signed_norm(cb.dx_padded, headroom=GRID_HEADROOM), highlight=window, **no_labels)
    if p:
        outline_cells(ax_dxp, *cb.crop, color=CROP_COLOR, linewidth=2, linestyle="--")
    set_labels(ax_dw, f"+ {_num(c.grad)} · window", None, fontsize=LABEL_SIZE)
    set_labels(ax_dxp, f"window + {_num(c.grad)} · W", None, fontsize=LABEL_SIZE)

    # Row 2: every cell at once, as a full correlation with the rotated kernel.
    r0, c0 = cb.full_offset
    border = np.ones(cb.dout_full.shape, dtype=bool)
    hd, wd = cb.dout_dilated.shape
    border[r0 : r0 + hd, c0 : c0 + wd] = False
    draw_grid(ax_full, cb.dout_full, title="dout" + (f", {s - 1} zero{'s' if s > 2 else ''} inserted" if s > 1 else "")
              + f", {kh - 1} around", padding_mask=border, highlight=(r0 + c.row * s, c0 + c.col * s, 1, 1),
              **no_labels)
    if s > 1:
        inserted = np.zeros(cb.dout_full.shape, dtype=bool)
        inserted[r0 : r0 + hd, c0 : c0 + wd] = cb.inserted
        _overlay(ax_full, inserted, INSERTED_FACE)
    outline_cells(ax_full, r0, c0, hd, wd, color="#444444", linewidth=1.5, linestyle="--")
    outline_cells(ax_full, r0 + c.row * s - (kh - 1), c0 + c.col * s - (kw - 1), kh, kw, color=HIGHLIGHT,
                  linewidth=2, linestyle=":")
    draw_grid(ax_rot, cb.kernel_rot, title="W rotated 180°", **no_labels)
    draw_grid(ax_corr, cb.dx_padded, title="full correlation" + (" = dx_pad" if p else " = dx"),
              padding_mask=pad_mask, highlight=window, **no_labels)
    if p:
        outline_cells(ax_corr, *cb.crop, color=CROP_COLOR, linewidth=2, linestyle="--")
    draw_grid(ax_dx, cb.dx, title=f"dx (crop {p})" if p else "dx", **no_labels)

    fig_h = fig.get_figheight()
    fig.suptitle(f"output cell {index + 1} of {len(cb.cells)}: out[{c.row}, {c.col}]    "
                 f"(stride {s}, padding {p})", fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.12 / fig_h)
    y_row2 = ax_full.get_position().y1 + 0.55 / fig_h
    fig.text(0.5, y_row2, "all cells at once: dx_pad = dout (dilated, padded by K − 1) ⋆ W rotated 180°"
             + (";  dx = dx_pad without the padding" if p else ""),
             ha="center", va="bottom", fontsize=LABEL_SIZE + 1, fontweight="bold")
    return fig


def _num(v) -> str:
    v = float(v) + 0.0
    return str(int(v)) if v.is_integer() else f"{v:.2f}"
