"""The feature-map explorer: pick a test image and a layer, see every channel that layer produces.

Layers are numbered by their index in ``model.layers``, the ``#`` column of
``model.summary()``; the menu, title and message write ``"4 · ReLU"``. The
figure is SVG (:func:`cnnlib.viz.feature_maps.draw_layer_channels_svg`): text
at least 18 px, one size for every layer, a few milliseconds to draw.

>>> view = feature_map_view(model, x_test, index=0, layer=0, labels=y_test, classes=FASHION_MNIST_CLASSES)
>>> view.maps.shape          # the first Conv2D's 32 maps of 26×26
(32, 26, 26)
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from .._checks import check_labels, check_numeric
from ..demos.feature_maps import layer_outputs, layer_outputs_cache, spatial_layer_labels, spatial_layers
from ..layers import Softmax
from ..viz.feature_maps import draw_layer_channels_svg
from .view_widget import ViewWidget


@dataclass(frozen=True)
class FeatureMapView:
    """What the explorer drew (SVG): the image, the layer's ``(C, H, W)`` maps, and the model's prediction."""

    svg: str
    image: np.ndarray
    maps: np.ndarray
    layer: int
    layer_name: str
    predicted: int
    probability: float
    message: str


def _check_choice(images, index: int, layer: int, allowed: list[int]) -> None:
    if not 0 <= index < len(images):
        raise ValueError(f"index must be in [0, {len(images)}), got {index}.")
    if layer not in allowed:
        raise ValueError(f"layer {layer} does not output feature maps; choose one of {allowed} "
                         "(the layers before Flatten, numbered by their index in model.layers: "
                         "the # column of model.summary()).")


def _check_labels_and_classes(labels, classes, n: int, k: int) -> None:
    """The caption's labels ``(n,)`` must be class indices in ``[0, k)`` and ``classes`` must name ``k`` classes:
    a label -1 would caption the image with the last class's name."""
    if classes is not None and len(classes) != k:
        raise ValueError(f"feature_map_view got {len(classes)} class names, but the model scores {k} classes. "
                         "Hint: pass the class names of the model's dataset, e.g. FASHION_MNIST_CLASSES.")
    if labels is not None:
        labels = check_numeric(labels, "labels")
        if labels.shape != (n,):
            raise ValueError(f"feature_map_view needs one label per image, got labels of shape {labels.shape} for "
                             f"{n} images. Hint: pass y_test with x_test.")
        check_labels(labels, k, "feature_map_view")


def feature_map_view(model, images, index: int = 0, layer: int = 0, labels=None, classes=None,
                     outputs=None) -> FeatureMapView:
    """Run ``images[index]`` through ``model`` and draw every channel of ``model.layers[layer]``'s output.

    Args:
        model: a trained ``Sequential`` ending in class scores.
        images: ``(N, C, H, W)``, e.g. the test images.
        index: which image (default 0).
        layer: the index in ``model.layers`` (the ``#`` column of ``model.summary()``) of the layer whose
            output is drawn (must be before ``Flatten``; default 0).
        labels, classes: optional true labels ``(N,)`` and class names, for the caption.
        outputs: ``layer_outputs(model, images[index])`` if already computed (the widget keeps them).

    The figure has the same size for every layer; ``cnnlib.viz.show(feature_map_view(...))`` shows it
    as a still picture.
    """
    allowed = spatial_layers(model, images.shape[1:])
    _check_choice(images, index, layer, allowed)
    outs = outputs if outputs is not None else layer_outputs(model, images[index])
    probs = Softmax()(outs[-1][None])[0]  # class probabilities
    _check_labels_and_classes(labels, classes, len(images), len(probs))
    pred = int(probs.argmax())
    name = lambda c: classes[c] if classes is not None else str(c)  # noqa: E731
    caption = f"test image {index}"
    if labels is not None:
        caption += f"\ntrue: {name(int(labels[index]))}"
    caption += f"\npredicted:\n{name(pred)} ({probs[pred]:.0%})"
    maps = outs[layer]
    lyr = model.layers[layer]
    title = f"layer {layer} · {lyr!r} → {maps.shape[0]} channels of {maps.shape[1]}×{maps.shape[2]}"
    svg = draw_layer_channels_svg(images[index], maps, title=title, caption=caption)
    message = (f"layer {layer} · {type(lyr).__name__}: output {maps.shape}, "
               f"{int((maps.reshape(len(maps), -1).max(axis=1) <= 0).sum())} of {len(maps)} channels all ≤ 0")
    return FeatureMapView(svg, np.asarray(images[index]), maps, layer, type(lyr).__name__, pred,
                          float(probs[pred]), message)


def feature_map_widget(model, images, labels=None, classes=None, index: int = 0, layer: int = 0) -> ViewWidget:
    """An image slider and a layer menu driving :func:`feature_map_view`.

    The forward pass runs once per image (:func:`~cnnlib.demos.feature_maps.layer_outputs_cache`): build
    the widget after training.

    The menu lists the layers before ``Flatten`` as ``"index · name → C×H×W"``, with their ``model.layers``
    index (the ``#`` column of ``model.summary()``).
    """
    controls = {
        "index": widgets.IntSlider(value=index, min=0, max=len(images) - 1, description="test image",
                                   style={"description_width": "80px"}, layout=widgets.Layout(width="420px")),
        "layer": widgets.Dropdown(options=spatial_layer_labels(model, images.shape[1:]), value=layer,
                                  description="layer", style={"description_width": "80px"},
                                  layout=widgets.Layout(width="420px")),
    }
    forward = layer_outputs_cache(model, images)  # one forward pass per image

    def view(index: int, layer: int) -> FeatureMapView:
        return feature_map_view(model, images, index, layer, labels, classes, outputs=forward(index))

    return ViewWidget(controls, [view], layout=widgets.VBox(list(controls.values())))
