"""The batch-norm widget: shift and scale a batch of activations, watch the histograms before and after.

>>> view = batchnorm_view(shift=3.0, scale=2.0)
>>> bool(abs(view.demo.out_mean).max() < 1e-4)   # train mode: every channel comes out with mean beta = 0
True
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..viz.batchnorm import MODES, BatchNormDemo, batchnorm_demo, draw_batchnorm
from .panel import FigurePanel, observe_all, redrawing, run_view

#: Slider ranges (min, max, step).
RANGES = {"shift": (-5.0, 5.0, 0.5), "scale": (0.25, 4.0, 0.25), "gamma": (0.5, 3.0, 0.25), "beta": (-3.0, 3.0, 0.5)}
LABELS = {"shift": "shift", "scale": "scale", "gamma": "γ (gamma)", "beta": "β (beta)"}


@dataclass(frozen=True)
class BatchNormView:
    """What the widget drew: the demo's arrays and the histogram counts (``counts["before"][c]``, ``["after"][c]``)."""

    fig: Figure
    demo: BatchNormDemo
    counts: dict
    message: str


def batchnorm_view(shift: float = 0.0, scale: float = 1.0, gamma: float = 1.0, beta: float = 0.0,
                   mode: str = "train", figure: Figure | None = None) -> BatchNormView:
    """Normalise a batch shifted by ``shift`` and scaled by ``scale`` with ``BatchNorm2D`` in ``mode``.

    Args:
        shift: added to every activation (default 0).
        scale: multiplies every activation before the shift (default 1).
        gamma, beta: the layer's scale and shift after normalising (same for every channel).
        mode: ``"train"`` (batch statistics) or ``"eval"`` (running statistics from unshifted batches).
        figure: a figure drawn by this function before, to redraw in place (what the widget
            does: faster); default None draws a new figure.
    """
    demo = batchnorm_demo(shift, scale, gamma, beta, mode)
    fig, counts = draw_batchnorm(demo, figure=figure)
    used = ", ".join(f"{m:.2f}" for m in demo.used_mean)
    message = f"{mode} mode: normalised with μ = ({used}) per channel"
    return BatchNormView(fig, demo, counts, message)


def batchnorm_widget(shift: float = 0.0, scale: float = 1.0, gamma: float = 1.0, beta: float = 0.0,
                     mode: str = "train") -> widgets.VBox:
    """Shift, scale, γ and β sliders and a train/eval toggle driving :func:`batchnorm_view` (arguments: start values)."""
    start = {"shift": shift, "scale": scale, "gamma": gamma, "beta": beta}
    sliders = {name: widgets.FloatSlider(value=start[name], min=lo, max=hi, step=step, description=LABELS[name],
                                         readout_format=".2f")
               for name, (lo, hi, step) in RANGES.items()}
    mode = widgets.ToggleButtons(options=list(MODES), value=mode, description="mode")
    panel = FigurePanel()
    cache: dict = {}
    view = redrawing(batchnorm_view)  # one figure, redrawn on every move

    def update() -> None:
        run_view(panel, view, cache, mode=mode.value, **{name: s.value for name, s in sliders.items()})

    observe_all([*sliders.values(), mode], update)
    update()
    rows = widgets.HBox([widgets.VBox([sliders["shift"], sliders["scale"]]),
                         widgets.VBox([sliders["gamma"], sliders["beta"]]), mode])
    box = widgets.VBox([rows, panel])
    box.controls = {**sliders, "mode": mode}
    box.panel = panel
    box.cache = cache
    return box
