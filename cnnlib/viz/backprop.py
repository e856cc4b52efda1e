"""The convolution's backward pass drawn (as SVG): one output cell's gradient flowing back, and the whole pass.

Both figures draw a :class:`~cnnlib.demos.conv_backward.ConvBackward` (from
:func:`~cnnlib.demos.conv_backward.conv_backward_steps`) as an SVG string:
number grids the browser lays out, crisp on a projector, and a redraw costs
a few milliseconds (the matplotlib version took 100-500 ms).

:func:`draw_backward_cell`, for one output cell: the padded input with the
window it used, the kernel, ``dout`` with the cell, and under them ``dx_pad``
and ``dW`` as they fill up cell by cell (``dx_pad`` sits under ``x_pad``, so
the window is in the same place). :func:`draw_backward_pass`, every cell at
once: ``dout`` with the stride's zeros inserted and ``K - 1`` zeros around
it, the kernel rotated 180°, their full correlation ``dx_pad`` and, cropped
out of it, ``dx``. When the stride does not divide ``H + 2P − K``, the rows
and columns the floor dropped add ``extra`` zeros at the bottom/right. The
title of the first grid (:func:`full_dout_title`) states the padding it draws.

Colour is never the only cue: each kind of cell has a light Okabe–Ito tint
*and* a second mark (a thick or dashed outline, hatching), and a legend under
the figure names them. Cell colours mark categories only; the values are the
numbers written in the cells. Each grid is an SVG group ``<g data-grid=name>``
with one ``<rect data-kind=...>`` and one ``<text>`` per cell, row by row.

Both figures have one size for every stride and padding up to ``max_padding``
(the widget's range): changing a setting never moves the page.
"""
from __future__ import annotations

from html import escape

import numpy as np

from ..demos.conv_backward import ConvBackward
from ..demos.formatting import format_value, paren
from .palette import OKABE_ITO
from .svg import FONT, Svg

CELL = 28  # px per cell
GAP = 20  # px between grids (the widest figure must fit the ~800 px of a notebook cell at 1024×768)
VALUE_PX, TITLE_PX, SUPTITLE_PX = 18, 19, 20
LINE = 24  # px per line of text


def tint(color: str, amount: float) -> str:
    """``color`` mixed with white: ``amount`` 0 is white, 1 the colour itself."""
    rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    mixed = 255 - amount * (255 - rgb)
    return "#" + "".join(f"{int(round(v)):02X}" for v in mixed)


PLAIN = "#FFFFFF"
PADDING_FILL = "#D4D4D4"  # zero padding (and the K − 1 zeros around dout): gray
WINDOW_FILL, WINDOW_EDGE = tint(OKABE_ITO["sky blue"], 0.5), OKABE_ITO["blue"]  # the window / the cell: thick outline
INSERTED_FILL = tint(OKABE_ITO["yellow"], 0.6)  # the zeros a stride > 1 inserts into dout
EXTRA_FILL = PADDING_FILL  # + hatching: the rows/columns the floor dropped
CROP_EDGE = OKABE_ITO["black"]  # dashed: the part of dx_pad that is dx
FILLS = {"value": PLAIN, "padding": PADDING_FILL, "window": WINDOW_FILL, "inserted": INSERTED_FILL,
         "extra": EXTRA_FILL}
#: The cell colours the figures put side by side (checked for colour-vision deficiency in tests/viz/test_palette.py).
CATEGORY_COLORS = [PLAIN, PADDING_FILL, WINDOW_FILL, INSERTED_FILL]
HATCH = ('<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
         '<line x1="0" y1="0" x2="0" y2="8" stroke="#444444" stroke-width="2"/></pattern>')


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


def _padding_kinds(shape, p: int) -> np.ndarray:
    kinds = np.full(shape, "padding", dtype=object)
    kinds[p:shape[0] - p, p:shape[1] - p] = "value"
    return kinds


