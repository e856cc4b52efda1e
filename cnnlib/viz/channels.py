"""Kernel vs filter: a filter holds one kernel per input channel, and their results add up to one map."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..functional import conv2d
from .grids import draw_grid
from .style import DPI, GRID_HEADROOM, LABEL_SIZE, TITLE_SIZE, signed_norm


def draw_filter_channels(x, weights, bias: float = 0.0, *, cell: float = 0.5) -> Figure:
    """Draw one filter ``weights`` ``(C, KH, KW)`` on a ``(C, H, W)`` input, channel by channel.

    Row ``c``: input channel ``c`` ⋆ kernel ``W[0, c]`` = partial map ``c``.
    Right: the partial maps summed, plus the bias: the filter's one output channel.
    All grids share one cell size, so sizes compare at a glance.
    """
    x = np.asarray(x, dtype=float)
    weights = np.asarray(weights, dtype=float)
    c_in, h, w = x.shape
    kh, kw = weights.shape[1:]
    partial = [conv2d(x[None, c : c + 1], weights[None, c : c + 1])[0, 0] for c in range(c_in)]  # each (H_out, W_out)
    out = conv2d(x[None], weights[None], b=np.array([bias]))[0, 0]  # (H_out, W_out)
    ho, wo = out.shape
    row_h = max(h, kh) * cell + 0.75
    sym = 0.75  # inches for the ⋆ and = between grids
    widths = [w * cell, sym, kw * cell, sym, wo * cell, 1.6, wo * cell]
    left, top, bottom = 0.6, 0.9, 0.3
    fig_w = left + sum(widths) + 0.4
    fig_h = top + c_in * row_h + bottom
    fig = Figure(figsize=(fig_w, fig_h), dpi=DPI)
    xs = left + np.concatenate([[0], np.cumsum(widths)[:-1]])
    norm = signed_norm(np.concatenate([p.ravel() for p in partial] + [out.ravel()]), headroom=GRID_HEADROOM)
    names = ("red", "green", "blue") if c_in == 3 else tuple(f"channel {c}" for c in range(c_in))

    def add(col, rows, cols, y_mid):
        return fig.add_axes((xs[col] / fig_w, (y_mid - rows * cell / 2) / fig_h, cols * cell / fig_w,
                             rows * cell / fig_h))

    for c in range(c_in):
        y_mid = fig_h - top - (c + 0.5) * row_h + 0.2
        draw_grid(add(0, h, w, y_mid), x[c], title=f"input: {names[c]}", xlabel=None, ylabel=None, fontsize=11)
        draw_grid(add(2, kh, kw, y_mid), weights[c], title=f"kernel W[0, {c}]", xlabel=None, ylabel=None, fontsize=11)
        draw_grid(add(4, ho, wo, y_mid), partial[c], title=f"{names[c]} part", norm=norm, xlabel=None, ylabel=None,
                  fontsize=11)
        for col, text in ((1, r"$\star$"), (3, "=")):
            fig.text((xs[col] + sym / 2) / fig_w, y_mid / fig_h, text, ha="center", va="center", fontsize=26)
    y_mid = fig_h - top - c_in * row_h / 2 + 0.2
    ax = add(6, ho, wo, y_mid)
    draw_grid(ax, out, title="output channel 0", norm=norm, xlabel=None, ylabel=None, fontsize=11)
    fig.text((xs[5] + 0.8) / fig_w, y_mid / fig_h, f"sum of the\n{c_in} parts\n+ bias {bias:g}\n→", ha="center",
             va="center", fontsize=LABEL_SIZE)
    fig.suptitle(
        f"one filter = {c_in} kernels ({kh}×{kw}×{c_in}) + 1 bias → one output channel;  N filters → N channels",
        fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.15 / fig_h, va="top",
    )
    return fig
