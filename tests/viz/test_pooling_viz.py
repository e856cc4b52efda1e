"""Pooling figures as SVG: windows where the demo puts them, kept values circled, the same size for every setting."""
import itertools
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.demos.filters import sample_edge_map
from cnnlib.demos.pooling import pool_backward, pool_layout, pool_windows
from cnnlib.viz.palette import delta_e
from cnnlib.viz.pooling import (EXPLORER_H, EXPLORER_W, EXPLORER_X, MARGIN, PANEL_TOP, PICK_COLOR, WINDOW_COLORS,
                                WINDOW_DASHES, ZOOM_BOX, ZOOM_EXAMPLE_DASHES, ZOOM_WINDOW_COLOR, draw_pool_backward,
                                draw_pool_explorer, draw_pool_windows)
from cnnlib.viz.svg import MIN_FONT_PX, text_width
from cnnlib.widgets.pooling import RANGES

NS = "{http://www.w3.org/2000/svg}"
X = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [7, 2, 0, 8]], dtype=float)


def _texts(root):
    return [t.text for t in root.iter(f"{NS}text")]


def _circles(root, stroke=None):
    return [c for c in root.iter(f"{NS}circle") if stroke is None or c.get("stroke") == stroke]


def _check_readable(root):
    """Every text at least 18 px and inside the figure, which is at most 800 px wide."""
    width = float(root.get("width"))
    assert width <= 800
    for t in root.iter(f"{NS}text"):
        size = float(t.get("font-size").removesuffix("px"))
        assert size >= MIN_FONT_PX, t.text
        w, x = text_width(t.text, size), float(t.get("x"))
        left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor")]
        assert 0 <= left and left + w <= width, t.text


def test_max_pool_circles_the_maximum_of_each_window_in_the_window_colour():
    root = ET.fromstring(draw_pool_windows(pool_windows(X, 2)))
    cell = 56
    *picks, legend = _circles(root)
    centres = [(round((float(c.get("cx")) - MARGIN) / cell - 0.5), round((float(c.get("cy")) - 100) / cell - 0.5))
               for c in picks]
    assert centres == [(1, 1), (2, 1), (0, 3), (3, 3)]  # (col, row) of 6, 5, 7, 8, window by window
    assert [c.get("stroke") for c in picks] == list(WINDOW_COLORS[:4])
    assert float(legend.get("cy")) > 100 + 4 * cell  # the legend's circle, under the grids
    texts = _texts(root)
    assert texts[:2] == ["max pooling 2×2, stride 2", "each output is the largest value (circled) of its window"]
    assert texts[texts.index("output 2×2") + 1:][16:20] == ["6", "5", "7", "8"]  # after the 16 input numbers
    _check_readable(root)


def test_each_window_and_its_output_cell_share_a_colour_and_a_dash_pattern():
    root = ET.fromstring(draw_pool_windows(pool_windows(X, 2)))
    marks = [r for r in root.iter(f"{NS}rect") if r.get("stroke-width") == "4"]
    windows, cells = marks[0::2], marks[1::2]
    assert [(r.get("stroke"), r.get("stroke-dasharray")) for r in windows] == \
        [(r.get("stroke"), r.get("stroke-dasharray")) for r in cells] == list(zip(WINDOW_COLORS[:4], WINDOW_DASHES))
    assert len(set(WINDOW_DASHES)) == 4  # four windows, four outline styles: not colour alone
    boxes = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in windows]
    assert boxes == [(MARGIN + c * 56 + 3, 100 + r * 56 + 3, 106, 106) for r, c in [(0, 0), (0, 2), (2, 0), (2, 2)]]


def test_average_pool_writes_the_means_and_circles_nothing():
    root = ET.fromstring(draw_pool_windows(pool_windows(X, 2, pool="average")))
    texts = _texts(root)
    assert texts[texts.index("output 2×2") + 1:][16:20] == ["3.5", "2", "3.25", "2.75"]
    assert _circles(root) == []
    assert texts[:2] == ["average pooling 2×2, stride 2", "each output is the mean of its window"]


def test_the_small_figure_keeps_its_size_for_every_window_and_stride():
    sizes = {(r.get("width"), r.get("height"))
             for k, s, pool in itertools.product((1, 2, 3, 4), (1, 2, 3), ("max", "average"))
             for r in [ET.fromstring(draw_pool_windows(pool_windows(X, k, s, pool)))]}
    assert len(sizes) == 1


def test_pool_backward_figure():
    root = ET.fromstring(draw_pool_backward(pool_backward(X, [[1, -2], [3, 4]])))
    texts = _texts(root)
    assert [t for t in texts if t in ("x (forward)", "dout", "dx, max", "dx, average")] == \
        ["x (forward)", "dout", "dx, max", "dx, average"]
    circles = [(float(c.get("cx")), float(c.get("cy"))) for c in _circles(root)]
    on_x, on_dx = circles[0::2], circles[1::2]  # window by window: on x, then on dx for max pooling
    assert len(on_x) == 4  # dx for max pooling is two grids (x's 4 columns and dout's 2, 50 px each, 28 px gaps) on
    assert {round(b[0] - a[0], 3) for a, b in zip(on_x, on_dx)} == {4 * 50 + 28 + 2 * 50 + 28}
    dx_max = texts[texts.index("dx, max") + 1:][:16]
    assert dx_max == ["0", "0", "0", "0", "0", "1", "-2", "0", "0", "0", "0", "0", "3", "0", "0", "4"]
    assert "dx, average: dout / 4 to every element of the window" in texts and "-0.5" in texts
    _check_readable(root)


