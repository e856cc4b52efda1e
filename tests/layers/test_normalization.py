"""BatchNorm1D / BatchNorm2D: the seed formula, running statistics, gradients, errors."""
import numpy as np
import pytest

from cnnlib.gradcheck import check_layer
from cnnlib.layers import BatchNorm1D, BatchNorm2D

RNG = np.random.default_rng(0)


def seed_batch_normalization(x, gamma, beta, epsilon=1e-5):
    """Seed 000's formula, verbatim: statistics over axis 0."""
    mean = np.mean(x, axis=0)
    variance = np.var(x, axis=0)
    normalized = (x - mean) / np.sqrt(variance + epsilon)
    return gamma * normalized + beta


def test_batchnorm1d_matches_the_seed_formula_on_a_tiny_array():
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
    bn = BatchNorm1D(2, dtype=np.float64)
    bn.params["gamma"][...] = [2.0, 0.5]
    bn.params["beta"][...] = [1.0, -1.0]
    out = bn(x)
    np.testing.assert_allclose(out, seed_batch_normalization(x, bn.params["gamma"], bn.params["beta"]))
    # by hand: column 0 has mean 3, var 8/3, so x_hat = [-1, 0, 1] * sqrt(3/2) (up to eps)
    np.testing.assert_allclose(out[:, 0], 1 + 2 * np.array([-1, 0, 1]) * np.sqrt(1.5), rtol=1e-5)


def test_batchnorm2d_is_the_seed_formula_per_channel():
    x = RNG.normal(3, 2, size=(4, 3, 5, 5))
    bn = BatchNorm2D(3, dtype=np.float64)
    bn.params["gamma"][...] = [1.0, 2.0, 3.0]
    out = bn(x)
    rows = x.transpose(0, 2, 3, 1).reshape(-1, 3)  # (N*H*W, C): one row per pixel
    expected = seed_batch_normalization(rows, bn.params["gamma"], bn.params["beta"])
    np.testing.assert_allclose(out, expected.reshape(4, 5, 5, 3).transpose(0, 3, 1, 2), rtol=1e-12)


def test_running_statistics_use_momentum_and_unbiased_variance():
    x = np.array([[1.0], [3.0]])  # mean 2, biased var 1, unbiased var 2
    bn = BatchNorm1D(1, momentum=0.1, dtype=np.float64)
    bn(x)
    np.testing.assert_allclose(bn.running_mean, [0.9 * 0 + 0.1 * 2])
    np.testing.assert_allclose(bn.running_var, [0.9 * 1 + 0.1 * 2])
    bn(x)
    np.testing.assert_allclose(bn.running_mean, [0.9 * 0.2 + 0.2])
    assert "running_mean" not in bn.params and "running_var" not in bn.params


def test_eval_uses_running_statistics_and_does_not_update_them():
    bn = BatchNorm2D(2, dtype=np.float64).eval()
    bn.running_mean[...] = [1.0, -1.0]
    bn.running_var[...] = [4.0, 0.25]
    x = np.ones((1, 2, 2, 2))  # a batch of one is fine in eval
    out = bn(x)
    np.testing.assert_allclose(out[0, 0], (1 - 1) / np.sqrt(4 + 1e-5))
    np.testing.assert_allclose(out[0, 1], (1 + 1) / np.sqrt(0.25 + 1e-5))
    np.testing.assert_array_equal(bn.running_mean, [1.0, -1.0])
    dx = bn.backward(np.ones_like(x))  # eval backward is the per-channel affine map
    np.testing.assert_allclose(dx[0, 1], 1 / np.sqrt(0.25 + 1e-5))


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm2d_gradient_check(training):
    bn = BatchNorm2D(3, dtype=np.float64)
    bn.params["gamma"][...] = RNG.normal(size=3)
    bn.params["beta"][...] = RNG.normal(size=3)
    bn.running_mean[...] = RNG.normal(size=3)
    bn.running_var[...] = RNG.uniform(0.5, 2, size=3)
    bn.train(training)
    running = bn.running_mean.copy()
    report = check_layer(bn, RNG.normal(1, 2, size=(4, 3, 3, 3)))
    assert set(report.entries) == {"x", "gamma", "beta"}
    assert report.passed(1e-6), str(report)
    np.testing.assert_array_equal(bn.running_mean, running)  # the check restored the buffers


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm1d_gradient_check(training):
    bn = BatchNorm1D(5, dtype=np.float64)
    bn.params["gamma"][...] = RNG.normal(size=5)
    bn.train(training)
    report = check_layer(bn, RNG.normal(size=(6, 5)))
    assert report.passed(1e-6), str(report)


def test_training_output_has_zero_mean_unit_variance_per_channel():
    out = BatchNorm2D(4)(RNG.normal(5, 3, size=(8, 4, 6, 6)).astype(np.float32))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1, atol=1e-3)


