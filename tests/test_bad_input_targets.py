"""Bad input, class 5: targets and labels out of range, of the wrong kind, or not distributions.

* One-hot/probability targets ``(N, K)`` of ``CrossEntropy`` and
  ``CategoricalCrossEntropy`` must be finite, in [0, 1] and sum to 1 per row,
  to the precision of their dtype (at least 1e-6); the label-smoothed row is
  built from a valid one.
* ``BinaryCrossEntropy`` targets must lie in [0, 1] (both modes).
* ``evaluate``/``fit`` on a classifier (outputs ``(N, K)``, ``K >= 2``) need
  integer labels in ``[0, K)`` or rows shaped like the outputs, even without a
  loss: a float or out-of-range label is an error, never a silent accuracy.
"""
import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.layers import Dense, Softmax
from cnnlib.losses import MSE, BinaryCrossEntropy, CategoricalCrossEntropy, CrossEntropy
from cnnlib.metrics import accuracy
from cnnlib.optim import SGD

CLASS_LOSSES = [(CrossEntropy, lambda z: z), (CategoricalCrossEntropy, lambda z: Softmax()(z))]


@pytest.mark.parametrize("loss, prep", CLASS_LOSSES)
@pytest.mark.parametrize("target, pattern", [
    ([[1.5, -0.5], [0.0, 1.0]], r"expects one-hot/probability targets in \[0, 1\], got values in \[-0\.5, 1\.5\]"),
    ([[0.5, 0.2], [0.0, 1.0]], r"target rows that do not sum to 1: 1 of 2 rows, the first is row 0, summing to 0\.7"),
    ([[0.0, 0.0], [0.0, 0.0]], r"do not sum to 1: 2 of 2 rows.*summing to 0 .*integer labels"),
    ([[np.nan, 1.0], [0.0, 1.0]], r"NaN in the targets"),
])
def test_soft_targets_must_be_distributions(loss, prep, target, pattern):
    z = prep(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=pattern):
        loss()(z, np.array(target))
    with pytest.raises(ValueError, match=pattern):
        loss(label_smoothing=0.1)(z, np.array(target)) if loss is CrossEntropy else loss()(z, np.array(target))


def test_the_row_sum_tolerance_follows_the_targets_precision():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((8, 1000))
    soft32 = Softmax()(rng.standard_normal((8, 1000)).astype(np.float32))  # float32 rounding: sums 1 +- ~1e-6
    assert np.isfinite(CrossEntropy()(logits, soft32))
    soft64 = Softmax()(rng.standard_normal((8, 1000)))
    assert np.isfinite(CrossEntropy()(logits, soft64))
    with pytest.raises(ValueError, match="do not sum to 1"):
        CrossEntropy()(logits, soft64 * (1 + 1e-5))
    assert CrossEntropy()(np.zeros((2, 3)), np.eye(3, dtype=np.uint8)[[0, 2]]) == pytest.approx(np.log(3))
    assert CrossEntropy()(np.zeros((2, 3)), np.eye(3, dtype=bool)[[0, 2]]) == pytest.approx(np.log(3))


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("target", [[2.0, 0.0], [-1.0, 1.0]])
def test_binary_targets_must_lie_in_0_1(from_logits, target):
    with pytest.raises(ValueError, match=r"targets in \[0, 1\]"):
        BinaryCrossEntropy(from_logits=from_logits)(np.array([0.5, 0.5]), np.array(target))


def _classifier():
    return Sequential([Dense(2, 3, seed=0)])


@pytest.mark.parametrize("y, error, pattern", [
    (np.array([0, 1, 2, 7]), ValueError, r"evaluate got label 7 at index 3, but the predictions have K=3 classes"),
    (np.array([0, 1, -1, 2]), ValueError, r"evaluate got label -1 at index 2"),
    (np.array([0.0, 1.0, 2.0, 1.0]), TypeError, r"evaluate labels of shape \(N,\) must be integer class indices, "
                                                r"got dtype float64.*astype\(np\.int64\)"),
    (np.array([[0], [1], [2], [1]]), ValueError, r"evaluate: y has shape \(4, 1\), but the model puts out 3 class "
                                                 r"scores.*y\.ravel\(\)"),
    (np.array(["a", "b", "c", "a"]), TypeError, r"must be integer class indices, got dtype <U1"),
])
def test_evaluate_without_a_loss_refuses_labels_it_cannot_score(y, error, pattern):
    with pytest.raises(error, match=pattern):
        _classifier().evaluate(np.ones((4, 2)), y)


def test_evaluate_with_a_loss_names_the_loss():
    with pytest.raises(ValueError, match=r"CrossEntropy got label 3 at index 0"):
        _classifier().evaluate(np.ones((1, 2)), np.array([3]), loss=CrossEntropy())


class AnyLoss:
    """A loss of the user's own that checks nothing (MSE against the one-hot rows it makes itself)."""

    def forward(self, out, y):
        self.mse = MSE()
        return self.mse(out, np.eye(out.shape[1])[np.asarray(y, dtype=np.int64) % out.shape[1]])

    def backward(self):
        return self.mse.backward()


@pytest.mark.parametrize("y, error, pattern", [
    (np.array([0, 1, 2, 5] * 4), ValueError, r"fit got label 5 at index"),
    (np.array([0.0, 1.0, 2.0, 1.0] * 4), TypeError, r"fit labels of shape \(N,\) must be integer class indices"),
])
def test_fit_refuses_labels_it_cannot_score_even_when_the_loss_does_not_check(y, error, pattern):
    model = _classifier()
    with pytest.raises(error, match=pattern):
        model.fit(np.ones((16, 2)), y, loss=AnyLoss(), optimizer=SGD(model, lr=0.1), epochs=1, progress=False)


def test_regression_targets_are_not_labels():
    model = Sequential([Dense(2, 1, seed=0)])
    x, y = np.ones((8, 2)), np.linspace(-1, 1, 8).reshape(8, 1)
    h = model.fit(x, y, loss=MSE(), optimizer=SGD(model, lr=0.01), epochs=1, progress=False)
    assert set(h.history) == {"loss"}
    assert model.evaluate(x, y, loss=MSE()).keys() == {"loss"}


@pytest.mark.parametrize("y, error, words", [
    (np.full((3, 3), np.nan), ValueError, "accuracy got NaN in the targets"),  # argmax of NaN rows is 0
    (np.array([[1.0, 1, 0], [0, 1, 0], [0, 0, 1]]), ValueError, "target rows that do not sum to 1"),
    (np.array([["a", "b", "c"]] * 3), TypeError, "y must be a numeric array"),
])
def test_accuracy_checks_one_hot_rows_like_the_losses(y, error, words):
    with pytest.raises(error, match=words):
        accuracy(np.eye(3), y)
