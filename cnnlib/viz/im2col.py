"""The im2col explorer's figure: one window of the input, its column of the matrix, the output value it gives.

:func:`draw_im2col` draws an :class:`~cnnlib.demos.im2col.Im2colWindow`
(the numbers come from :func:`~cnnlib.demos.im2col.im2col_window`) as SVG,
left to right: the input with the window, the flattened kernel beside the
matrix ``cols`` with the window's column, the row ``w · cols`` under it, and
the output grid. The same colour *and* a thick outline *and* a label mark the
window, its column and its output cell, so the link does not rest on colour.
"""
from __future__ import annotations

from ..demos.formatting import format_value
from ..demos.im2col import Im2colWindow
from .palette import OKABE_ITO
from .svg import Svg, number_grid

CELL = 32  # px per cell: the whole figure fits the 820 px of a notebook cell at 1024×768
GAP = 32
TITLE_PX, VALUE_PX = 20, 18
PICK_FILL, PICK_EDGE = "#ABD9F4", OKABE_ITO["blue"]  # a light tint of Okabe–Ito sky blue, outlined in its blue
WEIGHT_FILL = "#F3E0B5"  # a light tint of Okabe–Ito orange: the kernel's weights
PLAIN, HEADER = "#FFFFFF", "#EEEEEE"


def im2col_size(window: Im2colWindow) -> tuple[int, int]:
    """``(width, height)`` in CSS px: fixed by the shapes only, so moving the window never resizes the page."""
    H, W_in = window.x.shape
    taps, n_cols = window.cols.shape
    H_out, W_out = window.output.shape
    width = 8 + W_in * CELL + GAP + 124 + CELL + 12 + n_cols * CELL + GAP + W_out * CELL + 8
    grid_h = max(H, taps + 2, H_out) * CELL
    return width, 44 + 34 + 26 + grid_h + 40


def draw_im2col(window: Im2colWindow) -> str:
    """The SVG (a string) of ``window``: input, kernel beside ``cols``, ``w · cols``, output, and the equation."""
    w = window
    H, W_in = w.x.shape
    KH, KW = w.kernel.shape
    taps, n_cols = w.cols.shape
    H_out, W_out = w.output.shape
    width, height = im2col_size(w)
    svg = Svg(width, height, title=f"im2col: window ({w.row}, {w.col}) is column {w.column}")
    svg.text(8, 20, w.equation, size=TITLE_PX, anchor="start", weight="bold")
    top = 44 + 34 + 26  # grids start here; block titles sit 34 px above
    fmt = format_value

    # 1. the input, the window outlined
    x0 = 8
    in_fill = [[PICK_FILL if w.row <= r < w.row + KH and w.col <= c < w.col + KW else PLAIN for c in range(W_in)]
               for r in range(H)]
    svg.text(x0, top - 44, f"input x ({H}×{W_in})", size=TITLE_PX, anchor="start")
    number_grid(svg, w.x, x0, top, CELL, fills=in_fill, size=VALUE_PX, fmt=fmt)
    svg.rect(x0 + w.col * CELL, top + w.row * CELL, KW * CELL, KH * CELL, stroke=PICK_EDGE, stroke_width=4)
    svg.text(x0, top + H * CELL + 20, f"window ({w.row}, {w.col})", size=VALUE_PX, anchor="start", fill=PICK_EDGE)

    # 2. the flattened kernel beside cols, the window's column outlined, then w · cols underneath
    labels_x = x0 + W_in * CELL + GAP
    w_x = labels_x + 124
    m_x = w_x + CELL + 12
    svg.text(w_x + CELL / 2, top - 44, "w", size=TITLE_PX)
    svg.text(m_x, top - 44, f"cols = im2col(x)  ({taps}×{n_cols})", size=TITLE_PX, anchor="start")
    for k in range(n_cols):  # column numbers, on a header row
        svg.rect(m_x + k * CELL, top - 26, CELL, 26, fill=PICK_FILL if k == w.column else HEADER, stroke="#999999")
        svg.text(m_x + (k + 0.5) * CELL, top - 13, str(k), size=VALUE_PX,
                 weight="bold" if k == w.column else "normal")
    for r, label in enumerate(w.tap_labels):
        svg.text(w_x - 8, top + (r + 0.5) * CELL, label, size=VALUE_PX, anchor="end")
    number_grid(svg, w.weights[:, None], w_x, top, CELL, fill=WEIGHT_FILL, size=VALUE_PX, fmt=fmt)
    col_fill = [[PICK_FILL if k == w.column else PLAIN for k in range(n_cols)] for _ in range(taps)]
    number_grid(svg, w.cols, m_x, top, CELL, fills=col_fill, size=VALUE_PX, fmt=fmt)
    svg.rect(m_x + w.column * CELL, top - 26, CELL, 26 + taps * CELL, stroke=PICK_EDGE, stroke_width=4)
    out_y = top + (taps + 1) * CELL
    row_out = w.output.reshape(1, -1)  # (1, H_out*W_out): out in the order of the columns
    svg.text(m_x - 8, out_y + CELL / 2, "w · cols =", size=VALUE_PX, anchor="end")
    number_grid(svg, row_out, m_x, out_y, CELL,
                fills=[[PICK_FILL if k == w.column else PLAIN for k in range(n_cols)]], size=VALUE_PX, fmt=fmt)
    svg.rect(m_x + w.column * CELL, out_y, CELL, CELL, stroke=PICK_EDGE, stroke_width=4)
    svg.text(m_x + (w.column + 0.5) * CELL, out_y + CELL + 20, f"column {w.column}", size=VALUE_PX,
             fill=PICK_EDGE)

    # 3. the output grid: the same number, at (row, col)
    o_x = m_x + n_cols * CELL + GAP
    svg.text(o_x, top - 44, f"out ({H_out}×{W_out})", size=TITLE_PX, anchor="start")
    out_fill = [[PICK_FILL if (r, c) == (w.row, w.col) else PLAIN for c in range(W_out)] for r in range(H_out)]
    number_grid(svg, w.output, o_x, top, CELL, fills=out_fill, size=VALUE_PX, fmt=fmt)
    svg.rect(o_x + w.col * CELL, top + w.row * CELL, CELL, CELL, stroke=PICK_EDGE, stroke_width=4)
    svg.text(o_x, top + H_out * CELL + 20, f"out[{w.row}, {w.col}]", size=VALUE_PX, anchor="start", fill=PICK_EDGE)
    return svg.to_string()
