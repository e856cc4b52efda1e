import numpy as np
import pytest

from cnnlib.datasets.images import LUMA, load_sample_image


def test_full_rgb_photo_in_unit_range():
    img = load_sample_image()
    assert img.shape == (600, 512, 3) and img.dtype == np.float32
    assert 0.0 <= img.min() and img.max() <= 1.0


def test_downsample_averages_blocks_and_gray_uses_luma():
    full = load_sample_image(dtype=np.float64)
    small = load_sample_image(downsample=4, dtype=np.float64)
    assert small.shape == (150, 128, 3)
    np.testing.assert_allclose(small[0, 0], full[:4, :4].mean(axis=(0, 1)))
    gray = load_sample_image(gray=True, downsample=4, dtype=np.float64)
    np.testing.assert_allclose(gray, small @ np.array(LUMA))


def test_bad_arguments():
    with pytest.raises(ValueError, match="downsample"):
        load_sample_image(downsample=0)
    with pytest.raises(TypeError, match="dtype"):
        load_sample_image(dtype=np.int32)
