"""Pooling's backward pass drawn: max pooling routes each gradient to its window's maximum, average spreads it."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from ..functional import avgpool2d_backward, avgpool2d_forward, maxpool2d_backward, maxpool2d_forward, \
    maxpool2d_indices
from .grids import draw_grid, outline_cells
from .pooling import WINDOW_COLORS
from .style import LABEL_SIZE, TITLE_SIZE, grid_row_figure, set_labels


def pool_gradients(x, dout, kernel_size: int = 2, stride: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(dx_max, dx_avg)``: the gradients of 2-D ``x`` through max and average pooling, from cnnlib."""
    x = np.asarray(x, dtype=float)[None, None]  # (1, 1, H, W)
    dout = np.asarray(dout, dtype=float)[None, None]
    _, cache = maxpool2d_forward(x, kernel_size, stride)
    dx_max = maxpool2d_backward(dout, cache)[0, 0]
    _, cache = avgpool2d_forward(x, kernel_size, stride)
    dx_avg = avgpool2d_backward(dout, cache)[0, 0]
    return dx_max, dx_avg


def draw_pool_backward(x, dout, kernel_size: int = 2, stride: int | None = None) -> Figure:
    """``x`` with its windows and maxima (circled), ``dout``, and ``dx`` for max and for average pooling."""
    x = np.asarray(x, dtype=float)
    dout = np.asarray(dout, dtype=float)
    s = kernel_size if stride is None else stride
    dx_max, dx_avg = pool_gradients(x, dout, kernel_size, s)
    _, rows, cols = maxpool2d_indices(x[None, None], kernel_size, s)
    rows, cols = rows[0, 0], cols[0, 0]
    fig, (ax_x, ax_d, ax_max, ax_avg) = grid_row_figure([x.shape, dout.shape, x.shape, x.shape], gap=1.0,
                                                        top=1.1, bottom=1.0, min_width=12)
    no_labels = {"xlabel": None, "ylabel": None}
    draw_grid(ax_x, x, title="x (forward input)", **no_labels)
    draw_grid(ax_d, dout, title="dout", **no_labels)
    draw_grid(ax_max, dx_max, title="dx, max pooling", **no_labels)
    draw_grid(ax_avg, dx_avg, title="dx, average pooling", **no_labels)
    for idx, (i, j) in enumerate(np.ndindex(dout.shape)):
        color = WINDOW_COLORS[idx % len(WINDOW_COLORS)]
        inset = 0.06 * (idx % 2) if s < kernel_size else 0.0
        for ax in (ax_x, ax_max, ax_avg):
            outline_cells(ax, i * s + inset, j * s + inset, kernel_size - 2 * inset, kernel_size - 2 * inset,
                          color=color, linewidth=3)
        outline_cells(ax_d, i, j, 1, 1, color=color, linewidth=3)
        for ax in (ax_x, ax_max):
            ax.add_patch(Circle((cols[i, j], rows[i, j]), 0.36, fill=False, edgecolor=color, linewidth=2.5, zorder=6))
    set_labels(ax_max, "all of dout to the max, 0 elsewhere", None, fontsize=LABEL_SIZE)
    set_labels(ax_avg, f"dout / {kernel_size * kernel_size} to every element", None, fontsize=LABEL_SIZE)
    fig.suptitle(f"pooling backward ({kernel_size}×{kernel_size} windows, stride {s}): each window sends its "
                 "gradient back to the elements it used", fontsize=TITLE_SIZE, fontweight="bold",
                 y=1 - 0.2 / fig.get_figheight())
    return fig
