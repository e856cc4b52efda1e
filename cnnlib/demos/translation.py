"""Robustness to small shifts: move the photo a few pixels and compare feature maps before and after pooling.

The similarity of two maps is their correlation coefficient: 1 when one is
the other scaled, 0 when they are unrelated. Shift the photo one pixel and
the edge map, whose edges are one or two pixels wide, barely overlaps its
old self; after max pooling each output summarises a whole window, so most
outputs do not notice a shift smaller than the window.

>>> similarity([1.0, 2.0, 4.0], [3.0, 5.0, 9.0])
1.0
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_positive_int
from .filters import edge_map, sample_photo
from .pooling import pool2d

MAX_SHIFT = 6


def shift_right(image, shift: int) -> np.ndarray:
    """``image`` moved ``shift`` pixels to the right; the new columns repeat the first one (no fake edge).

    >>> shift_right(np.array([[1, 2, 3]]), 1).tolist()
    [[1, 1, 2]]
    """
    image = np.asarray(image)
    if shift == 0:
        return image.copy()
    left = np.repeat(image[:, :1], shift, axis=1)  # (H, shift)
    return np.concatenate([left, image[:, :-shift]], axis=1)


def similarity(a, b) -> float:
    """Correlation coefficient of two maps of the same shape (1: same pattern; 0: unrelated)."""
    a, b = np.ravel(a).astype(np.float64), np.ravel(b).astype(np.float64)
    a, b = a - a.mean(), b - b.mean()
    denom = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / denom) if denom > 0 else 1.0


@lru_cache(maxsize=2 * (MAX_SHIFT + 1))
def _maps(shift: int) -> np.ndarray:
    return edge_map(shift_right(sample_photo(), shift))


@dataclass(frozen=True)
class ShiftComparison:
    """Edge maps of the photo and of the photo shifted right, before and after max pooling."""

    shift: int
    kernel_size: int
    fmap: np.ndarray
    fmap_shifted: np.ndarray
    pooled: np.ndarray
    pooled_shifted: np.ndarray
    before: float  # similarity of the two edge maps
    after: float  # similarity of the two pooled maps
    shifts: tuple  # 0..MAX_SHIFT
    curve_before: tuple  # similarity without pooling, for every shift
    curve_after: tuple  # similarity after max pooling, for every shift


def compare_shift(shift: int = 1, kernel_size: int = 2) -> ShiftComparison:
    """Shift the lesson photo by ``shift`` pixels; compare its edge maps without and with ``kernel_size`` max pooling.

    >>> c = compare_shift(1, 2)
    >>> c.after > c.before
    True
    """
    shift = check_positive_int(shift, "shift", minimum=0)
    if shift > MAX_SHIFT:
        raise ValueError(f"shift must be in 0..{MAX_SHIFT} pixels, got {shift}. Hint: the photo's edge map is "
                         f"compared for shifts up to {MAX_SHIFT}.")
    fmap, moved = _maps(0), _maps(shift)
    pooled, pooled_moved = pool2d(fmap, "max", kernel_size), pool2d(moved, "max", kernel_size)
    curve_before, curve_after = _curves(kernel_size)
    return ShiftComparison(shift, kernel_size, fmap, moved, pooled, pooled_moved, curve_before[shift],
                           curve_after[shift], tuple(range(MAX_SHIFT + 1)), curve_before, curve_after)


@lru_cache(maxsize=4)
def _curves(kernel_size: int) -> tuple[tuple, tuple]:
    """Similarity to the unshifted map for every shift, without and with ``kernel_size`` max pooling."""
    fmap = _maps(0)
    pooled = pool2d(fmap, "max", kernel_size)
    shifts = range(MAX_SHIFT + 1)
    return (tuple(similarity(fmap, _maps(s)) for s in shifts),
            tuple(similarity(pooled, pool2d(_maps(s), "max", kernel_size)) for s in shifts))
