"""GlobalAvgPool2D: (N, C, H, W) -> (N, C) by hand, naive == fast, backward spreads dout/(H*W), gradcheck, errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlib import Sequential
from cnnlib.functional import (global_avgpool2d_backward, global_avgpool2d_backward_naive, global_avgpool2d_forward,
                               global_avgpool2d_forward_naive)
from cnnlib.gradcheck import check_layer
from cnnlib.layers import Conv2D, Dense, Flatten, GlobalAvgPool2D


@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_by_hand(impl):
    layer = GlobalAvgPool2D(impl=impl)
    x = np.array([[[[1.0, 2.0], [3.0, 6.0]], [[0.0, 0.0], [0.0, 8.0]]]])  # (1, 2, 2, 2)
    np.testing.assert_array_equal(layer(x), [[3.0, 2.0]])
    dx = layer.backward(np.array([[4.0, -8.0]]))
    np.testing.assert_array_equal(dx, [[[[1, 1], [1, 1]], [[-2, -2], [-2, -2]]]])  # dout / (H*W) on every pixel


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 3), st.integers(1, 4), st.integers(1, 6), st.integers(1, 6))
def test_naive_equals_fast_and_the_mean(N, C, H, W):
    x = np.random.default_rng(N * 100 + C * 10 + H).standard_normal((N, C, H, W))
    out_f, cache_f = global_avgpool2d_forward(x)
    out_n, cache_n = global_avgpool2d_forward_naive(x)
    assert out_f.shape == (N, C)
    np.testing.assert_allclose(out_f, x.mean(axis=(2, 3)), rtol=1e-12)
    np.testing.assert_allclose(out_n, out_f, rtol=1e-12)
    dout = np.random.default_rng(1).standard_normal((N, C))
    dx = global_avgpool2d_backward(dout, cache_f)
    np.testing.assert_allclose(global_avgpool2d_backward_naive(dout, cache_n), dx, rtol=1e-12)
    np.testing.assert_allclose(dx.sum(axis=(2, 3)), dout, rtol=1e-12, atol=1e-12)  # the gradient is shared, not lost


@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_gradient_check(impl):
    report = check_layer(GlobalAvgPool2D(impl=impl), np.random.default_rng(0).standard_normal((2, 3, 4, 5)))
    assert set(report.entries) == {"x"} and report.passed(1e-7), str(report)


def test_float32_requires_input_grad_and_summary():
    layer = GlobalAvgPool2D()
    x = np.ones((2, 8, 7, 7), dtype=np.float32)
    out = layer(x)
    assert out.dtype == np.float32 and layer.backward(np.ones_like(out)).dtype == np.float32
    layer.requires_input_grad = False
    assert layer.backward(np.ones_like(out)) is None
    model = Sequential([Conv2D(1, 8, 3), GlobalAvgPool2D(), Dense(8, 10)])
    assert model.summary((1, 28, 28)).rows[1:] == [("GlobalAvgPool2D", (8,), 0), ("Dense", (10,), 90)]
    flat = Sequential([Conv2D(1, 8, 3), Flatten(), Dense(8 * 26 * 26, 10)])
    assert flat.num_params() == 80 + 54_090  # versus 80 + 90: global pooling instead of flatten + dense


def test_save_load_and_repr(tmp_path):
    model = Sequential([Conv2D(1, 2, 3, seed=0), GlobalAvgPool2D(impl="naive"), Dense(2, 3, seed=1)])
    assert repr(model[1]) == "GlobalAvgPool2D(impl='naive')" and repr(GlobalAvgPool2D()) == "GlobalAvgPool2D()"
    loaded = Sequential.load(model.save(tmp_path / "gap"))
    assert repr(loaded) == repr(model)
    x = np.random.default_rng(0).standard_normal((2, 1, 6, 6)).astype(np.float32)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_errors():
    layer = GlobalAvgPool2D()
    with pytest.raises(RuntimeError, match=r"GlobalAvgPool2D.backward\(\) was called before forward\(\)"):
        layer.backward(np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"GlobalAvgPool2D expects a 4-D input \(N, C, H, W\), got shape \(2, 3\)"):
        layer(np.ones((2, 3)))
    layer(np.ones((2, 3, 4, 4)))
    with pytest.raises(ValueError, match=r"got dout of shape \(2, 3, 1, 1\), expected \(2, 3\)"):
        layer.backward(np.ones((2, 3, 1, 1)))
    with pytest.raises(ValueError, match=r"expects one sample's shape \(C, H, W\), got \(10,\).*before Flatten"):
        layer.output_shape((10,))
    with pytest.raises(ValueError, match=r"GlobalAvgPool2D impl must be one of \('fast', 'naive'\), got 'loop'"):
        GlobalAvgPool2D(impl="loop")
    with pytest.raises(ValueError, match=r"empty channel or spatial axis"):
        layer(np.ones((1, 3, 0, 4)))
