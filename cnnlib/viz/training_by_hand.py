"""Figures for lesson 08 (training by hand): a learning-rate sweep, activations through depth, early stopping.

Each draws what :mod:`cnnlib.demos.training` computed. Colours are Okabe–Ito,
and never the only cue: every curve also has a marker or a label. The sweep
(:func:`draw_lr_sweep`, behind the lesson's slider) is SVG: two plots of
lines, markers and text that the browser draws in a millisecond or two, text
at 18 px and more; the others are matplotlib figures.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from .style import LABEL_SIZE, TITLE_SIZE, new_figure
from .svg import Svg, marker, text_width

ORANGE, SKY, GREEN, BLUE, VERMILION, PURPLE, BLACK = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00",
                                                       "#CC79A7", "#000000")
OTHER_RUNS = "#aaaaaa"  # a gray that a projector does not wash out


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

# The sweep figure's layout, in CSS px: fixed, so moving the slider never resizes the page; 800 px wide, the
# width of a notebook cell at a projector's 1024×768.
LR_SWEEP_SIZE = (800, 428)
LOSS_BOX = (48, 88, 320, 218)  # left panel's plot area: x, y, width, height
FINAL_BOX = (448, 88, 336, 218)  # right panel's
#: A diverged run has no loss to plot: its ✖ goes in a band marked "diverged" above the plot area, outside the numeric
#: y axis (its top and height, px), so no marker covers a tick label or reads as "loss about 3".
DIVERGED_BAND = (46, 36)
CHOSEN_LABEL_Y = 34  # the chosen run's label, over the dashed line, between the title and the band
LR_MARGIN = 2.0  # the learning-rate axis runs from the smallest / 2 to the largest × 2: the ring stays inside
RING_R = 14
TITLE_PX, TEXT_PX = 20, 18
_width = lru_cache(maxsize=512)(text_width)  # the same few labels on every slider move: measured once
BOLD_WIDER = 1.15  # bold DejaVu Sans is up to ~13% wider than the regular text that text_width measures


@dataclass(frozen=True)
class PlotBox:
    """A plot area of the SVG: ``x, y, w, h`` px; data ``xlim`` (log10 if ``log``) and ``ylim`` map onto it."""

    x: float
    y: float
    w: float
    h: float
    xlim: tuple
    ylim: tuple
    log: bool = False

    def to_x(self, xs):
        """Data x to px."""
        xs = np.log10(xs) if self.log else np.asarray(xs, dtype=float)
        return self.x + (xs - self.xlim[0]) / (self.xlim[1] - self.xlim[0]) * self.w

    def to_y(self, ys):
        """Data y to px (y grows downwards in SVG)."""
        return self.y + (self.ylim[1] - np.asarray(ys, dtype=float)) / (self.ylim[1] - self.ylim[0]) * self.h

    def px(self, xs, ys) -> tuple:
        """Data coordinates to px: ``(to_x(xs), to_y(ys))``."""
        return self.to_x(xs), self.to_y(ys)


def nice_ticks(top: float, most: int = 7) -> np.ndarray:
    """Ticks 0, s, 2s, … ≤ ``top``, with ``s`` 1, 2, 2.5 or 5 × 10^k: the smallest giving at most ``most`` ticks.

    >>> nice_ticks(3.2), nice_ticks(60)
    (array([0. , 0.5, 1. , 1.5, 2. , 2.5, 3. ]), array([ 0., 10., 20., 30., 40., 50., 60.]))
    """
    power = 10.0 ** np.floor(np.log10(top / most))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if top / (m * power) < most)
    return np.arange(0, top + 1e-9 * top, step)


def lr_text(lr: float) -> str:
    """A learning rate as a student writes it: 3 significant digits, never an exponent.

    >>> lr_text(0.00177827941), lr_text(1000.0), lr_text(0.1)
    ('0.00178', '1000', '0.1')
    """
    return np.format_float_positional(float(f"{lr:.3g}"), trim="-")


def below(xs, ys, top: float) -> list[list[tuple]]:
    """The pieces of the line through ``(xs, ys)`` at or below ``top``: cut where it crosses ``top``, and at NaN.

    A diverged run's loss shoots far above the plot; its line stops at the plot's edge.

    >>> below([0, 1, 2, 3], [1.0, 3.0, 1.0, np.nan], 2.0)
    [[(0.0, 1.0), (0.5, 2.0)], [(1.5, 2.0), (2.0, 1.0)]]
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if np.all(ys <= top):  # the usual case, quick (NaN <= top is False)
        return [list(zip(xs.tolist(), ys.tolist()))]
    pieces, piece, prev = [], [], None
    for x, y in zip(xs.tolist(), ys.tolist()):  # Python floats: a loop over them is quick
        if not math.isfinite(y):
            prev = None
        else:
            if prev is not None and (prev[1] > top) != (y > top):  # crosses the top: cut there
                px, py = prev
                piece.append((px + (top - py) / (y - py) * (x - px), float(top)))
            if y <= top:
                piece.append((x, y))
            prev = (x, y)
        if piece and (prev is None or prev[1] > top):
            pieces.append(piece)
            piece = []
    return pieces + ([piece] if piece else [])


