"""Issue 14, corrections 2 and 7: numbers and behaviours the corrected lessons state.

* Lesson 02: Keras/TensorFlow's ``padding='same'`` at stride S gives ⌈H/S⌉ outputs, padding
  ``max((H_out - 1)·S + K_eff - H, 0)`` with the odd pixel after; PyTorch's (and cnnlib's) raises
  for a stride > 1, and the error names Keras' rule and the per-side workaround.
* Lessons 09 and 10: a layer is numbered by its index in ``model.layers`` (the ``#`` of
  ``model.summary()``) in both widgets, their menus, titles and messages.
"""
import math
import re

import numpy as np
import pytest

from cnnlib.demos.feature_maps import layer_outputs
from cnnlib.layers import Conv2D
from cnnlib.networks import cifar_cnn, fashion_mnist_cnn
from cnnlib.shapes import conv_output_size, keras_same_padding, receptive_field, same_padding
from cnnlib.widgets import feature_map_view, feature_map_widget, receptive_field_view, receptive_field_widget

# -- correction 2: 'same' with a stride ------------------------------------------------------------------------


def _tf_same(h, k, s, d):
    """TensorFlow's rule written out independently: windows start every S pixels from -before."""
    k_eff = d * (k - 1) + 1
    out = math.ceil(h / s)
    total = max((out - 1) * s + k_eff - h, 0)
    return out, (total // 2, total - total // 2)


@pytest.mark.parametrize("s", [1, 2, 3, 4])
@pytest.mark.parametrize("d", [1, 2, 3])
def test_keras_same_gives_ceil_h_over_s_outputs_by_brute_force(s, d):
    for h in range(1, 40):
        for k in range(1, 8):
            before, after = keras_same_padding(h, k, stride=s, dilation=d)
            k_eff = d * (k - 1) + 1
            # count the window positions on the padded axis by hand
            starts = [p for p in range(0, h + before + after) if p + k_eff <= h + before + after][::s]
            assert len(starts) == math.ceil(h / s) == conv_output_size(h, k, s, pads=(before, after), dilation=d)
            assert (math.ceil(h / s), (before, after)) == _tf_same(h, k, s, d)
            assert 0 <= after - before <= 1  # the odd pixel goes after (bottom/right)
            if before + after:  # the least padding that gives ceil(H/S): one pixel less loses the last window
                assert (h + before + after - 1 - k_eff) // s + 1 < math.ceil(h / s)
            # every window touches the real input (no window lies wholly in the padding)
            assert all(p + k_eff > before and p < before + h for p in starts)


def test_keras_same_at_stride_1_is_pytorchs_same():
    for k in range(1, 8):
        for d in (1, 2, 3):
            for h in (1, 5, 28):
                assert keras_same_padding(h, k, 1, d) == same_padding(k, d)


def test_lesson_02_worked_examples():
    assert keras_same_padding(7, 3, stride=2) == (1, 1)  # ceil(7/2) = 4: (4-1)*2 + 3 - 7 = 2
    assert conv_output_size(7, 3, stride=2, pads=(1, 1)) == 4
    assert keras_same_padding(8, 3, stride=2) == (0, 1)  # ceil(8/2) = 4: (4-1)*2 + 3 - 8 = 1
    assert conv_output_size(8, 3, stride=2, pads=(0, 1)) == 4
    strided = Conv2D(1, 1, kernel_size=3, stride=2, padding=((0, 1), (0, 1)), seed=0)
    assert strided(np.ones((1, 1, 8, 8))).shape == (1, 1, 4, 4)


@pytest.mark.parametrize("bad, error, match", [
    (dict(size=0, kernel_size=3), ValueError, r"size must be >= 1.*got 0"),
    (dict(size=7, kernel_size=0), ValueError, r"kernel_size must be >= 1.*got 0"),
    (dict(size=7, kernel_size=3, stride=0), ValueError, r"stride must be >= 1.*got 0"),
    (dict(size=7, kernel_size=3, dilation=0), ValueError, r"dilation must be >= 1.*got 0"),
    (dict(size=7.5, kernel_size=3), TypeError, r"size must be an int.*7\.5"),
])
def test_keras_same_padding_rejects_bad_input(bad, error, match):
    with pytest.raises(error, match=match):
        keras_same_padding(**bad)


def test_cnnlib_same_follows_pytorch_and_the_error_gives_keras_rule_and_the_workaround():
    with pytest.raises(ValueError) as err:
        Conv2D(1, 1, kernel_size=3, stride=2, padding="same")
    msg = str(err.value)
    assert "requires stride 1, got stride=2" in msg and "PyTorch" in msg
    assert "Keras/TensorFlow" in msg and "ceil(H/S)" in msg and "max((H_out - 1)*S + K_eff - H, 0)" in msg
    assert "keras_same_padding" in msg and "padding=((top, bottom), (left, right))" in msg and "pads=" in msg
    with pytest.raises(ValueError, match="keras_same_padding"):
        conv_output_size(7, 3, 2, "same")


# -- correction 7: one layer numbering, the model.layers index --------------------------------------------------

FASHION = fashion_mnist_cnn(seed=0)
IMAGES = np.random.default_rng(0).random((3, 1, 28, 28)).astype(np.float32)


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 5])
def test_feature_map_view_for_layer_k_draws_model_layers_k(k):
    view = feature_map_view(FASHION, IMAGES, 1, layer=k)
    np.testing.assert_allclose(view.maps, FASHION.layers[k].forward(
        _forward_to(FASHION, IMAGES[1:2], k))[0], rtol=1e-5, atol=1e-6)
    name = type(FASHION.layers[k]).__name__
    assert re.search(rf'<text [^>]*font-weight="bold"[^>]*>layer {k} · {name}\(', view.svg)  # the title
    assert view.layer == k and view.layer_name == name


