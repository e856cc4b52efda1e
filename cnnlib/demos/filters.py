"""Filters at work: a classic kernel on a photo (through ``Conv2D``), and one filter's kernels channel by channel.

>>> from cnnlib.image_filters import get_kernel
>>> apply_kernel(np.ones((4, 4)), get_kernel("box_blur"), padding=1)[0, 0, 1:3, 1:3].round(3).tolist()
[[1.0, 1.0], [1.0, 1.0]]
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_bool
from ..datasets.images import load_sample_image
from ..functional import conv2d
from ..image_filters import get_kernel
from ..layers import Conv2D, ReLU
from ..shapes import Geometry2D


@lru_cache(maxsize=32)
def _conv_layer(geometry: Geometry2D) -> Conv2D:
    """One ``Conv2D(1, 1)`` per (checked) geometry, built once (seeded; its weights are overwritten before every use).

    The cache key is the parsed ``Geometry2D``, all ints: a raw ``stride=True`` would equal ``1`` as a key and
    reach the cached layer without being checked.
    """
    return Conv2D(1, 1, geometry.kernel_size, stride=geometry.stride, padding=geometry.pads, bias=False, seed=0)


def apply_kernel(image, kernel, stride: int = 1, padding=0, relu: bool = False) -> np.ndarray:
    """Filter a 2-D ``image`` with a 2-D ``kernel`` using ``Conv2D``; returns the ``(1, 1, H_out, W_out)`` output.

    The layer for each ``(kernel shape, stride, padding)`` is made once and
    reused, with its weights set to ``kernel``: what a slider move computes is
    one forward pass.
    """
    kernel = np.asarray(kernel, dtype=np.float32)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D (KH, KW), got shape {kernel.shape}.")
    relu = check_bool(relu, "relu", "write relu=True to keep only the positive responses.")
    conv = _conv_layer(Geometry2D.conv(kernel.shape, stride, padding))
    conv.params["W"][...] = kernel[None, None]  # (C_out=1, C_in=1, KH, KW)
    out = conv(np.asarray(image, dtype=np.float32)[None, None])  # (1, 1, H, W) in
    return ReLU()(out) if relu else out


def edge_map(image, kernel: str = "sobel_x") -> np.ndarray:
    """ReLU of the 2-D ``image`` filtered by a classic 3×3 kernel (padding 1, so the size is kept): lesson 03's map."""
    return apply_kernel(image, get_kernel(kernel), padding=1, relu=True)[0, 0]


@lru_cache(maxsize=1)
def sample_photo() -> np.ndarray:
    """The lessons' photo in gray, 150×128, values in [0, 1] (read-only: it is shared)."""
    img = load_sample_image(gray=True, downsample=4)
    img.setflags(write=False)
    return img


@lru_cache(maxsize=1)
def sample_edge_map() -> np.ndarray:
    """Lesson 03's feature map: :func:`sample_photo` through Sobel x and ReLU (read-only)."""
    fmap = edge_map(sample_photo())
    fmap.setflags(write=False)
    return fmap


@dataclass(frozen=True)
class FilterChannels:
    """One filter ``weights`` ``(C, KH, KW)`` on an input ``(C, H, W)``: each channel's part and their sum + bias."""

    x: np.ndarray
    weights: np.ndarray
    bias: float
    parts: tuple  # parts[c] = x[c] ⋆ weights[c], each (H_out, W_out)
    out: np.ndarray  # sum of the parts + bias: the filter's one output channel


def filter_channels(x, weights, bias: float = 0.0) -> FilterChannels:
    """Split one filter's output into its per-channel parts (each from ``conv2d``); ``out`` is ``conv2d`` itself.

    >>> fc = filter_channels(np.ones((2, 3, 3)), np.ones((2, 2, 2)), bias=1.0)
    >>> fc.parts[0].tolist(), fc.out.tolist()
    ([[4.0, 4.0], [4.0, 4.0]], [[9.0, 9.0], [9.0, 9.0]])
    """
    x = np.asarray(x, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if x.ndim != 3 or weights.ndim != 3 or x.shape[0] != weights.shape[0]:
        raise ValueError(f"filter_channels expects x (C, H, W) and weights (C, KH, KW) with the same C, "
                         f"got shapes {x.shape} and {weights.shape}.")
    parts = tuple(conv2d(x[None, c : c + 1], weights[None, c : c + 1])[0, 0] for c in range(x.shape[0]))
    out = conv2d(x[None], weights[None], b=np.array([bias], dtype=float))[0, 0]  # (H_out, W_out)
    return FilterChannels(x, weights, float(bias), parts, out)
