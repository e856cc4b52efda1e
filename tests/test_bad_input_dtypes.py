"""Bad input, class 1: half precision, integers and bools fed to layers, ops and losses.

The decisions these tests pin down:

* float16 input is accepted and comes back as float16, but everything that
  adds up many numbers (batch-norm statistics, softmax, average pooling, the
  losses) adds them in float32: a float16 sum overflows past 65504 even when
  the answer fits. Batch norm's running statistics stay finite.
* integer and bool arrays (uint8 images, 0/1 masks) are converted to float32,
  as ``np.asarray(x, dtype=np.float32)`` would: the same numbers, never wrapped
  around or truncated, and an integer ``dout`` is converted the same way.
* anything that is not a number (strings, objects, complex) is a ``TypeError``.
"""
import numpy as np
import pytest

from cnnlib.functional import avgpool2d, col2im, im2col, sliding_windows
from cnnlib.layers import (AvgPool2D, BatchNorm1D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, LeakyReLU,
                           MaxPool2D, ReLU, Sigmoid, Softmax, Tanh)
from cnnlib.losses import MSE, BinaryCrossEntropy, CategoricalCrossEntropy, CrossEntropy

RNG = np.random.default_rng(0)


# -- float16 ------------------------------------------------------------------------------
@pytest.mark.parametrize("make, shape", [(lambda: BatchNorm2D(3), (8, 3, 10, 10)), (lambda: BatchNorm1D(2), (300, 2))])
def test_batchnorm_on_float16_normalises_in_float32_and_keeps_the_running_statistics_finite(make, shape):
    x32 = (RNG.standard_normal(shape) * 20 + 5).astype(np.float32)
    x16 = x32.astype(np.float16)
    bn16, bn32 = make(), make()
    for _ in range(3):
        out16 = bn16(x16)
        out32 = bn32(x16.astype(np.float32))
    assert out16.dtype == np.float16
    np.testing.assert_allclose(out16.astype(np.float32), out32, atol=1e-2)
    assert abs(float(out16.astype(np.float32).std()) - 1) < 1e-2, "normalised, not all zeros"
    for buf in ("running_mean", "running_var"):
        assert np.all(np.isfinite(getattr(bn16, buf))), buf
        np.testing.assert_allclose(getattr(bn16, buf), getattr(bn32, buf), rtol=1e-3, err_msg=buf)
    dout = RNG.standard_normal(shape).astype(np.float16)
    dx16, dx32 = bn16.backward(dout), bn32.backward(dout.astype(np.float32))
    assert dx16.dtype == np.float16
    np.testing.assert_allclose(dx16.astype(np.float32), dx32, atol=2e-2)
    np.testing.assert_allclose(bn16.grads["gamma"], bn32.grads["gamma"], rtol=1e-3)
    bn16.eval()
    assert np.all(np.isfinite(bn16(x16)))


def test_softmax_of_many_float16_classes_still_sums_to_one():
    p = Softmax()(np.zeros((2, 70_000), dtype=np.float16))
    assert p.dtype == np.float16
    np.testing.assert_allclose(p.astype(np.float64).sum(axis=1), 1.0, rtol=1e-2)


@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_average_pooling_of_large_float16_values_does_not_overflow(impl):
    x = np.full((1, 1, 2, 2), 60_000, dtype=np.float16)
    out = AvgPool2D(2, impl=impl)(x)
    assert out.dtype == np.float16 and out[0, 0, 0, 0] == 60_000
    assert avgpool2d(x, 2, impl=impl)[0, 0, 0, 0] == 60_000


@pytest.mark.parametrize("make", [ReLU, Sigmoid, Tanh, Flatten, lambda: Dropout(0.5, seed=0), lambda: MaxPool2D(2),
                                  lambda: Conv2D(3, 2, 3, seed=0), lambda: LeakyReLU(0.1)])
def test_other_layers_give_finite_float16_results_close_to_float32(make):
    x = RNG.standard_normal((4, 3, 6, 6)).astype(np.float16)
    out16, out32 = make()(x), make()(x.astype(np.float32))
    assert np.all(np.isfinite(out16))
    np.testing.assert_allclose(out16.astype(np.float32), out32, atol=2e-2, rtol=1e-2)


@pytest.mark.parametrize("loss, pred, target, expected", [
    (MSE(), np.full(4, 300, np.float16), np.zeros(4), 90_000.0),
    (CrossEntropy(), np.zeros((40_000, 10), np.float16), np.zeros(40_000, np.int64), np.log(10)),
    (CategoricalCrossEntropy(), np.full((40_000, 10), 0.1, np.float16), np.zeros(40_000, np.int64), np.log(10)),
    (BinaryCrossEntropy(from_logits=True), np.zeros(100_000, np.float16), np.ones(100_000), np.log(2)),
])
def test_losses_add_float16_predictions_in_float32_and_return_float16_gradients(loss, pred, target, expected):
    assert loss(pred, target) == pytest.approx(expected, rel=1e-3)
    grad = loss.backward()
    assert grad.dtype == np.float16 and grad.shape == pred.shape and np.all(np.isfinite(grad))


