"""Conv2D layer: init, shapes, naive == fast, gradient checks, requires_input_grad, errors, repr."""
import numpy as np
import pytest

from cnnlib.functional import conv2d
from cnnlib.gradcheck import check_layer
from cnnlib.layers import Conv2D

RNG = np.random.default_rng(0)


def test_he_init_shapes_dtype_and_seed():
    layer = Conv2D(16, 64, 3, seed=1)
    W = layer.params["W"]
    assert W.shape == (64, 16, 3, 3) and W.dtype == np.float32
    assert abs(W.std() - np.sqrt(2 / (16 * 9))) < 0.003  # fan_in = C_in * KH * KW
    np.testing.assert_array_equal(layer.params["b"], np.zeros(64))
    np.testing.assert_array_equal(W, Conv2D(16, 64, 3, seed=1).params["W"])
    assert Conv2D(1, 2, (2, 3), dtype=np.float64).params["W"].shape == (2, 1, 2, 3)
    assert Conv2D(1, 2, 3, dtype=np.float64).params["W"].dtype == np.float64
    assert set(Conv2D(1, 2, 3, bias=False).params) == {"W"}
    assert Conv2D(1, 32, 3).num_params() == 32 * 9 + 32


def test_forward_is_the_functional_conv_and_output_shape_agrees():
    layer = Conv2D(3, 4, (3, 2), stride=(2, 1), padding=1, dilation=(1, 2), seed=0)
    layer.params["b"][...] = RNG.standard_normal(4)
    x = RNG.standard_normal((2, 3, 9, 8)).astype(np.float32)
    out = layer(x)
    expected = conv2d(x, layer.params["W"], layer.params["b"], (2, 1), 1, (1, 2))
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert out.shape[1:] == layer.output_shape((3, 9, 8)) == (4, 5, 8)


@pytest.mark.parametrize("kernel_size, dilation, pads", [(3, 1, ((1, 1), (1, 1))), (4, 1, ((1, 2), (1, 2))),
                                                        ((2, 3), 2, ((1, 1), (2, 2)))])
def test_same_padding_keeps_the_size_extra_pixel_bottom_right(kernel_size, dilation, pads):
    layer = Conv2D(2, 3, kernel_size, padding="same", dilation=dilation, seed=0)
    assert layer.pads == pads
    assert layer(np.ones((1, 2, 7, 6))).shape == (1, 3, 7, 6)
    assert layer.output_shape((2, 7, 6)) == (3, 7, 6)


def test_naive_equals_fast():
    x = RNG.standard_normal((2, 2, 7, 6))
    fast = Conv2D(2, 3, 3, stride=2, padding=((0, 1), (1, 1)), dtype=np.float64, seed=3)
    naive = Conv2D(2, 3, 3, stride=2, padding=((0, 1), (1, 1)), dtype=np.float64, seed=3, impl="naive")
    np.testing.assert_allclose(fast(x), naive(x), rtol=1e-10)
    dout = RNG.standard_normal(fast(x).shape)
    np.testing.assert_allclose(fast.backward(dout), naive.backward(dout), rtol=1e-10)
    for k in ("W", "b"):
        np.testing.assert_allclose(fast.grads[k], naive.grads[k], rtol=1e-10)


@pytest.mark.parametrize("impl", ["fast", "naive"])
@pytest.mark.parametrize("kwargs", [dict(), dict(stride=2, padding=1), dict(padding="same", dilation=2),
                                    dict(kernel_size=(2, 3), bias=False, padding=((1, 0), (0, 2)))])
def test_gradient_check(impl, kwargs):
    args = dict(in_channels=2, out_channels=3, kernel_size=3) | kwargs
    layer = Conv2D(**args, impl=impl, dtype=np.float64, seed=0)
    report = check_layer(layer, np.random.default_rng(1).standard_normal((2, 2, 6, 5)))
    assert set(report.entries) == ({"x", "W", "b"} if layer.bias else {"x", "W"})
    assert report.passed(1e-6), str(report)


