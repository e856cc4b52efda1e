"""Filters drawn: on photographs (input, kernel, feature map), in banks, and one filter's kernels channel by channel.

:func:`draw_filter_channels` draws a :class:`~cnnlib.demos.filters.FilterChannels`
(from :func:`~cnnlib.demos.filters.filter_channels`); the other figures take
the images and maps they show.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from ..demos.filters import FilterChannels
from .grids import draw_grid
from .style import (DPI, GRID_HEADROOM, IMAGE_CMAP, LABEL_SIZE, SIGNED_CMAP, TITLE_SIZE, axes_at, image_style,
                    new_figure, reuse_figure, robust_signed_norm, set_title, signed_norm)

_PIXEL_INCH = 3.4 / 150  # inches per pixel: a 150-pixel-tall image is 3.4 inches


def _shape_text(shape) -> str:
    return "×".join(str(s) for s in shape)


def draw_filter_result(image, kernel, feature_map, *, stride=1, padding=0, kernel_name: str | None = None,
                       figure: Figure | None = None) -> Figure:
    """Input image, the 3×3 kernel with its numbers, and the feature map, at the same pixel scale.

    The feature map's title gives its shape, so stride and padding show up
    both as a smaller picture and as numbers. Signed maps use the diverging
    colour map centred at 0, with a colour bar. ``figure``: redraw this
    figure (one drawn by this function before) instead of making a new one.
    """
    image, kernel, fmap = (np.asarray(a, dtype=float) for a in (image, kernel, feature_map))
    ih, iw = image.shape[:2]
    fh, fw = fmap.shape
    k_in = 0.55 * kernel.shape[1]
    img_w, img_h = iw * _PIXEL_INCH, ih * _PIXEL_INCH
    map_w, map_h = fw * _PIXEL_INCH, fh * _PIXEL_INCH
    left, gap, top, bottom = 0.5, 0.9, 0.75, 0.55
    fig_w = left + img_w + gap + k_in + gap + max(map_w, 1.5) + 1.1
    fig_h = top + max(img_h, map_h, 2.0) + bottom
    fig = reuse_figure(figure, fig_w, fig_h)
    body = max(img_h, map_h, 2.0)

    def add(index, x, w, h):
        return axes_at(fig, index, (x / fig_w, (bottom + (body - h) / 2) / fig_h, w / fig_w, h / fig_h))

    ax_img = add(0, left, img_w, img_h)
    ax_img.imshow(image, cmap=IMAGE_CMAP, vmin=0, vmax=1, interpolation="nearest")
    set_title(ax_img, f"input {_shape_text(image.shape)}")
    ax_img.set_axis_off()
    x = left + img_w + gap
    ax_k = add(1, x, k_in, 0.55 * kernel.shape[0])
    draw_grid(ax_k, kernel, title=kernel_name or "kernel", xlabel=None, ylabel=None, fontsize=LABEL_SIZE, ticks=False)
    x += k_in + gap
    ax_map = add(2, x, map_w, map_h)
    style = image_style(fmap, kernel)
    im = ax_map.imshow(fmap, interpolation="nearest", **style)
    pad = padding if isinstance(padding, str) else f"{padding}"
    set_title(ax_map, f"feature map {fh}×{fw}\n(stride {stride}, padding {pad})", fontsize=LABEL_SIZE + 1)
    ax_map.set_axis_off()
    for old_bar in fig.axes[3:]:  # the colour bar of the last picture
        fig.delaxes(old_bar)
    if style["cmap"] != IMAGE_CMAP:
        cax = fig.add_axes(((x + map_w + 0.1) / fig_w, (bottom + (body - map_h) / 2) / fig_h, 0.15 / fig_w,
                            map_h / fig_h))
        fig.colorbar(im, cax=cax)
        cax.tick_params(labelsize=LABEL_SIZE - 3)
    return fig


def draw_feature_maps(maps, titles=None, kernels=None, *, ncols: int = 4, suptitle: str | None = None,
                      signed: bool | None = None) -> Figure:
    """A grid of feature maps ``(C, H, W)``, each under its kernel if ``kernels`` ``(C, KH, KW)`` is given.

    Signed maps use the diverging map centred at 0; non-negative ones gray.
    ``signed=True`` draws every map on the diverging map, with one common
    colour scale: the way to compare maps before and after ReLU.
    """
    maps = np.asarray(maps, dtype=float)
    n = maps.shape[0]
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    per_row = 4.0 if kernels is not None else 2.6
    fig = new_figure(2.6 * ncols, per_row * nrows + (0.5 if suptitle else 0))
    if kernels is not None:
        grid = fig.add_gridspec(2 * nrows, ncols, height_ratios=[1.3, 2.6] * nrows)
    else:
        grid = fig.add_gridspec(nrows, ncols)
    common = robust_signed_norm(maps) if signed else None
    for c in range(n):
        r, col = divmod(c, ncols)
        title = titles[c] if titles is not None else f"channel {c}"
        if kernels is not None:
            ax_k = fig.add_subplot(grid[2 * r, col])
            draw_grid(ax_k, kernels[c], xlabel=None, ylabel=None, fontsize=9, ticks=False)
            ax_k.set_title(title, fontsize=LABEL_SIZE)
            ax = fig.add_subplot(grid[2 * r + 1, col])
            ax.set_title(f"{maps.shape[1]}×{maps.shape[2]}", fontsize=LABEL_SIZE - 2)
        else:
            ax = fig.add_subplot(grid[r, col])
            ax.set_title(title, fontsize=LABEL_SIZE)
        if signed:
            style = {"cmap": SIGNED_CMAP, "norm": common}
        else:
            style = image_style(maps[c], kernels[c] if kernels is not None else None)
        ax.imshow(maps[c], interpolation="nearest", **style)
        ax.set_axis_off()
    if suptitle:
        fig.suptitle(suptitle, fontsize=TITLE_SIZE, fontweight="bold")
    return fig


def draw_rgb_filter(image_rgb, weights, feature_map, *, bias: float = 0.0) -> Figure:
    """One RGB filter ``(3, KH, KW)``: each channel of the image meets its own kernel; the sum is one map.

    Rows: red, green, blue channel | its kernel; right: the single feature map.
    """
    image_rgb = np.asarray(image_rgb, dtype=float)
    weights = np.asarray(weights, dtype=float)
    fig = new_figure(9.5, 7.2)
    grid = fig.add_gridspec(3, 3, width_ratios=[2.2, 1.2, 3.6])
    names = ("red", "green", "blue")
    cmaps = ("Reds_r", "Greens_r", "Blues_r")
    for c in range(3):
        ax = fig.add_subplot(grid[c, 0])
        ax.imshow(image_rgb[..., c], cmap=cmaps[c], vmin=0, vmax=1, interpolation="nearest")
        ax.set_axis_off()
        ax.set_title(f"{names[c]} channel", fontsize=LABEL_SIZE)
        ax_k = fig.add_subplot(grid[c, 1])
        draw_grid(ax_k, weights[c], xlabel=None, ylabel=None, fontsize=10, ticks=False)
        ax_k.set_title(f"kernel W[0, {c}]", fontsize=LABEL_SIZE)
    ax = fig.add_subplot(grid[:, 2])
    fmap = np.asarray(feature_map, dtype=float)
    im = ax.imshow(fmap, interpolation="nearest", **image_style(fmap))
    ax.set_axis_off()
    ax.set_title(f"one feature map {fmap.shape[0]}×{fmap.shape[1]}\n= Σ over the 3 channels + bias {bias:g}",
                 fontsize=LABEL_SIZE + 1)
    fig.colorbar(im, ax=ax, shrink=0.6)
    fig.suptitle(f"a {weights.shape[1]}×{weights.shape[2]}×3 filter: one kernel per input channel",
                 fontsize=TITLE_SIZE, fontweight="bold")
    return fig


def draw_images(images, titles, *, height: float = 3.6) -> Figure:
    """Photos side by side, each with its shape in the title; 2-D ones in gray."""
    images = [np.asarray(im, dtype=float) for im in images]
    widths = [height * im.shape[1] / im.shape[0] for im in images]
    fig = new_figure(sum(widths) + 0.4 * len(images), height + 0.7)
    axes = fig.subplots(1, len(images), width_ratios=widths, squeeze=False)[0]
    for ax, im, title in zip(axes, images, titles):
        ax.imshow(im, cmap=IMAGE_CMAP if im.ndim == 2 else None, vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(f"{title}\n{_shape_text(im.shape)}", fontsize=LABEL_SIZE)
        ax.set_axis_off()
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
