"""The step widget: a Play button and a step slider walk the window over the input.

The figure is SVG (:func:`~cnnlib.viz.sliding_window.draw_conv_step`): the
browser draws it at its natural size, and a step is a few kilobytes of text.

>>> view = sliding_window_view(2)           # the seed's 4×4 ⋆ 2×2 example, second window
>>> view.value, view.highlight
(3.0, (0, 1, 2, 2))
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .._checks import check_positive_int
from ..demos.sliding_window import SEED_INPUT, SEED_KERNEL, SlidingWindow, sliding_window_steps, step_equation
from ..viz.sliding_window import draw_conv_step
from .value_cache import cache_by_value
from .view_widget import ViewWidget, play_slider


@dataclass(frozen=True)
class SlidingWindowView:
    """What the step widget drew for one step: ``svg`` (the SVG document) and the arrays in it.

    ``highlight`` is ``(top, left, KH, KW)`` of the patch in the padded input;
    ``output`` is the output so far (NaN where not computed yet); ``out_cell``
    is the ``(row, col)`` filled at this step. ``show(view)`` displays it.
    """

    svg: str
    step: int
    n_steps: int
    patch: np.ndarray
    products: np.ndarray
    value: float
    highlight: tuple
    out_cell: tuple
    output: np.ndarray
    message: str


def sliding_window_view(step: int = 1, x=None, kernel=None, stride: int = 1, padding=0) -> SlidingWindowView:
    """Draw step ``step`` (1-based, as the slider shows it) of ``x ⋆ kernel``.

    Args:
        step: window position in row-major order, ``1 .. H_out*W_out``.
        x: 2-D input (default: the seed's 4×4 example).
        kernel: 2-D kernel (default: the seed's ``[[1, 0], [-1, 1]]``).
        stride: window step (default 1).
        padding: zeros around the input (int, ``"valid"`` or ``"same"``; default 0).

    Returns a :class:`SlidingWindowView` with the SVG and the arrays it drew; every step of
    one example has the same size.
    """
    step = check_positive_int(step, "step")
    sw = _steps(x, kernel, stride, padding)
    n = len(sw.steps)
    if step > n:
        raise ValueError(f"step must be in 1..{n} for this input and kernel, got {step}. "
                         f"Hint: the window takes {n} steps, row by row; step={n} is the last one.")
    s = sw.steps[step - 1]
    kh, kw = sw.kernel.shape
    return SlidingWindowView(
        svg=draw_conv_step(sw, step - 1), step=step, n_steps=n, patch=s.patch, products=s.products, value=s.value,
        highlight=(s.top, s.left, kh, kw), out_cell=(s.row, s.col), output=sw.partial_output(step - 1),
        message=step_equation(s, sw.kernel),
    )


def _steps(x, kernel, stride, padding) -> SlidingWindow:
    """The steps of this example, computed once (a slider move only draws)."""
    return _cached_steps(SEED_INPUT if x is None else x, SEED_KERNEL if kernel is None else kernel, stride, padding)


_cached_steps = cache_by_value(8)(sliding_window_steps)


def sliding_window_widget(x=None, kernel=None, stride: int = 1, padding=0, interval_ms: int = 1200,
                          step: int = 1) -> ViewWidget:
    """Play button + step slider + the figure of :func:`sliding_window_view`, starting at ``step``.

    The Play button is linked to the slider in the browser, so the window
    walks over the input on its own; drag the slider to go back. Start it at
    the ``step`` of the still picture drawn before it (default 1).
    """
    first = sliding_window_view(step, x, kernel, stride, padding)  # checks step against this input's steps
    controls = play_slider("step", first.n_steps, first.step, interval_ms, width="420px")

    def view(step: int) -> SlidingWindowView:
        # The figure's title already shows this step's equation: no message line repeats it under the figure.
        return replace(sliding_window_view(step, x, kernel, stride, padding), message="")

    return ViewWidget(controls, [view])
