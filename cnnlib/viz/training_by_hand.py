"""Figures for lesson 08 (training by hand): a learning-rate sweep, activations through depth, early stopping.

Each draws what :mod:`cnnlib.demos.training` computed. Colours are Okabe–Ito,
and never the only cue: every curve also has a marker or a label.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .style import LABEL_SIZE, TITLE_SIZE, new_figure

ORANGE, SKY, GREEN, BLUE, VERMILION, PURPLE, BLACK = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00",
                                                       "#CC79A7", "#000000")
OTHER_RUNS = "#bbbbbb"


def lr_regime(sweep, index: int) -> str:
    """``"diverged"``, ``"too small"``, ``"good"`` or ``"too large"`` for run ``index`` of a sweep.

    Diverged: stopped early. Too small: its final loss is more than 25% of the way from the best
    final loss back to the start, with a smaller learning rate than the best. Too large: the same, above the best.
    """
    if sweep.diverged_at[index] >= 0:
        return "diverged"
    best = sweep.best()
    start, final = sweep.losses[index, 0], sweep.final_loss()
    if final[index] - final[best] <= 0.25 * (start - final[best]):
        return "good"
    return "too small" if index < best else "too large"


REGIME_STYLE = {"too small": (BLUE, "s"), "good": (GREEN, "o"), "too large": (ORANGE, "^"),
                "diverged": (VERMILION, "X")}


def draw_lr_sweep(sweep, index: int, *, figure: Figure | None = None) -> Figure:
    """Left: the loss curve at ``sweep.lrs[index]`` (bold) over every other run (gray). Right: final loss per lr.

    A run that diverged ends in a ✗ at the top of the plot, labelled with the
    step where it blew up; on the right it is a ✗ at the top. The axes limits
    depend on the sweep only, so moving the slider never moves the plot.
    """
    fig = figure if figure is not None else new_figure(12, 4.6)
    fig.clear()
    ax, ax_lr = fig.subplots(1, 2, width_ratios=[1.35, 1])
    steps = np.arange(sweep.steps + 1)
    top = float(np.nanmax(sweep.losses[:, 0])) * 1.25
    for i in range(len(sweep.lrs)):
        if i != index:
            ax.plot(steps, sweep.losses[i], color=OTHER_RUNS, linewidth=1)
    regime = lr_regime(sweep, index)
    color, marker = REGIME_STYLE[regime]
    lr = sweep.lrs[index]
    ax.plot(steps, sweep.losses[index], color=color, linewidth=3, marker=marker, markevery=max(sweep.steps // 10, 1),
            markersize=8, label=f"lr = {lr:.3g}: {regime}")
    stop = int(sweep.diverged_at[index])
    if stop >= 0:
        ax.plot([stop], [top * 0.97], marker="X", markersize=18, color=VERMILION, clip_on=False)
        why = {"nan": "became NaN", "inf": "became inf", "too large": f"went above {sweep.limit:g}"}[sweep.reason[index]]
        note = ax.annotate(f"diverged at step {stop}: the loss {why}", (stop, top * 0.97), xytext=(12, -6),
                           textcoords="offset points", fontsize=LABEL_SIZE, color=VERMILION, va="top")
        note.set_in_layout(False)  # the layout must not change with the slider
    ax.set_ylim(0, top)
    ax.set_xlim(0, sweep.steps)
    ax.set_xlabel(f"SGD step (batches of {sweep.batch_size})", fontsize=LABEL_SIZE)
    ax.set_ylabel("training loss", fontsize=LABEL_SIZE)
    ax.legend(fontsize=LABEL_SIZE, loc="lower left")
    ax.grid(alpha=0.3)
    ax.set_title("loss curve (gray: the other learning rates)", fontsize=TITLE_SIZE)

    final = sweep.final_loss()
    for name, (c, m) in REGIME_STYLE.items():
        idx = [i for i in range(len(sweep.lrs)) if lr_regime(sweep, i) == name]
        ys = [top * 0.97 if name == "diverged" else final[i] for i in idx]
        ax_lr.plot(sweep.lrs[idx], ys, linestyle="none", marker=m, markersize=10, color=c, label=name, clip_on=False)
    ax_lr.axvline(lr, color=BLACK, linewidth=1.5, linestyle="--")
    ax_lr.set_xscale("log")
    ax_lr.set_ylim(0, top)
    ax_lr.set_xlim(sweep.lrs[0] / 1.5, sweep.lrs[-1] * 1.5)
    ax_lr.set_xlabel("learning rate (log scale)", fontsize=LABEL_SIZE)
    ax_lr.set_ylabel(f"loss after {sweep.steps} steps", fontsize=LABEL_SIZE)
    ax_lr.legend(fontsize=LABEL_SIZE - 1, loc="lower left")
    ax_lr.grid(alpha=0.3)
    ax_lr.set_title("every learning rate (dashed: this one)", fontsize=TITLE_SIZE)
    return fig


def draw_activation_stats(stats) -> Figure:
    """The std of the activations against depth, one line per :class:`~cnnlib.demos.training.ActivationStats`.

    Log-scale y axis: a constant factor per layer is a straight line.
    """
    fig = new_figure(10, 5)
    ax = fig.add_subplot()
    styles = [(BLUE, "s"), (GREEN, "o"), (VERMILION, "^"), (PURPLE, "D"), (ORANGE, "v")]
    for s, (color, marker) in zip(stats, styles):
        layers = np.arange(len(s.std))
        ax.semilogy(layers, s.std, color=color, marker=marker, markersize=7, linewidth=2,
                    label=f"{s.label}: ×{s.ratio:.2f} per layer")
    ax.set_xlabel("layer (Dense + ReLU); 0 is the input", fontsize=LABEL_SIZE)
    ax.set_ylabel("std of the activations (log scale)", fontsize=LABEL_SIZE)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=LABEL_SIZE - 1, loc="upper left")
    ax.set_title("activations through depth, by initial weight scale", fontsize=TITLE_SIZE)
    return fig


def draw_early_stopping(history: dict, stop) -> Figure:
    """Training and validation loss per epoch, the best epoch marked (``stop`` is an ``EarlyStop``)."""
    fig = new_figure(10, 4.6)
    ax = fig.add_subplot()
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax.plot(epochs, history["loss"], color=BLUE, marker="o", linewidth=2, label="training loss")
    ax.plot(epochs, history["val_loss"], color=ORANGE, marker="s", linewidth=2, linestyle="--",
            label="validation loss")
    ax.axvline(stop.best, color=GREEN, linewidth=2, label=f"best validation loss: epoch {stop.best}")
    ax.plot([stop.best], [stop.best_loss], marker="*", markersize=20, color=GREEN)
    if stop.stopped < len(epochs):
        ax.axvspan(stop.stopped + 0.5, len(epochs) + 0.5, color="#dddddd", hatch="//", alpha=0.6,
                   label=f"not trained with patience {stop.patience} (stopped after epoch {stop.stopped})")
    ax.set_xlim(0.5, len(epochs) + 0.5)
    ax.set_xlabel("epoch", fontsize=LABEL_SIZE)
    ax.set_ylabel("cross-entropy loss", fontsize=LABEL_SIZE)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=LABEL_SIZE - 1, loc="upper right")
    ax.set_title("training too long: the validation loss turns up", fontsize=TITLE_SIZE)
    return fig
