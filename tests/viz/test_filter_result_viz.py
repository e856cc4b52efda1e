"""Lesson 03's filter figure (SVG): the map's colours on the scale chosen, its colour bar's limits, one fixed size."""
import base64
import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib import colormaps
from PIL import Image

from cnnlib.demos.filters import sample_photo
from cnnlib.functional import conv2d
from cnnlib.image_filters import get_kernel
from cnnlib.viz.filter_result import FIGURE_H, FIGURE_W, draw_filter_result, pixel_scale, scale_note
from cnnlib.viz.filters import FIXED_LIMIT
from cnnlib.viz.style import IMAGE_CMAP, SIGNED_CMAP
from cnnlib.viz.svg import MIN_FONT_PX, text_width

NS = "{http://www.w3.org/2000/svg}"
PROJECTOR_CONTENT_PX = 800  # a notebook cell's output is ~820 px wide at 1024×768 with the sidebar collapsed
IMAGE = np.random.default_rng(0).random((20, 16))


def _fmap(name, image=IMAGE, **settings):
    return conv2d(image[None, None], get_kernel(name, np.float64)[None, None], **{"padding": 1, **settings})[0, 0]


def _draw(name, image=IMAGE, scale="fixed", **settings):
    fmap = _fmap(name, image, **settings)
    return ET.fromstring(draw_filter_result(image, get_kernel(name), fmap, kernel_name=name, scale=scale,
                                            **{"padding": 1, **settings})), fmap


def _pixels(element) -> np.ndarray:
    data = element.get("href").removeprefix("data:image/png;base64,")
    with Image.open(io.BytesIO(base64.b64decode(data))) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def _images(root):
    """``photo, photo's colour bar, map, map's colour bar``: the figure's pictures, left to right."""
    return list(root.iter(f"{NS}image"))


def _texts(root):
    return [t.text for t in root.iter(f"{NS}text")]


def _map_bar_labels(root):
    bar_x = float(_images(root)[3].get("x"))
    return [t.text for t in root.iter(f"{NS}text") if float(t.get("x")) > bar_x and t.get("text-anchor") == "start"]


def _colours(values, cmap, lo, hi):
    return colormaps[cmap](np.clip((values - lo) / (hi - lo), 0, 1), bytes=True)[..., :3]


def test_titles_kernel_numbers_and_the_map_at_the_photos_pixel_scale():
    fmap = _fmap("sobel_x", stride=2, padding=0)
    root = ET.fromstring(draw_filter_result(IMAGE, get_kernel("sobel_x"), fmap, stride=2, padding=0,
                                            kernel_name="sobel_x"))
    texts = _texts(root)
    for title in ("input 20×16", "gray 0 … 1", "sobel_x", "weights sum to 0", "feature map 9×7",
                  "stride 2, padding 0", "fixed: −1 … +1, white = 0"):
        assert title in texts
    cells = [r for r in root.iter(f"{NS}rect") if r.get("width") == r.get("height") == "52"]
    assert len(cells) == 9
    start = texts.index("weights sum to 0") + 1
    assert texts[start:start + 9] == ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]  # row by row
    photo, _, drawn, _ = _images(root)
    px = pixel_scale(IMAGE.shape)
    assert float(photo.get("width")) == pytest.approx(16 * px, abs=1e-3)
    # the map at the photo's pixel scale: it is seen to shrink with the stride
    assert (float(drawn.get("width")), float(drawn.get("height"))) == pytest.approx((7 * px, 9 * px), abs=1e-3)
    np.testing.assert_array_equal(_pixels(photo), _colours(IMAGE, IMAGE_CMAP, 0, 1))


