"""Look inside a trained network: every channel a layer produces for one image, drawn as one mosaic.

The maps come from :func:`~cnnlib.demos.feature_maps.layer_outputs`. All
channels of a layer are tiled into one mosaic image (one ``imshow``, not one
Axes per channel), so even 64 channels redraw quickly in a widget. The
figure has one size whatever the layer (:data:`FIGURE_SIZE`): the mosaic is
fitted, square pixels, into a fixed box, so choosing another layer never
moves the page. A colour bar gives the values; channel numbers are plain
texts (no tick machinery: a redraw on the figure drawn last time, ``figure=``,
takes a fraction of a new figure's time).

:func:`draw_layer_channels_svg` draws the same figure as SVG for lesson 09's
widget: the image and the mosaic go in as small PNGs the browser scales up,
the text is at least 18 px, the figure is :data:`SVG_SIZE` px for every
layer (narrow enough for a notebook cell at 1024×768), and a redraw takes a
few milliseconds.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..demos.feature_maps import tile_channels
from .filters import bar_extend
from .png import array_png, encode_png
from .style import DPI, IMAGE_CMAP, LABEL_SIZE, TITLE_SIZE, image_style
from .svg import MIN_FONT_PX, Svg, colorbar, text_width

GAP_COLOR = "#ffffff"  # between gray tiles (black = 0)
SIGNED_GAP_COLOR = "#8c8c8c"  # between red/blue tiles (white = 0)
FIGURE_SIZE = (11.0, 5.8)  # inches, for every layer
#: Axes boxes in inches ``(left, bottom, width, height)``: the input image, the mosaic, the colour bar.
IMAGE_BOX, MOSAIC_BOX, BAR_BOX = (0.3, 1.3, 2.4, 2.4), (3.5, 0.3, 5.9, 4.6), (9.95, 0.55, 0.25, 4.1)


def _fractions(box) -> tuple:
    w, h = FIGURE_SIZE
    return (box[0] / w, box[1] / h, box[2] / w, box[3] / h)


def draw_layer_channels(image, maps, *, title: str, caption: str | None = None, ncols: int | None = None,
                        figure: Figure | None = None) -> Figure:
    """The input image (left) and every channel of one layer's output (right), on one colour scale with a bar.

    Non-negative maps (after ReLU or pooling) are gray, black = 0; signed
    maps (straight out of a conv) are red/blue, white = 0. A channel that is
    black everywhere did not respond to this image. ``figure``: a figure drawn
    by this function before: its pictures and texts are updated in place
    (about twice as fast as a new figure).
    """
    maps = np.asarray(maps, dtype=float)
    if maps.ndim != 3:
        raise ValueError(f"draw_layer_channels expects maps (C, H, W), got shape {maps.shape}. "
                         "Hint: drop the batch axis, maps[0].")
    C, H, W = maps.shape
    ncols = ncols or (8 if C >= 16 else C)
    mosaic = tile_channels(maps, ncols)
    style = image_style(maps, robust=True)  # up to the 98th percentile: one bright channel darkens no other
    name = style.pop("cmap")
    cmap = colormaps[name].with_extremes(bad=GAP_COLOR if name == IMAGE_CMAP else SIGNED_GAP_COLOR)  # tile gaps
    norm = style.get("norm") or Normalize(style["vmin"], style["vmax"])
    img = np.asarray(image, dtype=float)
    img = img[0] if img.ndim == 3 and img.shape[0] == 1 else img
    if img.ndim == 2:  # coloured here, once: matplotlib would colour every pixel of the resampled picture
        img = colormaps[IMAGE_CMAP](np.clip(img, 0, 1), bytes=True)
    parts = getattr(figure, "_channel_parts", None)
    fig, parts = (figure, parts) if parts is not None else _new_figure()
    _set_image(parts["image"], img)
    parts["image"].axes.set_title(caption or "", fontsize=LABEL_SIZE + 1, y=1.0, pad=8)
    # RGBA bytes, coloured once at the mosaic's size: resampling them is several times faster than values
    _set_image(parts["mosaic"], mosaic_colours(mosaic, cmap, norm))
    # Channel numbers as texts (rows: first channel of the row; columns: + offset): 16 texts, not 64.
    nrows = -(-C // ncols)
    rows = [((-1.5, r * (H + 1) + (H - 1) / 2), f"ch {r * ncols}") for r in range(nrows)]
    cols = [((k * (W + 1) + (W - 1) / 2, -1.5), f"+{k}") for k in range(ncols)]
    _set_texts(parts["mosaic"].axes, parts["rows"], rows, ha="right", va="center")
    _set_texts(parts["mosaic"].axes, parts["cols"], cols, ha="center", va="bottom")
    _set_colour_bar(parts, cmap, norm, gray=name == IMAGE_CMAP)
    fig.suptitle(title, fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.15 / FIGURE_SIZE[1], va="top")
    return fig


def _new_figure():
    """A figure with the three Axes and their (empty) pictures; ``parts`` names the artists a redraw updates."""
    fig = Figure(figsize=FIGURE_SIZE, dpi=DPI)
    ax_img, ax, ax_bar = (fig.add_axes(_fractions(box)) for box in (IMAGE_BOX, MOSAIC_BOX, BAR_BOX))
    blank = np.zeros((2, 2, 4), dtype=np.uint8)
    parts = {"image": ax_img.imshow(blank, interpolation="nearest"),
             "mosaic": ax.imshow(blank, interpolation="nearest"),
             "bar": ax_bar.imshow(blank, aspect="auto", interpolation="nearest", extent=(0, 1, 0, 1)),
             "rows": [], "cols": [], "bar_texts": []}
    ax.set_anchor("N")  # the mosaic keeps square pixels inside its fixed box, at the top
    for a in (ax_img, ax, ax_bar):
        a.set_axis_off()
    ax_bar.set_xlim(0, 1)
    ax_bar.set_ylim(0, 1)
    ax_bar.add_patch(Rectangle((0, 0), 1, 1, fill=False, edgecolor="#333333", linewidth=1))  # white must show
    ax_bar.text(0.5, 1.03, "value", ha="center", va="bottom", fontsize=LABEL_SIZE)
    parts["bar_texts"] = [ax_bar.text(1.3, y, "", ha="left", va="center", fontsize=LABEL_SIZE) for y in (1, 0, 0.5)]
    parts["bar_zero"] = ax_bar.text(0.5, -0.03, "", ha="center", va="top", fontsize=LABEL_SIZE)
    fig._channel_parts = parts
    return fig, parts


def _set_image(im, rgba) -> None:
    """Show ``rgba`` ``(rows, cols, 4)`` in ``im``, its Axes fitted to it (square pixels)."""
    h, w = rgba.shape[:2]
    im.set_data(rgba)
    im.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
    im.axes.set_xlim(-0.5, w - 0.5)
    im.axes.set_ylim(h - 0.5, -0.5)


def _set_texts(ax, texts: list, items, **kwargs) -> None:
    """Put ``(position, string)`` ``items`` in the Text artists ``texts`` (made as needed; the rest hidden)."""
    while len(texts) < len(items):
        texts.append(ax.text(0, 0, "", fontsize=LABEL_SIZE, **kwargs))
    for text, (xy, s) in zip(texts, items):
        text.set_position(xy)
        text.set_text(s)
        text.set_visible(True)
    for text in texts[len(items):]:
        text.set_visible(False)


def _set_colour_bar(parts, cmap, norm, *, gray: bool) -> None:
    """The vertical colour bar: ``cmap`` from ``norm.vmin`` (bottom) to ``vmax`` (top), its limits written."""
    lo, hi = norm.vmin, norm.vmax
    parts["bar"].set_data(cmap(norm(np.linspace(hi, lo, 64)[:, None]), bytes=True))
    top, bottom, zero = parts["bar_texts"]
    top.set_text(f"{hi:.2g}")
    bottom.set_text(f"{lo:.2g}")
    zero.set_position((1.3, (0 - lo) / (hi - lo)))
    zero.set_text("0")
    zero.set_visible(not gray)
    parts["bar_zero"].set_text("black = 0" if gray else "white = 0")


def mosaic_colours(mosaic, cmap, norm) -> np.ndarray:
    """``(rows, cols, 4)`` RGBA bytes of ``mosaic`` on ``cmap`` and ``norm``; NaN (the gaps) gets the "bad" colour."""
    return cmap(norm(np.ma.masked_invalid(mosaic)), bytes=True)


# The SVG figure, in CSS px: the title row, then the image with its caption (left), the mosaic, the colour bar.
SVG_SIZE = (780, 412)
_TOP = 44  # under the title
_IMAGE_PX = 168  # the input image's side
_MOSAIC_X, _MOSAIC_Y, _MOSAIC_W, _MOSAIC_H = 272, _TOP + 26, 400, 300  # the mosaic is fitted in this box
_BAR_X, _BAR_Y = 688, _TOP + 40  # the colour bar, as tall as the mosaic's box (room above for "value")
_LINE = 23


def draw_layer_channels_svg(image, maps, *, title: str, caption: str = "", ncols: int | None = None) -> str:
    """:func:`draw_layer_channels` as SVG (a string): image and caption, every channel's map, one colour bar.

    Args:
        image: the input, ``(H, W)`` or ``(1, H, W)``, gray 0 … 1, or a colour picture ``(H, W, 3)``, 0 … 1.
        maps: the layer's output ``(C, H, W)``; all channels share one colour scale.
        title: the line at the top (bold); caption: lines (``\\n``) under the image.
        ncols: channels per mosaic row (default 8 from 16 channels on, else all in one row).

    >>> svg = draw_layer_channels_svg(np.zeros((28, 28)), np.ones((4, 5, 5)), title="layer 1", caption="image 0")
    >>> svg.count("<image"), "ch 0" in svg, "black = 0" in svg
    (3, True, True)
    """
    maps = np.asarray(maps, dtype=float)
    if maps.ndim != 3:
        raise ValueError(f"draw_layer_channels_svg expects maps (C, H, W), got shape {maps.shape}. "
                         "Hint: drop the batch axis, maps[0].")
    C, H, W = maps.shape
    ncols = ncols or (8 if C >= 16 else C)
    nrows = -(-C // ncols)
    style = image_style(maps, robust=True)  # up to the 98th percentile: one bright channel darkens no other
    name = style.pop("cmap")
    gray = name == IMAGE_CMAP
    cmap = colormaps[name].with_extremes(bad=GAP_COLOR if gray else SIGNED_GAP_COLOR)  # the gaps between tiles
    norm = style.get("norm") or Normalize(style["vmin"], style["vmax"])
    svg = Svg(*SVG_SIZE, title=title)
    svg.text(8, 20, title, size=20, anchor="start", weight="bold")

    img = np.asarray(image, dtype=float)
    img = img[0] if img.ndim == 3 and img.shape[0] == 1 else img
    if img.ndim == 3 and img.shape[2] == 3:  # a colour picture (H, W, 3), e.g. lesson 10's photo patches
        rgb = np.round(np.clip(img, 0.0, 1.0) * 255)
        png = encode_png(np.concatenate([rgb, np.full(img.shape[:2] + (1,), 255.0)], axis=2))  # (H, W, 4)
    else:
        png = array_png(img, IMAGE_CMAP, 0.0, 1.0)
    svg.image(8, _TOP, _IMAGE_PX, _IMAGE_PX, png)
    for k, line in enumerate(caption.splitlines()):
        svg.text(8, _TOP + _IMAGE_PX + 10 + (k + 0.5) * _LINE, line, anchor="start")

    mosaic = tile_channels(maps, ncols)  # (rows, cols), NaN in the gaps
    px = min(_MOSAIC_W / mosaic.shape[1], _MOSAIC_H / mosaic.shape[0])  # square pixels, fitted in the box
    svg.image(_MOSAIC_X, _MOSAIC_Y, mosaic.shape[1] * px, mosaic.shape[0] * px,
              encode_png(mosaic_colours(mosaic, cmap, norm), compress_level=1))
    tile_w, tile_h = (W + 1) * px, (H + 1) * px
    col_step = 1 if tile_w >= text_width(f"+{ncols - 1}") + 8 else 2  # narrow tiles: every other column labelled
    for k in range(0, ncols, col_step):
        svg.text(_MOSAIC_X + k * tile_w + W * px / 2, _TOP + 11, f"+{k}")
    row_step = 1 if tile_h >= _LINE else 2
    for r in range(0, nrows, row_step):
        svg.text(_MOSAIC_X - 6, _MOSAIC_Y + r * tile_h + H * px / 2, f"ch {r * ncols}", anchor="end")

    lo, hi = float(norm.vmin), float(norm.vmax)
    ticks = np.linspace(lo, hi, 5)  # 0 is the bottom (gray) or the middle (signed) tick
    bar_h = _MOSAIC_Y + _MOSAIC_H - _BAR_Y
    svg.text(_BAR_X, _TOP + 11, "value", anchor="start")
    colorbar(svg, _BAR_X, _BAR_Y, bar_h, name, lo, hi, ticks, extend=bar_extend(maps, norm))
    svg.text(_BAR_X, _BAR_Y + bar_h + 30, "black = 0" if gray else "white = 0", size=MIN_FONT_PX, anchor="start")
    return svg.to_string()
