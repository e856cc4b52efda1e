import re

import numpy as np
import pytest

import cnnlib.demos.filters as filters
from cnnlib.demos.filters import apply_kernel, edge_map, filter_channels, sample_edge_map, sample_photo
from cnnlib.functional import conv2d
from cnnlib.image_filters import get_kernel

IMAGE = np.random.default_rng(0).random((12, 10)).astype(np.float32)


@pytest.mark.parametrize("name, stride, padding", [("sobel_x", 1, 1), ("gaussian", 2, 0), ("laplacian", 3, 2)])
def test_apply_kernel_is_cnnlibs_convolution(name, stride, padding):
    out = apply_kernel(IMAGE, get_kernel(name), stride, padding)
    expected = conv2d(IMAGE[None, None].astype(np.float64), get_kernel(name, np.float64)[None, None],
                      stride=stride, padding=padding)
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_apply_kernel_by_hand():
    shift = np.zeros((3, 3))
    shift[1, 2] = 1  # out[i, j] = x[i, j + 1]: the picture moves one pixel left
    np.testing.assert_array_equal(apply_kernel(IMAGE, shift)[0, 0], IMAGE[1:-1, 2:])
    assert apply_kernel(-IMAGE, get_kernel("identity"), padding=1, relu=True).max() == 0


def test_the_layer_for_a_setting_is_built_once(monkeypatch):
    built = []
    filters._conv_layer.cache_clear()
    real = filters.Conv2D

    def counting(*args, **kwargs):
        built.append(kwargs.get("seed"))
        return real(*args, **kwargs)

    monkeypatch.setattr(filters, "Conv2D", counting)
    for name in ("sobel_x", "sobel_y", "gaussian", "sobel_x"):
        apply_kernel(IMAGE, get_kernel(name), stride=2, padding=1)
    apply_kernel(IMAGE, get_kernel("sobel_x"), stride=1, padding=1)
    assert built == [0, 0]  # one seeded layer per (shape, stride, padding)
    filters._conv_layer.cache_clear()


def test_edge_map_keeps_the_size_and_is_non_negative():
    image = np.zeros((6, 6))
    image[:, 3:] = 1.0  # one vertical edge, brighter to the right
    fmap = edge_map(image)
    assert fmap.shape == (6, 6) and fmap.min() == 0
    np.testing.assert_array_equal(fmap[2:4, 2:4], 4)  # Sobel x across the edge: 1 + 2 + 1
    assert fmap[:, 0].max() == 0


def test_sample_photo_and_its_edge_map():
    assert sample_photo().shape == sample_edge_map().shape == (150, 128)
    assert not sample_photo().flags.writeable and sample_edge_map().min() == 0


def test_filter_channels_by_hand_and_against_conv2d():
    x = np.stack([np.ones((3, 3)), 2 * np.ones((3, 3))])  # 2 channels
    w = np.stack([np.ones((2, 2)), -np.ones((2, 2))])
    fc = filter_channels(x, w, bias=0.5)
    np.testing.assert_array_equal(fc.parts[0], np.full((2, 2), 4))
    np.testing.assert_array_equal(fc.parts[1], np.full((2, 2), -8))
    np.testing.assert_array_equal(fc.out, np.full((2, 2), -3.5))  # 4 − 8 + 0.5
    rng = np.random.default_rng(1)
    x, w = rng.integers(0, 4, (3, 5, 4)), rng.integers(-1, 2, (3, 3, 3))
    fc = filter_channels(x, w, bias=1.0)
    np.testing.assert_allclose(sum(fc.parts) + 1.0, fc.out)
    with pytest.raises(ValueError, match="same C"):
        filter_channels(np.ones((2, 3, 3)), np.ones((3, 2, 2)))


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(relu="False"), TypeError, "relu must be True or False, got 'False'"),  # a string is truthy
    (dict(stride=True), TypeError, "stride must be an int or a pair of ints, got True (a bool)"),
    (dict(padding=True), TypeError, "padding must be an int or a pair of ints, got True (a bool)"),
    (dict(padding="full"), ValueError, "padding must be an int, a pair of ints, 'valid' or 'same', got 'full'"),
])
def test_apply_kernel_checks_its_settings_before_the_cached_layer(kwargs, error, words):
    apply_kernel(np.ones((4, 4)), np.ones((3, 3)), stride=1, padding=1)  # caches the layer of stride 1, padding 1
    with pytest.raises(error, match=re.escape(words)):
        apply_kernel(np.ones((4, 4)), np.ones((3, 3)), **{"stride": 1, "padding": 1, **kwargs})


def test_apply_kernel_takes_padding_as_a_list_or_per_side():
    same = apply_kernel(np.ones((4, 4)), np.ones((3, 3)), padding=1)
    np.testing.assert_array_equal(apply_kernel(np.ones((4, 4)), np.ones((3, 3)), padding=[1, 1]), same)
    np.testing.assert_array_equal(apply_kernel(np.ones((4, 4)), np.ones((3, 3)), padding=((1, 1), (1, 1))), same)
