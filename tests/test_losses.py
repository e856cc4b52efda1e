"""Losses: known values, gradient checks, stability, properties and input errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnlib.gradcheck import check_loss
from cnnlib.layers import Softmax
from cnnlib.losses import MSE, BinaryCrossEntropy, CategoricalCrossEntropy, CrossEntropy

RNG = np.random.default_rng(0)
ALL_LOSSES = [CrossEntropy, CategoricalCrossEntropy, BinaryCrossEntropy, MSE]


# -- known values ---------------------------------------------------------------------
def test_cross_entropy_known_values():
    logits = np.array([[0.0, np.log(2.0)], [0.0, np.log(2.0)]])  # softmax [1/3, 2/3]
    assert CrossEntropy()(logits, np.array([1, 0])) == pytest.approx((np.log(1.5) + np.log(3)) / 2)
    assert CrossEntropy()(np.zeros((1, 10)), np.array([3])) == pytest.approx(np.log(10))


def test_cross_entropy_backward_is_softmax_minus_onehot_over_n():
    logits = np.array([[0.0, np.log(2.0)], [0.0, 0.0]])
    loss = CrossEntropy()
    loss(logits, np.array([1, 0]))
    np.testing.assert_allclose(loss.backward(), [[1 / 6, -1 / 6], [-1 / 4, 1 / 4]])


def test_one_hot_targets_equal_integer_labels():
    logits, y = RNG.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    onehot = np.eye(4)[y]
    for cls, pred in [(CrossEntropy, logits), (CategoricalCrossEntropy, Softmax()(logits))]:
        a, b = cls(), cls()
        assert a(pred, y) == pytest.approx(b(pred, onehot), rel=1e-12)
        np.testing.assert_allclose(a.backward(), b.backward())


def test_categorical_on_softmax_equals_cross_entropy_on_logits():
    logits, y = RNG.normal(size=(6, 5)), RNG.integers(0, 5, 6)
    softmax = Softmax()
    ce, cce = CrossEntropy(), CategoricalCrossEntropy()
    assert cce(softmax(logits), y) == pytest.approx(ce(logits, y), rel=1e-12)
    np.testing.assert_allclose(softmax.backward(cce.backward()), ce.backward(), atol=1e-12)


def test_bce_and_mse_known_values():
    assert BinaryCrossEntropy()(np.array([0.5, 0.5]), np.array([0, 1])) == pytest.approx(np.log(2))
    assert BinaryCrossEntropy(from_logits=True)(np.array([[0.0]]), np.array([[1.0]])) == pytest.approx(np.log(2))
    assert MSE()(np.array([1.0, 3.0]), np.array([0.0, 0.0])) == 5.0
    assert isinstance(MSE()(np.ones(2), np.ones(2)), float)


def test_bce_from_logits_equals_bce_of_sigmoid():
    z, y = RNG.normal(size=(4, 3)), RNG.uniform(size=(4, 3))
    assert BinaryCrossEntropy(from_logits=True)(z, y) == pytest.approx(
        BinaryCrossEntropy()(1 / (1 + np.exp(-z)), y), rel=1e-12)


# -- gradient checks (float64) ----------------------------------------------------------
def _cases():
    y = RNG.integers(0, 6, 5)
    return [
        (CrossEntropy(), RNG.normal(size=(5, 6)), y),
        (CrossEntropy(), RNG.normal(size=(5, 6)), RNG.dirichlet(np.ones(6), 5)),
        (CategoricalCrossEntropy(), RNG.dirichlet(np.ones(6) * 5, 5), y),
        (CategoricalCrossEntropy(), RNG.dirichlet(np.ones(6) * 5, 5), RNG.dirichlet(np.ones(6), 5)),
        (BinaryCrossEntropy(), RNG.uniform(0.1, 0.9, (5, 2)), RNG.integers(0, 2, (5, 2))),
        (BinaryCrossEntropy(from_logits=True), RNG.normal(size=(5, 2)), RNG.uniform(size=(5, 2))),
        (MSE(), RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))),
    ]


@pytest.mark.parametrize("loss, pred, target", _cases(), ids=lambda v: repr(v) if not isinstance(v, np.ndarray) else "")
def test_gradient_check(loss, pred, target):
    report = check_loss(loss, pred, target)
    assert report.passed(1e-6), str(report)


@pytest.mark.parametrize("cls", ALL_LOSSES)
def test_backward_dtype_and_shape_follow_pred(cls):
    pred = np.full((4, 3), 0.3, dtype=np.float32)
    target = np.array([0, 1, 2, 0]) if cls in (CrossEntropy, CategoricalCrossEntropy) else np.ones((4, 3))
    loss = cls()
    assert isinstance(loss(pred, target), float)
    grad = loss.backward()
    assert grad.shape == (4, 3) and grad.dtype == np.float32


# -- stability -----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_finite_for_huge_logits(dtype):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], dtype=dtype)
    ce = CrossEntropy()
    # sample 0 is 2e4 below its max; sample 1 too, and its two tied maxima add ln 2
    assert ce(logits, np.array([1, 0])) == pytest.approx(2e4 + np.log(2) / 2, rel=1e-6)
    assert np.all(np.isfinite(ce.backward()))
    assert ce(logits, np.array([0, 1])) == pytest.approx(np.log(2) / 2, rel=1e-5)
    bce = BinaryCrossEntropy(from_logits=True)
    assert bce(logits, (logits > 0).astype(dtype)) == pytest.approx(np.log(2) / 6, rel=1e-5)
    assert np.isfinite(bce(logits, np.zeros_like(logits))) and np.all(np.isfinite(bce.backward()))


def test_probability_losses_clip_zero_and_one():
    cce = CategoricalCrossEntropy()
    assert cce(np.array([[0.0, 1.0]]), np.array([0])) == pytest.approx(-np.log(1e-12))
    assert np.all(np.isfinite(cce.backward()))
    bce = BinaryCrossEntropy()
    assert np.isfinite(bce(np.array([0.0, 1.0], dtype=np.float32), np.array([1.0, 0.0])))
    assert np.all(np.isfinite(bce.backward()))


# -- properties --------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 6)),
              elements=st.floats(-1e4, 1e4, allow_nan=False)), st.data())
def test_cross_entropy_is_non_negative_and_finite(logits, data):
    n, k = logits.shape
    y = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    ce = CrossEntropy()
    value = ce(logits, y)
    assert np.isfinite(value) and value >= 0
    grad = ce.backward()
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-12)  # softmax and one-hot rows both sum to 1


# -- errors -------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", ALL_LOSSES)
def test_backward_before_forward(cls):
    with pytest.raises(RuntimeError, match=rf"{cls.__name__}.backward\(\) was called before forward"):
        cls().backward()


@pytest.mark.parametrize("cls", [CrossEntropy, CategoricalCrossEntropy])
def test_label_out_of_range_names_value_range_and_hint(cls):
    with pytest.raises(ValueError, match=r"label 10 at index 2.*K=10 classes.*\[0, 10\).*0-based"):
        cls()(np.full((3, 10), 0.1), np.array([0, 9, 10]))
    with pytest.raises(ValueError, match=r"label -1 at index 0"):
        cls()(np.full((3, 10), 0.1), np.array([-1, 0, 0]))


def test_label_errors():
    logits = np.zeros((4, 3))
    with pytest.raises(ValueError, match="N=4 samples but 3 targets"):
        CrossEntropy()(logits, np.array([0, 1, 2]))
    with pytest.raises(TypeError, match=r"must be integer class indices, got dtype float64.*astype"):
        CrossEntropy()(logits, np.array([0.0, 1.0, 2.0, 0.0]))
    with pytest.raises(ValueError, match="targets with 5 columns but predictions with K=3 classes"):
        CrossEntropy()(logits, np.zeros((4, 5)))
    with pytest.raises(TypeError, match="targets must be numeric"):
        CrossEntropy()(logits, np.array(["a", "b", "c", "d"]))
    with pytest.raises(ValueError, match=r"got shape \(4, 3, 1\)"):
        CrossEntropy()(logits, np.zeros((4, 3, 1), dtype=int))


def test_pred_errors():
    with pytest.raises(ValueError, match=r"logits of shape \(N, K\) \(2-D\), got shape \(4,\)"):
        CrossEntropy()(np.zeros(4), np.array([0, 1, 2, 0]))
    with pytest.raises(TypeError, match="numeric array"):
        CrossEntropy()(np.array([["a", "b"]]), np.array([0]))
    with pytest.raises(ValueError, match=r"NaN in the logits: 1 of 6 entries.*\(1, 0\).*learning rate"):
        CrossEntropy()(np.array([[0.0, 1.0, 2.0], [np.nan, 0.0, 0.0]]), np.array([0, 1]))
    with pytest.raises(ValueError, match="inf in the pred"):
        MSE()(np.array([np.inf, 0.0]), np.zeros(2))
    with pytest.raises(ValueError, match="empty"):
        MSE()(np.zeros((0, 3)), np.zeros((0, 3)))


def test_probability_range_errors_suggest_the_logit_version():
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\], got values in \[-1, 3\].*CrossEntropy"):
        CategoricalCrossEntropy()(np.array([[-1.0, 3.0]]), np.array([1]))
    with pytest.raises(ValueError, match="from_logits=True"):
        BinaryCrossEntropy()(np.array([2.0, -1.0]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"targets in \[0, 1\]"):
        BinaryCrossEntropy(from_logits=True)(np.array([2.0]), np.array([2.0]))


@pytest.mark.parametrize("cls", [BinaryCrossEntropy, MSE])
def test_target_shape_mismatch(cls):
    with pytest.raises(ValueError, match=r"same shape as pred \(4, 1\), got \(4,\).*reshape"):
        cls()(np.full((4, 1), 0.5), np.ones(4))


def test_constructor_errors_and_repr():
    with pytest.raises(ValueError, match="eps must be a number in"):
        CategoricalCrossEntropy(eps=0)
    assert repr(CrossEntropy()) == "CrossEntropy()"
    assert repr(BinaryCrossEntropy(from_logits=True)) == "BinaryCrossEntropy(from_logits=True)"


def test_label_smoothing_by_hand_and_bad_values():
    # K=2, eps=0.2: the target [0, 1] becomes [0.1, 0.9]; equal logits give ln 2 whatever the target.
    loss = CrossEntropy(label_smoothing=0.2)
    assert loss(np.array([[0.0, 0.0]]), np.array([1])) == pytest.approx(np.log(2))
    np.testing.assert_allclose(loss.backward(), [[0.5 - 0.1, 0.5 - 0.9]])
    assert repr(loss) == "CrossEntropy(label_smoothing=0.2)" and repr(CrossEntropy()) == "CrossEntropy()"
    for bad in (1.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match=r"label_smoothing must be a number in \[0, 1\), got"):
            CrossEntropy(label_smoothing=bad)
    for bad in ("0.1", True):
        with pytest.raises(TypeError, match=r"label_smoothing must be a number, got"):
            CrossEntropy(label_smoothing=bad)
