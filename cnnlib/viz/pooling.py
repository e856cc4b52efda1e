"""Max pooling drawn: each window outlined in its own colour, its maximum circled, the output beside it."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from ..functional import maxpool2d_indices
from .grids import draw_grid, outline_cells
from .style import GRID_HEADROOM, LABEL_SIZE, TITLE_SIZE, grid_row_figure, signed_norm

WINDOW_COLORS = ("#1a9e3f", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def draw_max_pool(x, kernel_size: int = 2, stride: int | None = None) -> Figure:
    """Draw ``MaxPool2D(kernel_size, stride)`` on a 2-D ``x``: windows, their maxima and the output.

    The maxima come from :func:`cnnlib.functional.maxpool2d_indices`, so the
    picture shows exactly what the library computes.
    """
    x = np.asarray(x, dtype=float)
    out, rows, cols = maxpool2d_indices(x[None, None], kernel_size, stride)
    out, rows, cols = out[0, 0], rows[0, 0], cols[0, 0]  # (H_out, W_out) each
    s = kernel_size if stride is None else stride
    fig, (ax_in, ax_out) = grid_row_figure([x.shape, out.shape], gap=1.6, top=1.0, bottom=1.0, min_width=8.5)
    norm = signed_norm(x, headroom=GRID_HEADROOM)  # same colours for the same values in both grids
    draw_grid(ax_in, x, title=f"input {x.shape[0]}×{x.shape[1]}", norm=norm)
    draw_grid(ax_out, out, title=f"output {out.shape[0]}×{out.shape[1]}", ylabel=None, norm=norm)
    for idx, (i, j) in enumerate(np.ndindex(out.shape)):
        color = WINDOW_COLORS[idx % len(WINDOW_COLORS)]
        inset = 0.06 * (idx % 2)  # overlapping windows stay distinguishable
        outline_cells(ax_in, i * s + inset, j * s + inset, kernel_size - 2 * inset, kernel_size - 2 * inset,
                      color=color, linewidth=3.5)
        ax_in.add_patch(Circle((cols[i, j], rows[i, j]), 0.36, fill=False, edgecolor=color, linewidth=2.5, zorder=6))
        outline_cells(ax_out, i, j, 1, 1, color=color, linewidth=3.5)
    fig.suptitle(f"max pooling {kernel_size}×{kernel_size}, stride {s}: each output is the largest value "
                 "(circled) of its window", fontsize=TITLE_SIZE - 1, fontweight="bold",
                 y=1 - 0.2 / fig.get_figheight())
    fig.text(0.5, 0.1 / fig.get_figheight(), "no learnable parameters; the depth (channels) stays the same",
             ha="center", va="bottom", fontsize=LABEL_SIZE)
    return fig
