"""Svg's pictures and colour bars: an embedded PNG decodes to the colours given, a bar's ticks are its limits."""
import base64
import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib import colormaps
from PIL import Image

from cnnlib.viz.png import array_png
from cnnlib.viz.svg import MIN_FONT_PX, Svg, colorbar, text_width, tick_text

NS = "{http://www.w3.org/2000/svg}"


def _pixels(element) -> np.ndarray:
    """The RGB pixels of an SVG ``<image>``'s embedded PNG."""
    data = element.get("href").removeprefix("data:image/png;base64,")
    with Image.open(io.BytesIO(base64.b64decode(data))) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def test_image_embeds_the_png_scaled_up_with_sharp_pixels():
    values = np.array([[0.0, 0.5], [1.0, 0.25]])
    s = Svg(100, 100)
    s.image(10, 20, 40, 40, array_png(values, "gray", 0.0, 1.0))
    root = ET.fromstring(s.to_string())
    (image,) = root.iter(f"{NS}image")
    assert [image.get(k) for k in ("x", "y", "width", "height")] == ["10", "20", "40", "40"]
    assert "pixelated" in image.get("style") and image.get("preserveAspectRatio") == "none"
    np.testing.assert_array_equal(_pixels(image), colormaps["gray"](values, bytes=True)[..., :3])


def test_polygon_lists_its_points():
    s = Svg(10, 10)
    s.polygon([(0, 0), (4, 0), (2, 3.5)], fill="#000000")
    (poly,) = ET.fromstring(s.to_string()).iter(f"{NS}polygon")
    assert poly.get("points") == "0,0 4,0 2,3.5" and poly.get("fill") == "#000000"


@pytest.mark.parametrize("extend, triangles", [("neither", 0), ("max", 1), ("both", 2)])
def test_colorbar_runs_from_vmax_at_the_top_to_vmin_with_its_ticks_written(extend, triangles):
    s = Svg(120, 300)
    colorbar(s, 10, 20, 200, "RdBu_r", -2.0, 2.0, [-2.0, 0.0, 2.0], extend=extend)
    root = ET.fromstring(s.to_string())
    (strip,) = root.iter(f"{NS}image")
    pixels = _pixels(strip)[:, 0]  # (200, 3): one row per px of the bar
    assert len(pixels) == 200
    np.testing.assert_array_equal(pixels[0], colormaps["RdBu_r"](1.0, bytes=True)[:3])  # vmax at the top
    np.testing.assert_array_equal(pixels[-1], colormaps["RdBu_r"](0.0, bytes=True)[:3])  # vmin at the bottom
    texts = {t.text: float(t.get("y")) for t in root.iter(f"{NS}text")}
    assert texts == {"−2": 220.0, "0": 120.0, "2": 20.0}  # each label at its value's height
    assert len(list(root.iter(f"{NS}polygon"))) == triangles
    with pytest.raises(ValueError, match="extend must be"):
        colorbar(s, 0, 0, 10, "gray", 0, 1, extend="top")


def test_colorbar_ticks_default_to_the_limits_and_are_projector_sized():
    s = Svg(120, 300)
    colorbar(s, 0, 0, 100, "gray", 0.0, 0.5)
    sizes = [float(t.get("font-size").removesuffix("px")) for t in ET.fromstring(s.to_string()).iter(f"{NS}text")]
    assert [t.text for t in ET.fromstring(s.to_string()).iter(f"{NS}text")] == ["0", "0.5"]
    assert min(sizes) >= MIN_FONT_PX


def test_tick_text_and_text_width():
    assert [tick_text(v) for v in (-0.25, 1234.0, 2.0, 0.0625, -0.0)] == ["−0.25", "1200", "2", "0.062", "0"]
    assert text_width("ab") == pytest.approx(2 * text_width("a"), rel=0.05)
    assert text_width("input 150×128", 36) == pytest.approx(2 * text_width("input 150×128", 18))
