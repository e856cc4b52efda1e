import base64
import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from cnnlib.demos.feature_maps import layer_outputs, tile_channels
from cnnlib.networks import fashion_mnist_cnn
from cnnlib.widgets import feature_map_view, feature_map_widget

MODEL = fashion_mnist_cnn(seed=0)
IMAGES = np.random.default_rng(0).random((5, 1, 28, 28)).astype(np.float32)
LABELS = np.array([0, 1, 2, 3, 4])
CLASSES = tuple("abcdefghij")
NS = "{http://www.w3.org/2000/svg}"


def _mosaic_shape(svg: str) -> tuple:
    """``(rows, cols)`` pixels of the mosaic PNG embedded in the figure."""
    data = list(ET.fromstring(svg).iter(f"{NS}image"))[1].get("href").removeprefix("data:image/png;base64,")
    with Image.open(io.BytesIO(base64.b64decode(data))) as im:
        return im.height, im.width


@pytest.mark.parametrize("index, layer", [(0, 0), (3, 2), (4, 5)])
def test_view_draws_that_layers_output_for_that_image(index, layer):
    view = feature_map_view(MODEL, IMAGES, index, layer, LABELS, CLASSES)
    expected = layer_outputs(MODEL, IMAGES[index])[layer]
    np.testing.assert_allclose(view.maps, expected)
    assert _mosaic_shape(view.svg) == tile_channels(expected, 8).shape
    logits = MODEL.predict(IMAGES[index:index + 1])[0]
    assert view.predicted == int(logits.argmax())
    texts = [t.text for t in ET.fromstring(view.svg).iter(f"{NS}text")]
    assert texts[1:5] == [f"test image {index}", f"true: {CLASSES[index]}", "predicted:",
                          f"{CLASSES[view.predicted]} ({view.probability:.0%})"]  # the caption, line by line
    assert f"output {expected.shape}" in view.message
    name = type(MODEL.layers[layer]).__name__
    assert texts[0].startswith(f"layer {layer} · {name}(")  # the title
    assert view.message.startswith(f"layer {layer} · {name}:")


def test_view_refuses_layers_after_flatten_and_bad_indices():
    with pytest.raises(ValueError, match=r"layer 7 does not output feature maps; choose one of \[0, 1, 2, 3, 4, 5\]"):
        feature_map_view(MODEL, IMAGES, 0, 7)
    with pytest.raises(ValueError, match=r"index must be in \[0, 5\), got 5"):
        feature_map_view(MODEL, IMAGES, 5, 0)


def test_widget_controls_redraw_the_panel():
    box = feature_map_widget(MODEL, IMAGES, LABELS, CLASSES)
    image_s, menu = box.controls["index"], box.controls["layer"]
    assert image_s.max == 4 and [v for _, v in menu.options] == [0, 1, 2, 3, 4, 5]
    assert [label for label, _ in menu.options][:4] == ["0 · Conv2D → 32×26×26", "1 · ReLU → 32×26×26",
                                                       "2 · MaxPool2D → 32×13×13", "3 · Conv2D → 64×11×11"]
    first = box.panel.svg.value
    assert first.startswith("<svg") and box.panel.image.layout.display == "none"  # drawn as SVG, not a PNG
    menu.value = 3
    assert "output (64, 11, 11)" in box.panel.message.value
    assert box.panel.svg.value != first
    image_s.value = 2
    assert len(box.cache) == 3


def test_widget_figure_keeps_its_size_for_every_layer():
    box = feature_map_widget(MODEL, IMAGES, LABELS, CLASSES)
    sizes = set()
    for layer in [v for _, v in box.controls["layer"].options]:
        box.controls["layer"].value = layer
        root = ET.fromstring(box.panel.svg.value)
        sizes.add((root.get("width"), root.get("height")))
    assert len(sizes) == 1


@pytest.mark.parametrize("labels, classes, error, words", [
    (np.array([0, -1, 2, 3, 4]), CLASSES, ValueError, "got label -1 at index 1"),  # would caption "j"
    (np.array([0, 1.5, 2, 3, 4]), CLASSES, TypeError, "integer class indices"),
    (np.array([0, 1, 2]), CLASSES, ValueError, "one label per image"),
    (LABELS, CLASSES[:5], ValueError, "got 5 class names, but the model scores 10 classes"),
])
def test_view_refuses_labels_or_classes_it_would_caption_wrongly(labels, classes, error, words):
    with pytest.raises(error, match=re.escape(words)):
        feature_map_view(MODEL, IMAGES, 1, 0, labels, classes)
