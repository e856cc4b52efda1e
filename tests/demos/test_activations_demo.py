import numpy as np
import pytest

from cnnlib.demos.activations import (activation_curve, activation_curves, gradient_through_depth,
                                      gradients_through_depth, saturated_ranges)


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