@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_requires_input_grad_false_skips_dx_but_fills_grads(impl):
    layer = Conv2D(1, 2, 3, impl=impl, dtype=np.float64, seed=0)
    layer.requires_input_grad = False
    out = layer(np.ones((2, 1, 5, 5)))
    assert layer.backward(np.ones_like(out)) is None
    np.testing.assert_allclose(layer.grads["W"], np.full((2, 1, 3, 3), 18.0))  # 2 samples x 9 windows
    np.testing.assert_allclose(layer.grads["b"], [18.0, 18.0])
    report = check_layer(layer, RNG.standard_normal((1, 1, 4, 4)))
    assert set(report.entries) == {"W", "b"} and report.passed(1e-6), str(report)


def test_backward_overwrites_grads():
    layer = Conv2D(1, 1, 2, dtype=np.float64, seed=0)
    out = layer(np.ones((1, 1, 3, 3)))
    layer.backward(np.ones_like(out))
    first = layer.grads["W"].copy()
    layer.backward(np.ones_like(out))
    np.testing.assert_array_equal(layer.grads["W"], first)


def test_errors():
    layer = Conv2D(3, 8, 3)
    with pytest.raises(RuntimeError, match=r"Conv2D.backward\(\) was called before forward\(\)"):
        layer.backward(np.ones((1, 8, 3, 3)))
    with pytest.raises(ValueError, match=r"Conv2D\(in_channels=3\) got an input with 1 channels .*transpose"):
        layer(np.ones((1, 1, 5, 5)))
    with pytest.raises(ValueError, match=r"Conv2D expects a 4-D input .* got shape \(3, 5, 5\).*x\[None\]"):
        layer(np.ones((3, 5, 5)))
    with pytest.raises(ValueError, match=r"kernel 3 is larger than the padded input 2 \+ 0 \+ 0 = 2"):
        layer(np.ones((1, 3, 2, 2)))
    out = layer(np.ones((1, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"got dout of shape \(1, 8, 3\), expected \(1, 8, 3, 3\)"):
        layer.backward(out[..., 0])
    with pytest.raises(TypeError, match="x must be a numeric array"):
        layer(np.full((1, 3, 5, 5), "a"))
    with pytest.raises(ValueError, match=r"padding='same' requires stride 1, got stride=2"):
        Conv2D(1, 2, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match=r"got 'full'.*allowed strings"):
        Conv2D(1, 2, 3, padding="full")
    with pytest.raises(ValueError, match=r"padding must be >= 0 in each direction, got -1"):
        Conv2D(1, 2, 3, padding=-1)
    with pytest.raises(ValueError, match=r"stride must be >= 1 in each direction, got 0"):
        Conv2D(1, 2, 3, stride=0)
    with pytest.raises(ValueError, match=r"impl must be one of \('fast', 'naive'\)"):
        Conv2D(1, 2, 3, impl="loops")
    with pytest.raises(ValueError, match=r"in_channels must be >= 1, got 0"):
        Conv2D(0, 2, 3)
    with pytest.raises(ValueError, match=r"output_shape\(\) expects one sample's shape \(C, H, W\)"):
        layer.output_shape((1, 3, 5, 5))
    with pytest.raises(ValueError, match=r"got an input with 2 channels"):
        layer.output_shape((2, 5, 5))
    with pytest.raises(ValueError, match="larger than the padded input"):
        layer.output_shape((3, 2, 2))


def test_repr_shows_non_default_arguments():
    assert repr(Conv2D(1, 32, 3)) == "Conv2D(1, 32, kernel_size=3)"
    assert repr(Conv2D(3, 8, (3, 5), stride=2, padding=1, dilation=2, bias=False, impl="naive")) == (
        "Conv2D(3, 8, kernel_size=(3, 5), stride=2, padding=1, dilation=2, bias=False, impl='naive')")
    assert repr(Conv2D(1, 2, 4, padding="same", dtype=np.float64)) == (
        "Conv2D(1, 2, kernel_size=4, padding='same', dtype=float64)")
