"""Filters drawn: feature maps in banks, an RGB filter, photos, and one filter's kernels channel by channel.

:func:`map_style` chooses a feature map's colour scale (fixed or stretched)
for these figures and for the filter widget's SVG figure
(:func:`cnnlib.viz.filter_result.draw_filter_result`).
:func:`draw_filter_channels` draws a :class:`~cnnlib.demos.filters.FilterChannels`
(from :func:`~cnnlib.demos.filters.filter_channels`); the other figures take
the images and maps they show.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from ..demos.filters import FilterChannels
from .grids import draw_grid
from .style import (DPI, GRID_HEADROOM, IMAGE_CMAP, LABEL_SIZE, SIGNED_CMAP, TITLE_SIZE, fit_suptitle,
                    new_figure, robust_signed_norm, signed_norm)
from .svg import tick_text

SCALES = ("fixed", "stretched")
FIXED_LIMIT = 1.0  # fixed scale: gray 0…1 like the photo, or −1…+1 (white 0) for signed maps


def _shape_text(shape) -> str:
    return "×".join(str(s) for s in shape)


def _check_scale(scale) -> str:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}. Hint: 'fixed' keeps one colour scale for "
                         "every kernel (brightness can be compared); 'stretched' fits each map's own range.")
    return scale


def map_style(values, kernel=None, scale: str = "fixed") -> tuple[dict, str]:
    """``imshow`` keywords for a feature map and a short text naming its colour scale's limits.

    ``scale="fixed"``: the same limits whatever the kernel: gray 0…1 like the
    photo for non-negative maps (and for kernels whose weights sum to 1:
    brightness kept), else the diverging map at ±1, white = 0. A kernel whose
    weights sum to 2 then looks twice as bright, one summing to 0 gives 0
    (white, or black after ReLU) on flat regions. Values beyond the limits are
    clipped. ``scale="stretched"``: the limits fit this map (gray 0…its
    maximum, or ± the 98th percentile of ``|values|``): every map fills
    the scale, whatever its brightness.

    >>> map_style(np.array([[0.0, 2.0]]), scale="fixed")[1], map_style(np.array([[0.0, 2.0]]), scale="stretched")[1]
    ('fixed: gray 0 … 1', 'stretched: gray 0 … 2')
    """
    values = np.asarray(values, dtype=float)
    _check_scale(scale)
    finite = values[np.isfinite(values)]
    keeps_brightness = kernel is not None and abs(float(np.sum(kernel)) - 1.0) < 1e-6
    signed = bool(finite.size and finite.min() < 0) and not (scale == "fixed" and keeps_brightness)
    if scale == "fixed":
        if signed:
            return ({"cmap": SIGNED_CMAP, "norm": Normalize(-FIXED_LIMIT, FIXED_LIMIT)},
                    f"fixed: −{FIXED_LIMIT:g} … +{FIXED_LIMIT:g}, white = 0")
        return {"cmap": IMAGE_CMAP, "norm": Normalize(0.0, FIXED_LIMIT)}, f"fixed: gray 0 … {FIXED_LIMIT:g}"
    if signed:
        norm = robust_signed_norm(finite)
        return {"cmap": SIGNED_CMAP, "norm": norm}, f"stretched: ±{tick_text(norm.vmax)}, white = 0"
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    return {"cmap": IMAGE_CMAP, "norm": Normalize(0.0, top)}, f"stretched: gray 0 … {tick_text(top)}"


def _share(fraction: float) -> str:
    return "<1%" if 0 < fraction < 0.005 else f"{fraction:.0%}"


def clipped_text(values, norm) -> str:
    """How many pixels fall outside the colour scale ``norm`` (drawn at its end colours), or ``""`` if none.

    >>> from matplotlib.colors import Normalize
    >>> clipped_text(np.array([0.5, 1.5, 2.0, 0.2]), Normalize(0, 1))
    '50% above 1: drawn as 1'
    """
    values = np.asarray(values, dtype=float)
    n = max(values.size, 1)
    parts = []
    below, above = float(np.mean(values < norm.vmin - 1e-9)), float(np.mean(values > norm.vmax + 1e-9))
    ends = []
    if below * n >= 1:
        parts.append(f"{_share(below)} below {tick_text(norm.vmin)}")
        ends.append(tick_text(norm.vmin))
    if above * n >= 1:
        parts.append(f"{_share(above)} above {tick_text(norm.vmax)}")
        ends.append(tick_text(norm.vmax))
    if not parts:
        return ""
    return ", ".join(parts) + ": drawn as " + " and ".join(ends)


def bar_extend(values, norm) -> str:
    """The ``extend`` of a colour bar: a triangle at each end where values are clipped."""
    values = np.asarray(values, dtype=float)
    low, high = bool(np.any(values < norm.vmin - 1e-9)), bool(np.any(values > norm.vmax + 1e-9))
    return {(False, False): "neither", (True, False): "min", (False, True): "max", (True, True): "both"}[(low, high)]


def draw_feature_maps(maps, titles=None, kernels=None, *, ncols: int = 3, suptitle: str | None = None,
                      signed: bool | None = None, scale: str = "fixed") -> Figure:
    """A grid of feature maps ``(C, H, W)``, each under its kernel if ``kernels`` ``(C, KH, KW)`` is given.

    Each map has its own colour bar and its scale in its title, chosen by
    :func:`map_style` (``scale="fixed"``: the same limits for every map, so
    brightness compares; ``"stretched"``: fitted to each map).
    ``signed=True`` draws every map on the diverging map with one common
    colour scale and one colour bar: the way to compare maps before and
    after ReLU. Three maps per row (``ncols``) fit a projected page (1024 px) at their natural size.
    """
    maps = np.asarray(maps, dtype=float)
    _check_scale(scale)
    n = maps.shape[0]
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    per_row = 4.9 if kernels is not None else 3.0
    fig = new_figure(3.0 * ncols + (0.8 if signed else 0), per_row * nrows + (0.5 if suptitle else 0))
    if kernels is not None:
        grid = fig.add_gridspec(2 * nrows, ncols, height_ratios=[1.7, 2.6] * nrows)
    else:
        grid = fig.add_gridspec(nrows, ncols)
    common = robust_signed_norm(maps) if signed else None
    axes = []
    for c in range(n):
        r, col = divmod(c, ncols)
        title = titles[c] if titles is not None else f"channel {c}"
        if signed:
            style, scale_text = {"cmap": SIGNED_CMAP, "norm": common}, None
        else:
            style, scale_text = map_style(maps[c], kernels[c] if kernels is not None else None, scale)
        if kernels is not None:
            ax_k = fig.add_subplot(grid[2 * r, col])
            draw_grid(ax_k, kernels[c], xlabel=None, ylabel=None, fontsize=LABEL_SIZE, ticks=False)
            ax_k.set_title(f"{title}\nsum {float(np.sum(kernels[c])):.3g}", fontsize=LABEL_SIZE + 1)
            ax = fig.add_subplot(grid[2 * r + 1, col])
            ax.set_title(scale_text or f"{maps.shape[1]}×{maps.shape[2]}", fontsize=LABEL_SIZE)
        else:
            ax = fig.add_subplot(grid[r, col])
            ax.set_title(title + (f"\n{scale_text}" if scale_text else ""), fontsize=LABEL_SIZE + 1)
        im = ax.imshow(maps[c], interpolation="nearest", **style)
        ax.set_axis_off()
        axes.append(ax)
        if not signed:
            bar = fig.colorbar(im, ax=ax, shrink=0.9, pad=0.03, extend=bar_extend(maps[c], im.norm))
            bar.ax.tick_params(labelsize=LABEL_SIZE - 1)
    if signed:
        bar = fig.colorbar(im, ax=axes, shrink=0.7, extend=bar_extend(maps, common),
                           label=f"one scale for every map: ±{common.vmax:.2g}, white = 0")
        bar.ax.tick_params(labelsize=LABEL_SIZE)
        bar.ax.yaxis.label.set_size(LABEL_SIZE)
    if suptitle:
        fit_suptitle(fig, suptitle)
    return fig


def draw_rgb_filter(image_rgb, weights, feature_map, *, bias: float = 0.0) -> Figure:
    """One RGB filter ``(3, KH, KW)``: each channel of the image meets its own kernel; the sum is one map.

    Rows: red, green, blue channel (tinted, named in its title, colour bar
    0…1) | its kernel; right: the single feature map, with its colour bar.
    """
    image_rgb = np.asarray(image_rgb, dtype=float)
    weights = np.asarray(weights, dtype=float)
    fig = new_figure(9.9, 7.6)  # 990 px: it fits a projected page (1024 px) at its natural size
    grid = fig.add_gridspec(3, 3, width_ratios=[2.6, 1.3, 3.8])
    names = ("red", "green", "blue")
    cmaps = ("Reds_r", "Greens_r", "Blues_r")
    for c in range(3):
        ax = fig.add_subplot(grid[c, 0])
        im_c = ax.imshow(image_rgb[..., c], cmap=cmaps[c], vmin=0, vmax=1, interpolation="nearest")
        ax.set_axis_off()
        ax.set_title(f"{names[c]} channel (0 … 1)", fontsize=LABEL_SIZE)
        bar = fig.colorbar(im_c, ax=ax, shrink=0.9, pad=0.03, ticks=[0, 0.5, 1])
        bar.ax.tick_params(labelsize=LABEL_SIZE - 1)
        ax_k = fig.add_subplot(grid[c, 1])
        draw_grid(ax_k, weights[c], xlabel=None, ylabel=None, fontsize=LABEL_SIZE, ticks=False)
        ax_k.set_title(f"kernel W[0, {c}]", fontsize=LABEL_SIZE)
    ax = fig.add_subplot(grid[:, 2])
    fmap = np.asarray(feature_map, dtype=float)
    style, scale_text = map_style(fmap, scale="fixed")
    im = ax.imshow(fmap, interpolation="nearest", **style)
    ax.set_axis_off()
    ax.set_title(f"one feature map {fmap.shape[0]}×{fmap.shape[1]}\n= Σ over the 3 channels + bias {bias:g}\n"
                 f"{scale_text}", fontsize=LABEL_SIZE + 1)
    bar = fig.colorbar(im, ax=ax, shrink=0.6, extend=bar_extend(fmap, im.norm))
    bar.ax.tick_params(labelsize=LABEL_SIZE)
    fig.suptitle(f"a {weights.shape[1]}×{weights.shape[2]}×3 filter: one kernel per input channel",
                 fontsize=TITLE_SIZE, fontweight="bold")
    return fig


def draw_images(images, titles, *, height: float = 3.6) -> Figure:
    """Photos side by side, each with its shape in the title; 2-D ones in gray, with a 0…1 colour bar."""
    images = [np.asarray(im, dtype=float) for im in images]
    widths = [height * im.shape[1] / im.shape[0] for im in images]
    fig = new_figure(sum(widths) + 0.4 * len(images) + 0.8 * sum(im.ndim == 2 for im in images), height + 0.7)
    axes = fig.subplots(1, len(images), width_ratios=widths, squeeze=False)[0]
    for ax, im, title in zip(axes, images, titles):
        shown = ax.imshow(im, cmap=IMAGE_CMAP if im.ndim == 2 else None, vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(f"{title}\n{_shape_text(im.shape)}", fontsize=LABEL_SIZE)
        ax.set_axis_off()
        if im.ndim == 2:  # one number per pixel, drawn as a gray level: its scale
            bar = fig.colorbar(shown, ax=ax, shrink=0.8, pad=0.02, ticks=[0, 0.5, 1])
            bar.ax.tick_params(labelsize=LABEL_SIZE)
    return fig


def draw_filter_channels(fc: FilterChannels, *, cell: float = 0.5) -> Figure:
    """One filter on a ``(C, H, W)`` input, channel by channel: kernel vs filter.

    Row ``c``: input channel ``c`` ⋆ kernel ``W[0, c]`` = part ``c``. Right:
    the parts summed, plus the bias: the filter's one output channel. All
    grids share one cell size, so sizes compare at a glance.
    """
    c_in, h, w = fc.x.shape
    kh, kw = fc.weights.shape[1:]
    ho, wo = fc.out.shape
    row_h = max(h, kh) * cell + 0.75
    sym = 0.75  # inches for the ⋆ and = between grids
    widths = [w * cell, sym, kw * cell, sym, wo * cell, 1.6, wo * cell]
    left, top, bottom = 0.6, 0.9, 0.3
    fig_w = left + sum(widths) + 0.4
    fig_h = top + c_in * row_h + bottom
    fig = Figure(figsize=(fig_w, fig_h), dpi=DPI)
    xs = left + np.concatenate([[0], np.cumsum(widths)[:-1]])
    norm = signed_norm(np.concatenate([p.ravel() for p in fc.parts] + [fc.out.ravel()]), headroom=GRID_HEADROOM)
    names = ("red", "green", "blue") if c_in == 3 else tuple(f"channel {c}" for c in range(c_in))
    small = {"xlabel": None, "ylabel": None, "fontsize": 11}

    def add(col, rows, cols, y_mid):
        return fig.add_axes((xs[col] / fig_w, (y_mid - rows * cell / 2) / fig_h, cols * cell / fig_w,
                             rows * cell / fig_h))

    for c in range(c_in):
        y_mid = fig_h - top - (c + 0.5) * row_h + 0.2
        draw_grid(add(0, h, w, y_mid), fc.x[c], title=f"input: {names[c]}", **small)
        draw_grid(add(2, kh, kw, y_mid), fc.weights[c], title=f"kernel W[0, {c}]", **small)
        draw_grid(add(4, ho, wo, y_mid), fc.parts[c], title=f"{names[c]} part", norm=norm, **small)
        for col, text in ((1, r"$\star$"), (3, "=")):
            fig.text((xs[col] + sym / 2) / fig_w, y_mid / fig_h, text, ha="center", va="center", fontsize=26)
    y_mid = fig_h - top - c_in * row_h / 2 + 0.2
    draw_grid(add(6, ho, wo, y_mid), fc.out, title="output channel 0", norm=norm, **small)
    fig.text((xs[5] + 0.8) / fig_w, y_mid / fig_h, f"sum of the\n{c_in} parts\n+ bias {fc.bias:g}\n→", ha="center",
             va="center", fontsize=LABEL_SIZE)
    fig.suptitle(
        f"one filter = {c_in} kernels ({kh}×{kw}×{c_in}) + 1 bias → one output channel;  N filters → N channels",
        fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.15 / fig_h, va="top",
    )
    return fig
