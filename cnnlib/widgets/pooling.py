"""Pooling widgets: explore max/average pooling on a real edge map, and watch pooling absorb small shifts.

>>> view = pooling_view("max", kernel_size=2, stride=2)
>>> view.pooled.shape, view.crop_pooled.shape
((75, 64), (6, 6))
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..demos.filters import sample_edge_map
from ..demos.pooling import POOLS, PoolLayout, pool_layout
from ..demos.translation import MAX_SHIFT, ShiftComparison, compare_shift
from ..viz.pooling import draw_pool_explorer
from ..viz.translation import draw_shift_comparison
from .view_widget import ViewWidget, sliders

#: Labels get this much room (CSS), so "pool window" is never cut to "pool wind…".
LABEL_STYLE = {"description_width": "100px"}
SLIDER_WIDTH = "420px"
#: Slider ranges (min, max).
RANGES = {"kernel_size": (2, 4), "stride": (1, 4)}
SHIFT_RANGES = {"shift": (0, MAX_SHIFT), "kernel_size": (2, 4)}


@dataclass(frozen=True)
class PoolingView:
    """What the pooling explorer drew: the SVG (see :class:`cnnlib.demos.pooling.PoolLayout` for the arrays)."""

    svg: str
    layout: PoolLayout
    message: str

    @property
    def pooled(self) -> np.ndarray:
        return self.layout.pooled

    @property
    def crop_pooled(self) -> np.ndarray:
        return self.layout.crop_pooled

    @property
    def picked(self) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, cols)`` in the zoom of the element each window kept (max pooling only)."""
        return self.layout.rows, self.layout.cols


def pooling_view(pool: str = "max", kernel_size: int = 2, stride: int = 2, fmap=None) -> PoolingView:
    """Pool the edge map (or ``fmap``) with a ``kernel_size`` window and ``stride``; draw what each window kept.

    Args:
        pool: ``"max"`` or ``"average"``.
        kernel_size: window size ``k`` (``k × k``).
        stride: step between windows.
        fmap: 2-D feature map (default: :func:`cnnlib.demos.filters.sample_edge_map`).

    The SVG has the same size for every setting (see :func:`cnnlib.viz.pooling.draw_pool_explorer`).
    """
    fmap = sample_edge_map() if fmap is None else fmap
    layout = pool_layout(fmap, pool, kernel_size, stride)
    return PoolingView(draw_pool_explorer(layout), layout, "")  # the formula heads the figure: no second copy


def pooling_widget(pool: str = "max", kernel_size: int = 2, stride: int = 2) -> ViewWidget:
    """Pool type buttons, window and stride sliders driving :func:`pooling_view`."""
    controls = {"pool": widgets.ToggleButtons(options=list(POOLS), value=pool, description="pool", style=LABEL_STYLE),
                **sliders(RANGES, {"kernel_size": kernel_size, "stride": stride}, {"kernel_size": "window"},
                          width=SLIDER_WIDTH, style=LABEL_STYLE)}
    layout = widgets.VBox([controls["pool"], widgets.HBox([controls["kernel_size"], controls["stride"]])])
    return ViewWidget(controls, [pooling_view], layout=layout)


@dataclass(frozen=True)
class ShiftView:
    """What the shift widget drew: the SVG (see :class:`cnnlib.demos.translation.ShiftComparison` for the arrays)."""

    svg: str
    comparison: ShiftComparison
    message: str


def shift_view(shift: int = 1, kernel_size: int = 2) -> ShiftView:
    """Shift the photo ``shift`` pixels right; compare edge maps before and after ``kernel_size`` max pooling.

    The SVG has the same size for every setting (see :func:`cnnlib.viz.translation.draw_shift_comparison`).
    """
    c = compare_shift(shift, kernel_size)
    message = (f"similarity of the edge maps {c.before:.2f}; after {kernel_size}×{kernel_size} max pooling "
               f"{c.after:.2f}")
    return ShiftView(draw_shift_comparison(c), c, message)


def shift_widget(shift: int = 1, kernel_size: int = 2) -> ViewWidget:
    """A shift slider (pixels) and a pooling-window slider driving :func:`shift_view`."""
    labels = {"shift": "shift (px)", "kernel_size": "pool window"}
    controls = sliders(SHIFT_RANGES, {"shift": shift, "kernel_size": kernel_size}, labels, width=SLIDER_WIDTH,
                       style=LABEL_STYLE)
    return ViewWidget(controls, [shift_view])
