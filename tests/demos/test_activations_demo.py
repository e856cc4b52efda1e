import numpy as np
import pytest

from cnnlib.demos.activations import (activation_curve, activation_curves, gradient_through_depth,
                                      gradients_through_depth, saturated_ranges)
from cnnlib.layers import Dense


@pytest.mark.parametrize("name, x, f, df", [
    ("relu", [-2.0, 3.0], [0, 3], [0, 1]),
    ("leaky_relu", [-2.0, 3.0], [-0.2, 3], [0.1, 1]),
    ("sigmoid", [0.0], [0.5], [0.25]),
    ("tanh", [0.0], [0.0], [1.0]),
])
def test_activation_curves_come_from_the_layers(name, x, f, df):
    y, dy = activation_curve(name, x)
    np.testing.assert_allclose(y, f)
    np.testing.assert_allclose(dy, df)


def test_saturated_ranges_are_the_runs_below_the_threshold():
    assert saturated_ranges([0, 1, 2, 3, 4], [0.0, 1.0, 0.0, 0.0, 1.0]) == [(0.0, 0.0), (2.0, 3.0)]
    assert saturated_ranges([0, 1], [1.0, 1.0]) == []
    assert saturated_ranges([0, 1], [0.0, 0.0]) == [(0.0, 1.0)]


def test_sigmoid_saturates_beyond_about_three():
    # σ'(x) = σ(1 − σ) = 0.05 where σ = (1 + √0.8)/2, i.e. x = ln(σ/(1 − σ)) ≈ 2.89
    edge = np.log((1 + np.sqrt(0.8)) / (1 - np.sqrt(0.8)))
    x = np.linspace(-6, 6, 481)
    ranges = saturated_ranges(x, activation_curve("sigmoid", x)[1])
    assert len(ranges) == 2
    assert ranges[0][0] == -6 and ranges[0][1] == pytest.approx(-edge, abs=0.03)
    assert ranges[1][1] == 6 and ranges[1][0] == pytest.approx(edge, abs=0.03)
    with pytest.raises(ValueError, match="unknown activation"):
        activation_curve("swish", x)


def test_curves_shade_only_the_saturating_activations():
    curves = {c.name: c for c in activation_curves()}
    assert list(curves) == ["relu", "sigmoid", "tanh", "leaky_relu"]
    assert curves["relu"].saturated == [] and curves["leaky_relu"].saturated == []
    assert len(curves["tanh"].saturated) == 2 and curves["tanh"].x.shape == (481,)


def test_sigmoid_gradients_shrink_through_depth_and_relu_ones_do_not():
    sig, relu = gradient_through_depth("sigmoid", 10), gradient_through_depth("relu", 10)
    assert np.all(np.diff(sig) > 0)  # larger near the top (layer 10), smaller towards the input
    assert sig[-1] / sig[0] > 4 ** 9 / 10  # σ' ≤ 1/4: at least about 4× per layer
    assert relu[-1] / relu[0] < 10
    assert set(gradients_through_depth(("tanh", "relu"), 3)) == {"tanh", "relu"}
    with pytest.raises(ValueError, match="unknown activation"):
        gradient_through_depth("swish")


def test_gain_scales_the_weights_and_wrt_measures_the_weight_gradients():
    he, lecun = gradient_through_depth("relu", 10), gradient_through_depth("relu", 10, gain=1.0)
    assert np.array_equal(he, gradient_through_depth("relu", 10, gain=2.0))  # 2 is He: the default draws
    assert lecun[-1] / lecun[0] > 5 > he[-1] / he[0]  # variance 1/fan_in: ReLU halves the signal every layer
    # Dense(64) and ReLU by hand: the weight gradients of the last and the first block
    rng = np.random.default_rng(0)
    blocks = [Dense(64, 64, dtype=np.float64, seed=d) for d in range(3)]
    h, inputs = rng.standard_normal((32, 64)), []
    for dense in blocks:
        inputs.append(h)
        h = np.maximum(h @ dense.params["W"] + dense.params["b"], 0)  # x W + b, then ReLU
    grad, dW = np.ones_like(h), []
    for dense, x_in in zip(reversed(blocks), reversed(inputs)):
        dz = grad * (x_in @ dense.params["W"] + dense.params["b"] > 0)
        dW.insert(0, x_in.T @ dz)
        grad = dz @ dense.params["W"].T
    rms = np.sqrt([np.mean(g ** 2) for g in dW])
    assert np.allclose(gradient_through_depth("relu", 3, wrt="W"), rms)
    sig_W = gradient_through_depth("sigmoid", 10, wrt="W")
    assert sig_W[-1] / sig_W[0] > gradient_through_depth("sigmoid", 10)[-1] / gradient_through_depth("sigmoid", 10)[0]


@pytest.mark.parametrize("kwargs, error", [
    ({"gain": 0}, ValueError), ({"gain": True}, TypeError), ({"wrt": "b"}, ValueError), ({"depth": 0}, ValueError),
])
def test_bad_gradient_through_depth_arguments_are_named(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        gradient_through_depth("relu", **kwargs)
