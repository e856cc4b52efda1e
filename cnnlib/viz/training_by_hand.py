"""Figures for lesson 08 (training by hand): a learning-rate sweep, activations through depth, early stopping.

Each draws what :mod:`cnnlib.demos.training` computed. Colours are Okabe–Ito,
and never the only cue: every curve also has a marker or a label.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from .style import DPI, LABEL_SIZE, TITLE_SIZE, new_figure, set_title

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
    ``figure``: a figure this function drew for the same sweep, moved to ``index`` in place (fast).
    """
    fig = figure if isinstance(figure, LRSweepFigure) and figure.sweep is sweep else LRSweepFigure(sweep)
    return fig.update(index)


class LRSweepFigure(Figure):
    """The sweep figure, built once: every run, the final losses; :meth:`update` highlights another run.

    Only the bold curve, its legend entry, the ✗ of a diverged run and the
    dashed line change, so a slider move redraws without laying the figure out
    again (what keeps the widget instant).
    """

    def __init__(self, sweep) -> None:
        super().__init__(figsize=(12, 4.6), dpi=DPI)
        self.sweep = sweep
        ax, ax_lr = self.subplots(1, 2, width_ratios=[1.35, 1],
                                  gridspec_kw=dict(left=0.06, right=0.985, bottom=0.13, top=0.92, wspace=0.17))
        self.axes_pair = ax, ax_lr
        steps = np.arange(sweep.steps + 1)
        self.top = top = float(np.nanmax(sweep.losses[:, 0])) * 1.25
        self.gray = [ax.plot(steps, sweep.losses[i], color=OTHER_RUNS, linewidth=1)[0] for i in range(len(sweep.lrs))]
        self.bold, = ax.plot(steps, sweep.losses[0], linewidth=3, markevery=max(sweep.steps // 10, 1), markersize=8)
        self.cross, = ax.plot([0], [top * 0.97], marker="X", markersize=18, color=VERMILION, clip_on=False)
        self.note = ax.annotate("", (0, top * 0.97), xytext=(12, -6), textcoords="offset points",
                                fontsize=LABEL_SIZE, color=VERMILION, va="top")
        ax.set_ylim(0, top)
        ax.set_xlim(0, sweep.steps)
        ax.set_xlabel(f"SGD step (batches of {sweep.batch_size})", fontsize=LABEL_SIZE)
        ax.set_ylabel("training loss", fontsize=LABEL_SIZE)
        ax.grid(alpha=0.3)
        set_title(ax, "loss curve (gray: the other learning rates)")

        final = sweep.final_loss()
        for name, (c, m) in REGIME_STYLE.items():
            idx = [i for i in range(len(sweep.lrs)) if lr_regime(sweep, i) == name]
            ys = [top * 0.97 if name == "diverged" else final[i] for i in idx]
            ax_lr.plot(sweep.lrs[idx], ys, linestyle="none", marker=m, markersize=10, color=c, label=name,
                       clip_on=False)
        self.vline = ax_lr.axvline(sweep.lrs[0], color=BLACK, linewidth=1.5, linestyle="--")
        ax_lr.set_xscale("log")
        ax_lr.xaxis.set_minor_locator(NullLocator())  # a log axis has dozens of minor ticks: slow, and not read here
        ax_lr.set_ylim(0, top)
        ax_lr.set_xlim(sweep.lrs[0] / 1.5, sweep.lrs[-1] * 1.5)
        ax_lr.set_xlabel("learning rate (log scale)", fontsize=LABEL_SIZE)
        ax_lr.set_ylabel(f"loss after {sweep.steps} steps", fontsize=LABEL_SIZE)
        ax_lr.legend(fontsize=LABEL_SIZE - 1, loc="lower left")
        ax_lr.grid(alpha=0.3)
        set_title(ax_lr, "every learning rate (dashed: this one)")
        self.index = None

    def update(self, index: int) -> LRSweepFigure:
        """Highlight run ``index``; returns the figure."""
        sweep, (ax, _) = self.sweep, self.axes_pair
        if not 0 <= index < len(sweep.lrs):
            raise ValueError(f"index must be in 0..{len(sweep.lrs) - 1}, got {index}.")
        for i, line in enumerate(self.gray):
            line.set_visible(i != index)
        regime = lr_regime(sweep, index)
        color, marker = REGIME_STYLE[regime]
        lr = sweep.lrs[index]
        self.bold.set_ydata(sweep.losses[index])
        self.bold.set(color=color, marker=marker, label=f"lr = {lr:.3g}: {regime}")
        stop = int(sweep.diverged_at[index])
        self.cross.set_visible(stop >= 0)
        self.note.set_visible(stop >= 0)
        if stop >= 0:
            why = {"nan": "became NaN", "inf": "became inf", "too large": f"went above {sweep.limit:g}"}[sweep.reason[index]]
            self.cross.set_xdata([stop])
            self.note.xy = (stop, self.top * 0.97)
            self.note.set_text(f"diverged at step {stop}: the loss {why}")
        ax.legend(handles=[self.bold], fontsize=LABEL_SIZE, loc="lower left")
        self.vline.set_xdata([lr, lr])
        self.index = index
        return self


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
