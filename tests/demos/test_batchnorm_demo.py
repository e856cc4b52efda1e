import re

import numpy as np
import pytest

from cnnlib.demos.batchnorm import (BASE_MEANS, BASE_STDS, BATCH_SHAPE, activation_batch, batchnorm_demo,
                                    channel_histograms, trained_running_stats)
from cnnlib.layers import BatchNorm2D


def by_formula(x, mean, var, gamma, beta, eps=1e-5):
    mean, var = np.asarray(mean).reshape(1, -1, 1, 1), np.asarray(var).reshape(1, -1, 1, 1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def test_the_batch_has_each_channels_own_mean_and_spread():
    x = activation_batch(shift=1.0, scale=2.0)
    assert x.shape == BATCH_SHAPE and x.dtype == np.float32
    np.testing.assert_allclose(x.mean(axis=(0, 2, 3)), 2 * np.array(BASE_MEANS) + 1, atol=0.25)
    np.testing.assert_allclose(x.std(axis=(0, 2, 3)), 2 * np.array(BASE_STDS), rtol=0.1)


@pytest.mark.parametrize("shift, scale, gamma, beta", [(0, 1, 1, 0), (3, 2, 2, 1), (-5, 0.25, 0.5, -3)])
def test_train_mode_normalises_each_channel_with_the_batch_statistics(shift, scale, gamma, beta):
    d = batchnorm_demo(shift, scale, gamma, beta, "train")
    x = activation_batch(shift, scale)
    np.testing.assert_array_equal(d.x, x)
    np.testing.assert_allclose(d.batch_mean, x.mean(axis=(0, 2, 3)), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(d.out, by_formula(x, x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3)), gamma, beta),
                               atol=1e-4)
    np.testing.assert_allclose(d.out_mean, beta, atol=1e-4)  # whatever the shift and scale
    np.testing.assert_allclose(d.out_std, gamma, rtol=1e-3)


def test_eval_mode_uses_the_running_statistics():
    d = batchnorm_demo(shift=3.0, scale=2.0, mode="eval")
    running_mean, running_var = trained_running_stats()
    np.testing.assert_allclose(running_mean, BASE_MEANS, atol=0.05)  # learned from unshifted batches
    np.testing.assert_array_equal(d.used_mean, running_mean)
    np.testing.assert_allclose(d.out, by_formula(d.x, running_mean, running_var, 1.0, 0.0), atol=1e-4)
    assert d.out_mean[1] > 10  # the shifted batch comes out shifted: (2·3 + 3 − 3)/0.5 ≈ 12
    layer = BatchNorm2D(3)
    layer.running_mean[:], layer.running_var[:] = running_mean, running_var
    np.testing.assert_allclose(d.out, layer.eval()(d.x), atol=1e-6)


def test_histograms_count_every_value_of_every_channel():
    d = batchnorm_demo(shift=1.0)
    n = BATCH_SHAPE[0] * BATCH_SHAPE[2] * BATCH_SHAPE[3]
    for edges, counts in d.histograms.values():
        assert [int(h.sum()) for h in counts] == [n, n, n] and len(edges) == 49


def test_histogram_bins_widen_to_the_values():
    values = np.zeros((2, 1, 1, 1))
    values[0, 0] = 10.0
    edges, (counts,) = channel_histograms(values, -1.0, 1.0, bins=11)
    assert (edges[0], edges[-1]) == (-1.0, 10.0) and counts.tolist() == [0, 1] + [0] * 8 + [1]


def test_bad_mode_is_a_clear_error():
    with pytest.raises(ValueError, match=re.escape("mode must be one of ('train', 'eval')")):
        batchnorm_demo(mode="test")


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(gamma="2"), TypeError, "gamma must be a number, got '2'"),  # numpy would quietly read the string as 2.0
    (dict(beta=np.nan), ValueError, "beta must be a finite number, got nan"),  # every output NaN
    (dict(shift=np.inf), ValueError, "shift must be a finite number, got inf"),
    (dict(mode="test"), ValueError, "mode must be one of ('train', 'eval'), got 'test'"),
])
def test_batchnorm_demo_refuses_settings_it_would_misdraw(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        batchnorm_demo(**kwargs)
