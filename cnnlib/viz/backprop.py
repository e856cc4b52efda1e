"""The convolution's backward pass drawn (as SVG): one output cell's gradient flowing back, and the whole pass.

Both figures draw a :class:`~cnnlib.demos.conv_backward.ConvBackward` (from
:func:`~cnnlib.demos.conv_backward.conv_backward_steps`) as an SVG string:
number grids the browser lays out, crisp on a projector, and a redraw costs
a few milliseconds (the matplotlib version took 100-500 ms).

:func:`draw_backward_cell` (in :mod:`cnnlib.viz.backprop_cell`), for one
output cell: the padded input with the window it used, ``dout`` with the
cell and ``dx_pad`` filling up cell by cell side by side (``dx_pad`` level
with ``x_pad``, so the window is in the same rows), and under them the
kernel and ``dW`` filling up. :func:`draw_backward_pass`, every cell at
once: ``dout`` with the stride's zeros inserted and ``K - 1`` zeros around
it, the kernel rotated 180°, their full correlation ``dx_pad`` and, cropped
out of it, ``dx``. When the stride does not divide ``H + 2P − K``, the rows
and columns the floor dropped add ``extra`` zeros at the bottom/right. The
title of the first grid (:func:`full_dout_title`) states the padding it draws.

Colour is never the only cue: each kind of cell has a light Okabe–Ito tint
*and* a second mark (a thick or dashed outline, hatching), and a legend
names them (:mod:`cnnlib.viz.backprop_parts`, the parts both figures are
drawn from). Cell colours mark categories only; the values are the numbers
written in the cells. Each grid is an SVG group ``<g data-grid=name>`` with
one ``<rect data-kind=...>`` and one ``<text>`` per cell, row by row.

Both figures have one size for every stride and padding up to ``max_padding``
(the widget's range): changing a setting never moves the page.
"""
from __future__ import annotations

import math

import numpy as np

from ..demos.conv_backward import ConvBackward
from ..demos.formatting import format_value
from .backprop_cell import draw_backward_cell
from .backprop_parts import (CATEGORY_COLORS, CELL, CROP_EDGE, FILLS, GAP, HATCH, LINE, SUPTITLE_PX, TITLE_PX,
                             VALUE_PX, WINDOW_EDGE, frame_shapes, grid, legend, lines, padding_kinds, tint, width_of,
                             wrap, zeros)
from .svg import Svg

__all__ = ["CATEGORY_COLORS", "FILLS", "WINDOW_EDGE", "draw_backward_cell", "draw_backward_pass", "full_dout_kinds",
           "full_dout_title", "tint"]


def full_dout_title(cb: ConvBackward) -> str:
    """What the first grid of :func:`draw_backward_pass` shows, with the numbers of the padding it draws.

    >>> from cnnlib.demos.conv_backward import conv_backward_steps
    >>> print(full_dout_title(conv_backward_steps(stride=3)))
    dout + 1 around
    + 2 bottom/right
    """
    title = "dout"
    if cb.inserted.any():  # a 1×1 dout has no neighbours to put zeros between
        title += f" + {zeros(cb.stride - 1)} between"
    (kh1, kw1), (er, ec) = cb.around, cb.extra
    title += f" + {kh1} around" if kh1 == kw1 else f" + {kh1} above/below, {kw1} left/right"
    if er == ec and er:
        title += f"\n+ {er} bottom/right"
    elif er or ec:
        title += "\n" + " ".join(part for part in (f"+ {er} bottom" if er else "", f"+ {ec} right" if ec else "")
                                 if part)
    return title


def full_dout_kinds(cb: ConvBackward) -> np.ndarray:
    """The kind of every cell of ``dout_full``: "value" (an entry of dout), "inserted", "padding" or "extra"."""
    kinds = np.full(cb.dout_full.shape, "padding", dtype=object)
    (r0, c0), (hd, wd) = cb.full_offset, cb.dout_dilated.shape
    kinds[r0:r0 + hd, c0:c0 + wd] = np.where(cb.inserted, "inserted", "value")
    er, ec = cb.extra
    h, w = kinds.shape
    if er:
        kinds[h - er:, :] = "extra"
    if ec:
        kinds[:, w - ec:] = "extra"
    return kinds


