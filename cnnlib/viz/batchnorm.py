"""Batch normalization drawn: histograms of three channels of conv activations before and after ``BatchNorm2D``.

:func:`draw_batchnorm` draws a :class:`~cnnlib.demos.batchnorm.BatchNormDemo`
(from :func:`~cnnlib.demos.batchnorm.batchnorm_demo`) as SVG: two histogram
plots side by side, each channel a step outline over a hatched fill, and a key
under them with each channel's mean and spread before and after. A channel
differs from the others by its colour (Okabe–Ito), its hatching *and* its
outline's dash pattern, and the key shows all three.

SVG, not matplotlib, by measurement: the same figure built once in matplotlib
and updated in place (``StepPatch.set_data``, ``Text.set_text``) still took
about 75 ms of CPU per Agg draw (57 ms with no text but the tick labels) and
sent an 89 kB PNG; this SVG is made in about 2 ms and is about 23 kB of text.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..demos.batchnorm import BatchNormDemo
from .palette import OKABE_ITO
from .svg import Svg

#: Channel ``c`` is drawn in ``CHANNEL_COLORS[c]`` (Okabe–Ito) with hatching ``CHANNEL_HATCHES[c]`` and an outline
#: dashed as ``CHANNEL_DASHES[c]`` (solid, dashed, dotted): the channels differ by more than their hue.
CHANNEL_COLORS = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish green"])
CHANNEL_HATCHES = ("//", "\\\\", "..")
CHANNEL_DASHES = (None, "9 5", "2.5 3.5")
#: The hatch pattern's marks in an 8×8 px tile, per hatching.
HATCH_MARKS = {"//": "M0 8L8 0M-2 2L2 -2M6 10L10 6", "\\\\": "M0 0L8 8M-2 6L2 10M6 -2L10 2",
               "..": "M2 2h0.01M6 6h0.01"}
WIDTH, HEIGHT = 800, 446  # px: fits a notebook cell at 1024×768 without scaling, the same for every setting
TITLE_PX, TEXT_PX = 20, 18
TOP, BOTTOM = 100, 290  # px: the plots' top and bottom edge
KEY_Y = (374, 402, 430)  # px: one line of the key per channel
KEY_X = {"swatch": 8, "name": 62, "before": 172, "after": 472}


class Plot(NamedTuple):
    """Where one histogram is drawn: its box ``left, right`` (px) and ``TOP``..``BOTTOM``, and its data range."""

    left: float
    right: float
    lo: float  # the value at ``left``
    hi: float
    top_count: float  # the count at ``TOP``

    def x(self, v):
        """Value ``v`` (a number or an array) in px."""
        return self.left + (np.asarray(v, dtype=float) - self.lo) / (self.hi - self.lo) * (self.right - self.left)

    def y(self, count):
        """A count (a number or an array) in px."""
        return BOTTOM - np.asarray(count, dtype=float) / self.top_count * (BOTTOM - TOP)


#: The "before" plot is the wider: with its x range fixed over every slider setting, its data needs the room.
PLOT_X = {"before": (72, 452), "after": (552, 772)}
TITLE_X = {"before": 8, "after": 432}


def plot_for(side: str, edges, counts, xlim=None) -> Plot:
    """The :class:`Plot` of one side: x spans ``xlim`` (default: the bins; widened to the bins if they go further),
    y the tallest bar plus 12 %."""
    left, right = PLOT_X[side]
    lo, hi = (float(edges[0]), float(edges[-1])) if xlim is None else (min(xlim[0], float(edges[0])),
                                                                       max(xlim[1], float(edges[-1])))
    return Plot(left, right, lo, hi, max(int(h.max()) for h in counts) * 1.12 or 1.0)


def stairs_points(plot: Plot, edges, counts) -> list[tuple[float, float]]:
    """The corners of a histogram's outline in px: up and across each bin, from the baseline back down to it."""
    xs, ys = plot.x(edges).round(1), plot.y(counts).round(1)
    points = [(xs[0], float(BOTTOM))]
    for left, right, y in zip(xs[:-1], xs[1:], ys):
        points += [(left, y), (right, y)]
    return points + [(xs[-1], float(BOTTOM))]


