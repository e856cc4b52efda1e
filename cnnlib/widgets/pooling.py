"""Pooling widgets: explore max/average pooling on a real edge map, and watch pooling absorb small shifts.

>>> view = pooling_view("max", kernel_size=2, stride=2)
>>> view.pooled.shape, view.crop_pooled.shape
((75, 64), (6, 6))
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..datasets.images import load_sample_image
from ..viz.pool_explorer import POOLS, PoolLayout, draw_pool_explorer, edge_map, pool_layout
from ..viz.translation import MAX_SHIFT, ShiftComparison, compare_shift, draw_shift_comparison
from .panel import FigurePanel, observe_all, redrawing, run_view

#: Slider ranges (min, max).
RANGES = {"kernel_size": (2, 4), "stride": (1, 4)}


@dataclass(frozen=True)
class PoolingView:
    """What the pooling explorer drew (see :class:`cnnlib.viz.pool_explorer.PoolLayout` for the arrays)."""

    fig: Figure
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


@lru_cache(maxsize=1)
def default_edge_map() -> np.ndarray:
    """Lesson 03's feature map: the 150×128 photo through Sobel x and ReLU."""
    fmap = edge_map(load_sample_image(gray=True, downsample=4))
    fmap.setflags(write=False)
    return fmap


def pooling_view(pool: str = "max", kernel_size: int = 2, stride: int = 2, fmap=None,
                 figure: Figure | None = None) -> PoolingView:
    """Pool the edge map (or ``fmap``) with a ``kernel_size`` window and ``stride``; draw what each window kept.

    Args:
        pool: ``"max"`` or ``"average"``.
        kernel_size: window size ``k`` (``k × k``).
        stride: step between windows.
        fmap: 2-D feature map (default: :func:`default_edge_map`).
        figure: a figure drawn by this function before, to redraw in place (what the widget
            does: faster); default None draws a new figure.
    """
    fmap = default_edge_map() if fmap is None else fmap
    layout = pool_layout(fmap, pool, kernel_size, stride)
    return PoolingView(draw_pool_explorer(layout, figure=figure), layout, layout.formula)


def pooling_widget(pool: str = "max", kernel_size: int = 2, stride: int = 2) -> widgets.VBox:
    """Pool type buttons, window and stride sliders driving :func:`pooling_view`."""
    kind = widgets.ToggleButtons(options=list(POOLS), value=pool, description="pool")
    start = {"kernel_size": kernel_size, "stride": stride}
    labels = {"kernel_size": "window", "stride": "stride"}
    sliders = {name: widgets.IntSlider(value=start[name], min=lo, max=hi, description=labels[name])
               for name, (lo, hi) in RANGES.items()}
    panel = FigurePanel()
    cache: dict = {}
    view = redrawing(pooling_view)  # one figure, redrawn on every move

    def update() -> None:
        run_view(panel, view, cache, pool=kind.value, kernel_size=sliders["kernel_size"].value,
                 stride=sliders["stride"].value)

    observe_all([kind, *sliders.values()], update)
    update()
    box = widgets.VBox([widgets.HBox([kind, *sliders.values()]), panel])
    box.controls = {"pool": kind, **sliders}
    box.panel = panel
    box.cache = cache  # rendered PNGs by slider values (the benchmark clears it)
    return box


@dataclass(frozen=True)
class ShiftView:
    """What the shift widget drew (see :class:`cnnlib.viz.translation.ShiftComparison` for the arrays)."""

    fig: Figure
    comparison: ShiftComparison
    message: str


def shift_view(shift: int = 1, kernel_size: int = 2, figure: Figure | None = None) -> ShiftView:
    """Shift the photo ``shift`` pixels right; compare edge maps before and after ``kernel_size`` max pooling.

    ``figure``: a figure drawn by this function before, to redraw in place (what the widget does).
    """
    c = compare_shift(shift, kernel_size)
    message = (f"similarity of the edge maps {c.before:.2f}; after {kernel_size}×{kernel_size} max pooling "
               f"{c.after:.2f}")
    return ShiftView(draw_shift_comparison(c, figure=figure), c, message)


def shift_widget(shift: int = 1, kernel_size: int = 2) -> widgets.VBox:
    """A shift slider (pixels) and a pooling-window slider driving :func:`shift_view`."""
    sliders = {
        "shift": widgets.IntSlider(value=shift, min=0, max=MAX_SHIFT, description="shift (px)"),
        "kernel_size": widgets.IntSlider(value=kernel_size, min=2, max=4, description="pool window"),
    }
    panel = FigurePanel()
    cache: dict = {}
    view = redrawing(shift_view)  # one figure, redrawn on every move

    def update() -> None:
        run_view(panel, view, cache, **{name: s.value for name, s in sliders.items()})

    observe_all(sliders.values(), update)
    update()
    box = widgets.VBox([widgets.HBox(list(sliders.values())), panel])
    box.controls = sliders
    box.panel = panel
    box.cache = cache
    return box
