"""Batch normalization drawn: histograms of three channels of conv activations before and after ``BatchNorm2D``.

:func:`draw_batchnorm` draws a :class:`~cnnlib.demos.batchnorm.BatchNormDemo`
(from :func:`~cnnlib.demos.batchnorm.batchnorm_demo`), its histograms included.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..demos.batchnorm import BatchNormDemo
from .style import LABEL_SIZE, TITLE_SIZE, axes_at, reuse_figure, set_labels, set_title

CHANNEL_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c")


def _draw_histograms(ax, edges, counts) -> None:
    """Per-channel histograms as outlines (``stairs`` is much faster than ``hist``)."""
    for c, h in enumerate(counts):
        ax.stairs(h, edges, color=CHANNEL_COLORS[c], fill=True, alpha=0.35)
        ax.stairs(h, edges, color=CHANNEL_COLORS[c], linewidth=1.8)


def draw_batchnorm(demo: BatchNormDemo, *, figure: Figure | None = None) -> Figure:
    """The histograms of every channel, before and after, with each channel's mean and spread in the legend.

    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    fig_w, fig_h = 12.5, 5.0
    fig = reuse_figure(figure, fig_w, fig_h)
    ax_in = axes_at(fig, 0, (0.06, 0.17, 0.4, 0.6))
    ax_out = axes_at(fig, 1, (0.56, 0.17, 0.4, 0.6))
    x = demo.x
    _draw_histograms(ax_in, *demo.histograms["before"])
    _draw_histograms(ax_out, *demo.histograms["after"])
    for c in range(3):
        ax_in.plot([], [], color=CHANNEL_COLORS[c], linewidth=6,
                   label=f"channel {c}: mean {_signed(demo.batch_mean[c])}, std {np.sqrt(demo.batch_var[c]):.2f}")
        ax_out.plot([], [], color=CHANNEL_COLORS[c], linewidth=6,
                    label=f"channel {c}: mean {_signed(demo.out_mean[c])}, std {demo.out_std[c]:.2f}")
    top = max(h.max() for _, counts in demo.histograms.values() for h in counts) * 1.45
    for ax in (ax_in, ax_out):
        ax.legend(fontsize=LABEL_SIZE - 2, loc="upper left", framealpha=0.85)
        ax.tick_params(labelsize=LABEL_SIZE - 2)
        ax.set_ylim(0, top)
        ax.xaxis.set_major_locator(MaxNLocator(7))  # few ticks: each one costs redraw time
        ax.yaxis.set_major_locator(MaxNLocator(4))
    set_labels(ax_in, "activation value", "count", tick_chars=3)
    set_labels(ax_out, "normalised value", None)
    set_title(ax_in, f"before: a batch of conv activations\n{x.shape[0]}×{x.shape[2]}×{x.shape[3]} = {x.size // 3} "
              "values per channel",
              fontsize=LABEL_SIZE + 1)
    stats = "this batch's μ and σ²" if demo.mode == "train" else "the running μ and σ² saved in training"
    set_title(ax_out, f"after BatchNorm2D, {demo.mode} mode\n(normalised with {stats})", fontsize=LABEL_SIZE + 1)
    fig.suptitle(f"γ = {demo.gamma:g}, β = {demo.beta:g}:  out = γ · (x − μ) / √(σ² + ε) + β, one μ, σ² per channel",
                 fontsize=TITLE_SIZE, fontweight="bold", y=0.97)
    return fig


def _signed(v) -> str:
    """``+1.25`` or ``-0.50``; a mean that rounds to zero is ``+0.00``, never ``-0.00``."""
    return f"{round(float(v), 2) + 0.0:+.2f}"
