"""The filter widget: pick a classic kernel or type your own 3×3 numbers, then stride, padding, ReLU, colour scale.

The feature map is computed by cnnlib's own ``Conv2D`` with its weights set
to the kernel (:func:`cnnlib.demos.filters.apply_kernel`), so what the widget
shows is what the library computes. The figure is SVG
(:func:`cnnlib.viz.filter_result.draw_filter_result`): drawn from scratch in
a few milliseconds, its text at least 18 px, its size the same for every setting.

>>> view = filter_view("sobel_x", stride=2, padding=1)
>>> view.output_shape
(1, 1, 75, 64)
>>> filter_view("brighten").scale_text
'fixed: gray 0 … 1'
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import traitlets

from ..demos.filters import apply_kernel, sample_photo
from ..image_filters import ALL_KERNEL_NAMES, get_kernel
from ..viz.filter_result import draw_filter_result
from ..viz.filters import SCALES, map_style
from .view_widget import ViewWidget, sliders

CUSTOM = "custom"
RANGES = {"stride": (1, 4), "padding": (0, 3)}
#: The colour-scale buttons: (label, value of the ``scale`` setting). A label names the mode and claims no range:
#: "fixed" is gray 0 … 1 for a map without negative values, −1 … +1 (white = 0) for one with them; the map's title
#: (``FilterView.scale_text``, which starts with the same word) and colour bar give the limits actually used.
SCALE_OPTIONS = (("fixed (same for every kernel)", "fixed"), ("per map (stretched)", "stretched"))
SCALE_BUTTON_WIDTH = "270px"  # "fixed (same for every kernel)" is ~260 px of 18 px text in projector mode


@dataclass(frozen=True)
class FilterView:
    """What the filter widget drew (SVG): kernel, feature map, its ``(N, C, H_out, W_out)`` shape, its colour scale."""

    svg: str
    kernel: np.ndarray
    feature_map: np.ndarray
    output_shape: tuple
    message: str
    scale_text: str  # the colour scale's limits, as in the map's title


def filter_view(kernel="sobel_x", stride: int = 1, padding=1, relu: bool = False, scale: str = "fixed",
                image=None) -> FilterView:
    """Apply ``kernel`` (a name from :data:`cnnlib.image_filters.ALL_KERNEL_NAMES` or a 3×3 array) to the photo.

    Args:
        kernel: kernel name, or the weights as a 2-D array or 9 numbers (row by row).
        stride: ``Conv2D`` stride (default 1).
        padding: ``Conv2D`` padding: int, ``"valid"`` or ``"same"`` (default 1).
        relu: apply ReLU to the feature map (default False).
        scale: ``"fixed"`` (default): one colour scale for every kernel (gray 0…1 like the photo,
            −1…+1 for signed maps), so the weights' sum shows as brightness; ``"stretched"``: the
            scale fits each map (see :func:`cnnlib.viz.filters.map_style`).
        image: 2-D gray image in [0, 1] (default: the sample photo at 150×128).

    ``cnnlib.viz.show(filter_view(...))`` shows the figure as a still picture.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}. Hint: 'fixed' compares brightness "
                         "between kernels, 'stretched' shows each map's detail.")
    name = kernel if isinstance(kernel, str) else None
    weights = get_kernel(name) if name else np.asarray(kernel, dtype=np.float32).reshape(3, 3)
    image = sample_photo() if image is None else np.asarray(image, dtype=np.float32)
    out = apply_kernel(image, weights, stride, padding, relu)
    fmap = out[0, 0]
    svg = draw_filter_result(image, weights, fmap, stride=stride, padding=padding,
                             kernel_name=(name or "your kernel") + (" + ReLU" if relu else ""), scale=scale)
    message = (f"Conv2D(1, 1, kernel_size=3, stride={stride}, padding={padding!r}): input (1, 1, {image.shape[0]}, "
               f"{image.shape[1]}) → output {tuple(out.shape)}\n"
               f"weights sum to {float(weights.sum()):.3g}; mean value: input {float(image.mean()):.2f}, "
               f"feature map {float(fmap.mean()):.2f}")
    return FilterView(svg, weights, fmap, tuple(out.shape), message, map_style(fmap, weights, scale)[1])


class KernelInput(widgets.VBox):
    """A kernel menu above a 3×3 grid of number boxes; ``value`` is the kernel's name, or its 9 weights.

    Choosing a kernel fills the boxes; editing a box switches the menu to
    ``custom`` and makes ``value`` the tuple of the 9 weights (row by row).
    Setting ``value`` to a name or 9 numbers updates the menu and the boxes.
    """

    value = traitlets.Union([traitlets.Unicode(), traitlets.Tuple()])

    def __init__(self, kernel: str = "sobel_x") -> None:
        self.menu = widgets.Dropdown(options=list(ALL_KERNEL_NAMES) + [CUSTOM], value=kernel, description="kernel")
        self.boxes = [widgets.FloatText(value=float(v), step=0.5, layout=widgets.Layout(width="70px"))
                      for v in get_kernel(kernel).ravel()]
        grid = widgets.GridBox(self.boxes, layout=widgets.Layout(grid_template_columns="repeat(3, 75px)"))
        self._syncing = False  # set while one part is being made to match the other
        super().__init__([widgets.Label("kernel weights (edit me)"), grid], value=kernel)
        self.menu.observe(self._on_menu, names="value")
        for box in self.boxes:
            box.observe(self._on_box, names="value")
        self.observe(self._on_value, names="value")

    def weights(self) -> tuple:
        """The 9 numbers in the boxes, row by row."""
        return tuple(float(b.value) for b in self.boxes)

    def _on_menu(self, change) -> None:
        if not self._syncing:
            self.value = self.weights() if change["new"] == CUSTOM else change["new"]

    def _on_box(self, change) -> None:
        if self._syncing:
            return
        named = self.menu.value != CUSTOM and np.allclose(self.weights(), get_kernel(self.menu.value).ravel())
        self.value = self.menu.value if named else self.weights()  # a box set to its own value changes nothing

    def _on_value(self, change) -> None:
        """Make the menu and the boxes show ``value``."""
        value = change["new"]
        self._syncing = True
        try:
            self.menu.value = value if isinstance(value, str) else CUSTOM
            for box, v in zip(self.boxes, get_kernel(value).ravel() if isinstance(value, str) else value):
                box.value = float(v)
        finally:
            self._syncing = False


def filter_widget(image=None, kernel: str = "sobel_x", stride: int = 1, padding: int = 1,
                  scale: str = "fixed") -> ViewWidget:
    """Kernel menu and 3×3 weight boxes, stride and padding sliders, a ReLU box, colour-scale buttons.

    Draws :func:`filter_view`.
    """
    kernel_input = KernelInput(kernel)
    controls = {"kernel": kernel_input, **sliders(RANGES, {"stride": stride, "padding": padding}),
                "relu": widgets.Checkbox(value=False, description="ReLU"),
                "scale": widgets.ToggleButtons(options=SCALE_OPTIONS, value=scale, description="colour scale",
                                               style={"button_width": SCALE_BUTTON_WIDTH})}

    def view(kernel, stride: int, padding, relu: bool, scale: str) -> FilterView:
        return filter_view(kernel, stride, padding, relu, scale, image)

    layout = widgets.VBox([
        widgets.HBox([widgets.VBox([kernel_input.menu, controls["stride"], controls["padding"], controls["relu"]]),
                      kernel_input]),
        controls["scale"],
    ])
    return ViewWidget(controls, [view], layout=layout)
