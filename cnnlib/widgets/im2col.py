"""The im2col explorer: pick a window, see its column of the matrix and the one output value it gives.

>>> view = im2col_view(row=1, col=2)
>>> view.window.column, view.window.value
(5, 3.0)
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from ..demos.im2col import Im2colWindow, im2col_window
from ..demos.sliding_window import SEED_INPUT, SEED_KERNEL
from ..viz.im2col import draw_im2col
from .view_widget import ViewWidget, sliders


@dataclass(frozen=True)
class Im2colView:
    """What the explorer drew: the SVG, the window it follows and the sentence under it."""

    svg: str
    window: Im2colWindow
    message: str


def im2col_view(row: int = 0, col: int = 0, x=SEED_INPUT, kernel=SEED_KERNEL) -> Im2colView:
    """Window ``(row, col)`` of ``x ⋆ kernel``: the input, ``cols`` with its column, the output (SVG).

    Args:
        row, col: the window (the output cell), from 0.
        x, kernel: 2-D input and kernel (default: the 4×4 and 2×2 example of lessons 01 and 07).
    """
    w = im2col_window(x, kernel, row, col)
    W_out = w.output.shape[1]
    message = (f"Window ({w.row}, {w.col}) is column k = row · W_out + col = {w.row}·{W_out} + {w.col} = {w.column} "
               f"of cols; the kernel as a row times that column is out[{w.row}, {w.col}] = {w.equation.split(' = ')[-1]}.")
    return Im2colView(draw_im2col(w), w, message)


def im2col_widget(row: int = 0, col: int = 0, x=SEED_INPUT, kernel=SEED_KERNEL) -> ViewWidget:
    """Two sliders (the window's row and column) driving :func:`im2col_view`."""
    first = im2col_window(x, kernel, 0, 0)
    H_out, W_out = first.output.shape
    controls = sliders({"row": (0, H_out - 1), "col": (0, W_out - 1)}, {"row": row, "col": col},
                       {"row": "window row i", "col": "window col j"}, width="320px",
                       style={"description_width": "120px"})

    def view(row: int, col: int) -> Im2colView:
        return im2col_view(row, col, x, kernel)

    return ViewWidget(controls, [view], layout=widgets.HBox(list(controls.values())))