def band_y() -> float:
    """The y (px) of a diverged run's ✖: the middle of the "diverged" band above the plot areas."""
    return DIVERGED_BAND[0] + DIVERGED_BAND[1] / 2


def final_box(sweep, top: float) -> PlotBox:
    """The right plot's area: learning rates (log), smallest / ``LR_MARGIN`` to largest × it; loss 0..top."""
    return PlotBox(*FINAL_BOX, xlim=(np.log10(sweep.lrs[0] / LR_MARGIN), np.log10(sweep.lrs[-1] * LR_MARGIN)),
                   ylim=(0, top), log=True)


def _diverged_band(svg: Svg, box: PlotBox, marks_x) -> None:
    """The band above a plot where diverged runs go, labelled "diverged" at the end away from the marks ``marks_x``."""
    y, h = DIVERGED_BAND
    svg.rect(box.x, y, box.w, h, fill="#f6f6f6", stroke="#555555", stroke_width=1, dash="4 3")
    left = not any(x < box.x + box.w / 2 for x in marks_x)  # the label where no ✖ is
    svg.text(box.x + 6 if left else box.x + box.w - 6, y + h / 2, "diverged", size=TEXT_PX,
             anchor="start" if left else "end", fill="#555555")


def _plot_axes(svg: Svg, box: PlotBox, xticks, xlabels, yticks, title: str, xlabel: str) -> None:
    """Frame, light grid lines, tick labels, title above and axis label below a plot area."""
    for t in yticks:
        ty = box.to_y(t)
        svg.line(box.x, ty, box.x + box.w, ty, stroke="#e4e4e4", stroke_width=1)
        svg.text(box.x - 9, ty, f"{t:g}", size=TEXT_PX, anchor="end")  # clear of a marker at x = 0
    for t, label in zip(xticks, xlabels):
        tx = box.to_x(t)
        svg.line(tx, box.y, tx, box.y + box.h, stroke="#e4e4e4", stroke_width=1)
        svg.text(tx, box.y + box.h + 16, label, size=TEXT_PX)
    svg.rect(box.x, box.y, box.w, box.h, stroke="#555555", stroke_width=1)
    svg.text(box.x + box.w / 2, 13, title, size=TITLE_PX)
    svg.text(box.x + box.w / 2, box.y + box.h + 46, xlabel, size=TEXT_PX)


def _lr_ticks(box: PlotBox, lrs) -> tuple[list, list]:
    """Decades of the learning-rate axis, written 0.001, 0.01, …; every other one if they would touch."""
    decades = 10.0 ** np.arange(np.ceil(box.xlim[0]), np.floor(box.xlim[1]) + 1)
    ticks = list(decades) if len(decades) >= 2 else list(lrs)
    labels = [lr_text(t) for t in ticks]
    if len(ticks) > 1:
        spacing = box.w / (box.xlim[1] - box.xlim[0]) * np.log10(ticks[1] / ticks[0])
        every = int(np.ceil((max(_width(s) for s in labels) + 10) / spacing))
        ticks, labels = ticks[::every], labels[::every]
    return ticks, labels


