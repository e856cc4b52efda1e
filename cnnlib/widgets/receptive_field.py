"""The receptive-field widget: pick a layer and a unit, see the input region it depends on.

Layers are numbered by their index in ``model.layers`` (the ``#`` column of
``model.summary()``); only the conv and pooling layers can be chosen.

>>> view = receptive_field_view(layer=6, i=0, j=0)   # the 32×32×3 network's last conv, model.layers[6]
>>> view.input_region
((0, 18), (0, 18))
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as widgets
import numpy as np

from ..demos.receptive_field import ReceptiveFieldLayout, receptive_field_layout
from ..viz.receptive_field import draw_receptive_field
from .view_widget import ViewWidget

#: CSS widths: the menu and both sliders side by side in the ~820 px of a notebook cell at 1024×768.
# The menu has a row of its own, so each slider gets 400 px: about 250 px of track, 8 px a step on a 30×30 layer.
MENU_WIDTH, SLIDER_WIDTH = "340px", "400px"


@dataclass(frozen=True)
class ReceptiveFieldView:
    """What the widget drew: the SVG figure, the layout (regions per stage) and a message."""

    svg: str
    layout: ReceptiveFieldLayout
    message: str

    @property
    def input_region(self):
        """``((top, bottom), (left, right))`` of the input the unit sees (end exclusive)."""
        return self.layout.regions[0]


@lru_cache(maxsize=1)
def _default_setup():
    """The 32×32×3 network's layers before Flatten, and a 32×32 RGB patch of the sample photo."""
    from ..datasets.images import load_sample_image
    from ..networks import cifar_cnn

    layers = tuple(cifar_cnn().layers[:8])
    photo = load_sample_image(downsample=8)  # (75, 64, 3)
    patch = photo[8:40, 16:48]  # (32, 32, 3): the face
    return layers, patch


def receptive_field_view(layer: int = 6, i: int = 0, j: int = 0, layers=None, input_size=None,
                         image=None) -> ReceptiveFieldView:
    """Draw, as SVG, what unit ``(i, j)`` of layer ``layers[layer]`` (a conv or pooling layer) sees in each earlier layer.

    Args:
        layer: the layer's index in ``layers`` (for a model, in ``model.layers``: the ``#`` column of
            ``model.summary()``; default 6, the last conv of lesson 10's network).
        i, j: the unit's row and column in that layer's output.
        layers: layers before ``Flatten`` (default: the 32×32×3 network of lesson 10).
        input_size: ``(H, W)`` of the input (default 32×32, or the image's size).
        image: an ``(H, W, 3)`` or ``(H, W)`` picture drawn under the input grid
            (default: a 32×32 patch of the sample photo when ``layers`` is default).
    """
    if layers is None:
        layers, default_image = _default_setup()
        image = default_image if image is None else image
    if input_size is None:
        input_size = np.shape(image)[:2] if image is not None else (32, 32)
    layout = receptive_field_layout(list(layers), input_size, layer, i, j)
    (t, b), (l, r) = layout.regions[0]
    rf = layout.rf
    message = (f"unit ({i}, {j}) of layer {layout.label(layout.stage)}: receptive field {rf.size[0]}×{rf.size[1]}, "
               f"input rows {t}..{b - 1}, columns {l}..{r - 1}")
    return ReceptiveFieldView(draw_receptive_field(layout, image), layout, message)


def receptive_field_widget(layer: int = 6, i: int = 0, j: int = 0, layers=None, input_size=None,
                           image=None) -> ViewWidget:
    """A layer menu and row/column sliders driving :func:`receptive_field_view`.

    The menu offers the conv and pooling layers only, each as ``"index · name (H×W)"`` with its
    ``model.layers`` index; the sliders' ranges follow the chosen layer's output size.
    """
    first = receptive_field_view(layer, i, j, layers, input_size, image)
    lay = first.layout
    sizes = {lay.indices[s]: lay.sizes[s] for s in range(1, len(lay.sizes))}  # layer index -> (H, W)
    label = {"style": {"description_width": "72px"}}  # "column j" whole, at about 8 px a character
    controls = {
        "layer": widgets.Dropdown(options=[(f"{lay.label(s)} ({lay.sizes[s][0]}×{lay.sizes[s][1]})", lay.indices[s])
                                           for s in range(1, len(lay.sizes))],
                                  value=layer, description="layer", layout=widgets.Layout(width=MENU_WIDTH), **label),
        "i": widgets.IntSlider(value=i, min=0, max=sizes[layer][0] - 1, description="row i",
                               layout=widgets.Layout(width=SLIDER_WIDTH), **label),
        "j": widgets.IntSlider(value=j, min=0, max=sizes[layer][1] - 1, description="column j",
                               layout=widgets.Layout(width=SLIDER_WIDTH), **label),
    }

    def view(layer: int, i: int, j: int) -> ReceptiveFieldView:
        return receptive_field_view(layer, i, j, layers, input_size, image)

    def fit_unit_range(widget: ViewWidget, name: str) -> None:
        """After a layer change: the row and column sliders run over that layer's output."""
        if name == "layer":
            for axis, size in zip("ij", sizes[widget.controls["layer"].value]):
                widget.controls[axis].max = size - 1  # the slider moves its value into the new range

    unit_row = widgets.HBox([controls["i"], controls["j"]], layout=widgets.Layout(flex_flow="row wrap"))
    return ViewWidget(controls, [view], layout=widgets.VBox([controls["layer"], unit_row]),
                      on_change=fit_unit_range)
