"""The output-size widget: sliders for H, K, S, P, D and the picture of where the windows go.

>>> view = output_size_view(size=8, kernel_size=3, stride=2, padding=0)
>>> view.out_size, view.dropped
(3, (7,))
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..viz.output_size import OutputSizeLayout, draw_output_size, output_size_layout
from .panel import FigurePanel, observe_all, redrawing, run_view

#: Slider ranges: (min, max) for each setting.
RANGES = {"size": (1, 12), "kernel_size": (1, 7), "stride": (1, 4), "padding": (0, 3), "dilation": (1, 3)}
LABELS = {"size": "input H", "kernel_size": "kernel K", "stride": "stride S", "padding": "padding P",
          "dilation": "dilation D"}


@dataclass(frozen=True)
class OutputSizeView:
    """What the output-size widget drew: the figure, the layout it drew and the message under it.

    ``out_size`` is 0 and ``error`` holds the explanation when no window fits.
    """

    fig: Figure
    layout: OutputSizeLayout
    message: str

    @property
    def out_size(self) -> int:
        return self.layout.out_size

    @property
    def starts(self) -> tuple:
        return self.layout.starts

    @property
    def dropped(self) -> tuple:
        return self.layout.dropped

    @property
    def error(self) -> str | None:
        return self.layout.error


def output_size_view(size: int = 7, kernel_size: int = 3, stride: int = 2, padding=1, dilation: int = 1,
                     figure: Figure | None = None) -> OutputSizeView:
    """Draw the windows of a ``kernel_size`` convolution over a ``size × size`` input.

    Args:
        size: input height and width ``H``.
        kernel_size: ``K``.
        stride: ``S``.
        padding: ``P`` per side, ``"valid"`` or ``"same"``.
        dilation: ``D``.
        figure: a figure drawn by this function before, to redraw in place (what the widget
            does: faster); default None draws a new figure.

    Never raises for a kernel larger than the padded input: the view's
    ``error`` and ``message`` say what is wrong and the figure shows it.
    """
    layout = output_size_layout(size, kernel_size, stride, padding, dilation)
    message = layout.error if layout.error else layout.formula
    return OutputSizeView(draw_output_size(layout, figure=figure), layout, message)


def output_size_widget(size: int = 7, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                       dilation: int = 1) -> widgets.VBox:
    """Five sliders (input size, kernel, stride, padding, dilation) driving :func:`output_size_view`."""
    start = {"size": size, "kernel_size": kernel_size, "stride": stride, "padding": padding, "dilation": dilation}
    sliders = {
        name: widgets.IntSlider(value=start[name], min=lo, max=hi, step=1, description=LABELS[name],
                                continuous_update=True, style={"description_width": "80px"},
                                layout=widgets.Layout(width="300px"))
        for name, (lo, hi) in RANGES.items()
    }
    panel = FigurePanel()
    cache: dict = {}
    view = redrawing(output_size_view)  # one figure, redrawn on every move

    def update() -> None:
        values = {name: s.value for name, s in sliders.items()}
        run_view(panel, view, cache, **values)

    observe_all(sliders.values(), update)
    update()
    rows = widgets.HBox([widgets.VBox(list(sliders.values())[:3]), widgets.VBox(list(sliders.values())[3:])])
    box = widgets.VBox([rows, panel])
    box.controls = sliders
    box.panel = panel
    box.cache = cache  # rendered PNGs by slider values (the benchmark clears it)
    return box
