"""Lesson 08's maths: the learning-rate sweep converges below some rate and diverges above it, He init keeps
the activations' size while half and double its std shrink and grow them geometrically, the stable BCE is
right where the naive one is inf or NaN, and early stopping picks the best validation epoch."""
import numpy as np
import pytest

from cnnlib.demos.training import (LR_EXPONENTS, activation_stats, bce_naive, bce_stable, early_stopping, lr_sweep,
                                   naive_sigmoid)
from cnnlib.losses import BinaryCrossEntropy


def _blobs(n=300, features=20, classes=3, seed=0):
    """Three well separated Gaussian clusters: a problem a small MLP learns in a few dozen steps."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    centres = rng.standard_normal((classes, features)) * 2
    return centres[y] + rng.standard_normal((n, features)), y


@pytest.fixture(scope="module")
def sweep():
    x, y = _blobs()
    return lr_sweep(x, y, 10.0 ** np.arange(-3, 3.01, 0.5), steps=40, batch_size=50)


def test_sweep_starts_every_run_from_the_same_loss(sweep):
    assert np.all(sweep.losses[:, 0] == sweep.losses[0, 0])
    assert sweep.losses.shape == (13, 41)


def test_small_learning_rates_converge_and_large_ones_diverge(sweep):
    diverged = sweep.diverged_at >= 0
    assert not diverged[:6].any(), "every lr up to 0.3 trains"
    assert diverged[-1], "lr = 1000 must diverge"
    first = int(np.argmax(diverged))
    assert diverged[first:].all(), "once a rate diverges, every larger one does"
    best = sweep.best()
    assert sweep.losses[best, -1] < 0.2 * sweep.losses[best, 0], "the best rate cuts the loss by 5x"
    assert sweep.losses[0, -1] > 3 * sweep.losses[best, -1], "lr = 0.001 is far behind after 40 steps"
    finals = sweep.final_loss()[: best + 1]
    assert np.all(np.diff(finals) < 0), "up to the best rate, a larger rate ends lower"
    assert best < first


def test_a_diverged_run_is_nan_after_the_step_where_it_blew_up(sweep):
    k = len(sweep.lrs) - 1
    stop = sweep.diverged_at[k]
    assert 1 <= stop <= sweep.steps
    assert np.isfinite(sweep.losses[k, :stop]).all() and np.isnan(sweep.losses[k, stop:]).all()
    assert sweep.reason[k] in ("inf", "nan", "too large")
    assert np.isnan(sweep.final_loss()[k])


def test_inf_and_nan_outputs_are_caught_not_raised():
    x, y = _blobs(60, 8)
    runaway = lr_sweep(x, y, [1e200], steps=5, batch_size=20, limit=np.inf)
    assert runaway.diverged_at[0] >= 1 and runaway.reason[0] in ("inf", "nan")


def test_index_picks_the_nearest_rate_on_a_log_scale(sweep):
    assert sweep.index(0.1) == 4 and sweep.index(0.15) == 4 and sweep.index(0.25) == 5
    with pytest.raises(ValueError, match="lr"):
        sweep.index(-1.0)


def test_default_grid_is_the_slider_grid():
    assert LR_EXPONENTS[0] == -3 and LR_EXPONENTS[-1] == 1 and len(LR_EXPONENTS) == 17


def test_bad_data_is_a_clear_error():
    with pytest.raises(ValueError, match="same N"):
        lr_sweep(np.zeros((5, 3)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="positive learning rates"):
        lr_sweep(*_blobs(30, 4), [0.1, -1.0])


def test_he_keeps_the_std_and_half_or_double_scale_shrink_or_grow_geometrically():
    he = activation_stats(2.0, depth=15)
    assert np.all(he.std[1:] / he.std[1] < 2) and np.all(he.std[1:] / he.std[1] > 0.5), he.std
    small, large = activation_stats(0.5, depth=15), activation_stats(8.0, depth=15)
    np.testing.assert_allclose(small.ratio, 0.5, rtol=0.05)
    np.testing.assert_allclose(large.ratio, 2.0, rtol=0.05)
    per_layer = small.std[2:] / small.std[1:-1]  # every single layer, not only on average
    assert np.all((per_layer > 0.4) & (per_layer < 0.6)), per_layer
    xavier = activation_stats(1.0, depth=15)
    np.testing.assert_allclose(xavier.ratio, 1 / np.sqrt(2), rtol=0.05)


def test_naive_bce_breaks_where_the_stable_form_is_right():
    z, y = np.array([40.0, 40.0, -800.0, -800.0]), np.array([0.0, 1.0, 1.0, 0.0])
    naive = bce_naive(z, y)
    assert np.isinf(naive[0]) and np.isnan(naive[1]) and np.isinf(naive[2]) and np.isnan(naive[3])
    np.testing.assert_allclose(bce_stable(z, y), [40.0, np.exp(-40.0), 800.0, 0.0], rtol=1e-12, atol=1e-300)
    assert naive_sigmoid(np.array([40.0]))[0] == 1.0 and naive_sigmoid(np.array([-800.0]))[0] == 0.0


def test_stable_bce_equals_naive_where_finite_and_cnnlib():
    rng = np.random.default_rng(0)
    z, y = rng.normal(0, 3, 50), (rng.random(50) > 0.5).astype(float)
    np.testing.assert_allclose(bce_stable(z, y), bce_naive(z, y), rtol=1e-10)
    assert BinaryCrossEntropy(from_logits=True)(z, y) == pytest.approx(bce_stable(z, y).mean(), rel=1e-12)


def test_bce_stable_against_torch():
    torch = pytest.importorskip("torch")
    z, y = np.array([40.0, 40.0, -800.0, -800.0, 2.0, -0.5]), np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    expected = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y),
                                                                    reduction="none").numpy()
    np.testing.assert_allclose(bce_stable(z, y), expected, rtol=1e-12, atol=1e-300)


def test_early_stopping_finds_the_best_epoch_and_the_stop():
    curve = [1.0, 0.8, 0.7, 0.72, 0.69, 0.75, 0.8, 0.9, 1.0]
    stop = early_stopping(curve, patience=3)
    assert (stop.best, stop.stopped, stop.best_loss) == (5, 8, 0.69)
    never = early_stopping([3.0, 2.0, 1.0], patience=2)
    assert (never.best, never.stopped) == (3, 3)
    with pytest.raises(ValueError, match="non-empty"):
        early_stopping([])


@pytest.mark.parametrize("limit, error", [(np.nan, ValueError), (-1.0, ValueError), (0, ValueError),
                                          ("100", TypeError)])
def test_lr_sweep_refuses_a_limit_that_would_call_every_run_diverged(limit, error):
    with pytest.raises(error, match=r"limit must be a positive number \(or np.inf\), got"):
        lr_sweep(*_blobs(30, 4), [0.1], steps=2, batch_size=10, limit=limit)


def test_early_stopping_refuses_a_diverged_curve():
    """NaN compares False with everything: without the check, a NaN first loss would be 'best' for ever."""
    with pytest.raises(ValueError, match=r"early_stopping got NaN in the validation losses: 1 of 4"):
        early_stopping([np.nan, 0.7, 0.6, 0.65])
    with pytest.raises(TypeError, match="val_losses must be a numeric array"):
        early_stopping(["0.9", "0.7"])


@pytest.mark.parametrize("bce", [bce_naive, bce_stable])
def test_bce_refuses_targets_that_would_broadcast(bce):
    with pytest.raises(ValueError, match=r"one target per logit, got logits of shape \(3,\) and targets of shape \(3, 1\)"):
        bce(np.zeros(3), np.zeros((3, 1)))
