"""The shift comparison's SVG (lesson 04): the maps it embeds, the numbers it writes, legible, always one size."""
import base64
import io
import itertools
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from cnnlib.demos.translation import MAX_SHIFT, compare_shift
from cnnlib.viz.svg import MIN_FONT_PX, text_width
from cnnlib.viz.translation import SHIFT_SIZE, ZOOM, ZOOM_COLOR, WINDOW_COLOR, draw_shift_comparison, map_png, zoom_of

NS = "{http://www.w3.org/2000/svg}"
SETTINGS = list(itertools.product(range(MAX_SHIFT + 1), (2, 3, 4)))  # every shift, every window of the widget
LEVELS = 2  # gray levels of tolerance: a colormap has a table of 256 colours, not 255·value exactly
BOLD_WIDER = 1.15  # bold DejaVu Sans is up to ~13% wider than the regular text text_width measures


def _root(shift, k):
    return ET.fromstring(draw_shift_comparison(compare_shift(shift, k)))


def _group(root, name):
    (group,) = [g for g in root.iter(f"{NS}g") if g.get("class") == name]
    return group


def _pixels(image) -> np.ndarray:
    """The gray levels of an embedded ``<image>``'s PNG."""
    data = base64.b64decode(image.get("href").split("base64,")[1])
    with Image.open(io.BytesIO(data)) as im:
        rgb = np.asarray(im.convert("RGB")).astype(int)
    assert (rgb == rgb[..., :1]).all()  # gray
    return rgb[..., 0]


def _texts(root):
    return [t.text for t in root.iter(f"{NS}text")]


@pytest.mark.parametrize("shift, k", [(1, 2), (4, 3), (6, 4)])
def test_embedded_images_are_the_maps_in_gray_and_the_zooms_their_crops(shift, k):
    c = compare_shift(shift, k)
    root = _root(shift, k)
    vmax = float(c.fmap.max())
    top, left, size = ZOOM
    shown = {"edge map photo": (c.fmap, 1), "edge map shifted": (c.fmap_shifted, 1),
             "pooled map photo": (c.pooled, k), "pooled map shifted": (c.pooled_shifted, k)}
    for name, (values, scale) in shown.items():
        (image,) = _group(root, name)
        expected = np.rint(255 * np.clip(values / vmax, 0, 1))
        assert np.abs(_pixels(image) - expected).max() <= LEVELS, name  # one pixel per value, gray on 0 … max
        assert (float(image.get("width")), float(image.get("height"))) == (values.shape[1] * scale,
                                                                            values.shape[0] * scale), name
        (zoom,) = _group(root, name.replace(" map ", " map zoom "))
        crop = values[top // scale:(top + size) // scale, left // scale:(left + size) // scale]
        assert crop.shape == (size // scale,) * 2
        assert np.abs(_pixels(zoom) - np.rint(255 * np.clip(crop / vmax, 0, 1))).max() <= LEVELS, name
    np.testing.assert_array_equal(zoom_of(c.pooled_shifted, k), crop)


def test_the_shifted_map_moves_by_the_shift_in_the_picture():
    root = _root(3, 2)
    photo, shifted = (_pixels(_group(root, f"edge map {n}")[0]) for n in ("photo", "shifted"))
    np.testing.assert_array_equal(shifted[:, 4:-1], photo[:, 1:-4])  # inside: the borders are padding effects


@pytest.mark.parametrize("shift, k", [(0, 2), (2, 3), (5, 4)])
def test_the_numbers_written_are_compare_shifts(shift, k):
    c = compare_shift(shift, k)
    root = _root(shift, k)
    texts = _texts(root)
    assert texts[0] == (f"shift {shift} px: similarity {c.before:.2f} before pooling, {c.after:.2f} after {k}×{k} "
                        "pooling")
    assert f"similarity {c.before:.2f}" in texts and f"similarity {c.after:.2f}" in texts
    H, Hp = c.fmap.shape[0], c.pooled.shape[0]
    assert f"edge maps {H}×128" in texts and f"after {k}×{k} max pooling: {Hp}×{c.pooled.shape[1]}" in texts
    rows = [t.text for t in _group(root, "similarity table").iter(f"{NS}text")]
    assert rows == [v for s in c.shifts for v in (str(s), f"{c.curve_before[s]:.2f}", f"{c.curve_after[s]:.2f}")]
    bold = [t.text for t in _group(root, "similarity table").iter(f"{NS}text") if t.get("font-weight") == "bold"]
    assert bold == [str(shift), f"{c.before:.2f}", f"{c.after:.2f}"]  # the current shift stands out, not by colour
    assert "3.5" in texts  # the colour bar's top: the largest edge strength, 3.48


def test_the_table_bars_are_as_long_as_the_similarities():
    c = compare_shift(2, 2)
    bars = [r for r in _group(_root(2, 2), "similarity table").iter(f"{NS}rect")]
    widths = np.array([float(r.get("width")) for r in bars]).reshape(-1, 2)  # (shifts, [edge maps, pooled])
    np.testing.assert_allclose(widths[:, 0] / widths[0, 0], c.curve_before, atol=1e-3)
    np.testing.assert_allclose(widths[:, 1] / widths[0, 1], c.curve_after, atol=1e-3)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_the_window_grid_has_one_cell_per_window_on_both_rows(k):
    root = _root(1, k)
    grid = [ln for ln in root.iter(f"{NS}line") if ln.get("stroke") == WINDOW_COLOR]
    per_zoom = 2 * (ZOOM[2] // k - 1)  # inner lines, both directions
    assert len(grid) == 4 * per_zoom + 2  # four zooms, and the legend's sample
    frames = [r for r in root.iter(f"{NS}rect") if r.get("stroke") == ZOOM_COLOR]
    assert len(frames) == 4 + 4 + 1  # the box on each whole map, each zoom's frame, the legend
    assert f"{k}×{k} pooling windows: one pooled value each" in _texts(root) and "the zoomed region" in _texts(root)


def test_every_setting_has_the_same_size_text_of_18px_and_more_and_nothing_outside():
    sizes = set()
    for shift, k in SETTINGS:
        root = _root(shift, k)
        sizes.add((root.get("width"), root.get("height"), root.get("viewBox")))
        width = float(root.get("width"))
        for t in root.iter(f"{NS}text"):
            px = float(t.get("font-size").removesuffix("px"))
            assert px >= MIN_FONT_PX, t.text
            w = text_width(t.text, px) * (BOLD_WIDER if t.get("font-weight") == "bold" else 1.0)
            x = float(t.get("x"))
            start = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor")]
            assert 0 <= start and start + w <= width, (shift, k, t.text)
    w, h = SHIFT_SIZE
    assert sizes == {(f"{w:g}", f"{h:g}", f"0 0 {w:g} {h:g}")} and w <= 800


def test_maps_are_encoded_once():
    c = compare_shift(1, 2)
    assert map_png(c.fmap, 3.0) is map_png(c.fmap.copy(), 3.0)
    assert map_png(c.fmap, 3.0) is not map_png(c.fmap, 2.0)
