"""Lesson 12's SVG figures: valid XML, text of at least 18 px that fits inside, a fixed size, two cues per line."""
import xml.etree.ElementTree as ET

import pytest

from cnnlib.demos.building_blocks import architecture_timeline, depth_gradients, stack_vs_single
from cnnlib.viz.building_blocks import (HEADROOM_PX, PLAIN_COLOR, PLAIN_DASH, PLOT_BOX, PLOT_SIZE, RESIDUAL_COLOR,
                                        STACK_SIZE, decade_label, decade_range, draw_depth_gradients,
                                        draw_stack_vs_single, draw_timeline, times_text, timeline_size)
from cnnlib.viz.svg import MIN_FONT_PX, text_width

NS = "{http://www.w3.org/2000/svg}"
PROJECTOR_CONTENT_PX = 800


def _texts_fit(root):
    """Every text is >= 18 px and lies inside the figure, measured with the figure's font."""
    width = float(root.get("width"))
    for t in root.iter(f"{NS}text"):
        size = float(t.get("font-size").removesuffix("px"))
        assert size >= MIN_FONT_PX, t.text
        w, x = text_width(t.text, size), float(t.get("x"))
        left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor")]
        assert -0.5 <= left and left + w <= width + 0.5, (t.text, left, left + w, width)


FIGURES = [
    ("gradients he+bn", lambda: draw_depth_gradients(depth_gradients(30))),
    ("gradients uniform", lambda: draw_depth_gradients(depth_gradients(40, False, "uniform"))),
    ("gradients 2 blocks", lambda: draw_depth_gradients(depth_gradients(2))),
    ("stack 1", lambda: draw_stack_vs_single(stack_vs_single(1, 16, bias=True))),
    ("stack 4", lambda: draw_stack_vs_single(stack_vs_single(4, 128))),
    ("timeline", lambda: draw_timeline(architecture_timeline())),
]


@pytest.mark.parametrize("name, draw", FIGURES, ids=[f[0] for f in FIGURES])
def test_every_figure_is_svg_with_readable_text_that_fits_a_projected_cell(name, draw):
    root = ET.fromstring(draw())
    assert root.tag == f"{NS}svg"
    assert float(root.get("width")) <= PROJECTOR_CONTENT_PX
    _texts_fit(root)


def test_gradient_figure_keeps_its_size_and_tells_the_lines_apart_without_colour():
    sizes = {(ET.fromstring(draw_depth_gradients(depth_gradients(d, bn, init))).get("width"),
              ET.fromstring(draw_depth_gradients(depth_gradients(d, bn, init))).get("height"))
             for d, bn, init in [(2, True, "he"), (30, True, "he"), (40, False, "uniform")]}
    assert sizes == {(f"{PLOT_SIZE[0]:g}", f"{PLOT_SIZE[1]:g}")}
    root = ET.fromstring(draw_depth_gradients(depth_gradients(30)))
    groups = {g.get("class"): g for g in root.iter(f"{NS}g")}
    plain, residual = groups["plain stack"], groups["residual stack"]
    plain_line, res_line = plain.find(f"{NS}polyline"), residual.find(f"{NS}polyline")
    assert plain_line.get("stroke") == PLAIN_COLOR and plain_line.get("stroke-dasharray") == PLAIN_DASH
    assert res_line.get("stroke") == RESIDUAL_COLOR and res_line.get("stroke-dasharray") is None
    assert len(plain.findall(f"{NS}rect")) == 31 and len(residual.findall(f"{NS}circle")) == 31  # squares, circles
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "plain stack: 74× at the input" in texts
    assert "with skips (Residual): 5.1× at the input" in texts


