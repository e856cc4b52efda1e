import base64
import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import Normalize
from PIL import Image

from cnnlib.demos.feature_maps import tile_channels
from cnnlib.viz.feature_maps import (FIGURE_SIZE, GAP_COLOR, SVG_SIZE, draw_layer_channels, draw_layer_channels_svg,
                                     mosaic_colours)
from cnnlib.viz.display import figure_to_png
from cnnlib.viz.style import robust_signed_norm
from cnnlib.viz.svg import MIN_FONT_PX, text_width, tick_text


def _texts(ax):
    return [t.get_text() for t in ax.texts if t.get_visible()]


def test_draw_layer_channels_draws_the_mosaic_with_channel_numbers_and_a_colour_bar():
    maps = np.random.default_rng(1).random((12, 5, 5))
    fig = draw_layer_channels(np.zeros((1, 28, 28)), maps, title="t", caption="c")
    mosaic = fig.axes[1].images[0].get_array()
    cmap = colormaps["gray"].with_extremes(bad=GAP_COLOR)
    top = np.percentile(maps, 98)  # the gray scale ends at the 98th percentile, as the signed one does
    expected = mosaic_colours(tile_channels(maps, 12), cmap, Normalize(0, top))  # fewer than 16: one row
    np.testing.assert_array_equal(mosaic, expected)
    assert _texts(fig.axes[1]) == ["ch 0"] + [f"+{k}" for k in range(12)]
    bar = _texts(fig.axes[2])
    assert f"{top:.2g}" in bar and "0" in bar and "black = 0" in bar and "value" in bar
    assert fig.axes[0].get_title() == "c"


def test_one_bright_channel_does_not_darken_the_others():
    maps = np.random.default_rng(3).random((16, 6, 6))  # values in 0..1
    maps[5, 2, 2] = 50.0  # one pixel of one channel 50 times brighter
    root = ET.fromstring(draw_layer_channels_svg(np.zeros((28, 28)), maps, title="t"))
    texts = _svg_texts(root)
    bar = texts[texts.index("value") + 1:]
    assert bar[-2] == tick_text(np.percentile(maps, 98)) and float(bar[-2]) < 1  # the scale's top ignores the outlier
    _, mosaic, _ = root.iter(f"{NS}image")
    channel_0 = _pixels(mosaic)[:6, :6, 0]  # the first tile, drawn as on a scale without the outlier
    assert channel_0.mean() > 0.4 * 255
    assert len(list(root.iter(f"{NS}polygon"))) == 1  # a triangle on top of the bar: brighter values are clipped


def test_signed_maps_are_red_and_blue_with_zero_on_the_bar():
    maps = np.random.default_rng(2).standard_normal((32, 3, 3))
    fig = draw_layer_channels(np.zeros((1, 28, 28)), maps, title="t")
    assert _texts(fig.axes[1])[:4] == ["ch 0", "ch 8", "ch 16", "ch 24"]  # 8 per row
    norm = robust_signed_norm(maps)
    bar = _texts(fig.axes[2])
    assert {f"{norm.vmin:.2g}", "0", f"{norm.vmax:.2g}", "white = 0"} <= set(bar)
    top = fig.axes[2].images[0].get_array()[0, 0]
    np.testing.assert_array_equal(top, colormaps["RdBu_r"](1.0, bytes=True))  # the top of the bar is dark red


def test_figure_size_is_the_same_for_every_layer_and_a_redraw_matches_a_new_figure():
    rng = np.random.default_rng(4)
    layers = [rng.standard_normal((32, 26, 26)), rng.random((32, 13, 13)), rng.random((64, 5, 5)),
              rng.random((12, 4, 4))]
    fig = None
    for maps in layers:
        again = draw_layer_channels(rng.random((1, 28, 28)), maps, title=f"{maps.shape}", caption="x", figure=fig)
        assert fig is None or again is fig
        fig = again
        assert tuple(fig.get_size_inches()) == FIGURE_SIZE
        new = draw_layer_channels(np.zeros((1, 28, 28)), maps, title=f"{maps.shape}", caption="x")
        redrawn = draw_layer_channels(np.zeros((1, 28, 28)), maps, title=f"{maps.shape}", caption="x", figure=fig)
        assert figure_to_png(redrawn) == figure_to_png(new)  # nothing of the last layer left over
    assert len(fig.axes) == 3


def test_bad_maps_are_a_clear_error():
    with pytest.raises(ValueError, match=r"expects maps \(C, H, W\), got shape \(1, 2, 3, 3\)"):
        draw_layer_channels(np.zeros((1, 28, 28)), np.zeros((1, 2, 3, 3)), title="t")


# -- the SVG figure of lesson 09's widget ------------------------------------------------------------------------

NS = "{http://www.w3.org/2000/svg}"
PROJECTOR_CONTENT_PX = 800  # a notebook cell's output is ~820 px wide at 1024×768 with the sidebar collapsed