def _explorer(pool="max", k=2, s=2, fmap=None):
    lay = pool_layout(sample_edge_map() if fmap is None else fmap, pool, k, s)
    return lay, ET.fromstring(draw_pool_explorer(lay))


def test_pool_explorer_titles_formula_and_the_photos_as_images():
    lay, root = _explorer("max", 3, 2)
    texts = _texts(root)
    assert texts[:2] == ["max pooling, window 3×3, stride 2",
                         "H_out = ⌊(150 − 3) / 2⌋ + 1 = 74,  W_out = ⌊(128 − 3) / 2⌋ + 1 = 63"]
    assert ["edge map", "150×128", "max pooled", "74×63", "zoom 12×12", "(the box at left)", "its 5×5", "outputs"] == \
        [t for t in texts if t in ("edge map", "150×128", "max pooled", "74×63", "zoom 12×12", "(the box at left)",
                                   "its 5×5", "outputs")]
    images = list(root.iter(f"{NS}image"))
    assert len(images) == 4  # the map, the pooled map and two gray colour bars
    assert all(i.get("href").startswith("data:image/png;base64,") for i in images)
    assert images[0].get("style") == "image-rendering: pixelated"
    assert "edge strength" in texts and "edge strength, zoom brightened" in texts and "3.5" in texts


def test_the_zoom_is_drawn_cell_by_cell_with_every_window_and_every_kept_pixel():
    lay, root = _explorer("max", 2, 2)
    cell = ZOOM_BOX / 12
    zoom_cells = [r for r in root.iter(f"{NS}rect") if r.get("stroke") == "none" and r.get("width") == f"{cell:g}"]
    assert len(zoom_cells) == 144
    windows = [r for r in root.iter(f"{NS}rect")
               if r.get("stroke") == ZOOM_WINDOW_COLOR and r.get("stroke-width") == "2"]
    assert len(windows) == 36  # 6×6 windows of 2×2
    assert {(round((float(r.get("x")) - EXPLORER_X[2]) / cell), round((float(r.get("y")) - PANEL_TOP) / cell))
            for r in windows} == {(b, a) for a in range(0, 12, 2) for b in range(0, 12, 2)}
    *kept, legend = _circles(root, PICK_COLOR)
    picked = np.nonzero((lay.counts > 0) & (lay.crop > 0))
    assert len(kept) == len(_circles(root, "#ffffff")) == len(picked[0]) == 30  # each with a white rim under it
    assert float(legend.get("cy")) > PANEL_TOP + ZOOM_BOX
    assert sorted((round((float(c.get("cx")) - EXPLORER_X[2]) / cell - 0.5),
                   round((float(c.get("cy")) - PANEL_TOP) / cell - 0.5)) for c in kept) == \
        sorted(zip(picked[1].tolist(), picked[0].tolist()))


def test_kept_pixels_and_windows_differ_by_shape_and_colour_and_say_so():
    _, root = _explorer("max", 2, 2)
    texts = _texts(root)
    assert "the windows" in texts and "the pixel each window keeps" in texts  # a rectangle, a circle
    for kind in (None, "deuteranopia", "protanopia"):
        assert delta_e(ZOOM_WINDOW_COLOR, PICK_COLOR, kind) > 25, kind
    _, overlapping = _explorer("max", 3, 1)
    examples = [r for r in overlapping.iter(f"{NS}rect")
                if r.get("stroke-width") == "3" and float(r.get("x")) >= EXPLORER_X[2]]
    assert [r.get("stroke-dasharray") for r in examples] == list(ZOOM_EXAMPLE_DASHES)
    assert "kept by several (bigger circle)" in " ".join(_texts(overlapping))
    _, average = _explorer("average", 2, 3)
    assert _circles(average) == []
    assert "Stride 3 > window 2: some pixels are never looked at" in " ".join(_texts(average))


def test_pool_explorer_has_one_size_for_every_setting_and_readable_text():
    sizes = set()
    (k_lo, k_hi), (s_lo, s_hi) = RANGES["kernel_size"], RANGES["stride"]
    for pool, k, s in itertools.product(("max", "average"), range(k_lo, k_hi + 1), range(s_lo, s_hi + 1)):
        _, root = _explorer(pool, k, s)
        sizes.add((root.get("width"), root.get("height")))
        _check_readable(root)
    assert sizes == {(f"{EXPLORER_W:g}", f"{EXPLORER_H:g}")}


@pytest.mark.parametrize("shape", [(64, 64), (150, 128), (60, 160)])
def test_any_map_fits_the_same_box(shape):
    fmap = np.arange(np.prod(shape), dtype=np.float32).reshape(shape) % 7
    _, root = _explorer("max", 2, 2, fmap)
    assert (root.get("width"), root.get("height")) == (f"{EXPLORER_W:g}", f"{EXPLORER_H:g}")
    first = next(root.iter(f"{NS}image"))
    assert float(first.get("width")) <= 150 and float(first.get("height")) <= 176
