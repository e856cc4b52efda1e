"""MaxPool2D and AvgPool2D layers: shapes, naive == fast, gradient checks, errors, repr."""
import numpy as np
import pytest

from cnnlib.functional import avgpool2d, maxpool2d
from cnnlib.gradcheck import check_layer
from cnnlib.layers import AvgPool2D, MaxPool2D

RNG = np.random.default_rng(0)
LAYERS = [(MaxPool2D, maxpool2d), (AvgPool2D, avgpool2d)]


@pytest.mark.parametrize("Layer, function", LAYERS, ids=["max", "avg"])
def test_forward_matches_functional_and_output_shape(Layer, function):
    x = RNG.standard_normal((2, 3, 7, 6)).astype(np.float32)
    layer = Layer((3, 2), stride=(2, 1), padding=(1, 0))
    out = layer(x)
    np.testing.assert_array_equal(out, function(x, (3, 2), (2, 1), (1, 0)))
    assert out.dtype == np.float32
    assert out.shape[1:] == layer.output_shape((3, 7, 6)) == (3, 4, 5)
    assert Layer(2).output_shape((32, 26, 26)) == (32, 13, 13)
    assert Layer(2).num_params() == 0 and Layer(2).params == {}


@pytest.mark.parametrize("Layer", [MaxPool2D, AvgPool2D])
def test_naive_equals_fast_with_ties(Layer):
    x = RNG.integers(0, 3, size=(2, 2, 6, 7)).astype(np.float64)
    fast, naive = Layer(3, stride=2, padding=1), Layer(3, stride=2, padding=1, impl="naive")
    np.testing.assert_allclose(fast(x), naive(x), rtol=1e-12)
    dout = RNG.standard_normal(fast(x).shape)
    np.testing.assert_allclose(fast.backward(dout), naive.backward(dout), rtol=1e-12)


@pytest.mark.parametrize("impl", ["fast", "naive"])
@pytest.mark.parametrize("Layer", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1)])
def test_gradient_check(Layer, impl, kwargs):
    x = (np.random.default_rng(1).permutation(2 * 2 * 6 * 5) * 0.1).reshape(2, 2, 6, 5)  # no ties
    report = check_layer(Layer(**kwargs, impl=impl), x)
    assert report.passed(1e-6), str(report)


def test_requires_input_grad_false():
    layer = MaxPool2D(2)
    layer.requires_input_grad = False
    out = layer(np.ones((1, 1, 4, 4)))
    assert layer.backward(np.ones_like(out)) is None


@pytest.mark.parametrize("Layer", [MaxPool2D, AvgPool2D])
def test_errors(Layer):
    name = Layer.__name__
    layer = Layer(2)
    with pytest.raises(RuntimeError, match=rf"{name}.backward\(\) was called before forward\(\)"):
        layer.backward(np.ones((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=rf"{name} expects a 4-D input .* got shape \(4, 4\).*x\[None, None\]"):
        layer(np.ones((4, 4)))
    with pytest.raises(ValueError, match=r"kernel 2 is larger than the padded input 1 \+ 0 \+ 0 = 1"):
        layer(np.ones((1, 1, 1, 5)))
    layer(np.ones((1, 1, 4, 4)))  # a forward pass, so backward has a cache to check dout against
    with pytest.raises(ValueError, match=r"got dout of shape \(1, 1, 4, 4\), expected \(1, 1, 2, 2\)"):
        layer.backward(np.ones((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=rf"{name} padding must be at most kernel_size // 2 = 1 along the height, "
                                         r"got padding=2"):
        Layer(2, padding=2)
    with pytest.raises(ValueError, match=r"padding must be >= 0 in each direction, got -1"):
        Layer(2, padding=-1)
    with pytest.raises(ValueError, match=r"stride must be >= 1 in each direction, got 0"):
        Layer(2, stride=0)
    with pytest.raises(TypeError, match=r"padding must be an int or a pair of ints, got the string 'same'.*numeric"):
        Layer(3, padding="same")
    with pytest.raises(ValueError, match=r"impl must be one of"):
        Layer(2, impl="numba")
    with pytest.raises(ValueError, match=r"output_shape\(\) expects one sample's shape \(C, H, W\)"):
        layer.output_shape((4, 4))


def test_repr_shows_non_default_arguments():
    assert repr(MaxPool2D(2)) == "MaxPool2D(kernel_size=2)"
    assert repr(MaxPool2D(2, stride=2)) == "MaxPool2D(kernel_size=2)"
    assert repr(AvgPool2D((3, 2), stride=1, padding=1, impl="naive")) == (
        "AvgPool2D(kernel_size=(3, 2), stride=1, padding=1, impl='naive')")
