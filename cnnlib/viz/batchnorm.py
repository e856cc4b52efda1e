r"""Batch normalization seen as histograms: three channels of conv activations before and after ``BatchNorm2D``.

Each channel of the batch has its own mean and spread; the student moves all
of them with a shift and a scale. In training mode ``BatchNorm2D`` uses the
batch's own per-channel mean and variance over :math:`(N, H, W)`, so every
channel comes out with mean :math:`\beta` and standard deviation
:math:`\gamma`, whatever the shift and scale. In evaluation mode it uses the
running statistics it collected while training on unshifted batches, so a
shifted batch comes out shifted.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..layers import BatchNorm2D
from .style import LABEL_SIZE, TITLE_SIZE, axes_at, reuse_figure, set_labels, set_title

BASE_MEANS = (0.0, 3.0, -2.0)  # each channel's own mean before the shift and scale
BASE_STDS = (1.0, 0.5, 2.0)
CHANNEL_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c")
BATCH_SHAPE = (16, 3, 6, 6)  # (N, C, H, W)
MODES = ("train", "eval")


def activation_batch(shift: float = 0.0, scale: float = 1.0, seed: int = 0) -> np.ndarray:
    """A batch ``(16, 3, 6, 6)``: channel ``c`` is ``scale * N(BASE_MEANS[c], BASE_STDS[c]²) + shift``."""
    z = np.random.default_rng(seed).standard_normal(BATCH_SHAPE)
    means = np.array(BASE_MEANS).reshape(1, 3, 1, 1)  # broadcast over (N, C, H, W)
    stds = np.array(BASE_STDS).reshape(1, 3, 1, 1)
    return (scale * (means + stds * z) + shift).astype(np.float32)


@lru_cache(maxsize=1)
def trained_running_stats(steps: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """``(running_mean, running_var)`` of a ``BatchNorm2D(3)`` trained on ``steps`` unshifted batches."""
    layer = BatchNorm2D(3)
    for step in range(steps):
        layer.forward(activation_batch(seed=100 + step))
    return layer.running_mean.copy(), layer.running_var.copy()


@dataclass(frozen=True)
class BatchNormDemo:
    """Input, output and the per-channel statistics ``BatchNorm2D`` used (``used_*``) in ``mode``."""

    mode: str
    x: np.ndarray
    out: np.ndarray
    batch_mean: np.ndarray  # (C,) over (N, H, W)
    batch_var: np.ndarray
    used_mean: np.ndarray
    used_var: np.ndarray
    gamma: float
    beta: float

    @property
    def out_mean(self) -> np.ndarray:
        return self.out.mean(axis=(0, 2, 3))

    @property
    def out_std(self) -> np.ndarray:
        return self.out.std(axis=(0, 2, 3))


def batchnorm_demo(shift: float = 0.0, scale: float = 1.0, gamma: float = 1.0, beta: float = 0.0,
                   mode: str = "train") -> BatchNormDemo:
    """Normalise :func:`activation_batch` with cnnlib's ``BatchNorm2D`` (``gamma``, ``beta`` for every channel)."""
    if mode not in MODES:
        raise ValueError(f"mode must be 'train' or 'eval', got {mode!r}.")
    x = activation_batch(shift, scale)
    layer = BatchNorm2D(3)
    layer.params["gamma"][:] = gamma
    layer.params["beta"][:] = beta
    running_mean, running_var = trained_running_stats()
    layer.running_mean[:] = running_mean
    layer.running_var[:] = running_var
    batch_mean, batch_var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    if mode == "eval":
        layer.eval()
        used_mean, used_var = running_mean, running_var
    else:
        used_mean, used_var = batch_mean, batch_var
    out = layer.forward(x)
    return BatchNormDemo(mode, x, out, batch_mean, batch_var, used_mean, used_var, float(gamma), float(beta))


def _histograms(ax, values, bins) -> list[np.ndarray]:
    """Per-channel histograms as outlines (``stairs`` is much faster than ``hist``); returns the counts."""
    counts = []
    for c in range(values.shape[1]):
        h, _ = np.histogram(values[:, c], bins=bins)
        ax.stairs(h, bins, color=CHANNEL_COLORS[c], fill=True, alpha=0.35)
        ax.stairs(h, bins, color=CHANNEL_COLORS[c], linewidth=1.8)
        counts.append(h)
    return counts


def _bins(values, lo: float, hi: float, n: int = 48) -> np.ndarray:
    lo, hi = min(lo, float(values.min())), max(hi, float(values.max()))
    return np.linspace(lo, hi, n + 1)


def draw_batchnorm(demo: BatchNormDemo, *, figure: Figure | None = None) -> tuple[Figure, dict]:
    """Histograms of every channel before and after; returns ``(fig, counts)`` with the drawn histogram counts.

    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    fig_w, fig_h = 12.5, 5.0
    fig = reuse_figure(figure, fig_w, fig_h)
    ax_in = axes_at(fig, 0, (0.06, 0.17, 0.4, 0.6))
    ax_out = axes_at(fig, 1, (0.56, 0.17, 0.4, 0.6))
    x, out = demo.x, demo.out
    bins_in, bins_out = _bins(x, -8, 8), _bins(out, -4, 4)
    counts = {"before": _histograms(ax_in, x, bins_in), "after": _histograms(ax_out, out, bins_out)}
    for c in range(3):
        ax_in.plot([], [], color=CHANNEL_COLORS[c], linewidth=6,
                   label=f"channel {c}: mean {_signed(demo.batch_mean[c])}, std {np.sqrt(demo.batch_var[c]):.2f}")
        ax_out.plot([], [], color=CHANNEL_COLORS[c], linewidth=6,
                    label=f"channel {c}: mean {_signed(demo.out_mean[c])}, std {demo.out_std[c]:.2f}")
    top = max(max(h.max() for h in counts["before"]), max(h.max() for h in counts["after"])) * 1.45
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
    return fig, counts


def _signed(v) -> str:
    """``+1.25`` or ``-0.50``; a mean that rounds to zero is ``+0.00``, never ``-0.00``."""
    return f"{round(float(v), 2) + 0.0:+.2f}"