def test_dtypes_and_requires_input_grad():
    bn = BatchNorm2D(2)
    assert bn.params["gamma"].dtype == bn.running_var.dtype == np.float32
    bn(RNG.normal(size=(2, 2, 3, 3)))
    bn.requires_input_grad = False
    assert bn.backward(np.ones((2, 2, 3, 3))) is None
    assert bn.grads["gamma"].dtype == np.float32 and bn.grads["beta"].shape == (2,)


def test_channel_mismatch_message():
    with pytest.raises(ValueError, match=r"BatchNorm2D\(16\) got an input with 8 channels.*expected C=16"):
        BatchNorm2D(16)(np.ones((2, 8, 4, 4)))
    with pytest.raises(ValueError, match="got an input with 8 channels"):
        BatchNorm2D(16).output_shape((8, 4, 4))
    assert BatchNorm2D(16).output_shape((16, 4, 4)) == (16, 4, 4)


def test_wrong_ndim_messages():
    with pytest.raises(ValueError, match=r"4-D input \(N, C, H, W\), got shape \(2, 3\).*use BatchNorm1D"):
        BatchNorm2D(3)(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"2-D input \(N, C\).*use BatchNorm2D"):
        BatchNorm1D(3)(np.ones((2, 3, 4, 4)))


def test_batch_of_one_in_training_is_an_error():
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training.*eval"):
        BatchNorm1D(3)(np.ones((1, 3)))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        BatchNorm2D(3)(np.ones((1, 3, 1, 1)))
    assert BatchNorm1D(3).eval()(np.ones((1, 3))).shape == (1, 3)


def test_argument_errors_contract_and_repr():
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\], got 1.5"):
        BatchNorm2D(3, momentum=1.5)
    with pytest.raises(ValueError, match="eps must be a finite number > 0, got 0"):
        BatchNorm2D(3, eps=0)
    with pytest.raises(TypeError, match="num_features must be an integer"):
        BatchNorm2D(3.0)
    with pytest.raises(RuntimeError, match="before forward"):
        BatchNorm2D(3).backward(np.ones((2, 3, 2, 2)))
    with pytest.raises(TypeError, match="numeric array"):
        BatchNorm1D(2)(np.array([["a", "b"]]))
    assert repr(BatchNorm2D(32)) == "BatchNorm2D(32)"
    assert repr(BatchNorm1D(8, eps=1e-3, momentum=0.01)) == "BatchNorm1D(8, eps=0.001, momentum=0.01)"


def reference_batchnorm2d(x, gamma, beta, dout, eps=1e-5):
    """Textbook BatchNorm2D in float64 with reductions over axes (0, 2, 3): (out, dx, dgamma, dbeta)."""
    x, dout = x.astype(np.float64), dout.astype(np.float64)
    g, b = gamma.astype(np.float64)[None, :, None, None], beta.astype(np.float64)[None, :, None, None]
    mean, var = x.mean(axis=(0, 2, 3), keepdims=True), x.var(axis=(0, 2, 3), keepdims=True)
    x_hat = (x - mean) / np.sqrt(var + eps)
    n = x.size // x.shape[1]
    dbeta, dgamma = dout.sum(axis=(0, 2, 3)), (dout * x_hat).sum(axis=(0, 2, 3))
    dx = g / np.sqrt(var + eps) / n * (n * dout - dbeta[None, :, None, None] - x_hat * dgamma[None, :, None, None])
    return g * x_hat + b, dx, dgamma, dbeta


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 2e-4)])
@pytest.mark.parametrize("shape", [(5, 3, 4, 6), (2, 4, 1, 1)])
def test_batchnorm2d_training_matches_the_textbook_formulas(dtype, tol, shape):
    # The layer works on (N, C, L) views with (1, C, L) rows of per-channel numbers and builds dx in place.
    rng = np.random.default_rng(3)
    x, dout = rng.normal(4, 3, size=shape).astype(dtype), rng.normal(size=shape).astype(dtype)
    bn = BatchNorm2D(shape[1], dtype=dtype)
    bn.params["gamma"][...] = rng.uniform(0.5, 2, size=shape[1])
    bn.params["beta"][...] = rng.normal(size=shape[1])
    out = bn.forward(x)
    dx = bn.backward(dout)
    want = reference_batchnorm2d(x, bn.params["gamma"], bn.params["beta"], dout)
    assert out.dtype == dx.dtype == dtype and out.shape == dx.shape == shape
    for name, got, expected in zip(("out", "dx", "dgamma", "dbeta"), (out, dx, bn.grads["gamma"], bn.grads["beta"]),
                                   want):
        np.testing.assert_allclose(got, expected, rtol=tol, atol=tol, err_msg=name)


def test_channel_rows_repeat_each_channel_along_the_pixels():
    from cnnlib.layers.normalization import _channel_rows

    rows = _channel_rows(np.array([1.0, 2.0, 3.0]), 2, np.float32)
    assert rows.shape == (1, 3, 2) and rows.dtype == np.float32
    np.testing.assert_array_equal(rows[0], [[1, 1], [2, 2], [3, 3]])
