"""The backward pass of one output cell drawn (as SVG): its window, its gradient, and ``dW``/``dx`` so far.

:func:`draw_backward_cell` lays the five grids out in two rows, so that the
figure fits one projected screen with the widget's controls (issue 13)::

    x_pad, window outlined   dout, the cell outlined   dx_pad so far, the same window
    W                        (legend)                  dW so far

Each gradient sits in the row of the variable it belongs to: ``dx_pad`` is
level with ``x_pad`` (the window in the same rows) and ``dW`` with ``W``;
``dout``, where the gradient ``g`` comes from, is between them. Every grid
has a frame of its largest shape over the widget's stride and padding
(:func:`~cnnlib.viz.backprop_parts.frame_shapes`), so the figure's size
never changes with a setting.
"""
from __future__ import annotations

import math

import numpy as np

from ..demos.conv_backward import ConvBackward
from ..demos.formatting import format_value, paren
from .backprop_parts import (CELL, CROP_EDGE, LINE, SUPTITLE_PX, TITLE_PX, VALUE_PX, WINDOW_EDGE, entry_width,
                             frame_shapes, grid, legend, lines, padding_kinds, width_of)
from .svg import Svg

MARGIN, COLUMN_GAP = 12, 32  # px: left/right of the figure, between its three columns
TOP = 2 * LINE + 12  # the two-line title above the grids
PAD = 6  # px between a grid's frame and its title or label
ROW_GAP = 12  # px between the two rows


def cell_legend(p: int) -> list:
    """The legend's entries (``(kind, edge, dash, label)``); the dashed crop only with padding ``p > 0``."""
    entries = [("window", WINDOW_EDGE, None, "window, cell: blue outline"), ("padding", None, None, "padding")]
    return entries + ([(None, CROP_EDGE, "7 4", "dashed: dx")] if p else [])


def cell_layout(cb: ConvBackward, max_padding: int) -> dict:
    """Where everything goes: the same for every stride and padding ``<= max_padding``.

    ``xs``/``widths``: the three columns; ``rows``: the ``(top, frame height)`` of the two rows of grids,
    a row's title above its frame and its labels under it; ``size``: the figure's ``(width, height)``.
    """
    frame = frame_shapes(cb, max_padding)
    (hp, wp), (hd, wd), (kh, _) = frame["padded"], frame["dout"], frame["kernel"]
    widest_g = math.ceil(width_of(f"g = dout[{hd - 1}, {wd - 1}] = -0.00"))  # the dout label at its longest
    widths = [wp * CELL, max(wd * CELL, widest_g), wp * CELL]
    xs = [MARGIN, MARGIN + widths[0] + COLUMN_GAP, MARGIN + widths[0] + widths[1] + 2 * COLUMN_GAP]
    heights = [max(hp, hd) * CELL, kh * CELL]
    row2 = TOP + LINE + PAD + heights[0] + PAD + LINE + ROW_GAP
    height = row2 + LINE + PAD + heights[1] + PAD + LINE + 8
    return {"xs": xs, "widths": widths, "rows": [(TOP, heights[0]), (row2, heights[1])],
            "size": (xs[2] + widths[2] + MARGIN, height)}


def draw_backward_cell(cb: ConvBackward, index: int, *, max_padding: int = 0) -> str:
    """The SVG of one output cell (``index``, 0-based, row-major): its window, its gradient, ``dW``/``dx`` so far.

    ``max_padding``: the figure keeps one size for every padding up to this (a widget's range).
    """
    if not 0 <= index < len(cb.cells):
        raise ValueError(f"cell index must be in 0..{len(cb.cells) - 1}, got {index}.")
    c = cb.cells[index]
    kh, kw = cb.kernel.shape
    p = cb.padding
    dW_so_far, dxp_so_far = cb.partial(index)
    layout = cell_layout(cb, max_padding)
    xs, widths, rows = layout["xs"], layout["widths"], layout["rows"]
    width, height = layout["size"]
    svg = Svg(width, height, title=f"output cell {index + 1}: out[{c.row}, {c.col}]")
    lines(svg, width / 2, 16, f"output cell {index + 1} of {len(cb.cells)}: out[{c.row}, {c.col}]  "
          f"(stride {cb.stride}, padding {p})\nits gradient flows back along the connections it used",
          size=SUPTITLE_PX, weight="bold")
    window = (c.top, c.left, kh, kw)
    win_kinds = padding_kinds(cb.padded.shape, p)
    win_kinds[c.top:c.top + kh, c.left:c.left + kw] = "window"
    crop = [(*cb.crop, CROP_EDGE, "7 4")] if p else []
    dout_kinds = np.full(cb.dout.shape, "value", dtype=object)
    dout_kinds[c.row, c.col] = "window"
    g = paren(c.grad)
    x, dx = ("x_pad", "dx_pad") if p else ("x", "dx")
    grids = [  # (row, column, name, title, values, kinds, outlines, label)
        (0, 0, x, f"x padded (P={p})" if p else "x", cb.padded, win_kinds, [(*window, WINDOW_EDGE, None)],
         f"window [{c.top}:{c.top + kh}, {c.left}:{c.left + kw}]"),
        (0, 1, "dout", f"dout {cb.dout.shape[0]}×{cb.dout.shape[1]}", cb.dout, dout_kinds,
         [(c.row, c.col, 1, 1, WINDOW_EDGE, None)], f"g = dout[{c.row}, {c.col}] = {format_value(c.grad)}"),
        (0, 2, dx, f"{dx} so far", dxp_so_far, win_kinds, [(*window, WINDOW_EDGE, None)] + crop,
         f"window += {g} · W"),
        (1, 0, "W", "W", cb.kernel, np.full(cb.kernel.shape, "window", dtype=object),
         [(0, 0, kh, kw, WINDOW_EDGE, None)], "all of W"),
        (1, 2, "dW", "dW so far", dW_so_far, np.full(cb.kernel.shape, "value", dtype=object), [], f"+= {g} · window"),
    ]
    for r, k, name, title, values, kinds, outlines, label in grids:
        (top, frame_h), (gh, gw) = rows[r], np.shape(values)
        centre = xs[k] + widths[k] / 2
        svg.text(centre, top + LINE / 2, title, size=TITLE_PX, weight="bold")
        frame_top = top + LINE + PAD
        grid(svg, name, values, kinds, centre - gw * CELL / 2, frame_top + (frame_h - gh * CELL) / 2,
             outlines=outlines)
        svg.text(centre, frame_top + frame_h + PAD + LINE / 2, label, size=VALUE_PX)
    entries = cell_legend(p)
    row2, row2_h = rows[1]
    first = row2 + (2 * LINE + 2 * PAD + row2_h - 2 * (LINE + 4)) / 2  # 3 entries centred in the row; 2 from the top
    legend(svg, xs[1] + widths[1] / 2 - max(entry_width(label) for *_, label in cell_legend(1)) / 2, first, entries,
           column=True)
    return svg.to_string()