def _pixels(element) -> np.ndarray:
    data = element.get("href").removeprefix("data:image/png;base64,")
    with Image.open(io.BytesIO(base64.b64decode(data))) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def _svg_texts(root):
    return [t.text for t in root.iter(f"{NS}text")]


def test_svg_mosaic_decodes_to_every_channel_on_one_gray_scale_with_white_gaps():
    maps = np.random.default_rng(1).random((12, 5, 5))
    image = np.random.default_rng(2).random((1, 28, 28))
    svg = draw_layer_channels_svg(image, maps, title="layer 1 · ReLU", caption="test image 3\ntrue: bag")
    root = ET.fromstring(svg)
    photo, mosaic, _ = root.iter(f"{NS}image")
    np.testing.assert_array_equal(_pixels(photo), colormaps["gray"](image[0], bytes=True)[..., :3])
    cmap = colormaps["gray"].with_extremes(bad=GAP_COLOR)
    top = np.percentile(maps, 98)  # the gray scale's top
    expected = mosaic_colours(tile_channels(maps, 12), cmap, Normalize(0, top))[..., :3]  # one row of 12
    np.testing.assert_array_equal(_pixels(mosaic), expected)
    texts = _svg_texts(root)
    assert texts[0] == "layer 1 · ReLU" and texts[1:3] == ["test image 3", "true: bag"]
    assert "ch 0" in texts and "ch 1" not in texts and "+0" in texts  # one row: channel = 0 + column offset
    bar = texts[texts.index("value") + 1:]
    assert bar[0] == "0" and bar[-2] == tick_text(top) and bar[-1] == "black = 0"  # the bar's limits


def test_svg_signed_maps_are_red_and_blue_with_zero_on_the_bar():
    maps = np.random.default_rng(2).standard_normal((32, 3, 3))
    root = ET.fromstring(draw_layer_channels_svg(np.zeros((28, 28)), maps, title="t"))
    texts = _svg_texts(root)
    assert [t for t in texts if t.startswith("ch ")] == ["ch 0", "ch 8", "ch 16", "ch 24"]  # 8 per row
    norm = robust_signed_norm(maps)
    bar = texts[texts.index("value") + 1:]
    assert bar == [tick_text(v) for v in np.linspace(norm.vmin, norm.vmax, 5)] + ["white = 0"] and "0" in bar
    assert len(list(root.iter(f"{NS}polygon"))) == 2  # the 98th percentile clips both ends: a triangle each
    mosaic = _pixels(list(root.iter(f"{NS}image"))[1])
    np.testing.assert_array_equal(mosaic[3, 0], [0x8C, 0x8C, 0x8C])  # the gap under the first row: gray


def test_svg_has_one_size_for_every_layer_readable_text_that_fits_and_a_projector_width():
    rng = np.random.default_rng(4)
    layers = [rng.standard_normal((32, 26, 26)), rng.random((32, 13, 13)), rng.standard_normal((64, 11, 11)),
              rng.random((64, 5, 5)), rng.random((12, 4, 4))]
    sizes = set()
    for maps in layers:
        C, H, W = maps.shape  # the title: lesson 09's longest
        title = f"layer 3 · Conv2D(32, 64, kernel_size=3) → {C} channels of {H}×{W}"
        caption = "test image 9\ntrue: T-shirt/top\npredicted:\nT-shirt/top (100%)"
        root = ET.fromstring(draw_layer_channels_svg(rng.random((28, 28)), maps, title=title, caption=caption))
        sizes.add((root.get("width"), root.get("height")))
        assert float(root.get("width")) <= PROJECTOR_CONTENT_PX
        mosaic = list(root.iter(f"{NS}image"))[1]
        assert float(mosaic.get("width")) <= 400 + 1e-6 and float(mosaic.get("height")) <= 300 + 1e-6
        boxes = []
        for t in root.iter(f"{NS}text"):
            size = float(t.get("font-size").removesuffix("px"))
            width, x = text_width(t.text, size), float(t.get("x"))
            left = {"start": x, "middle": x - width / 2, "end": x - width}[t.get("text-anchor")]
            assert size >= MIN_FONT_PX and 0 <= left and left + width <= float(root.get("width")), t.text
            boxes.append((left, left + width, float(t.get("y")), t.text))
        for a in boxes:  # no two texts on one line overlap (the column labels of narrow tiles skip every other)
            for b in boxes:
                if a is not b and abs(a[2] - b[2]) < MIN_FONT_PX:
                    assert a[1] <= b[0] or b[1] <= a[0], (a[3], b[3])
    assert sizes == {(f"{SVG_SIZE[0]:g}", f"{SVG_SIZE[1]:g}")}
    with pytest.raises(ValueError, match=r"expects maps \(C, H, W\), got shape \(2, 3, 3, 3\)"):
        draw_layer_channels_svg(np.zeros((28, 28)), np.zeros((2, 3, 3, 3)), title="t")
