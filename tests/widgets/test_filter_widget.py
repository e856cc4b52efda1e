import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.functional import conv2d
from cnnlib.image_filters import get_kernel
from cnnlib.widgets import KernelInput, filter_view, filter_widget
from cnnlib.widgets.filters import CUSTOM, SCALE_OPTIONS

IMAGE = np.random.default_rng(0).random((24, 20)).astype(np.float32)
NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name, stride, padding, shape", [
    ("sobel_x", 1, 1, (1, 1, 24, 20)),
    ("gaussian", 2, 0, (1, 1, 11, 9)),
    ("laplacian", 3, "same", None),
])
def test_view_feature_map_is_cnnlibs_convolution(name, stride, padding, shape):
    if padding == "same":
        with pytest.raises(ValueError, match="stride 1"):
            filter_view(name, stride, padding, image=IMAGE)
        return
    view = filter_view(name, stride, padding, image=IMAGE)
    expected = conv2d(IMAGE[None, None].astype(np.float64), get_kernel(name, np.float64)[None, None],
                      stride=stride, padding=padding)[0, 0]
    assert view.output_shape == shape
    np.testing.assert_allclose(view.feature_map, expected, atol=1e-5)
    np.testing.assert_array_equal(view.kernel, get_kernel(name))


def test_custom_kernel_and_relu():
    kernel = np.array([[0, 0, 0], [0, 0, 1], [0, 0, 0]])  # shift left by one pixel
    view = filter_view(kernel, 1, 0, relu=False, image=IMAGE)
    np.testing.assert_allclose(view.feature_map, IMAGE[1:-1, 2:])
    relu = filter_view("sobel_x", image=IMAGE, relu=True)
    assert relu.feature_map.min() == 0


def test_default_image_is_the_sample_photo():
    assert filter_view("identity").output_shape == (1, 1, 150, 128)


def test_widget_menu_boxes_and_sliders_stay_in_sync():
    box = filter_widget(image=IMAGE)
    kernel = box.controls["kernel"]
    menu, boxes = kernel.menu, kernel.boxes
    first = box.panel.svg.value
    assert first.startswith("<svg") and box.panel.image.layout.display == "none"  # drawn as SVG, not a PNG
    menu.value = "gaussian"
    assert kernel.value == "gaussian"
    assert [b.value for b in boxes] == pytest.approx(get_kernel("gaussian").ravel().tolist())
    assert box.panel.svg.value != first
    boxes[0].value = 2.0  # editing a weight switches the menu to custom
    assert menu.value == CUSTOM and kernel.value == (2.0,) + tuple(get_kernel("gaussian").ravel().tolist()[1:])
    box.controls["stride"].value = 2
    assert "output (1, 1, 12, 10)" in box.panel.message.value
    menu.value = "sobel_y"
    assert boxes[1].value == -2.0 and kernel.value == "sobel_y"


def test_setting_the_kernel_value_updates_menu_and_boxes():
    kernel = KernelInput("sobel_x")
    kernel.value = "laplacian"
    assert kernel.menu.value == "laplacian" and kernel.weights() == tuple(get_kernel("laplacian").ravel().tolist())
    kernel.value = tuple(range(9))
    assert kernel.menu.value == CUSTOM and [b.value for b in kernel.boxes] == list(range(9))
    kernel.menu.value = "identity"
    kernel.boxes[4].value = 1.0  # a box set to the value it has: still the named kernel
    assert kernel.value == "identity"


def test_the_widget_builds_no_layer_when_a_slider_moves(monkeypatch):
    import cnnlib.demos.filters as filters

    box = filter_widget(image=IMAGE)
    built = []
    monkeypatch.setattr(filters, "Conv2D", lambda *a, **k: built.append(a))
    box.controls["kernel"].value = "sharpen"
    box.controls["relu"].value = True
    assert built == [] and "output (1, 1, 24, 20)" in box.panel.message.value


def test_colour_scale_buttons_switch_fixed_and_stretched_without_changing_the_figure_size():
    box = filter_widget(image=IMAGE)
    scale = box.controls["scale"]
    assert scale.value == "fixed" and dict(scale.options) == {"fixed (same for every kernel)": "fixed",
                                                              "per map (stretched)": "stretched"}
    sizes = set()
    for kernel in ("identity", "brighten", "sobel_x"):
        for setting in ("fixed", "stretched"):
            view = filter_view(kernel, scale=setting, image=IMAGE)
            root = ET.fromstring(view.svg)
            sizes.add((root.get("width"), root.get("height")))
            assert view.scale_text.startswith(setting) and view.scale_text in [t.text for t in root.iter(f"{NS}text")]
    assert len(sizes) == 1  # the figure never changes height (or width) with a setting
    fixed = {k: filter_view(k, scale="fixed", image=IMAGE).scale_text for k in ("identity", "brighten", "darken")}
    assert set(fixed.values()) == {"fixed: gray 0 … 1"}  # one scale: brighten is drawn brighter
    first = box.panel.svg.value
    box.controls["kernel"].value = "brighten"
    scale.value = "stretched"
    assert box.panel.svg.value != first and "weights sum to 2" in box.panel.message.value
    with pytest.raises(ValueError, match="scale must be one of"):
        filter_view("identity", scale="log", image=IMAGE)


@pytest.mark.parametrize("kernel", ["identity", "brighten", "sobel_x", "laplacian", "gaussian"])
def test_each_scale_buttons_label_agrees_with_the_maps_caption(kernel):
    """The button names the mode the caption names, and no range the caption might contradict (issue 13)."""
    for label, value in SCALE_OPTIONS:
        for relu in (False, True):
            caption = filter_view(kernel, relu=relu, scale=value, image=IMAGE).scale_text
            mode = caption.split(":")[0]
            assert mode == value and mode in label, (label, caption)
            assert not any(ch.isdigit() for ch in label), label  # the limits are in the caption and on the bar
            assert not [r for r in ("0…1", "0 … 1", "±", "−1") if r in label]


def test_message_gives_the_weight_sum_and_the_brightness_it_causes():
    view = filter_view("brighten", padding=1, image=IMAGE)
    assert f"weights sum to 2; mean value: input {IMAGE.mean():.2f}, feature map {2 * IMAGE.mean():.2f}" in view.message
    assert "brighten" in box_menu_options()


def box_menu_options():
    return KernelInput("sobel_x").menu.options
