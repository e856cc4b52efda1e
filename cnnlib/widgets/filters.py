"""The filter widget: pick a classic kernel or type your own 3×3 numbers, then stride, padding, ReLU.

The feature map is computed by cnnlib's own ``Conv2D`` with its weights set
to the kernel, so what the widget shows is what the library computes.

>>> view = filter_view("sobel_x", stride=2, padding=1)
>>> view.output_shape
(1, 1, 75, 64)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..datasets.images import load_sample_image
from ..kernels import KERNEL_NAMES, get_kernel
from ..layers import Conv2D, ReLU
from ..viz.filters import draw_filter_result
from .panel import FigurePanel, observe_all, redrawing, run_view

CUSTOM = "custom"


@dataclass(frozen=True)
class FilterView:
    """What the filter widget drew: the kernel, the feature map and its ``(N, C, H_out, W_out)`` shape."""

    fig: Figure
    kernel: np.ndarray
    feature_map: np.ndarray
    output_shape: tuple
    message: str


@lru_cache(maxsize=1)
def _default_image() -> np.ndarray:
    img = load_sample_image(gray=True, downsample=4)  # (150, 128)
    img.setflags(write=False)
    return img


def apply_kernel(image, kernel, stride: int = 1, padding=0, relu: bool = False) -> np.ndarray:
    """Filter a 2-D ``image`` with a 2-D ``kernel`` using ``Conv2D``; returns the ``(1, 1, H_out, W_out)`` output."""
    kernel = np.asarray(kernel, dtype=np.float32)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D (KH, KW), got shape {kernel.shape}.")
    conv = Conv2D(1, 1, kernel.shape, stride=stride, padding=padding, bias=False)
    conv.params["W"][...] = kernel[None, None]  # (C_out=1, C_in=1, KH, KW)
    x = np.asarray(image, dtype=np.float32)[None, None]  # (1, 1, H, W)
    out = conv(x)
    return ReLU()(out) if relu else out


def filter_view(kernel="sobel_x", stride: int = 1, padding=1, relu: bool = False, image=None,
                figure: Figure | None = None) -> FilterView:
    """Apply ``kernel`` (a name from :data:`cnnlib.kernels.KERNEL_NAMES` or a 3×3 array) to the photo.

    Args:
        kernel: kernel name or 2-D array of weights.
        stride: ``Conv2D`` stride (default 1).
        padding: ``Conv2D`` padding: int, ``"valid"`` or ``"same"`` (default 1).
        relu: apply ReLU to the feature map (default False).
        image: 2-D gray image in [0, 1] (default: the sample photo at 150×128).
        figure: a figure drawn by this function before, to redraw in place (what the widget
            does: faster); default None draws a new figure.
    """
    name = kernel if isinstance(kernel, str) else None
    weights = get_kernel(name) if name else np.asarray(kernel, dtype=np.float32)
    image = _default_image() if image is None else np.asarray(image, dtype=np.float32)
    out = apply_kernel(image, weights, stride, padding, relu)
    fmap = out[0, 0]
    fig = draw_filter_result(image, weights, fmap, stride=stride, padding=padding,
                             kernel_name=(name or "your kernel") + (" + ReLU" if relu else ""), figure=figure)
    message = (f"Conv2D(1, 1, kernel_size=3, stride={stride}, padding={padding!r}): input (1, 1, {image.shape[0]}, "
               f"{image.shape[1]}) → output {tuple(out.shape)}")
    return FilterView(fig, weights, fmap, tuple(out.shape), message)


def _as_kernel(k):
    return k if isinstance(k, str) else np.array(k, dtype=np.float32).reshape(3, 3)


def filter_widget(image=None, kernel: str = "sobel_x", stride: int = 1, padding: int = 1) -> widgets.VBox:
    """Kernel menu, a 3×3 grid of number boxes, stride and padding sliders, a ReLU box; draws :func:`filter_view`.

    Choosing a kernel fills the boxes; editing a box switches the menu to
    ``custom``.
    """
    menu = widgets.Dropdown(options=list(KERNEL_NAMES) + [CUSTOM], value=kernel, description="kernel")
    boxes = [widgets.FloatText(value=float(v), step=0.5, layout=widgets.Layout(width="70px"))
             for v in get_kernel(kernel).ravel()]
    grid = widgets.GridBox(boxes, layout=widgets.Layout(grid_template_columns="repeat(3, 75px)"))
    stride_s = widgets.IntSlider(value=stride, min=1, max=4, description="stride")
    pad_s = widgets.IntSlider(value=padding, min=0, max=3, description="padding")
    relu_c = widgets.Checkbox(value=False, description="ReLU")
    panel = FigurePanel()
    cache: dict = {}
    busy = {"on": False}  # set while the code (not the user) changes controls
    view = redrawing(lambda k, s, p, r, figure: filter_view(_as_kernel(k), s, p, r, image, figure=figure))

    def values() -> np.ndarray:
        return np.array([b.value for b in boxes], dtype=np.float32).reshape(3, 3)

    def update() -> None:
        if busy["on"]:
            return
        kernel = menu.value if menu.value != CUSTOM else tuple(values().ravel().tolist())
        run_view(panel, view, cache, k=kernel, s=stride_s.value, p=pad_s.value, r=relu_c.value)

    def on_menu(change) -> None:
        if change["new"] == CUSTOM or busy["on"]:
            return
        busy["on"] = True
        for b, v in zip(boxes, get_kernel(change["new"]).ravel()):
            b.value = float(v)
        busy["on"] = False
        update()

    def on_box(change) -> None:
        if busy["on"]:
            return
        if menu.value != CUSTOM and not np.allclose(values(), get_kernel(menu.value)):
            busy["on"] = True
            menu.value = CUSTOM
            busy["on"] = False
        update()

    menu.observe(on_menu, names="value")
    for b in boxes:
        b.observe(on_box, names="value")
    observe_all([stride_s, pad_s, relu_c], update)
    update()
    controls = widgets.HBox([widgets.VBox([menu, stride_s, pad_s, relu_c]),
                             widgets.VBox([widgets.Label("kernel weights (edit me)"), grid])])
    box = widgets.VBox([controls, panel])
    box.controls = {"kernel": menu, "weights": boxes, "stride": stride_s, "padding": pad_s, "relu": relu_c}
    box.panel = panel
    box.cache = cache  # rendered PNGs by slider values (the benchmark clears it)
    return box
