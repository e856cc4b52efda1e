"""The convolution's backward pass drawn: one output cell's gradient flowing back, and the whole pass as correlations.

Both figures draw a :class:`~cnnlib.demos.conv_backward.ConvBackward` (from
:func:`~cnnlib.demos.conv_backward.conv_backward_steps`).

:func:`draw_backward_cell`, for one output cell: the window it used in the
(padded) input, the kernel, ``dout`` with the cell outlined, and ``dW`` and
``dx_pad`` as they fill up cell by cell. :func:`draw_backward_pass`, every
cell at once: ``dout`` with the stride's zeros inserted (yellow) and
``K - 1`` zeros around it (gray), the kernel rotated 180°, their full
correlation ``dx_pad`` and, cropped out of it, ``dx``. When the stride does
not divide ``H + 2P − K``, the rows and columns the floor dropped add
``extra`` zeros at the bottom/right (gray, hatched). The title of the first
grid (:func:`full_dout_title`) states the padding it draws. They are two
figures so that a widget stepping through the cells redraws only the first.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..demos.conv_backward import ConvBackward
from ..demos.formatting import format_value, paren
from .grids import draw_grid, outline_cells, padding_mask
from .style import GRID_HEADROOM, LABEL_SIZE, TITLE_SIZE, rows_figure, set_labels, signed_norm

INSERTED_FACE = (1.0, 0.93, 0.55, 1.0)  # the zeros a stride > 1 inserts into dout (yellow)
CROP_COLOR = "#222222"  # the part of dx_pad that is dx
_NO_LABELS = {"xlabel": None, "ylabel": None}


def _overlay(ax, mask, face) -> None:
    """Paint the cells where ``mask`` is True with ``face`` (RGBA), under the numbers."""
    rgba = np.zeros(mask.shape + (4,))
    rgba[mask] = face
    ax.imshow(rgba, interpolation="nearest", zorder=0.6)


def _zeros(n: int) -> str:
    return f"{n} zero{'' if n == 1 else 's'}"


def full_dout_title(cb: ConvBackward) -> str:
    """What the first grid of :func:`draw_backward_pass` shows, with the numbers of the padding it draws.

    >>> from cnnlib.demos.conv_backward import conv_backward_steps
    >>> print(full_dout_title(conv_backward_steps(stride=3)))
    dout + 1 around
    + 2 bottom/right
    """
    title = "dout"
    if cb.inserted.any():  # a 1×1 dout has no neighbours to put zeros between
        title += f" + {_zeros(cb.stride - 1)} between"
    (kh1, kw1), (er, ec) = cb.around, cb.extra
    title += f" + {kh1} around" if kh1 == kw1 else f" + {kh1} above/below, {kw1} left/right"
    if er == ec and er:
        title += f"\n+ {er} bottom/right"
    elif er or ec:
        title += "\n" + " ".join(part for part in (f"+ {er} bottom" if er else "", f"+ {ec} right" if ec else "")
                                 if part)
    return title


def _hatch_extra(ax, cb: ConvBackward) -> None:
    """Hatch the extra zero rows (bottom) and columns (right) of ``dout_full``: the rows the floor dropped."""
    h, w = cb.dout_full.shape
    er, ec = cb.extra
    for top, left, height, width in ((h - er, 0, er, w), (0, w - ec, h, ec)):
        if height and width:
            ax.add_patch(Rectangle((left - 0.5, top - 0.5), width, height, fill=False, hatch="//",
                                   edgecolor="#555555", linewidth=0, zorder=0.7))


def draw_backward_cell(cb: ConvBackward, index: int, *, figure: Figure | None = None) -> Figure:
    """One output cell (``index``, 0-based, row-major): its window, its gradient, and ``dW``/``dx`` so far.

    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    if not 0 <= index < len(cb.cells):
        raise ValueError(f"cell index must be in 0..{len(cb.cells) - 1}, got {index}.")
    c = cb.cells[index]
    kh, kw = cb.kernel.shape
    p = cb.padding
    dW_so_far, dxp_so_far = cb.partial(index)
    pad_mask = padding_mask(cb.padded.shape, p)
    shapes = [cb.padded.shape, cb.kernel.shape, cb.dout.shape, cb.kernel.shape, cb.padded.shape]
    fig, [[ax_x, ax_w, ax_d, ax_dw, ax_dxp]] = rows_figure([shapes], min_width=12.5, bottom=0.75, figure=figure)
    window = (c.top, c.left, kh, kw)
    padded = f" padded (P={p})" if p else ""
    draw_grid(ax_x, cb.padded, title="x" + padded, padding_mask=pad_mask, highlight=window, **_NO_LABELS)
    draw_grid(ax_w, cb.kernel, title="W", highlight=(0, 0, kh, kw), ticks=False, **_NO_LABELS)  # every weight is used
    draw_grid(ax_d, cb.dout, title=f"dout {cb.dout.shape[0]}×{cb.dout.shape[1]}", highlight=(c.row, c.col, 1, 1),
              **_NO_LABELS)
    draw_grid(ax_dw, dW_so_far, title="dW so far", norm=signed_norm(cb.dW, headroom=GRID_HEADROOM), ticks=False,
              **_NO_LABELS)
    draw_grid(ax_dxp, dxp_so_far, title=("dx_pad" if p else "dx") + " so far", padding_mask=pad_mask,
              norm=signed_norm(cb.dx_padded, headroom=GRID_HEADROOM), highlight=window, **_NO_LABELS)
    if p:
        outline_cells(ax_dxp, *cb.crop, color=CROP_COLOR, linewidth=2, linestyle="--")
    g = paren(c.grad)
    set_labels(ax_dw, f"+= {g} · window", None, fontsize=LABEL_SIZE)
    set_labels(ax_dxp, f"window += {g} · W", None, fontsize=LABEL_SIZE)
    set_labels(ax_d, f"g = dout[{c.row}, {c.col}] = {format_value(c.grad)}", None, fontsize=LABEL_SIZE)
    fig.suptitle(f"output cell {index + 1} of {len(cb.cells)}: out[{c.row}, {c.col}]  (stride {cb.stride}, "
                 f"padding {p}): its gradient flows back along the connections it used",
                 fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.12 / fig.get_figheight())
    return fig


