"""The batch-norm widget: shift and scale a batch of activations, watch the histograms before and after.

>>> view = batchnorm_view(shift=3.0, scale=2.0)
>>> bool(abs(view.demo.out_mean).max() < 1e-4)   # train mode: every channel comes out with mean beta = 0
True
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from ..demos.batchnorm import MODES, BatchNormDemo, batchnorm_demo
from ..viz.batchnorm import draw_batchnorm
from .view_widget import ViewWidget, sliders

#: Slider ranges (min, max, step).
RANGES = {"shift": (-5.0, 5.0, 0.5), "scale": (0.25, 4.0, 0.25), "gamma": (0.5, 3.0, 0.25), "beta": (-3.0, 3.0, 0.5)}
LABELS = {"shift": "shift", "scale": "scale", "gamma": "γ (gamma)", "beta": "β (beta)"}
#: Widths (CSS) that fit side by side in the ~820 px of a notebook cell at 1024×768: 2 × 280 + 200 px; a label
#: ("γ (gamma)") has 84 px, about 8 px a character, and the row wraps rather than overlap if the page is narrower.
SLIDER_WIDTH, TOGGLE_WIDTH = "280px", "200px"
LABEL_STYLE = {"description_width": "84px"}


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
    return BatchNormView(draw_batchnorm(demo), demo, message)


def batchnorm_widget(shift: float = 0.0, scale: float = 1.0, gamma: float = 1.0, beta: float = 0.0,
                     mode: str = "train") -> ViewWidget:
    """Shift, scale, γ and β sliders and a train/eval toggle driving :func:`batchnorm_view` (arguments: start values)."""
    start = {"shift": shift, "scale": scale, "gamma": gamma, "beta": beta}
    controls = sliders(RANGES, start, LABELS, width=SLIDER_WIDTH, readout_format=".2f", style=LABEL_STYLE)
    controls["mode"] = widgets.ToggleButtons(options=list(MODES), value=mode, description="mode",
                                             style={"description_width": "48px", "button_width": "64px"},
                                             layout=widgets.Layout(width=TOGGLE_WIDTH, flex="0 0 auto"))
    column = widgets.Layout(width=SLIDER_WIDTH, flex="0 0 auto")  # fixed: a column never shrinks under its readouts
    layout = widgets.HBox([widgets.VBox([controls["shift"], controls["scale"]], layout=column),
                           widgets.VBox([controls["gamma"], controls["beta"]], layout=column), controls["mode"]],
                          layout=widgets.Layout(flex_flow="row wrap"))
    return ViewWidget(controls, [batchnorm_view], layout=layout)
