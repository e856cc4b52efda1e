"""Look inside a trained network: every channel a layer produces for one image, drawn as one mosaic.

The maps come from :func:`~cnnlib.demos.feature_maps.layer_outputs`. All
channels of a layer are tiled into one mosaic image (one ``imshow``, not one
Axes per channel), so even 64 channels redraw quickly in a widget.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from ..demos.feature_maps import tile_channels
from .style import DPI, IMAGE_CMAP, LABEL_SIZE, TITLE_SIZE, image_style

GAP_COLOR = "#ffffff"  # between gray tiles (black = 0)
SIGNED_GAP_COLOR = "#8c8c8c"  # between red/blue tiles (white = 0)


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
    img_side, left, gap, top, bottom = 2.6, 0.3, 0.9, 1.0, 0.5
    fig_w = left + img_side + gap + mos_w + 0.4
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
    name = style.pop("cmap")
    cmap = colormaps[name].with_extremes(bad=GAP_COLOR if name == IMAGE_CMAP else SIGNED_GAP_COLOR)  # tile gaps
    im = ax.imshow(np.ma.masked_invalid(mosaic), cmap=cmap, interpolation="nearest", **style)
    # Channel numbers as tick labels (rows: first channel of the row; columns: + offset): 16 labels, not 64 texts.
    nrows = -(-C // ncols)
    ax.set_yticks([r * (H + 1) + (H - 1) / 2 for r in range(nrows)], [f"ch {r * ncols}" for r in range(nrows)])
    ax.set_xticks([k * (W + 1) + (W - 1) / 2 for k in range(ncols)], [f"+{k}" for k in range(ncols)])
    ax.tick_params(length=0, labelsize=LABEL_SIZE - 3, labeltop=True, labelbottom=False)
    for side in ax.spines.values():
        side.set_visible(False)
    lo, hi = im.norm.vmin, im.norm.vmax
    scale = (f"gray scale: black = 0, white = {hi:.2g}" if name == IMAGE_CMAP
             else f"colour scale: blue = {lo:.2g}, white = 0, red = {hi:.2g}")
    ax.set_xlabel(scale, fontsize=LABEL_SIZE - 2)
    fig.suptitle(title, fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.2 / fig_h, va="top")
    return fig
