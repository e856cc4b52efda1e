import numpy as np
import pytest

from cnnlib.layers import BatchNorm2D
from cnnlib.viz.batchnorm import BASE_MEANS, BATCH_SHAPE, activation_batch, trained_running_stats
from cnnlib.widgets import batchnorm_view, batchnorm_widget


def by_formula(x, mean, var, gamma, beta, eps=1e-5):
    mean, var = np.asarray(mean).reshape(1, -1, 1, 1), np.asarray(var).reshape(1, -1, 1, 1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


@pytest.mark.parametrize("shift, scale, gamma, beta", [(0, 1, 1, 0), (3, 2, 2, 1), (-5, 0.25, 0.5, -3)])
def test_train_mode_normalises_each_channel_with_the_batch_statistics(shift, scale, gamma, beta):
    view = batchnorm_view(shift, scale, gamma, beta, "train")
    d = view.demo
    x = activation_batch(shift, scale)
    np.testing.assert_array_equal(d.x, x)
    np.testing.assert_allclose(d.batch_mean, x.mean(axis=(0, 2, 3)), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(d.out, by_formula(x, x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3)), gamma, beta),
                               atol=1e-4)
    np.testing.assert_allclose(d.out_mean, beta, atol=1e-4)  # whatever the shift and scale
    np.testing.assert_allclose(d.out_std, gamma, rtol=1e-3)


def test_eval_mode_uses_the_running_statistics():
    d = batchnorm_view(shift=3.0, scale=2.0, mode="eval").demo
    running_mean, running_var = trained_running_stats()
    np.testing.assert_allclose(running_mean, BASE_MEANS, atol=0.05)  # learned from unshifted batches
    np.testing.assert_array_equal(d.used_mean, running_mean)
    np.testing.assert_allclose(d.out, by_formula(d.x, running_mean, running_var, 1.0, 0.0), atol=1e-4)
    assert d.out_mean[1] > 10  # the shifted batch comes out shifted
    layer = BatchNorm2D(3)
    layer.running_mean[:], layer.running_var[:] = running_mean, running_var
    np.testing.assert_allclose(d.out, layer.eval()(d.x), atol=1e-6)


def test_histograms_count_every_value_of_every_channel():
    view = batchnorm_view(shift=1.0)
    n = BATCH_SHAPE[0] * BATCH_SHAPE[2] * BATCH_SHAPE[3]
    for when in ("before", "after"):
        assert [int(h.sum()) for h in view.counts[when]] == [n, n, n]
    assert view.message.startswith("train mode: normalised with μ = (")


def test_bad_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="mode must be 'train' or 'eval'"):
        batchnorm_view(mode="test")


def test_widget_sliders_and_mode_redraw():
    box = batchnorm_widget(shift=2.0, scale=1.5)
    assert box.controls["shift"].value == 2.0 and box.controls["scale"].value == 1.5
    first = bytes(box.panel.image.value)
    box.controls["gamma"].value = 2.0
    second = bytes(box.panel.image.value)
    assert second != first
    box.controls["mode"].value = "eval"
    assert bytes(box.panel.image.value) != second
    assert box.panel.message.value.startswith("<div") and "eval mode" in box.panel.message.value