def _legend_row(svg: Svg, x: float, y: float, text: str, color: str, shape: str | None = None,
                width: float = 4) -> None:
    """A legend entry: a line sample (with a marker) or a marker alone, then ``text``."""
    if width:
        svg.line(x, y, x + 36, y, stroke=color, stroke_width=width)
    if shape:
        marker(svg, shape, x + 18, y, 14, fill=color)
    svg.text(x + 44, y, text, size=TEXT_PX, anchor="start")


def draw_lr_sweep(sweep, index: int) -> str:
    """The SVG (a string) of a learning-rate sweep with run ``index`` highlighted.

    Left: every run's loss on all its images after each SGD step (gray), run ``index`` thick, in the
    colour and marker of its regime (``lr_regime``); a run that diverged ends
    in a ✖ in the "diverged" band above the plot (no loss value implied),
    labelled with the step where it blew up. Right: the
    loss after the last step per learning rate (log scale), the U of too
    small / good / too large, a ✖ in the "diverged" band for each diverged run, run
    ``index`` ringed under a dashed line and its learning rate. Axes and size
    depend on the sweep only, so moving the slider never moves the plot.
    """
    if not 0 <= index < len(sweep.lrs):
        raise ValueError(f"index must be in 0..{len(sweep.lrs) - 1} (one per learning rate of the sweep), got {index}.")
    first = sweep.losses[:, 0]
    top = float(np.nanmax(first)) * 1.25 if np.isfinite(first).any() else 1.0  # the y axis of both plots: 0..top
    regimes = [lr_regime(sweep, i) for i in range(len(sweep.lrs))]
    svg = Svg(*LR_SWEEP_SIZE, title=f"learning-rate sweep: lr = {lr_text(sweep.lrs[index])}, {regimes[index]}")
    _draw_loss_curves(svg, sweep, index, regimes[index], top)
    _draw_final_losses(svg, sweep, index, regimes, top)
    return svg.to_string()


