"""Sequential.summary: shapes and parameter counts of the course's two networks, the table, errors."""
import re

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.layers import BatchNorm2D, Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.summary import Summary


def mnist_net():
    """The seed-000 network for 1x28x28 images."""
    return Sequential([
        Conv2D(1, 32, 3), ReLU(), MaxPool2D(2),
        Conv2D(32, 64, 3), MaxPool2D(2),
        Flatten(), Dense(1600, 128), ReLU(), Dense(128, 10),
    ])


def cifar_net():
    """The theory seed's network for 3x32x32 images (Keras' activations folded into the layers)."""
    return Sequential([
        Conv2D(3, 32, 3), MaxPool2D(2), Conv2D(32, 64, 3), MaxPool2D(2), Conv2D(64, 64, 3),
        Flatten(), Dense(1024, 64), Dense(64, 10),
    ])


def test_mnist_net_shapes_and_params():
    s = mnist_net().summary((1, 28, 28))
    # Conv: C_out * (C_in * KH * KW + 1); Dense: in * out + out.
    assert s.rows == [
        ("Conv2D", (32, 26, 26), 32 * (1 * 9 + 1)),
        ("ReLU", (32, 26, 26), 0),
        ("MaxPool2D", (32, 13, 13), 0),
        ("Conv2D", (64, 11, 11), 64 * (32 * 9 + 1)),
        ("MaxPool2D", (64, 5, 5), 0),
        ("Flatten", (1600,), 0),
        ("Dense", (128,), 1600 * 128 + 128),
        ("ReLU", (128,), 0),
        ("Dense", (10,), 128 * 10 + 10),
    ]
    assert [n for *_, n in s.rows if n] == [320, 18_496, 204_928, 1_290]
    assert s.total_params == s.trainable_params == 225_034 == mnist_net().num_params()
    assert s.output_shape == (10,)


def test_cifar_net_shapes_and_params():
    s = cifar_net().summary((3, 32, 32))
    assert [shape for _, shape, _ in s.rows] == [
        (32, 30, 30), (32, 15, 15), (64, 13, 13), (64, 6, 6), (64, 4, 4), (1024,), (64,), (10,)]
    assert [n for *_, n in s.rows if n] == [896, 18_496, 36_928, 65_600, 650]
    assert s.total_params == 122_570


def test_summary_matches_a_real_forward_pass():
    model = mnist_net()
    x = np.zeros((2, 1, 28, 28), dtype=np.float32)
    shapes = []
    for layer in model:
        x = layer(x)
        shapes.append(x.shape[1:])
    assert shapes == [shape for _, shape, _ in model.summary((1, 28, 28)).rows]


def test_text_table():
    text = str(mnist_net().summary((1, 28, 28)))
    lines = text.splitlines()
    assert lines[0] == "Input shape: (None, 1, 28, 28)"
    header = next(line for line in lines if "Layer (type)" in line)
    assert re.search(r"Layer \(type\)\s+Output Shape\s+Param #", header)
    assert re.search(r"^\s*0  Conv2D\s+\(None, 32, 26, 26\)\s+320$", text, re.M)
    assert re.search(r"^\s*6  Dense\s+\(None, 128\)\s+204,928$", text, re.M)
    assert lines[-2:] == ["Total params: 225,034", "Trainable params: 225,034"]
    assert repr(mnist_net().summary((1, 28, 28))) == text


def test_html_table_for_notebooks():
    html = mnist_net().summary((1, 28, 28))._repr_html_()
    assert html.count("<tr>") == 1 + 9, "a header row and one row per layer"
    assert "<td style='text-align:right'>204,928</td>" in html and "(None, 64, 5, 5)" in html
    assert "Total params: 225,034" in html


def test_buffers_are_counted_apart_from_params():
    s = Sequential([Conv2D(1, 4, 3), BatchNorm2D(4)]).summary((1, 8, 8))
    assert s.rows[1] == ("BatchNorm2D", (4, 6, 6), 8)
    assert s.buffers == 8 and s.total_params == 40 + 8
    assert str(s).splitlines()[-1] == "Buffers (running statistics, not trained): 8"


def test_a_shape_error_names_the_layer():
    model = cifar_net()
    model.layers[6] = Dense(1600, 64)
    with pytest.raises(ValueError, match=r"^layer 6 \(Dense\) cannot take input shape \(1024,\): .*1024"):
        model.summary((3, 32, 32))


def test_a_batch_axis_in_input_shape_gets_a_hint():
    with pytest.raises(ValueError, match=r"layer 0 \(Conv2D\) cannot take input shape \(8, 1, 28, 28\).*batch axis"):
        mnist_net().summary((8, 1, 28, 28))
    with pytest.raises(ValueError, match=r"layer 0 \(Dense\) cannot take input shape \(8, 4\) "
                                         r"\(input_shape is one sample's shape, without the batch axis\)"):
        Sequential([Dense(4, 2)]).summary((8, 4))


@pytest.mark.parametrize("bad", ["28x28", (1, 0, 28), (1.0, 28, 28), None])
def test_bad_input_shape(bad):
    with pytest.raises(TypeError, match=r"input_shape must be a tuple of positive ints.*e\.g\. \(1, 28, 28\)"):
        mnist_net().summary(bad)


def test_empty_model_and_an_int_shape():
    s = Summary([], 784)
    assert s.rows == [] and s.total_params == 0 and s.output_shape == (784,)
