"""Batch normalization drawn: histograms of three channels of conv activations before and after ``BatchNorm2D``.

:func:`draw_batchnorm` draws a :class:`~cnnlib.demos.batchnorm.BatchNormDemo`
(from :func:`~cnnlib.demos.batchnorm.batchnorm_demo`), its histograms included.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..demos.batchnorm import BatchNormDemo
from .palette import OKABE_ITO
from .style import LABEL_SIZE, TITLE_SIZE, axes_at, reuse_figure, set_labels, set_title

#: Channel ``c`` is drawn in ``CHANNEL_COLORS[c]`` (Okabe–Ito) with hatching ``CHANNEL_HATCHES[c]`` and outline
#: ``CHANNEL_STYLES[c]``: the channels differ by more than their hue, and the legend shows all three cues.
CHANNEL_COLORS = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish green"])
CHANNEL_HATCHES = ("//", "\\\\", "..")
CHANNEL_STYLES = ("-", "--", ":")
FIG_W, FIG_H = 10.2, 5.2


def _draw_histograms(ax, edges, counts) -> None:
    """Per-channel histograms: a light hatched fill and an outline in the channel's line style (``stairs``: fast)."""
    for c, h in enumerate(counts):
        ax.stairs(h, edges, facecolor=CHANNEL_COLORS[c], edgecolor=CHANNEL_COLORS[c], fill=True, alpha=0.3,
                  hatch=CHANNEL_HATCHES[c], linewidth=0)
        ax.stairs(h, edges, color=CHANNEL_COLORS[c], linewidth=2.2, linestyle=CHANNEL_STYLES[c])


def _channel_handle(c: int, label: str) -> Patch:
    """The legend entry of channel ``c``: its colour, hatching and outline style."""
    return Patch(facecolor=CHANNEL_COLORS[c] + "4d", edgecolor=CHANNEL_COLORS[c], hatch=CHANNEL_HATCHES[c],
                 linestyle=CHANNEL_STYLES[c], linewidth=2, label=label)


def draw_batchnorm(demo: BatchNormDemo, *, figure: Figure | None = None) -> Figure:
    """The histograms of every channel, before and after, with each channel's mean and spread in the legend.

    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    fig = reuse_figure(figure, FIG_W, FIG_H)
    ax_in = axes_at(fig, 0, (0.075, 0.13, 0.41, 0.64))
    ax_out = axes_at(fig, 1, (0.575, 0.13, 0.41, 0.64))
    x = demo.x
    _draw_histograms(ax_in, *demo.histograms["before"])
    _draw_histograms(ax_out, *demo.histograms["after"])
    before = [_channel_handle(c, f"channel {c}: mean {_signed(demo.batch_mean[c])}, "
                                 f"std {np.sqrt(demo.batch_var[c]):.2f}") for c in range(3)]
    after = [_channel_handle(c, f"channel {c}: mean {_signed(demo.out_mean[c])}, std {demo.out_std[c]:.2f}")
             for c in range(3)]
    top = max(h.max() for _, counts in demo.histograms.values() for h in counts) * 1.5
    for ax, handles in ((ax_in, before), (ax_out, after)):
        ax.legend(handles=handles, fontsize=LABEL_SIZE - 1, loc="upper left", framealpha=0.85, handlelength=2.4,
                  handleheight=1.0)
        ax.tick_params(labelsize=LABEL_SIZE - 1)
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
                 fontsize=TITLE_SIZE, fontweight="bold", y=0.975)
    return fig


def _signed(v) -> str:
    """``+1.25`` or ``-0.50``; a mean that rounds to zero is ``+0.00``, never ``-0.00``."""
    return f"{round(float(v), 2) + 0.0:+.2f}"
