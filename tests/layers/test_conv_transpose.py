"""ConvTranspose2D layer: init, the stamp picture, naive == fast, gradient checks, save/load, summary, errors, repr."""
import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.functional import conv_transpose2d
from cnnlib.gradcheck import check_layer
from cnnlib.layers import Conv2D, ConvTranspose2D, ReLU
from cnnlib.shapes import conv_transpose_output_size, receptive_field

RNG = np.random.default_rng(0)


def test_init_shapes_dtype_seed_and_fan_in():
    layer = ConvTranspose2D(64, 16, 3, seed=1)
    W = layer.params["W"]
    assert W.shape == (64, 16, 3, 3) and W.dtype == np.float32  # (C_in, C_out, KH, KW), as in PyTorch
    assert abs(W.std() - np.sqrt(2 / (16 * 9))) < 0.005  # fan_in = C_out * KH * KW, PyTorch's for this layout
    np.testing.assert_array_equal(layer.params["b"], np.zeros(16))
    np.testing.assert_array_equal(W, ConvTranspose2D(64, 16, 3, seed=1).params["W"])
    uniform = ConvTranspose2D(64, 16, 3, seed=1, init="uniform")
    bound = 1 / np.sqrt(16 * 9)
    assert np.abs(uniform.params["W"]).max() <= bound and np.abs(uniform.params["W"]).max() > 0.95 * bound
    assert 0 < np.abs(uniform.params["b"]).max() <= bound
    assert ConvTranspose2D(2, 3, (2, 4), dtype=np.float64).params["W"].shape == (2, 3, 2, 4)
    assert set(ConvTranspose2D(1, 2, 3, bias=False).params) == {"W"}
    assert ConvTranspose2D(8, 4, 2).num_params() == 8 * 4 * 4 + 4


