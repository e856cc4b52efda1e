"""The learning-rate widget: a log-scale slider over a precomputed :func:`~cnnlib.demos.training.lr_sweep`.

Every curve is computed once, before the widget is shown; moving the slider
only draws. The slider's stops are the sweep's learning rates.

>>> from cnnlib.demos.training import lr_sweep
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> sweep = lr_sweep(rng.random((60, 8)), np.arange(60) % 3, [0.01, 0.1, 1000.0], steps=5, batch_size=20)
>>> view = learning_rate_view(sweep, lr=0.1)
>>> view.index, view.message.startswith("lr = 0.1: loss"), view.svg[:4]
(1, True, '<svg')
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import ipywidgets as widgets
import numpy as np

from ..demos.training import LRSweep
from ..viz.training_by_hand import draw_lr_sweep, lr_regime, lr_text
from .view_widget import ViewWidget


@dataclass(frozen=True)
class LearningRateView:
    """What the widget drew: the SVG figure, the run shown (``index`` into the sweep) and a one-line summary."""

    svg: str
    index: int
    message: str


def learning_rate_view(sweep: LRSweep, lr: float = 0.1) -> LearningRateView:
    """Draw the run of ``sweep`` whose learning rate is nearest to ``lr`` (log scale), as SVG."""
    if not isinstance(sweep, LRSweep):
        raise TypeError(f"sweep must be an LRSweep from cnnlib.demos.training.lr_sweep, got {type(sweep).__name__}. "
                        "Hint: sweep = lr_sweep(x, y), then learning_rate_view(sweep, lr=0.1).")
    i = sweep.index(lr)
    rate = sweep.lrs[i]
    stop = int(sweep.diverged_at[i])
    if stop >= 0:
        message = f"lr = {lr_text(rate)}: diverged at step {stop} ({sweep.reason[i]}); the run was stopped there."
    else:
        start, end = sweep.losses[i, 0], sweep.losses[i, -1]
        message = (f"lr = {lr_text(rate)}: loss {start:.2f} → {end:.2f} after {sweep.steps} steps "
                   f"({lr_regime(sweep, i)}; best in the sweep: lr = {lr_text(sweep.lrs[sweep.best()])}).")
    return LearningRateView(draw_lr_sweep(sweep, i), i, message)


def learning_rate_widget(sweep: LRSweep, lr: float = 0.1) -> ViewWidget:
    """A ``FloatLogSlider`` over the learning rates of ``sweep`` driving :func:`learning_rate_view`."""
    if not isinstance(sweep, LRSweep):
        raise TypeError(f"sweep must be an LRSweep from cnnlib.demos.training.lr_sweep, got {type(sweep).__name__}.")
    exponents = np.log10(sweep.lrs)
    steps = np.diff(exponents)
    step = float(steps[0]) if steps.size else 1.0
    if steps.size and not np.allclose(steps, step):
        raise ValueError("learning_rate_widget needs learning rates evenly spaced on a log scale, e.g. "
                         f"10 ** np.arange(-3, 1.01, 0.25); got {sweep.lrs}.")
    start = float(sweep.lrs[sweep.index(lr)])
    slider = widgets.FloatLogSlider(value=start, base=10, min=float(exponents[0]), max=float(exponents[-1]),
                                    step=step, description="learning rate", readout_format=".3g",
                                    style={"description_width": "initial"}, layout=widgets.Layout(width="480px"))
    view = partial(learning_rate_view, sweep)
    return ViewWidget({"lr": slider}, [view])