def _lines(svg: Svg, x: float, y: float, text: str, *, size: float = TITLE_PX, weight: str = "normal",
           anchor: str = "middle") -> None:
    for k, line in enumerate(text.split("\n")):
        svg.text(x, y + k * LINE, line, size=size, weight=weight, anchor=anchor)


def _grid(svg: Svg, name: str, values, kinds, x0: float, y0: float, *, outlines=()) -> None:
    """Cells ``values`` at ``(x0, y0)``, filled by ``kinds``; ``outlines``: ``(top, left, h, w, colour, dash)``."""
    values = np.asarray(values, dtype=float)
    svg.items.append(f'<g data-grid="{name}">')
    for (r, c), v in np.ndenumerate(values):
        kind = kinds[r, c]
        x, y = x0 + c * CELL, y0 + r * CELL
        svg.items.append(f'<rect data-kind="{kind}" x="{x:g}" y="{y:g}" width="{CELL}" height="{CELL}" '
                         f'fill="{FILLS[kind]}" stroke="#8C8C8C" stroke-width="1"/>')
        if kind == "extra":
            svg.items.append(f'<rect x="{x:g}" y="{y:g}" width="{CELL}" height="{CELL}" fill="url(#hatch)"/>')
        color = "#555555" if kind in ("padding", "extra", "inserted") else "#000000"
        svg.items.append(f'<text x="{x + CELL / 2:g}" y="{y + CELL / 2:g}" font-size="{VALUE_PX}px" '
                         f'font-family="{FONT}" text-anchor="middle" dominant-baseline="central" '
                         f'fill="{color}">{escape(format_value(v))}</text>')
    for top, left, h, w, color, dash in outlines:
        svg.rect(x0 + left * CELL, y0 + top * CELL, w * CELL, h * CELL, stroke=color, stroke_width=4 if not dash else 3,
                 dash=dash)
    svg.items.append("</g>")


def _text_width(text: str, size: float = VALUE_PX) -> float:
    """About how wide ``text`` is in px (DejaVu Sans averages 0.6 em per character)."""
    return 0.6 * size * max(len(line) for line in text.split("\n"))


def _wrap(text: str, width: float, size: float = TITLE_PX) -> str:
    """``text`` with its lines broken before `` + `` where they are wider than ``width`` px."""
    out = []
    for line in text.split("\n"):
        parts = line.split(" + ")
        current = parts[0]
        for part in parts[1:]:
            if _text_width(current + " + " + part, size) > width:
                out.append(current)
                current = "+ " + part
            else:
                current += " + " + part
        out.append(current)
    return "\n".join(out)


def legend_width(entries) -> float:
    """The width in px :func:`_legend` needs for ``entries``."""
    return sum(26 + _text_width(label) + 22 for *_, label in entries)


def _legend(svg: Svg, x: float, y: float, entries) -> None:
    """Swatches with their labels in a row from ``(x, y)``: ``entries`` are ``(kind or None, edge, dash, label)``."""
    for kind, edge, dash, label in entries:
        fill = FILLS[kind] if kind else PLAIN
        svg.rect(x, y - 10, 20, 20, fill=fill, stroke=edge or "#8C8C8C", stroke_width=3 if edge else 1, dash=dash)
        if kind == "extra":
            svg.rect(x, y - 10, 20, 20, fill="url(#hatch)")
        svg.text(x + 26, y, label, size=VALUE_PX, anchor="start")
        x += 26 + _text_width(label) + 22


