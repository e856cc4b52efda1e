"""Bad input, class 7: NaN and inf in data, in gradients, and from training that diverges.

The decisions:

* ``fit``, ``evaluate`` and ``predict`` check their input data once, up front:
  NaN or inf in ``x`` (or in float targets ``y``) is a ``ValueError`` that says
  how many entries and where the first one is.
* ``fit`` checks every step: when the model's output or the loss stops being
  finite it stops with a ``RuntimeError`` naming the epoch, the batch and the
  learning rate ("lower the learning rate"), instead of training on garbage;
  ``model.history`` keeps the epochs that finished. ``evaluate`` and
  ``predict`` refuse to score non-finite outputs (weights that diverged).
* A loss given non-finite predictions or targets raises ``ValueError``; a loss
  that overflows on finite input raises ``RuntimeError``.
* Layers and ops propagate NaN like numpy (and PyTorch) do, in ``forward`` and
  ``backward``: checking every array of every step would cost time in the
  hot loop, and ``fit`` reports the result. Batch norm never lets a NaN
  batch into its running statistics, which would poison evaluation for good.
"""
import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.layers import BatchNorm1D, BatchNorm2D, Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.losses import MSE, BinaryCrossEntropy, CrossEntropy
from cnnlib.optim import SGD

NAN = np.nan


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 2)).astype(np.float32)
    return x, (x[:, 0] > 0).astype(np.int64)


def _mlp():
    return Sequential([Dense(2, 8, seed=0), ReLU(), Dense(8, 2, seed=1)])


def _fit(model, x, y, **kwargs):
    args = dict(loss=CrossEntropy(), optimizer=SGD(model, lr=0.1), epochs=2, batch_size=16, progress=False)
    return model.fit(x, y, **{**args, **kwargs})


# -- the data ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [NAN, np.inf, -np.inf])
def test_fit_evaluate_and_predict_refuse_non_finite_inputs(bad):
    x, y = _data()
    x[5, 1] = bad
    kind = "NaN" if np.isnan(bad) else "inf"
    model = _mlp()
    with pytest.raises(ValueError, match=rf"fit got {kind} in the input x: 1 of 128 entries .*\(5, 1\).*nan_to_num"):
        _fit(model, x, y)
    with pytest.raises(ValueError, match=rf"fit got {kind} in the validation_data x: 1 of 128"):
        _fit(model, *_data(), validation_data=(x, y))
    with pytest.raises(ValueError, match=rf"evaluate got {kind} in the input x"):
        model.evaluate(x, y)
    with pytest.raises(ValueError, match=rf"predict got {kind} in the input x: 1 of 128"):
        model.predict(x)


def test_fit_refuses_nan_regression_targets():
    x, _ = _data()
    y = np.ones((64, 1))
    y[3] = NAN
    model = Sequential([Dense(2, 1, seed=0)])
    with pytest.raises(ValueError, match=r"fit got NaN in the targets y: 1 of 64 entries .*\(3, 0\)"):
        _fit(model, x, y, loss=MSE())


# -- training that diverges ---------------------------------------------------------------------------------
def test_fit_stops_with_a_clear_error_when_training_diverges():
    x, y = _data()
    x *= 100
    model = _mlp()
    with pytest.raises(RuntimeError, match=r"the model's output became (inf|NaN) at epoch 1/3, batch \d/4 \(step \d\): "
                                           r"training diverged\. Hint: lower the learning rate \(lr=1e\+20\)"):
        _fit(model, x, y, optimizer=SGD(model, lr=1e20), epochs=3)
    assert model.history is not None and model.history.epoch == [], "no epoch finished"


class NanLoss:
    """A loss of the user's own that returns NaN after a few steps and never checks anything."""

    def __init__(self):
        self.calls, self.inner = 0, CrossEntropy()

    def forward(self, out, y):
        self.calls += 1
        value = self.inner(out, y)
        return float("nan") if self.calls > 5 else value

    def backward(self):
        return self.inner.backward()