def draw_backward_pass(cb: ConvBackward, *, max_padding: int = 0) -> str:
    """The SVG of every cell at once: ``dx_pad`` = full correlation of dilated ``dout`` with ``W`` rotated 180°.

    ``max_padding``: the figure keeps one size for every padding up to this (a widget's range).
    """
    kh, kw = cb.kernel.shape
    p = cb.padding
    frame = frame_shapes(cb, max_padding)
    titles = [width_of(t, TITLE_PX, bold=True) for t in ("W rotated", f"dx: crop {max(max_padding, p)}\noff each side")]
    col_w = [frame["full"][1] * CELL, max(kw * CELL, math.ceil(titles[0]) + 4), frame["padded"][1] * CELL,
             max(cb.x.shape[1] * CELL, math.ceil(titles[1]) + 4)]
    grid_h = frame["full"][0] * CELL
    width = 16 + sum(col_w) + 3 * GAP
    top = 2 * LINE + 8
    title_h = 3 * LINE + 8
    height = top + title_h + grid_h + 8 + 2 * LINE + 8
    svg = Svg(width, height, title="the backward pass, all cells at once")
    svg.defs.append(HATCH)
    dropped = " + dropped rows" if any(cb.extra) else ""
    lines(svg, width / 2, 16, f"all cells at once: (dout dilated, padded by K − 1{dropped})\n"
          "⋆ (W rotated 180°) = dx_pad; crop it to get dx", size=SUPTITLE_PX, weight="bold")
    xs = [8]
    for w in col_w[:-1]:
        xs.append(xs[-1] + w + GAP)
    grids = [("dout_full", full_dout_title(cb), cb.dout_full, full_dout_kinds(cb),
              [(*cb.full_offset, *cb.dout_dilated.shape, "#444444", "5 4")]),
             ("W_rot", "W rotated\n180°", cb.kernel_rot, np.full(cb.kernel.shape, "value", dtype=object), []),
             ("dx_pad" if p else "dx", "full correlation\n" + ("= dx_pad" if p else "= dx"), cb.dx_padded,
              padding_kinds(cb.padded.shape, p), [(*cb.crop, CROP_EDGE, "7 4")] if p else [])]
    if p:
        grids.append(("dx", f"dx: crop {p}\noff each side", cb.dx, np.full(cb.x.shape, "value", dtype=object), []))
    for k, (name, title, values, kinds, outlines) in enumerate(grids):
        gh, gw = np.shape(values)
        lines(svg, xs[k] + col_w[k] / 2, top + LINE / 2, wrap(title, col_w[k] + GAP - 4), weight="bold")
        grid(svg, name, values, kinds, xs[k] + (col_w[k] - gw * CELL) / 2, top + title_h + (grid_h - gh * CELL) / 2,
             outlines=outlines)
    below = top + title_h + grid_h / 2 + kh * CELL / 2 + 8 + LINE / 2  # under W rotated, in the grids' band
    svg.text(xs[1] + col_w[1] / 2, below, f"db = {format_value(cb.db)}", size=VALUE_PX)
    if not p:
        lines(svg, xs[3] + col_w[3] / 2, top + title_h + grid_h / 2 - LINE, "no padding:\nnothing\nto crop",
              size=VALUE_PX)
    entries = [("value", None, None, "dout's entries")]
    if cb.inserted.any():
        entries.append(("inserted", None, None, f"the stride's {zeros(cb.stride - 1)} between"))
    entries.append(("padding", None, None, f"{zeros(kh - 1)} around / padding"))
    legend_y = height - 2 * LINE + 4
    legend(svg, 12, legend_y, entries)
    second = [(None, CROP_EDGE, "7 4", "dashed: the crop to dx")] if p else []
    if any(cb.extra):
        er, ec = cb.extra
        second.insert(0, ("extra", None, None, f"hatched: {er} row{'s' * (er != 1)}, {ec} col{'s' * (ec != 1)} "
                                               "no window reached"))
    legend(svg, 12, legend_y + LINE + 4, second)
    return svg.to_string()