@pytest.mark.parametrize("stride", [2, 3, 4])
def test_a_strided_map_is_said_to_be_drawn_to_the_photos_scale_under_it_and_clear_of_its_colour_bar(stride):
    photo = sample_photo()
    root, fmap = _draw("sobel_x", photo, stride=stride)
    _, _, drawn, bar = _images(root)
    lines = [t for t in root.iter(f"{NS}text") if t.text in scale_note(stride)]
    assert [t.text for t in lines] == ["drawn to the photo's", f"scale: 1/{stride} the size"]
    map_bottom = float(drawn.get("y")) + float(drawn.get("height"))
    for t in lines:
        x, y = float(t.get("x")), float(t.get("y"))
        assert x == float(drawn.get("x")) and y - MIN_FONT_PX / 2 > map_bottom  # under the small map
        assert x + text_width(t.text) < float(bar.get("x"))  # not into the colour bar
        assert y + MIN_FONT_PX / 2 < FIGURE_H
    # still drawn to scale: 1/stride as wide as the photo (within a pixel of padding)
    assert float(drawn.get("width")) == pytest.approx(photo.shape[1] * pixel_scale(photo.shape) / stride,
                                                      abs=3 * pixel_scale(photo.shape))
    root, _ = _draw("sobel_x", photo, stride=1)
    assert not [t for t in _texts(root) if "photo's" in t]  # same size as the photo: nothing to explain


def test_fixed_scale_draws_every_kernel_on_the_same_limits_so_the_weight_sum_shows_as_brightness():
    drawn = {}
    for name in ("identity", "brighten", "darken"):
        root, fmap = _draw(name)
        pixels = _pixels(_images(root)[2])
        np.testing.assert_array_equal(pixels, _colours(fmap, IMAGE_CMAP, 0.0, FIXED_LIMIT))  # gray 0 … 1, clipped
        labels = _map_bar_labels(root)
        assert labels[0] == "0" and labels[-1] == "1"  # the bar's ends are the scale's limits
        assert "fixed: gray 0 … 1" in _texts(root)
        drawn[name] = pixels.mean()
    assert drawn["brighten"] > 1.3 * drawn["identity"] > 1.3 * drawn["darken"]
    root, fmap = _draw("sobel_x")
    np.testing.assert_array_equal(_pixels(_images(root)[2]), _colours(fmap, SIGNED_CMAP, -1.0, 1.0))
    assert _map_bar_labels(root) == ["−1", "−0.5", "0", "0.5", "1"]  # 0 (white) is on the bar


def test_stretched_scale_fits_each_map_and_hides_the_brightness():
    (root_i, _), (root_b, fmap_b) = _draw("identity", scale="stretched"), _draw("brighten", scale="stretched")
    np.testing.assert_array_equal(_pixels(_images(root_i)[2]), _pixels(_images(root_b)[2]))  # the same picture
    top = float(fmap_b.max())
    assert f"stretched: gray 0 … {top:.2g}" in _texts(root_b)
    assert _map_bar_labels(root_b)[-1] == f"{top:.2g}" and _map_bar_labels(root_b)[0] == "0"
    assert _map_bar_labels(root_i)[-1] == f"{top / 2:.2g}"  # only the colour bar tells them apart


def test_clipped_values_are_marked_by_a_triangle_and_a_note():
    root, fmap = _draw("brighten")
    share = np.mean(fmap > 1)
    assert f"{share:.0%} above 1: drawn as 1" in _texts(root)
    (triangle,) = root.iter(f"{NS}polygon")  # above the map's bar only: nothing below 0
    assert min(float(p.split(",")[1]) for p in triangle.get("points").split()) < float(_images(root)[3].get("y"))
    root, _ = _draw("identity")
    assert not list(root.iter(f"{NS}polygon")) and not [t for t in _texts(root) if "drawn as" in t]


@pytest.mark.parametrize("settings", [dict(padding=0), dict(padding=3), dict(padding=1, stride=4),
                                      dict(padding=2, stride=3)])
@pytest.mark.parametrize("scale", ["fixed", "stretched"])
def test_every_setting_gives_the_same_size_readable_text_that_fits_and_a_projector_width(settings, scale):
    photo = sample_photo()
    for name in ("sobel_x", "gaussian", "brighten"):
        root, _ = _draw(name, photo, scale, **settings)
        assert (root.get("width"), root.get("height")) == (f"{FIGURE_W:g}", f"{FIGURE_H:g}")
        assert float(root.get("width")) <= PROJECTOR_CONTENT_PX
        for t in root.iter(f"{NS}text"):
            size = float(t.get("font-size").removesuffix("px"))
            width, x = text_width(t.text, size), float(t.get("x"))
            left = {"start": x, "middle": x - width / 2, "end": x - width}[t.get("text-anchor")]
            assert size >= MIN_FONT_PX and 0 <= left and left + width <= FIGURE_W, (t.text, left, width)
