"""Robustness to small shifts: move the photo a few pixels and compare feature maps before and after pooling.

The similarity of two maps is their correlation coefficient: 1 when one is
the other scaled, 0 when they are unrelated. Shift the photo one pixel and
the edge map, whose edges are one or two pixels wide, barely overlaps its
old self; after max pooling each output summarises a whole window, so most
outputs do not notice a shift smaller than the window.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from ..datasets.images import load_sample_image
from .pool_explorer import edge_map, pool2d
from .style import IMAGE_CMAP, LABEL_SIZE, TITLE_SIZE, axes_at, reuse_figure, set_labels, set_title

MAX_SHIFT = 6


def shift_right(image, shift: int) -> np.ndarray:
    """``image`` moved ``shift`` pixels to the right; the new columns repeat the first one (no fake edge)."""
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


@lru_cache(maxsize=1)
def _default_image() -> np.ndarray:
    return load_sample_image(gray=True, downsample=4)


@lru_cache(maxsize=2 * (MAX_SHIFT + 1))
def _maps(shift: int) -> np.ndarray:
    return edge_map(shift_right(_default_image(), shift))


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
    if not 0 <= shift <= MAX_SHIFT:
        raise ValueError(f"shift must be in 0..{MAX_SHIFT}, got {shift}.")
    fmap, moved = _maps(0), _maps(shift)
    pooled, pooled_moved = pool2d(fmap, "max", kernel_size, kernel_size), pool2d(moved, "max", kernel_size, kernel_size)
    curve_before, curve_after = _curves(kernel_size)
    return ShiftComparison(shift, kernel_size, fmap, moved, pooled, pooled_moved, similarity(fmap, moved),
                           similarity(pooled, pooled_moved), tuple(range(MAX_SHIFT + 1)), curve_before, curve_after)


@lru_cache(maxsize=4)
def _curves(kernel_size: int) -> tuple[tuple, tuple]:
    """Similarity to the unshifted map for every shift, without and with ``kernel_size`` max pooling."""
    fmap = _maps(0)
    pooled = pool2d(fmap, "max", kernel_size, kernel_size)
    shifts = range(MAX_SHIFT + 1)
    return (tuple(similarity(fmap, _maps(s)) for s in shifts),
            tuple(similarity(pooled, pool2d(_maps(s), "max", kernel_size, kernel_size)) for s in shifts))


def draw_shift_comparison(c: ShiftComparison, *, figure: Figure | None = None) -> Figure:
    """Four maps (before/after the shift, before/after pooling) and the similarity for every shift.

    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    H, W = c.fmap.shape
    img_h = 2.9
    img_w = img_h * W / H
    chart_w = 3.6
    gaps = [0.25, 0.6, 0.25, 1.0]
    left, bottom = 0.2, 0.75
    fig_w = left + 4 * img_w + chart_w + sum(gaps) + 0.3
    fig_h = img_h + 1.75
    fig = reuse_figure(figure, fig_w, fig_h)
    vmax = float(c.fmap.max()) or 1.0
    k = c.kernel_size
    maps = [(c.fmap, "edge map"), (c.fmap_shifted, f"photo shifted {c.shift} px"),
            (c.pooled, f"max pooled {k}×{k}"), (c.pooled_shifted, f"shifted, pooled {k}×{k}")]
    x = left
    for index, ((m, title), gap) in enumerate(zip(maps, gaps)):
        ax = axes_at(fig, index, (x / fig_w, bottom / fig_h, img_w / fig_w, img_h / fig_h))
        ax.imshow(m, cmap=IMAGE_CMAP, vmin=0, vmax=vmax, interpolation="nearest")
        ax.set_axis_off()
        set_title(ax, f"{title}\n{m.shape[0]}×{m.shape[1]}", fontsize=LABEL_SIZE)
        x += img_w + gap
    ax = axes_at(fig, len(maps), (x / fig_w, bottom / fig_h, chart_w / fig_w, img_h / fig_h))
    ax.plot(c.shifts, c.curve_before, "o-", color="#7f7f7f", label="edge maps")
    ax.plot(c.shifts, c.curve_after, "o-", color="#1a9e3f", label=f"after {k}×{k} max pool")
    ax.axvline(c.shift, color="#d62728", linewidth=1.5, linestyle="--")
    ax.set_ylim(-0.1, 1.05)
    ax.set_xticks(c.shifts)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=LABEL_SIZE - 2, loc="upper right")
    ax.tick_params(labelsize=LABEL_SIZE - 2)
    set_labels(ax, "shift (pixels)", "similarity", tick_chars=3)
    set_title(ax, "1 = same pattern, 0 = unrelated", fontsize=LABEL_SIZE)
    fig.suptitle(f"shift {c.shift} px: similarity {c.before:.2f} before pooling, {c.after:.2f} after {k}×{k} "
                 "max pooling", fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.12 / fig_h)
    return fig
