"""A real photograph for the filter lessons, with no download.

The photo is the official U.S. Navy portrait of Commodore Grace M. Hopper
(photograph by James S. Davis, 1984). As a work of the U.S. federal
government it is in the public domain; matplotlib ships it as sample data
(``mpl-data/sample_data/grace_hopper.jpg``), so every cnnlib install has it.
"""
from __future__ import annotations

import numpy as np

from .._checks import check_dtype_arg, check_positive_int

SAMPLE_IMAGE = "grace_hopper.jpg"
#: ITU-R BT.601 luma weights: how much red, green and blue count in gray.
LUMA = (0.299, 0.587, 0.114)


def load_sample_image(gray: bool = False, downsample: int = 1, dtype=np.float32) -> np.ndarray:
    """Grace Hopper's portrait as a float array in [0, 1] (public domain, shipped by matplotlib).

    Args:
        gray: return one luma channel instead of RGB (default False).
        downsample: average ``downsample × downsample`` pixel blocks; 4 gives
            a 150×128 image that a widget filters instantly (default 1: full size).
        dtype: float32 (default) or float64.

    Shape:
        ``(H, W, 3)`` RGB, or ``(H, W)`` if ``gray``; the full image is
        600×512. Images are stored height, width, channel; for ``Conv2D``
        (NCHW) use ``img.transpose(2, 0, 1)[None]`` or ``gray_img[None, None]``.

    >>> load_sample_image(gray=True, downsample=4).shape
    (150, 128)
    """
    from matplotlib import cbook
    from matplotlib.image import imread

    factor = check_positive_int(downsample, "downsample")
    dtype = check_dtype_arg(dtype)
    with cbook.get_sample_data(SAMPLE_IMAGE) as f:
        img = imread(f).astype(np.float64) / 255.0  # (600, 512, 3), uint8 -> [0, 1]
    if factor > 1:
        h, w = (img.shape[0] // factor) * factor, (img.shape[1] // factor) * factor
        img = img[:h, :w].reshape(h // factor, factor, w // factor, factor, 3).mean(axis=(1, 3))  # (H/f, W/f, 3)
    if gray:
        img = img @ np.array(LUMA)  # (H, W)
    return np.clip(img, 0.0, 1.0).astype(dtype)