def frame_shapes(cb: ConvBackward, max_padding: int) -> dict:
    """The largest ``(rows, cols)`` of each grid for any stride and padding ``<= max_padding``: the figure's frame."""
    (h, w), (kh, kw) = cb.x.shape, cb.kernel.shape
    p = max(max_padding, cb.padding)
    hp, wp = h + 2 * p, w + 2 * p
    return {"padded": (hp, wp), "dout": (hp - kh + 1, wp - kw + 1), "full": (hp + kh - 1, wp + kw - 1)}


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
    frame = frame_shapes(cb, max_padding)
    col_w = [frame["padded"][1] * CELL, max(kw * CELL, 190), max(frame["dout"][1] * CELL, 190)]
    row_h = [frame["padded"][0] * CELL, max(frame["padded"][0], frame["dout"][0]) * CELL]
    width = max(16 + sum(col_w) + 2 * GAP, 24 + legend_width(_cell_legend(1)))
    top = 2 * LINE + 14
    height = top + 2 * (LINE + 8 + LINE + 12) + row_h[0] + row_h[1] + LINE + 16
    svg = Svg(width, height, title=f"output cell {index + 1}: out[{c.row}, {c.col}]")
    svg.defs.append(HATCH)
    _lines(svg, width / 2, 16, f"output cell {index + 1} of {len(cb.cells)}: out[{c.row}, {c.col}]  "
           f"(stride {cb.stride}, padding {p})\nits gradient flows back along the connections it used",
           size=SUPTITLE_PX, weight="bold")
    x_left = (width - sum(col_w) - 2 * GAP) / 2
    xs = [x_left, x_left + col_w[0] + GAP, x_left + col_w[0] + col_w[1] + 2 * GAP]
    window = (c.top, c.left, kh, kw)
    pad_kinds = _padding_kinds(cb.padded.shape, p)
    win_kinds = pad_kinds.copy()
    win_kinds[c.top:c.top + kh, c.left:c.left + kw] = "window"
    crop = [(*cb.crop, CROP_EDGE, "7 4")] if p else []
    g = paren(c.grad)
    rows = [
        [("x_pad" if p else "x", f"x padded (P={p})" if p else "x", cb.padded, win_kinds,
          [(*window, WINDOW_EDGE, None)], f"window [{c.top}:{c.top + kh}, {c.left}:{c.left + kw}]"),
         ("W", "W", cb.kernel, np.full(cb.kernel.shape, "window", dtype=object), [(0, 0, kh, kw, WINDOW_EDGE, None)],
          "all of W"),
         ("dout", f"dout {cb.dout.shape[0]}×{cb.dout.shape[1]}", cb.dout,
          _cell_kinds(cb.dout.shape, c.row, c.col), [(c.row, c.col, 1, 1, WINDOW_EDGE, None)],
          f"g = dout[{c.row}, {c.col}] = {format_value(c.grad)}")],
        [("dx_pad" if p else "dx", ("dx_pad" if p else "dx") + " so far", dxp_so_far, win_kinds,
          [(*window, WINDOW_EDGE, None)] + crop, f"window += {g} · W"),
         ("dW", "dW so far", dW_so_far, np.full(cb.kernel.shape, "value", dtype=object), [], f"+= {g} · window"),
         None],
    ]
    y = top
    for r, row in enumerate(rows):
        for k, item in enumerate(row):
            if item is None:
                continue
            name, title, values, kinds, outlines, label = item
            gh, gw = np.shape(values)
            x0 = xs[k] + (col_w[k] - gw * CELL) / 2
            svg.text(xs[k] + col_w[k] / 2, y + LINE / 2, title, size=TITLE_PX, weight="bold")
            y0 = y + LINE + 8 + (row_h[r] - gh * CELL) / 2
            _grid(svg, name, values, kinds, x0, y0, outlines=outlines)
            svg.text(xs[k] + col_w[k] / 2, y + LINE + 8 + row_h[r] + 8 + LINE / 2, label, size=VALUE_PX)
        y += LINE + 8 + row_h[r] + 8 + LINE + 4
    _legend(svg, 12, height - LINE / 2 - 6, _cell_legend(p))
    return svg.to_string()


def _cell_legend(p: int) -> list:
    entries = [("window", WINDOW_EDGE, None, "window, cell: blue outline"), ("padding", None, None, "padding")]
    return entries + ([(None, CROP_EDGE, "7 4", "dashed: dx")] if p else [])