def test_the_y_axis_is_logarithmic_in_whole_decades():
    assert decade_range([1.0, 74.0]) == (-1, 2)
    assert decade_range([2.7e-9, 1.0]) == (-9, 1)
    assert [times_text(v) for v in (5.05, 74.4, 963.0, 2.3e-17)] == ["5", "74", "963", "2.3e−17"]
    root = ET.fromstring(draw_depth_gradients(depth_gradients(30)))
    labels = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert labels == ["0.1", "1", "10", "100", "1000"]  # plain numbers at 18 px: no shrunken superscript
    assert [decade_label(k) for k in (-3, 0, 2, -9)] == ["0.001", "1", "100", "1e−9"]
    # The vanishing case: the legend writes 1.6e−13 at full size too, like the ticks, never 1.6·10⁻¹³.
    vanishing = ET.fromstring(draw_depth_gradients(depth_gradients(30, batchnorm=False, init="uniform")))
    texts = [t.text or "" for t in vanishing.iter(f"{NS}text")]
    assert any("e−13× at the input" in t for t in texts) and not any(set("⁰¹²³⁴⁵⁶⁷⁸⁹⁻") & set(t) for t in texts)


@pytest.mark.parametrize("depth, bn, init", [(30, True, "he"), (40, True, "he"), (40, False, "uniform"),
                                             (2, True, "he"), (20, False, "he")])
def test_every_point_keeps_clear_of_the_frame_and_the_labels_read_unambiguously(depth, bn, init):
    root = ET.fromstring(draw_depth_gradients(depth_gradients(depth, bn, init)))
    _, top, _, bottom = PLOT_BOX
    groups = {g.get("class"): g for g in root.iter(f"{NS}g")}
    for name in ("plain stack", "residual stack"):
        points = groups[name].find(f"{NS}polyline").get("points").split()
        ys = [float(p.split(",")[1]) for p in points]
        assert top + HEADROOM_PX - 0.5 <= min(ys) and max(ys) <= bottom - HEADROOM_PX + 0.5, (name, min(ys), max(ys))
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert not [t for t in texts if "block l" in t]  # "block l" reads as "block 1"
    assert "block number   (0: the network's input; the top on the right)" in texts
    ticks = [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert all(set(t.text) <= set("0123456789.e−") for t in ticks), [t.text for t in ticks]


def test_stack_figure_has_a_fixed_size_and_labels_the_counts_from_summary():
    for n in range(1, 5):
        root = ET.fromstring(draw_stack_vs_single(stack_vs_single(n, 64)))
        assert (root.get("width"), root.get("height")) == (f"{STACK_SIZE[0]:g}", f"{STACK_SIZE[1]:g}")
    texts = [t.text for t in ET.fromstring(draw_stack_vs_single(stack_vs_single(3, 64))).iter(f"{NS}text")]
    assert "3 × conv 3×3: 3·9·C² = 27·C²" in texts and "one conv 7×7: 7²·C² = 49·C²" in texts
    assert "summary(): 110,592 parameters" in texts and "summary(): 200,704 parameters" in texts
    with pytest.raises(ValueError, match="1 to 4 stacked"):
        draw_stack_vs_single(stack_vs_single(5, 8))


def test_timeline_marks_quoted_counts_with_a_dashed_box_and_a_label():
    root = ET.fromstring(draw_timeline(architecture_timeline()))
    assert (float(root.get("width")), float(root.get("height"))) == timeline_size(3)
    texts = [t.text for t in root.iter(f"{NS}text")]
    for wanted in ("1998  LeNet-5", "2014  VGG-16", "2015  ResNet-50", "61,706", "138M", "25.6M",
                   "Simonyan & Zisserman 2014", "He et al. 2015", "+ skip connections", "+ only 3×3 convs"):
        assert wanted in texts
    assert texts.count("quoted from the paper") == 1 and texts.count("the usual count") == 1
    assert texts.count("cnnlib summary()") == 1
    boxes = [r for r in root.iter(f"{NS}rect") if r.get("stroke-width") == "2"]
    assert [b.get("stroke-dasharray") for b in boxes] == [None, "7 5", "7 5"]
