"""The gradient checker itself: it must pass correct gradients and catch wrong ones."""
import re

import numpy as np
import pytest

from cnnlib.gradcheck import (GradCheckReport, check_layer, check_loss, numerical_gradient,
                              relative_error)
from cnnlib.layers import BatchNorm2D, Dense, ReLU
from cnnlib.layers.base import Layer
from cnnlib.losses import MSE

RNG = np.random.default_rng(0)


def test_numerical_gradient_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-8)
    dout = RNG.normal(size=(2, 2))
    grad = numerical_gradient(lambda: np.sin(x), x, dout=dout)  # gradient of sum(sin(x) * dout)
    np.testing.assert_allclose(grad, np.cos(x) * dout, rtol=1e-8)


def test_numerical_gradient_restores_x_even_on_error():
    x = np.array([1.0, 2.0])
    original = x.copy()
    numerical_gradient(lambda: float(x.sum()), x)
    np.testing.assert_array_equal(x, original)

    def explode():
        raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError):
        numerical_gradient(explode, x)
    np.testing.assert_array_equal(x, original)


def test_relative_error():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert relative_error(np.array([0.0]), np.array([0.0])) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.ones(2), np.ones(3))


class BuggyDense(Dense):
    """dW forgets to sum over the batch: it uses only the first sample."""

    def backward(self, dout):
        dx = super().backward(dout)
        x = self._get_cache()
        self.grads["W"] = np.outer(x[0], dout[0])
        return dx


def test_check_layer_passes_a_correct_layer_and_catches_a_bug():
    x = RNG.normal(size=(4, 3))
    good = check_layer(Dense(3, 2, dtype=np.float64, seed=0), x)
    assert good.passed() and good.worst < 1e-8
    bad = check_layer(BuggyDense(3, 2, dtype=np.float64, seed=0), x)
    assert not bad.passed()
    assert bad.worst_entry.name == "W" and bad["W"].rel_error > 1e-2
    assert bad["x"].rel_error < 1e-8 and "b" in bad
    entry = bad["W"]
    assert entry.shape == (3, 2) and len(entry.index) == 2
    assert entry.analytic != pytest.approx(entry.numeric)


def test_report_table_is_aligned_and_says_the_verdict():
    report = check_layer(BuggyDense(3, 2, dtype=np.float64, seed=0), RNG.normal(size=(4, 3)))
    lines = str(report).splitlines()
    assert lines[0].startswith("gradient check of BuggyDense")
    header, rows = lines[1], lines[2:5]
    assert header.split() == ["grad", "shape", "rel.", "error", "worst", "at", "analytic", "numeric"]
    assert [r.split()[0] for r in rows] == ["x", "W", "b"]
    column = header.index("rel. error")  # every error starts in that column
    assert [re.search(r"\d\.\d\de[-+]\d\d", r).start() for r in rows] == [column] * 3
    assert "FAILED" in lines[-1]
    assert "<table>" in report._repr_html_()
    assert "worst=" in repr(report)


def test_float32_is_a_clear_type_error():
    with pytest.raises(TypeError, match="float32 rounds a 1e-5 nudge away; build the layer with dtype=np.float64"):
        check_layer(Dense(3, 2), RNG.normal(size=(2, 3)))
    with pytest.raises(TypeError, match=r"x is float32"):
        check_layer(ReLU(), np.ones((2, 3), dtype=np.float32))
    with pytest.raises(TypeError, match="pred is float32"):
        check_loss(MSE(), np.ones(2, dtype=np.float32), np.ones(2))


def test_check_layer_leaves_x_and_buffers_alone():
    x = RNG.normal(size=(3, 2, 2, 2))
    original = x.copy()
    bn = BatchNorm2D(2, dtype=np.float64)
    check_layer(bn, x)
    np.testing.assert_array_equal(x, original)
    np.testing.assert_array_equal(bn.running_mean, 0.0)
    np.testing.assert_array_equal(bn.running_var, 1.0)


def test_requires_input_grad_false_skips_x_and_given_dout_is_used():
    layer = Dense(3, 2, dtype=np.float64, seed=0)
    layer.requires_input_grad = False
    report = check_layer(layer, RNG.normal(size=(4, 3)), dout=np.ones((4, 2)))
    assert set(report.entries) == {"W", "b"} and report.passed()


class Lazy(Layer):
    """Has a parameter but forgets to fill its gradient."""

    def __init__(self):
        super().__init__()
        self.params["W"] = np.ones(2)

    def forward(self, x):
        self._cache = x
        return x * self.params["W"]

    def backward(self, dout):
        return dout * self.params["W"]


def test_missing_grad_is_reported():
    with pytest.raises(RuntimeError, match=r"did not fill grads\['W'\]"):
        check_layer(Lazy(), np.ones((3, 2)))


class HalfMSE(MSE):
    """Forgets the factor 2 of the derivative of the square."""

    def backward(self):
        return super().backward() / 2


def test_check_loss_catches_a_missing_factor():
    pred, target = RNG.normal(size=(4, 2)), RNG.normal(size=(4, 2))
    assert check_loss(MSE(), pred, target).passed()
    report = check_loss(HalfMSE(), pred, target)
    assert not report.passed() and report["pred"].rel_error == pytest.approx(1 / 3, rel=1e-5)


def test_empty_report():
    report = GradCheckReport()
    assert report.worst == 0.0 and report.worst_entry is None and report.passed()