def draw_batchnorm(demo: BatchNormDemo, before_xlim=None) -> str:
    """The SVG (a string) of ``demo``: every channel's histogram before and after, and the key with the statistics.

    ``before_xlim``: ``(lo, hi)``, the x range of the "before" plot. A widget passes the range its sliders can
    reach, so the axis stays put and a shift moves the histograms; default: the range of the bins.
    """
    svg = Svg(WIDTH, HEIGHT, title=f"batch norm, {demo.mode} mode: histograms of three channels before and after")
    svg.defs.extend(_hatch_pattern(c) for c in range(3))
    settings = f"γ = {demo.gamma:g}, β = {demo.beta:g}".replace("-", "−")
    svg.text(8, 18, f"{settings}:  out = γ · (x − μ) / √(σ² + ε) + β", size=TITLE_PX, anchor="start", weight="bold")
    x = demo.x
    stats = "this batch's μ, σ²" if demo.mode == "train" else "the running μ, σ²"
    titles = {"before": ("before: conv activations,", f"count of {x.shape[0]}×{x.shape[2]}×{x.shape[3]} = "
                                                      f"{x.size // 3} per channel"),
              "after": (f"after BatchNorm2D, {demo.mode} mode", f"normalised with {stats}")}
    xlabels = {"before": "activation value", "after": "normalised value"}
    for side in ("before", "after"):
        edges, counts = demo.histograms[side]
        plot = plot_for(side, edges, counts, before_xlim if side == "before" else None)
        for k, line in enumerate(titles[side]):
            svg.text(TITLE_X[side], 50 + 24 * k, line, size=TEXT_PX, anchor="start")
        _axes(svg, plot, xlabels[side])
        for c, h in enumerate(counts):
            points = stairs_points(plot, edges, h)
            svg.polygon(points, fill=f"url(#bn-hatch-{c})")
            svg.polyline(points, stroke=CHANNEL_COLORS[c], stroke_width=2.5, dash=CHANNEL_DASHES[c])
    means = {"before": demo.batch_mean, "after": demo.out_mean}
    stds = {"before": np.sqrt(demo.batch_var), "after": demo.out_std}
    for c, y in enumerate(KEY_Y):
        svg.rect(KEY_X["swatch"], y - 11, 44, 22, fill=f"url(#bn-hatch-{c})", stroke=CHANNEL_COLORS[c],
                 stroke_width=2.5, dash=CHANNEL_DASHES[c])
        svg.text(KEY_X["name"], y, f"channel {c}", size=TEXT_PX, anchor="start")
        for side in ("before", "after"):
            svg.text(KEY_X[side], y, f"{side}: μ = {_signed(means[side][c])}, σ = {stds[side][c]:.2f}",
                     size=TEXT_PX, anchor="start")
    return svg.to_string()


def _axes(svg: Svg, plot: Plot, xlabel: str) -> None:
    """The plot's frame, its ticks and tick labels (a few round numbers), and the x label."""
    svg.rect(plot.left, TOP, plot.right - plot.left, BOTTOM - TOP, fill="#FFFFFF", stroke="#333333")
    for v in MaxNLocator(5).tick_values(plot.lo, plot.hi):
        if plot.lo - 1e-9 <= v <= plot.hi + 1e-9:
            x = float(plot.x(v))
            svg.line(x, BOTTOM, x, BOTTOM + 6, stroke="#333333", stroke_width=1.2)
            svg.text(x, BOTTOM + 20, f"{v:g}".replace("-", "−"), size=TEXT_PX)
    for v in MaxNLocator(4, integer=True).tick_values(0, plot.top_count):
        if 0 <= v <= plot.top_count:
            y = float(plot.y(v))
            svg.line(plot.left - 6, y, plot.left, y, stroke="#333333", stroke_width=1.2)
            svg.text(plot.left - 9, y, f"{v:g}", size=TEXT_PX, anchor="end")
    svg.text((plot.left + plot.right) / 2, BOTTOM + 44, xlabel, size=TEXT_PX)


def _hatch_pattern(c: int) -> str:
    """An SVG ``<pattern>``: channel ``c``'s colour, light, under its hatching marks."""
    color = CHANNEL_COLORS[c]
    width = 3.5 if CHANNEL_HATCHES[c] == ".." else 1.3  # a dot is a round-capped stroke of zero length
    return (f'<pattern id="bn-hatch-{c}" patternUnits="userSpaceOnUse" width="8" height="8">'
            f'<rect width="8" height="8" fill="{color}" fill-opacity="0.25"/>'
            f'<path d="{HATCH_MARKS[CHANNEL_HATCHES[c]]}" stroke="{color}" stroke-width="{width}" '
            f'stroke-linecap="round"/></pattern>')


def _signed(v) -> str:
    """``+1.25`` or ``−0.50`` (a minus sign, not a hyphen); a mean that rounds to zero is ``+0.00``, never ``−0.00``."""
    return f"{round(float(v), 2) + 0.0:+.2f}".replace("-", "−")