def test_the_stamp_picture_and_forward_is_the_functional_op():
    layer = ConvTranspose2D(1, 1, 2, stride=2, dtype=np.float64)
    layer.params["W"][...] = [[[[1, 10], [100, 1000]]]]
    out = layer(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    np.testing.assert_array_equal(out[0, 0], [[1, 10, 2, 20], [100, 1000, 200, 2000],
                                              [3, 30, 4, 40], [300, 3000, 400, 4000]])
    layer = ConvTranspose2D(3, 4, (3, 2), stride=(2, 1), padding=1, output_padding=(1, 0), dilation=(1, 2), seed=0)
    layer.params["b"][...] = RNG.standard_normal(4)
    x = RNG.standard_normal((2, 3, 5, 4)).astype(np.float32)
    out = layer(x)
    expected = conv_transpose2d(x, layer.params["W"], layer.params["b"], (2, 1), 1, (1, 0), (1, 2))
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert out.shape[1:] == layer.output_shape((3, 5, 4)) == (4, 10, 4)
    assert out.shape[2:] == conv_transpose_output_size((5, 4), (3, 2), (2, 1), 1, (1, 0), (1, 2))
    assert out.dtype == np.float32


def test_naive_equals_fast():
    x = RNG.standard_normal((2, 2, 4, 3))
    args = dict(in_channels=2, out_channels=3, kernel_size=3, stride=2, padding=1, output_padding=1,
                dtype=np.float64, seed=3)
    fast, naive = ConvTranspose2D(**args), ConvTranspose2D(**args, impl="naive")
    np.testing.assert_allclose(fast(x), naive(x), rtol=1e-10)
    dout = RNG.standard_normal(fast(x).shape)
    np.testing.assert_allclose(fast.backward(dout), naive.backward(dout), rtol=1e-10)
    for k in ("W", "b"):
        np.testing.assert_allclose(fast.grads[k], naive.grads[k], rtol=1e-10)


@pytest.mark.parametrize("impl", ["fast", "naive"])
@pytest.mark.parametrize("kwargs", [dict(), dict(stride=2, padding=1, output_padding=1), dict(dilation=2),
                                    dict(kernel_size=(2, 3), stride=(3, 1), output_padding=(2, 0), bias=False),
                                    dict(padding=(0, 1), dilation=(1, 2), output_padding=(0, 1))])
def test_gradient_check(impl, kwargs):
    args = dict(in_channels=2, out_channels=3, kernel_size=3) | kwargs
    layer = ConvTranspose2D(**args, impl=impl, dtype=np.float64, seed=0)
    report = check_layer(layer, np.random.default_rng(1).standard_normal((2, 2, 3, 4)))
    assert set(report.entries) == ({"x", "W", "b"} if layer.bias else {"x", "W"})
    assert report.passed(1e-6), str(report)


@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_requires_input_grad_false_skips_dx_but_fills_grads(impl):
    layer = ConvTranspose2D(1, 2, 2, stride=2, impl=impl, dtype=np.float64, seed=0)
    layer.requires_input_grad = False
    out = layer(np.ones((2, 1, 3, 3)))
    assert layer.backward(np.ones_like(out)) is None
    np.testing.assert_allclose(layer.grads["W"], np.full((1, 2, 2, 2), 18.0))  # 2 samples x 9 pixels
    np.testing.assert_allclose(layer.grads["b"], [72.0, 72.0])  # 2 samples x 6 x 6 outputs


def test_conv2d_backward_is_conv_transpose2d_forward_with_the_same_W():
    conv = Conv2D(3, 5, 3, stride=2, padding=1, dtype=np.float64, seed=0)
    x = RNG.standard_normal((2, 3, 8, 8))
    dout = RNG.standard_normal(conv(x).shape)  # (2, 5, 4, 4)
    dx = conv.backward(dout)
    up = ConvTranspose2D(5, 3, 3, stride=2, padding=1, output_padding=1, bias=False, dtype=np.float64)
    up.params["W"][...] = conv.params["W"]  # Conv2D's (C_out, C_in, ...) is ConvTranspose2D's (C_in, C_out, ...)
    np.testing.assert_allclose(up(dout), dx, rtol=1e-10, atol=1e-12)


def test_save_load_round_trip_repr_and_summary(tmp_path):
    model = Sequential([ConvTranspose2D(4, 2, 3, stride=2, padding=1, output_padding=1, seed=0), ReLU(),
                        ConvTranspose2D(2, 1, (2, 3), dilation=(2, 1), bias=False, impl="naive", init="uniform",
                                        dtype=np.float64, seed=1)])
    loaded = Sequential.load(model.save(tmp_path / "up"))
    assert repr(loaded) == repr(model)
    for a, b in zip(model.layers, loaded.layers):
        for k in a.params:
            np.testing.assert_array_equal(a.params[k], b.params[k])
    x = RNG.standard_normal((2, 4, 5, 5)).astype(np.float32)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    s = model.summary((4, 5, 5))
    assert s.rows == [("ConvTranspose2D", (2, 10, 10), 4 * 2 * 9 + 2), ("ReLU", (2, 10, 10), 0),
                      ("ConvTranspose2D", (1, 12, 12), 2 * 1 * 6)]


def test_repr_shows_non_default_arguments():
    assert repr(ConvTranspose2D(16, 8, 2, stride=2)) == "ConvTranspose2D(16, 8, kernel_size=2, stride=2)"
    assert repr(ConvTranspose2D(3, 8, (3, 5), stride=2, padding=(1, 0), output_padding=1, dilation=2, bias=False,
                                impl="naive", init="uniform", dtype=np.float64)) == (
        "ConvTranspose2D(3, 8, kernel_size=(3, 5), stride=2, padding=(1, 0), output_padding=1, dilation=2, "
        "bias=False, impl='naive', init='uniform', dtype=float64)")


def test_a_receptive_field_stops_at_a_transposed_convolution():
    layer = ConvTranspose2D(1, 1, 2, stride=2)
    assert layer.geometry is None and not layer.pointwise
    with pytest.raises(ValueError, match=r"ConvTranspose2D has no spatial layout a receptive field can follow"):
        receptive_field([layer])


def test_errors():
    layer = ConvTranspose2D(3, 8, 3)
    with pytest.raises(RuntimeError, match=r"ConvTranspose2D.backward\(\) was called before forward\(\)"):
        layer.backward(np.ones((1, 8, 3, 3)))
    with pytest.raises(ValueError, match=r"ConvTranspose2D\(in_channels=3\) got an input with 1 channels"):
        layer(np.ones((1, 1, 5, 5)))
    with pytest.raises(ValueError, match=r"ConvTranspose2D expects a 4-D input .* got shape \(3, 5, 5\).*x\[None\]"):
        layer(np.ones((3, 5, 5)))
    out = layer(np.ones((1, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"got dout of shape \(1, 8, 7\), expected \(1, 8, 7, 7\)"):
        layer.backward(out[..., 0])
    with pytest.raises(ValueError, match=r"No valid output.*Hint"):
        ConvTranspose2D(1, 1, 1, padding=1)(np.ones((1, 1, 1, 1)))
    with pytest.raises(ValueError, match=r"output_padding must be smaller than either the stride or the dilation"
                                         r".*got output_padding=1 with stride=1 and dilation=1"):
        ConvTranspose2D(1, 2, 3, output_padding=1)
    with pytest.raises(TypeError, match=r"ConvTranspose2D padding must be an int or a pair \(ph, pw\), got 'same'"):
        ConvTranspose2D(1, 2, 3, padding="same")
    with pytest.raises(ValueError, match=r"padding must be >= 0 in each direction, got -1"):
        ConvTranspose2D(1, 2, 3, padding=-1)
    with pytest.raises(ValueError, match=r"out_channels must be >= 1, got 0"):
        ConvTranspose2D(1, 0, 3)
    with pytest.raises(ValueError, match=r"impl must be one of \('fast', 'naive'\)"):
        ConvTranspose2D(1, 2, 3, impl="loops")
    with pytest.raises(ValueError, match=r"output_shape\(\) expects one sample's shape \(C, H, W\)"):
        layer.output_shape((1, 3, 5, 5))
    with pytest.raises(ValueError, match=r"got an input with 2 channels"):
        layer.output_shape((2, 5, 5))