def _forward_to(model, x, k):
    """The input of model.layers[k], computed independently of layer_outputs."""
    for layer in model.layers[:k]:
        x = layer.forward(x)
    return x


def test_lesson_09_numbers_layer_1_and_4_as_the_two_relus():
    names = [type(layer).__name__ for layer in FASHION.layers]
    assert names[:6] == ["Conv2D", "ReLU", "MaxPool2D", "Conv2D", "ReLU", "MaxPool2D"]
    rows = FASHION.summary((1, 28, 28)).rows
    assert [rows[i][0] for i in (1, 4)] == ["ReLU", "ReLU"]  # the summary's # column, 0-based
    box = feature_map_widget(FASHION, IMAGES, layer=1)
    assert dict((v, label) for label, v in box.controls["layer"].options)[4] == "4 · ReLU → 64×11×11"
    assert layer_outputs(FASHION, IMAGES[0])[4].shape == (64, 11, 11)


def test_receptive_field_widget_offers_exactly_the_spatial_layers_by_model_layers_index():
    model = cifar_cnn()
    spatial = [i for i, layer in enumerate(model.layers[:8]) if receptive_field([layer])]
    assert spatial == [0, 2, 3, 5, 6]
    box = receptive_field_widget(layer=6, i=2, j=1)
    assert [v for _, v in box.controls["layer"].options] == spatial
    for label, v in box.controls["layer"].options:
        assert label.startswith(f"{v} · {type(model.layers[v]).__name__}")


def test_lesson_10_receptive_field_numbers():
    model = cifar_cnn()
    rows = receptive_field(model.layers[:8], input_size=(32, 32))
    assert [(rf.index, rf.size[0], rf.jump[0]) for rf in rows] == [(0, 3, 1), (2, 4, 2), (3, 8, 2), (5, 10, 4),
                                                                   (6, 18, 4)]
    view = receptive_field_view(layer=6, i=2, j=1)  # the lesson's static picture: the last conv
    assert view.input_region == ((8, 26), (4, 22))
    assert view.message.startswith("unit (2, 1) of layer 6 · Conv2D 3×3: receptive field 18×18")
    assert "unit (2, 1) of layer 6 sees 18×18 input pixels" in view.svg  # the figure's title
    assert ">6 · Conv2D 3×3<" in view.svg  # and its table names layer 6 by its model.layers index
    # "move a unit one step right": 1 pixel for layer 0 (first conv), 4 (the jump) for layer 6 (last conv)
    for layer, jump in ((0, 1), (6, 4)):
        a = receptive_field_view(layer=layer, i=1, j=1).layout.rf
        left = [receptive_field_view(layer=layer, i=1, j=c).input_region[1][0] for c in (1, 2)]
        assert a.jump[1] == jump and left[1] - left[0] == jump
    # "how many units of layer 3 feed one unit of layer 6": a 6×6 block of conv 2's 13×13 output
    lay = receptive_field_view(layer=6, i=2, j=1).layout
    (t, b), (l, r) = lay.regions[lay.indices.index(3)]
    assert (b - t, r - l) == (6, 6)
    with pytest.raises(ValueError, match=r"layer 1 is ReLU.*choose one of \[0, 2, 3, 5, 6\]"):
        receptive_field_view(layer=1)


def test_lesson_02_keras_exercise_and_its_diagnosis():
    from cnnlib.exercises.output_size import check_same_padding
    assert keras_same_padding(10, 3, stride=2) == (0, 1)  # ceil(10/2) = 5: (5-1)*2 + 3 - 10 = 1
    assert check_same_padding(3, (0, 1), size=10, stride=2)
    assert "stride-1 'same' padding" in check_same_padding(3, (1, 1), size=10, stride=2).message
