"""The output-size widget: sliders for H, K, S, P, D and the picture of where the windows go.

>>> view = output_size_view(size=8, kernel_size=3, stride=2, padding=0)
>>> view.out_size, view.dropped
(3, (7,))
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from ..demos.output_size import OutputSizeLayout, output_size_layout
from ..viz.output_size import draw_output_size
from .view_widget import ViewWidget, sliders

#: Slider ranges: (min, max) for each setting.
RANGES = {"size": (1, 12), "kernel_size": (1, 7), "stride": (1, 4), "padding": (0, 3), "dilation": (1, 3)}
LABELS = {"size": "input H", "kernel_size": "kernel K", "stride": "stride S", "padding": "padding P",
          "dilation": "dilation D"}


@dataclass(frozen=True)
class OutputSizeView:
    """What the output-size widget drew: the SVG, the layout it drew and the message under it.

    ``out_size`` is 0 and ``error`` holds the explanation when no window fits.
    """

    svg: str
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


def output_size_view(size: int = 7, kernel_size: int = 3, stride: int = 2, padding=1,
                     dilation: int = 1) -> OutputSizeView:
    """Draw the windows of a ``kernel_size`` convolution over a ``size × size`` input.

    Args:
        size: input height and width ``H``.
        kernel_size: ``K``.
        stride: ``S``.
        padding: ``P`` per side, ``"valid"`` or ``"same"``.
        dilation: ``D``.

    Never raises for a kernel larger than the padded input: the view's
    ``error`` and ``message`` say what is wrong and the figure shows it.
    The SVG has the same size for every setting (see :mod:`cnnlib.viz.output_size`).
    """
    layout = output_size_layout(size, kernel_size, stride, padding, dilation)
    message = layout.error or ""  # the formula heads the figure itself: no second copy under it
    return OutputSizeView(draw_output_size(layout), layout, message)


def output_size_widget(size: int = 7, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                       dilation: int = 1) -> ViewWidget:
    """Five sliders (input size, kernel, stride, padding, dilation) driving :func:`output_size_view`."""
    start = {"size": size, "kernel_size": kernel_size, "stride": stride, "padding": padding, "dilation": dilation}
    controls = sliders(RANGES, start, LABELS, width="300px", style={"description_width": "80px"})
    row = list(controls.values())
    return ViewWidget(controls, [output_size_view], layout=widgets.HBox([widgets.VBox(row[:3]), widgets.VBox(row[3:])]))