# -- integers and bools ---------------------------------------------------------------------
@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_uint8_images_are_the_same_numbers_as_float32(impl):
    img = RNG.integers(0, 256, size=(2, 1, 6, 6)).astype(np.uint8)
    conv = Conv2D(1, 2, 3, seed=0, impl=impl)
    out = conv(img)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, Conv2D(1, 2, 3, seed=0, impl=impl)(img.astype(np.float32)), rtol=1e-6)
    np.testing.assert_array_equal(MaxPool2D(2, impl=impl)(img), MaxPool2D(2)(img.astype(np.float32)))


@pytest.mark.parametrize("make, shape", [
    (lambda: Dense(3, 2, seed=0), (4, 3)), (lambda: BatchNorm1D(3), (4, 3)), (lambda: BatchNorm2D(2), (3, 2, 2, 2)),
    (ReLU, (4, 3)), (lambda: LeakyReLU(0.1), (4, 3)), (Sigmoid, (4, 3)), (Softmax, (4, 3)), (Flatten, (3, 2, 2, 2)),
])
@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.bool_])
def test_integer_and_bool_inputs_and_gradients_are_converted_not_truncated(make, shape, dtype):
    x = RNG.integers(0, 3, size=shape).astype(dtype)
    a, b = make(), make()
    out_a, out_b = a(x), b(x.astype(np.float32))
    assert out_a.dtype.kind == "f"
    np.testing.assert_allclose(out_a, out_b, rtol=1e-6)
    dout = RNG.integers(-3, 4, size=out_a.shape)  # an integer gradient, e.g. from a hand-written test
    np.testing.assert_allclose(a.backward(dout), b.backward(dout.astype(np.float32)), rtol=1e-5, atol=1e-6)


def test_integer_targets_and_predictions_of_losses_are_converted_not_wrapped():
    assert MSE()(np.array([0], np.uint8), np.array([255], np.uint8)) == 255.0**2
    assert BinaryCrossEntropy()(np.array([True, False]), np.array([1, 0], np.uint8)) == pytest.approx(0.0, abs=1e-9)


# -- not numbers at all -----------------------------------------------------------------------
@pytest.mark.parametrize("bad", [np.array([[[["a"]]]]), np.array([[[[None]]]], dtype=object),
                                 np.ones((1, 1, 2, 2), dtype=complex)])
def test_im2col_col2im_and_sliding_windows_refuse_non_numbers(bad):
    with pytest.raises(TypeError, match=r"must be a numeric array, got dtype"):
        im2col(bad, 1, 1)
    with pytest.raises(TypeError, match=r"must be a numeric array, got dtype"):
        sliding_windows(bad, 1, 1)
    with pytest.raises(TypeError, match=r"must be a numeric array, got dtype"):
        col2im(bad.reshape(1, -1), (1, 1, 2, 2), 1, 1)


@pytest.mark.parametrize("make", [ReLU, lambda: Dense(2, 2), lambda: BatchNorm1D(2)])
def test_a_string_gradient_is_a_type_error(make):
    layer = make()
    out = layer(np.ones((2, 2)))
    with pytest.raises(TypeError, match=r"dout must be a numeric array"):
        layer.backward(np.full(out.shape, "1"))


def test_most_confused_pairs_of_a_normalised_matrix_keeps_the_fractions():
    from cnnlib.metrics import most_confused_pairs

    counts = np.array([[50, 2, 8], [5, 40, 1], [0, 3, 60]])
    rates = counts / counts.sum(axis=1, keepdims=True)  # rows sum to 1: fractions, not counts
    assert most_confused_pairs(counts, k=2) == [(0, 2, 8), (1, 0, 5)]
    assert [(i, j) for i, j, _ in most_confused_pairs(rates, k=2)] == [(0, 2), (1, 0)]
    assert most_confused_pairs(rates, k=1)[0][2] == pytest.approx(8 / 60)
    for bad, error in ((np.array([[1.0, np.nan], [0.0, 1.0]]), "NaN in the confusion matrix"),
                       (np.array([[1, -2], [0, 1]]), r"counts \(or fractions\) >= 0, got a smallest entry of -2")):
        with pytest.raises(ValueError, match=error):
            most_confused_pairs(bad)
    with pytest.raises(TypeError, match="cm must be a numeric array"):
        most_confused_pairs(np.array([["a", "b"], ["c", "d"]]))
