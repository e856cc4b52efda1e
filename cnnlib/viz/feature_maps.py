"""Look inside a trained network: every channel a layer produces for one image.

All channels of a layer are tiled into one mosaic image (one ``imshow``, not
one Axes per channel), so even 64 channels redraw quickly in a widget.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from ..training import mode
from .style import DPI, IMAGE_CMAP, LABEL_SIZE, TITLE_SIZE, image_style

GAP_COLOR = "#ffffff"


def layer_outputs(model, image) -> list[np.ndarray]:
    """What every layer of ``model`` outputs for one ``image`` ``(C, H, W)``, in eval mode.

    Returns one array per layer, without the batch axis: ``outs[i]`` is the
    output of ``model.layers[i]``. The model's training/eval modes are restored.

    >>> outs = layer_outputs(model, x_test[0])
    >>> outs[0].shape      # the first Conv2D's 32 feature maps
    (32, 26, 26)
    """
    h = np.asarray(image)[None]  # (1, C, H, W): a batch of one
    outs = []
    with mode(model, False):
        for layer in model.layers:
            h = layer.forward(h)
            outs.append(h[0])
    return outs


def tile_channels(maps, ncols: int | None = None, gap: int = 1) -> np.ndarray:
    """Tile ``(C, H, W)`` maps into one ``(rows*(H+gap)-gap, cols*(W+gap)-gap)`` array, NaN in the gaps.

    Channel ``c`` lands in tile row ``c // ncols``, column ``c % ncols``
    (default ``ncols``: about square).

    >>> tile_channels(np.zeros((4, 2, 2))).shape
    (5, 5)
    """
    maps = np.asarray(maps, dtype=float)
    if maps.ndim != 3:
        raise ValueError(f"tile_channels expects (C, H, W) maps, got shape {maps.shape}.")
    C, H, W = maps.shape
    ncols = ncols or math.ceil(math.sqrt(C))
    nrows = math.ceil(C / ncols)
    out = np.full((nrows * (H + gap) - gap, ncols * (W + gap) - gap), np.nan)
    for c in range(C):
        r, k = divmod(c, ncols)
        out[r * (H + gap): r * (H + gap) + H, k * (W + gap): k * (W + gap) + W] = maps[c]
    return out


def draw_layer_channels(image, maps, *, title: str, caption: str | None = None, ncols: int | None = None) -> Figure:
    """The input image (left) and every channel of one layer's output (right), on one colour scale.

    Non-negative maps (after ReLU or pooling) are gray, black = 0; signed
    maps (straight out of a conv) are red/blue, white = 0. A channel that is
    black everywhere did not respond to this image.
    """
    maps = np.asarray(maps, dtype=float)
    C, H, W = maps.shape
    ncols = ncols or (8 if C >= 16 else C)
    mosaic = tile_channels(maps, ncols)
    style = image_style(maps)
    mos_h = 5.2
    mos_w = mos_h * mosaic.shape[1] / mosaic.shape[0]
    if mos_w > 8.5:
        mos_w, mos_h = 8.5, 8.5 * mosaic.shape[0] / mosaic.shape[1]
    img_side, left, gap, top, bottom = 2.6, 0.3, 0.6, 0.7, 0.3
    fig_w = left + img_side + gap + mos_w + 1.0
    fig_h = top + max(mos_h, img_side + 0.6) + bottom
    fig = Figure(figsize=(fig_w, fig_h), dpi=DPI)
    body = fig_h - top - bottom
    ax_img = fig.add_axes((left / fig_w, (bottom + (body - img_side) / 2) / fig_h, img_side / fig_w, img_side / fig_h))
    img = np.asarray(image, dtype=float)
    ax_img.imshow(img[0] if img.ndim == 3 and img.shape[0] == 1 else img, cmap=IMAGE_CMAP, vmin=0, vmax=1,
                  interpolation="nearest")
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    if caption:
        ax_img.set_title(caption, fontsize=LABEL_SIZE)
    x0 = left + img_side + gap
    ax = fig.add_axes((x0 / fig_w, (bottom + (body - mos_h) / 2) / fig_h, mos_w / fig_w, mos_h / fig_h))
    cmap = colormaps[style.pop("cmap")].with_extremes(bad=GAP_COLOR)  # the gaps between tiles
    im = ax.imshow(np.ma.masked_invalid(mosaic), cmap=cmap, interpolation="nearest", **style)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    if C <= 64:
        for c in range(C):
            r, k = divmod(c, ncols)
            ax.text(k * (W + 1) + 0.3, r * (H + 1) + 0.3, str(c), fontsize=7, color="#ffcc00", va="top", ha="left")
    cax = fig.add_axes(((x0 + mos_w + 0.15) / fig_w, (bottom + (body - mos_h) / 2) / fig_h, 0.15 / fig_w, mos_h / fig_h))
    fig.colorbar(im, cax=cax)
    cax.tick_params(labelsize=LABEL_SIZE - 3)
    fig.suptitle(title, fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.2 / fig_h, va="top")
    return fig
