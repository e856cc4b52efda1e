"""Lesson 12's maths: counts read from summary() equal the formulas, a 1×1 conv is a per-pixel Dense, skips keep
the gradient's size through depth."""
import re

import numpy as np
import pytest

import cnnlib.demos.building_blocks as building_blocks
from cnnlib.demos.building_blocks import (architecture_timeline, depth_gradients, depth_gradients_at,
                                          gap_vs_flatten, lenet5,
                                          pointwise_conv_as_dense, stack_vs_single, strided_vs_pool,
                                          vgg16_param_count)


def test_a_1x1_conv_is_a_dense_layer_applied_at_every_pixel():
    check = pointwise_conv_as_dense(in_channels=5, out_channels=3, size=4, batch=2, seed=1)
    assert check.conv_out.shape == check.dense_out.shape == (2, 3, 4, 4)
    np.testing.assert_allclose(check.conv_out, check.dense_out, rtol=0, atol=1e-12)
    assert check.max_abs_diff < 1e-12
    assert np.abs(check.conv_out).max() > 0.1  # not trivially zero
    assert check.summary.total_params == 5 * 3 + 3


@pytest.mark.parametrize("n, units", [(2, (18, 25)), (3, (27, 49))])
@pytest.mark.parametrize("channels", [8, 64])
def test_stacked_3x3_weights_from_summary_are_9nC2_against_2n_plus_1_squared_C2(n, units, channels):
    s = stack_vs_single(n, channels)
    assert s.stack_params == s.stack_formula == units[0] * channels ** 2
    assert s.single_params == s.single_formula == units[1] * channels ** 2
    assert s.stack_rf == s.single_rf == 2 * n + 1
    assert s.stack_summary.output_shape == s.single_summary.output_shape == (channels, 32, 32)


def test_27C2_against_49C2_at_64_channels_with_and_without_biases():
    s = stack_vs_single(3, 64)
    assert (s.stack_params, s.single_params) == (110_592, 200_704)  # 27·64², 49·64²
    b = stack_vs_single(3, 64, bias=True)
    assert (b.stack_params, b.single_params) == (110_592 + 3 * 64, 200_704 + 64)
    assert b.stack_params == b.stack_formula and b.single_params == b.single_formula


def test_global_average_pooling_head_against_flatten_and_dense():
    h = gap_vs_flatten(channels=64, size=7, classes=10)
    assert h.flatten_params == 64 * 7 * 7 * 10 + 10 == 31_370
    assert h.gap_params == 64 * 10 + 10 == 650
    assert "in_features=3136" in h.flatten_error and "12544" in h.flatten_error
    assert h.gap_shape_other == (10,)  # GAP + Dense takes the 14×14 map too


def test_a_strided_conv_halves_the_size_like_conv_and_pool_with_a_quarter_of_the_work():
    d = strided_vs_pool(in_channels=32, out_channels=64, size=28)
    assert d.pool_summary.output_shape == d.strided_summary.output_shape == (64, 14, 14)
    assert d.pool_params == d.strided_params == 3 * 3 * 32 * 64 + 64
    assert d.pool_macs == 28 * 28 * 64 * 9 * 32 == 4 * d.strided_macs


def test_skips_keep_the_gradient_within_a_small_factor_while_the_plain_stack_grows():
    g = depth_gradients(30, batchnorm=True, init="he")
    assert g.plain.shape == g.residual.shape == (31,)
    assert g.plain[-1] == g.residual[-1] == 1.0
    assert 50 < g.plain[0] < 100  # measured 74×
    assert 2 < g.residual[0] < 8  # measured 5.1×
    assert np.all(np.diff(g.residual) <= 0)  # the residual stack's gradient only grows a little at each skip


def test_without_batch_norm_the_plain_stack_vanishes_with_pytorchs_default_init():
    g = depth_gradients(20, batchnorm=False, init="uniform")
    assert g.plain[0] < 1e-8  # measured 2.7e-9
    assert 1 < g.residual[0] < 20  # measured 7.0
    he = depth_gradients(20, batchnorm=False, init="he")
    assert 0.03 < he.plain[0] < 0.3  # measured 0.105: He init shrinks it far less
    assert he.residual[0] > 100  # measured 963: unnormalised skips add up, the gradient explodes


def test_gradient_norms_are_seeded_and_one_forward_pass_gives_every_depth():
    together = depth_gradients_at((3, 6), seed=3)
    for depth in (3, 6):
        alone = building_blocks._depth_gradients_at.__wrapped__((depth,), True, "he", 8, 8, 4, 3)[depth]  # not cached
        np.testing.assert_array_equal(together[depth].plain, alone.plain)
        np.testing.assert_array_equal(together[depth].residual, alone.residual)
    with pytest.raises(ValueError, match="depths must be whole numbers"):
        depth_gradients_at((0, 3))


def test_the_timeline_counts_lenet_with_cnnlib_and_quotes_vgg_and_resnet():
    t = architecture_timeline()
    assert [m.name for m in t] == ["LeNet-5", "VGG-16", "ResNet-50"]
    assert [m.year for m in t] == [1998, 2014, 2015]
    assert t[0].params == lenet5().num_params() == 61_706 and t[0].counted == "cnnlib summary()"
    assert t[1].params == 138_000_000 and t[2].params == 25_600_000
    assert [m.counted for m in t[1:]] == ["quoted from the paper", "the usual count"]  # ResNet's paper: no count


def test_vggs_quoted_count_matches_cnnlibs_layer_shapes():
    assert vgg16_param_count() == 138_357_544
    assert round(vgg16_param_count() / 1e6) == 138


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(batchnorm="False"), TypeError, "batchnorm must be True or False, got 'False'"),  # a string is truthy
    (dict(init="xavier"), ValueError, "init must be one of ('he', 'uniform'), got 'xavier'"),
    (dict(channels=True), TypeError, "channels must be an integer, got True"),  # True == 1 as a cache key
    (dict(seed=-1), ValueError, "seed must be >= 0, got -1"),
])
def test_depth_gradients_checks_its_settings_before_the_cache(kwargs, error, words):
    depth_gradients_at((2,))  # fills the cache with the default settings
    with pytest.raises(error, match=re.escape(words)):
        depth_gradients_at((2,), **kwargs)


def test_depth_gradients_takes_numpy_depths():
    assert set(depth_gradients_at((np.int64(2), 3))) == {2, 3}


@pytest.mark.parametrize("call, error, words", [
    (lambda: stack_vs_single(0), ValueError, "n_stacked must be >= 1, got 0"),  # was an IndexError
    (lambda: stack_vs_single(2, channels=2.0), TypeError, "channels must be an integer, got 2.0"),
    (lambda: stack_vs_single(2, bias=1), TypeError, "bias must be True or False, got 1"),
    (lambda: vgg16_param_count(classes=-1), ValueError, "classes must be >= 1, got -1"),  # was a smaller count
    (lambda: gap_vs_flatten(size="7"), TypeError, "size must be an integer, got '7'"),
    (lambda: pointwise_conv_as_dense(batch=None), TypeError, "batch must be an integer, got None"),
])
def test_demos_refuse_counts_that_are_not_whole_numbers(call, error, words):
    with pytest.raises(error, match=re.escape(words)):
        call()