def _draw_loss_curves(svg: Svg, sweep, index: int, regime: str, top: float) -> None:
    """The left plot: the loss at every step, run ``index`` thick over the others in gray; ✖ in the band if diverged."""
    steps = np.arange(sweep.steps + 1)
    color, shape = REGIME_STYLE[regime]
    box = PlotBox(*LOSS_BOX, xlim=(0, max(sweep.steps, 1)), ylim=(0, top))
    xticks = nice_ticks(max(sweep.steps, 1))
    _plot_axes(svg, box, xticks, [f"{t:g}" for t in xticks], nice_ticks(top), "loss on all images after each step",
               f"SGD step (batches of {sweep.batch_size})")
    for i in [i for i in range(len(sweep.lrs)) if i != index] + [index]:  # the chosen run last: on top
        chosen = i == index
        with svg.group(f"run run-{i}" + (" chosen" if chosen else "")):
            for piece in below(steps, sweep.losses[i], top):
                xs, ys = box.px(*np.array(piece).T)  # piece: (points, 2)
                svg.polyline(list(zip(xs.tolist(), ys.tolist())), stroke=color if chosen else OTHER_RUNS,
                             stroke_width=4 if chosen else 1.5)
            if chosen:
                loss = sweep.losses[i]
                shown = [s for s in steps[::max(sweep.steps // 10, 1)] if loss[s] <= top]  # NaN <= top is False
                for mx, my in zip(*box.px(shown, loss[shown])):
                    marker(svg, shape, mx, my, 14, fill=color)
    stop = int(sweep.diverged_at[index])
    _diverged_band(svg, box, box.to_x(sweep.diverged_at[sweep.diverged_at >= 0]))  # every run's: the label never moves
    if stop >= 0:
        why = {"nan": "became NaN", "inf": "became inf",
               "too large": f"went above {sweep.limit:g}"}[sweep.reason[index]]
        cx, cy = float(box.to_x(stop)), band_y()
        lines = [f"diverged at step {stop}:", f"the loss {why}"]
        on_right = stop <= sweep.steps / 2  # the note goes where there is room
        tx = cx + 18 if on_right else cx - 18
        w = BOLD_WIDER * max(_width(s) for s in lines) + 8
        ty = box.y + 20  # the note: in the plot, under the band
        with svg.group("diverged-note"):
            marker(svg, "X", cx, cy, 24, fill=VERMILION)
            svg.rect(tx - 4 if on_right else tx - w + 4, ty - 12, w, 52, fill="#ffffff", opacity=0.85)
            for k, line in enumerate(lines):
                svg.text(tx, ty + k * 24, line, anchor="start" if on_right else "end", fill=VERMILION, weight="bold")
    legend_y = LR_SWEEP_SIZE[1] - 44
    _legend_row(svg, box.x, legend_y, f"lr = {lr_text(sweep.lrs[index])}: {regime}", color, shape)
    _legend_row(svg, box.x, legend_y + 28, "the other learning rates", OTHER_RUNS, width=2)


def _draw_final_losses(svg: Svg, sweep, index: int, regimes: list, top: float) -> None:
    """The right plot: the last loss per learning rate (log scale), a marker per regime; run ``index`` ringed."""
    box = final_box(sweep, top)
    xticks, xlabels = _lr_ticks(box, sweep.lrs)
    _plot_axes(svg, box, xticks, xlabels, nice_ticks(top), f"loss after {sweep.steps} steps, by learning rate",
               "learning rate (log scale)")
    diverged = sweep.diverged_at >= 0
    xs, ys = box.px(sweep.lrs, np.minimum(np.nan_to_num(sweep.final_loss(), nan=top), top))
    ys = np.where(diverged, band_y(), ys)  # diverged: in the band above the plot, no loss value
    _diverged_band(svg, box, xs[diverged])
    for i, name in enumerate(regimes):
        with svg.group(f"final {name.replace(' ', '-')} run-{i}"):
            marker(svg, REGIME_STYLE[name][1], xs[i], ys[i], 16, fill=REGIME_STYLE[name][0])
    label = f"lr = {lr_text(sweep.lrs[index])}: {regimes[index]}"
    half = BOLD_WIDER * _width(label) / 2
    label_x = min(max(xs[index], box.x - 40 + half), LR_SWEEP_SIZE[0] - 4 - half)  # inside the figure
    with svg.group("chosen"):
        svg.polyline([(xs[index], DIVERGED_BAND[0]), (xs[index], box.y + box.h)], stroke=BLACK, stroke_width=2,
                     dash="8 5")
        svg.circle(xs[index], ys[index], RING_R, stroke=BLACK, stroke_width=2.5)
        svg.text(label_x, CHOSEN_LABEL_Y, label, weight="bold")
    legend_y = LR_SWEEP_SIZE[1] - 44
    for k, name in enumerate(REGIME_STYLE):
        _legend_row(svg, box.x + (k % 2) * 150, legend_y + (k // 2) * 28, name, REGIME_STYLE[name][0],
                    REGIME_STYLE[name][1], width=0)


def draw_activation_stats(stats) -> Figure:
    """The std of the activations against depth, one line per :class:`~cnnlib.demos.training.ActivationStats`.

    Log-scale y axis: a constant factor per layer is a straight line.
    """
    fig = new_figure(10, 5)
    ax = fig.add_subplot()
    styles = [(BLUE, "s"), (GREEN, "o"), (VERMILION, "^"), (PURPLE, "D"), (ORANGE, "v")]
    for s, (color, shape) in zip(stats, styles):
        layers = np.arange(len(s.std))
        ax.semilogy(layers, s.std, color=color, marker=shape, markersize=7, linewidth=2,
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