def _cell_kinds(shape, row: int, col: int) -> np.ndarray:
    kinds = np.full(shape, "value", dtype=object)
    kinds[row, col] = "window"
    return kinds


def draw_backward_pass(cb: ConvBackward, *, max_padding: int = 0) -> str:
    """The SVG of every cell at once: ``dx_pad`` = full correlation of dilated ``dout`` with ``W`` rotated 180°.

    ``max_padding``: the figure keeps one size for every padding up to this (a widget's range).
    """
    kh, kw = cb.kernel.shape
    p = cb.padding
    frame = frame_shapes(cb, max_padding)
    col_w = [frame["full"][1] * CELL, max(kw * CELL, 130), frame["padded"][1] * CELL, max(cb.x.shape[1] * CELL, 120)]
    grid_h = frame["full"][0] * CELL
    width = 12 + sum(col_w) + 3 * GAP
    top = 2 * LINE + 8
    title_h = 3 * LINE + 8
    height = top + title_h + grid_h + 8 + LINE + 8 + 2 * LINE + 8
    svg = Svg(width, height, title="the backward pass, all cells at once")
    svg.defs.append(HATCH)
    dropped = " + dropped rows" if any(cb.extra) else ""
    _lines(svg, width / 2, 16, f"all cells at once: (dout dilated, padded by K − 1{dropped})\n"
           "⋆ (W rotated 180°) = dx_pad; crop it to get dx", size=SUPTITLE_PX, weight="bold")
    xs = [8]
    for w in col_w[:-1]:
        xs.append(xs[-1] + w + GAP)
    grids = [("dout_full", full_dout_title(cb), cb.dout_full, full_dout_kinds(cb),
              [(*cb.full_offset, *cb.dout_dilated.shape, "#444444", "5 4")]),
             ("W_rot", "W rotated\n180°", cb.kernel_rot, np.full(cb.kernel.shape, "value", dtype=object), []),
             ("dx_pad" if p else "dx", "full correlation\n" + ("= dx_pad" if p else "= dx"), cb.dx_padded,
              _padding_kinds(cb.padded.shape, p), [(*cb.crop, CROP_EDGE, "7 4")] if p else [])]
    if p:
        grids.append(("dx", f"dx: crop {p}\noff each side", cb.dx, np.full(cb.x.shape, "value", dtype=object), []))
    for k, (name, title, values, kinds, outlines) in enumerate(grids):
        gh, gw = np.shape(values)
        _lines(svg, xs[k] + col_w[k] / 2, top + LINE / 2, _wrap(title, col_w[k] + GAP - 4), weight="bold")
        _grid(svg, name, values, kinds, xs[k] + (col_w[k] - gw * CELL) / 2, top + title_h + (grid_h - gh * CELL) / 2,
              outlines=outlines)
    below = top + title_h + grid_h + 8 + LINE / 2
    svg.text(xs[1] + col_w[1] / 2, below, f"db = {format_value(cb.db)}", size=VALUE_PX)
    if not p:
        _lines(svg, xs[3] + col_w[3] / 2, top + title_h + grid_h / 2 - LINE, "no padding:\nnothing\nto crop",
               size=VALUE_PX)
    entries = [("value", None, None, "dout's entries")]
    if cb.inserted.any():
        entries.append(("inserted", None, None, f"the stride's {_zeros(cb.stride - 1)} between"))
    entries.append(("padding", None, None, f"{_zeros(kh - 1)} around / padding"))
    legend_y = height - 2 * LINE + 4
    _legend(svg, 12, legend_y, entries)
    second = [(None, CROP_EDGE, "7 4", "dashed: the crop to dx")] if p else []
    if any(cb.extra):
        er, ec = cb.extra
        second.insert(0, ("extra", None, None, f"hatched: {er} row{'s' * (er != 1)}, {ec} col{'s' * (ec != 1)} "
                                               "no window reached"))
    _legend(svg, 12, legend_y + LINE + 4, second)
    return svg.to_string()