def test_fit_stops_when_the_loss_becomes_nan_and_keeps_the_finished_epochs():
    x, y = _data()
    model = _mlp()
    with pytest.raises(RuntimeError, match=r"the loss became nan at epoch 2/3, batch 2/4 \(step 6\): training "
                                           r"diverged\. Hint: lower the learning rate \(lr=0\.1\).*model\.history"):
        _fit(model, x, y, loss=NanLoss(), epochs=3)
    assert model.history.epoch == [0]


def test_fit_reports_where_a_loss_overflowed():
    class Huge:
        def __init__(self):
            self.inner = CrossEntropy()

        def forward(self, out, y):
            return self.inner(np.where(out > 0, 3e38, -3e38).astype(np.float32), y)

        def backward(self):
            return self.inner.backward()

    x, y = _data()
    model = _mlp()
    with pytest.raises(RuntimeError, match=r"at epoch 1/2, batch 1/4 \(step 1\): CrossEntropy became (inf|nan) "
                                           r"although the logits are finite"):
        _fit(model, x, y, loss=Huge())


def test_evaluate_and_predict_refuse_outputs_of_weights_that_diverged():
    x, y = _data()
    model = _mlp()
    model[0].params["W"][0, 0] = NAN
    with pytest.raises(RuntimeError, match=r"the model's output became NaN in evaluate, for samples 0 to 63"):
        model.evaluate(x, y)
    with pytest.raises(RuntimeError, match=r"the model's output became NaN in predict"):
        model.predict(x)


# -- losses --------------------------------------------------------------------------------------------------
def test_losses_refuse_non_finite_predictions_and_targets_and_report_overflow():
    with pytest.raises(ValueError, match=r"CrossEntropy got NaN in the logits"):
        CrossEntropy()(np.array([[NAN, 0.0]]), np.array([0]))
    with pytest.raises(ValueError, match=r"MSE got inf in the targets"):
        MSE()(np.zeros(2), np.array([0.0, np.inf]))
    with pytest.raises(ValueError, match=r"BinaryCrossEntropy got NaN in the targets"):
        BinaryCrossEntropy()(np.full(2, 0.5), np.array([NAN, 1.0]))
    with pytest.raises(RuntimeError, match=r"CrossEntropy became inf although the logits are finite: values from "
                                           r"-3e\+38 to 3e\+38 are too large for float32.*learning rate"):
        CrossEntropy()(np.array([[-3e38, 3e38]], np.float32), np.array([0]))
    with pytest.raises(RuntimeError, match=r"MSE became inf"):
        MSE()(np.array([3e38], np.float32), np.array([-3e38], np.float32))


# -- layers propagate ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, shape", [
    (lambda: Conv2D(1, 2, 3, padding=1, seed=0), (2, 1, 4, 4)), (lambda: MaxPool2D(2), (2, 1, 4, 4)),
    (ReLU, (2, 1, 4, 4)), (Flatten, (2, 1, 4, 4)), (lambda: Dense(3, 2, seed=0), (2, 3)),
    (lambda: BatchNorm2D(1), (2, 1, 4, 4)), (lambda: BatchNorm1D(3), (2, 3)),
])
def test_layers_propagate_nan_in_forward_and_backward_and_keep_their_buffers_finite(make, shape):
    layer = make()
    x = np.ones(shape, dtype=np.float32)
    x.flat[0] = NAN
    out = layer(x)
    assert np.isnan(out).any()
    for name in ("running_mean", "running_var"):
        if hasattr(layer, name):
            assert np.isfinite(getattr(layer, name)).all(), f"{name} must not take in a NaN batch"
    layer(np.ones(shape, dtype=np.float32))
    dout = np.ones(out.shape, dtype=np.float32)
    dout.flat[0] = NAN
    assert np.isnan(layer.backward(dout)).any()