def draw_backward_pass(cb: ConvBackward, *, figure: Figure | None = None) -> Figure:
    """Every cell at once: ``dx_pad`` = full correlation of dilated ``dout`` with ``W`` rotated 180°; crop to ``dx``.

    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    kh, kw = cb.kernel.shape
    p, s = cb.padding, cb.stride
    shapes = [cb.dout_full.shape, cb.kernel.shape, cb.padded.shape] + ([cb.x.shape] if p else [])
    fig, [axes] = rows_figure([shapes], min_width=12.5, bottom=0.75, figure=figure)
    ax_full, ax_rot, ax_corr = axes[:3]
    r0, c0 = cb.full_offset
    hd, wd = cb.dout_dilated.shape
    border = np.ones(cb.dout_full.shape, dtype=bool)
    border[r0 : r0 + hd, c0 : c0 + wd] = False
    draw_grid(ax_full, cb.dout_full, title=full_dout_title(cb), padding_mask=border, ticks=False, **_NO_LABELS)
    _hatch_extra(ax_full, cb)
    if cb.inserted.any():
        inserted = np.zeros(cb.dout_full.shape, dtype=bool)
        inserted[r0 : r0 + hd, c0 : c0 + wd] = cb.inserted
        _overlay(ax_full, inserted, INSERTED_FACE)
    outline_cells(ax_full, r0, c0, hd, wd, color="#444444", linewidth=1.5, linestyle="--")
    draw_grid(ax_rot, cb.kernel_rot, title="W rotated 180°", ticks=False, **_NO_LABELS)
    draw_grid(ax_corr, cb.dx_padded, title="full correlation" + (" = dx_pad" if p else " = dx"),
              padding_mask=padding_mask(cb.padded.shape, p), ticks=False, **_NO_LABELS)
    if p:  # without padding the correlation is dx itself: nothing to crop, no fourth grid
        outline_cells(ax_corr, *cb.crop, color=CROP_COLOR, linewidth=2, linestyle="--")
        draw_grid(axes[3], cb.dx, title=f"dx: crop {p} off each side", ticks=False, **_NO_LABELS)
    else:
        set_labels(ax_corr, "no padding: nothing to crop", None, fontsize=LABEL_SIZE)
    label = ("yellow: the stride's zeros, " if cb.inserted.any() else "") + f"gray: {_zeros(kh - 1)} around"
    if any(cb.extra):
        er, ec = cb.extra
        label += f";\nhatched: {er} row{'s' * (er != 1)}, {ec} col{'s' * (ec != 1)} no window reached"
    set_labels(ax_full, label, None, fontsize=LABEL_SIZE)
    set_labels(ax_rot, f"db = sum(dout) = {format_value(cb.db)}", None, fontsize=LABEL_SIZE)
    dropped = " + the dropped rows" if any(cb.extra) else ""
    fig.suptitle(f"all cells at once: dx_pad = (dout dilated, padded by K − 1{dropped}) ⋆ (W rotated 180°)",
                 fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.12 / fig.get_figheight())
    return fig
