"""Lesson 11's widgets: the transposed convolution's output size, and its stamps' overlap (the checkerboard).

>>> view = conv_transpose_size_view(size=4, kernel_size=3, stride=2, padding=1, output_padding=1)
>>> view.out_size
8
>>> overlap_view(kernel_size=3, stride=2).uneven
True
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..demos.conv_transpose import (OverlapMap, StampSteps, TransposeLayout, conv_transpose_layout,
                                    conv_transpose_stamps, min_overlap_size, overlap_map,
                                    upsample_constant)
from ..viz.conv_transpose import draw_overlap, draw_stamps, draw_transpose_size
from .view_widget import ViewWidget, sliders

#: Slider ranges of the output-size widget: (min, max).
SIZE_RANGES = {"size": (1, 8), "kernel_size": (1, 5), "stride": (1, 4), "padding": (0, 3),
               "output_padding": (0, 3), "dilation": (1, 3)}
SIZE_LABELS = {"size": "input H", "kernel_size": "kernel K", "stride": "stride S", "padding": "padding P",
               "output_padding": "output_padding", "dilation": "dilation D"}
#: The message under a refused setting's figure (the figure says why): one line, like the layer's code.
REFUSED_MESSAGE = "✗ No such layer: cnnlib refuses these settings (why: in the figure)."
#: Slider ranges of the overlap widget, and its input sizes (the numbered map, the constant image).
OVERLAP_RANGES = {"kernel_size": (1, 5), "stride": (1, 3)}
OVERLAP_LABELS = {"kernel_size": "kernel K", "stride": "stride S"}
MAP_SIZE, IMAGE_SIZE = 4, 8


@dataclass(frozen=True)
class TransposeSizeView:
    """What the output-size widget drew: the SVG, the layout, and the formula under it."""

    svg: str
    layout: TransposeLayout
    message: str

    @property
    def out_size(self) -> int:
        return self.layout.out_size

    @property
    def error(self) -> str | None:
        """Why PyTorch refuses the setting (the figure shows it), or None."""
        return self.layout.error


def conv_transpose_size_view(size: int = 4, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                             output_padding: int = 1, dilation: int = 1) -> TransposeSizeView:
    """Draw one axis of a ``ConvTranspose2D``: stamps, the canvas, what the padding cuts, the output.

    Args are those of :func:`cnnlib.shapes.conv_transpose_output_size`. A
    setting PyTorch refuses (``output_padding`` not smaller than the stride or
    the dilation, no output left) does not raise: the figure, of the same size,
    shows cnnlib's explanation, ``error`` holds it, and the message under the
    figure says so in one line, so the widget never grows past the screen.
    """
    lay = conv_transpose_layout(size, kernel_size, stride, padding, output_padding, dilation)
    if lay.error:
        return TransposeSizeView(draw_transpose_size(lay), lay, REFUSED_MESSAGE)
    args = "".join(f", {name}={value}" for name, value, default in (
        ("stride", stride, 1), ("padding", padding, 0), ("output_padding", output_padding, 0),
        ("dilation", dilation, 1)) if value != default)
    # The sizes are in the figure's title; the message is the layer in code, one line even at every maximum.
    message = f"ConvTranspose2D(C_in, C_out, {kernel_size}{args})"
    return TransposeSizeView(draw_transpose_size(lay), lay, message)


def conv_transpose_size_widget(size: int = 4, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                               output_padding: int = 1, dilation: int = 1) -> ViewWidget:
    """Six sliders (input size, kernel, stride, padding, output_padding, dilation) driving :func:`conv_transpose_size_view`."""
    start = {"size": size, "kernel_size": kernel_size, "stride": stride, "padding": padding,
             "output_padding": output_padding, "dilation": dilation}
    controls = sliders(SIZE_RANGES, start, SIZE_LABELS, width="390px", style={"description_width": "160px"})
    row = list(controls.values())
    return ViewWidget(controls, [conv_transpose_size_view],
                      layout=widgets.HBox([widgets.VBox(row[:3]), widgets.VBox(row[3:])]))


@dataclass(frozen=True)
class OverlapView:
    """What the overlap widget drew: the SVG, the overlap map, the upsampled constant image and a sentence."""

    svg: str
    overlap: OverlapMap
    image: np.ndarray
    message: str

    @property
    def uneven(self) -> bool:
        return self.overlap.uneven


def overlap_view(kernel_size: int = 3, stride: int = 2) -> OverlapView:
    """The stamps over every output pixel of a 4×4 input (larger if K ≫ S), beside an 8×8 constant image upsampled."""
    ov = overlap_map(max(MAP_SIZE, min_overlap_size(kernel_size, stride)), kernel_size, stride)
    image = upsample_constant(IMAGE_SIZE, kernel_size, stride)
    k, s = kernel_size, stride
    if k < s:
        why = f"K = {k} < S = {s}: the stamps do not even touch; the pixels between them get nothing (holes)."
    elif ov.uneven:
        counts = sorted(set(ov.interior_values), reverse=True)
        listed = ", ".join(map(str, counts[:-1])) + f" or {counts[-1]}"
        why = (f"K % S = {k % s}: side by side, pixels lie under {listed} stamps, in a repeating pattern: "
               "the checkerboard.")
    else:
        why = f"K % S = 0: every pixel inside lies under the same number of stamps, {ov.interior_values[0]}."
    return OverlapView(draw_overlap(ov, image), ov, image, why)


def overlap_widget(kernel_size: int = 3, stride: int = 2) -> ViewWidget:
    """Two sliders (kernel size, stride) driving :func:`overlap_view`."""
    controls = sliders(OVERLAP_RANGES, {"kernel_size": kernel_size, "stride": stride}, OVERLAP_LABELS,
                       width="320px", style={"description_width": "90px"})
    return ViewWidget(controls, [overlap_view], layout=widgets.HBox(list(controls.values())))


@dataclass(frozen=True)
class StampsView:
    """The stamps figure (no sliders: a lesson shows it with ``show``) and the steps it drew."""

    svg: str
    steps: StampSteps


def stamps_view(x, kernel, stride: int = 1, padding: int = 0, output_padding: int = 0) -> StampsView:
    """Every stamp ``x[i, j]·kernel`` of a one-channel transposed convolution, and their sum (SVG).

    >>> stamps_view([[1, 2]], [[1, 1]], stride=2).steps.output.tolist()
    [[1.0, 1.0, 2.0, 2.0]]
    """
    steps = conv_transpose_stamps(x, kernel, stride, padding, output_padding)
    return StampsView(draw_stamps(steps), steps)
