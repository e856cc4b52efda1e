"""The batch-norm widget: shift and scale a batch of activations, watch the histograms before and after.

>>> view = batchnorm_view(shift=3.0, scale=2.0)
>>> bool(abs(view.demo.out_mean).max() < 1e-4)   # train mode: every channel comes out with mean beta = 0
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as widgets

from ..demos.batchnorm import MODES, BatchNormDemo, activation_batch, batchnorm_demo
from ..viz.batchnorm import draw_batchnorm
from .view_widget import ViewWidget, sliders

#: Slider ranges (min, max, step).
RANGES = {"shift": (-5.0, 5.0, 0.5), "scale": (0.25, 4.0, 0.25), "gamma": (0.5, 3.0, 0.25), "beta": (-3.0, 3.0, 0.5)}
LABELS = {"shift": "shift", "scale": "scale", "gamma": "γ (gamma)", "beta": "β (beta)"}
#: Widths (CSS) that fit side by side in the ~820 px of a notebook cell at 1024×768: 2 × (280 + 20) + 200 px; a
#: label ("γ (gamma)") has 84 px, about 8 px a character, and the row wraps rather than overlap if the page is narrower.
#: ``COLUMN_GAP`` after each column of sliders: in projector mode a readout ("2.00" at 18 px) fills its column to the
#: edge, and without the gap it ran into the next label ("γ (gamma)", "mode").
SLIDER_WIDTH, TOGGLE_WIDTH, COLUMN_GAP = "280px", "200px", "20px"
LABEL_STYLE = {"description_width": "84px"}


@lru_cache(maxsize=1)
def before_xlim() -> tuple[float, float]:
    """The x range of the "before" histograms: every value the shift and scale sliders reach, out to a multiple of 5.

    The batch is ``scale · z + shift`` (``z`` seeded), so its extremes are at the sliders' ends. One range for every
    setting: moving a slider moves or widens the histograms instead of re-fitting the axis under them.

    >>> before_xlim()
    (-45.0, 25.0)
    """
    corners = [activation_batch(shift, scale) for shift in RANGES["shift"][:2] for scale in RANGES["scale"][:2]]
    lo, hi = min(float(x.min()) for x in corners), max(float(x.max()) for x in corners)
    return 5.0 * math.floor(lo / 5), 5.0 * math.ceil(hi / 5)


@dataclass(frozen=True)
class BatchNormView:
    """What the widget drew: the SVG figure, the demo (arrays, statistics, histograms ``demo.histograms``), a message."""

    svg: str
    demo: BatchNormDemo
    message: str


def batchnorm_view(shift: float = 0.0, scale: float = 1.0, gamma: float = 1.0, beta: float = 0.0,
                   mode: str = "train") -> BatchNormView:
    """Normalise a batch shifted by ``shift`` and scaled by ``scale`` with ``BatchNorm2D`` in ``mode``.

    Args:
        shift: added to every activation (default 0).
        scale: multiplies every activation before the shift (default 1).
        gamma, beta: the layer's scale and shift after normalising (same for every channel).
        mode: ``"train"`` (batch statistics) or ``"eval"`` (running statistics from unshifted batches).
    """
    demo = batchnorm_demo(shift, scale, gamma, beta, mode)
    used = ", ".join(f"{m:.2f}" for m in demo.used_mean)
    message = f"{mode} mode: normalised with μ = ({used}) per channel"
    return BatchNormView(draw_batchnorm(demo, before_xlim()), demo, message)


def batchnorm_widget(shift: float = 0.0, scale: float = 1.0, gamma: float = 1.0, beta: float = 0.0,
                     mode: str = "train") -> ViewWidget:
    """Shift, scale, γ and β sliders and a train/eval toggle driving :func:`batchnorm_view` (arguments: start values)."""
    start = {"shift": shift, "scale": scale, "gamma": gamma, "beta": beta}
    controls = sliders(RANGES, start, LABELS, width=SLIDER_WIDTH, readout_format=".2f", style=LABEL_STYLE)
    controls["mode"] = widgets.ToggleButtons(options=list(MODES), value=mode, description="mode",
                                             style={"description_width": "48px", "button_width": "64px"},
                                             layout=widgets.Layout(width=TOGGLE_WIDTH, flex="0 0 auto"))
    column = widgets.Layout(width=SLIDER_WIDTH, flex="0 0 auto",  # fixed: a column never shrinks under its readouts
                            margin=f"0 {COLUMN_GAP} 0 0")  # room between a readout and the next label
    layout = widgets.HBox([widgets.VBox([controls["shift"], controls["scale"]], layout=column),
                           widgets.VBox([controls["gamma"], controls["beta"]], layout=column), controls["mode"]],
                          layout=widgets.Layout(flex_flow="row wrap"))
    return ViewWidget(controls, [batchnorm_view], layout=layout)
