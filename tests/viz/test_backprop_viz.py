"""Lesson 06's backward-pass figures, read back from the SVG they draw (grids, kinds of cell, labels, size)."""
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from cnnlib.demos.conv_backward import conv_backward_steps
from cnnlib.viz.backprop import (CATEGORY_COLORS, FILLS, draw_backward_cell, draw_backward_pass, full_dout_kinds,
                                 tint)
from cnnlib.viz.svg import MIN_FONT_PX

NS = "{http://www.w3.org/2000/svg}"


def grids(svg: str) -> dict:
    """``{name: (texts, kinds)}`` of every grid, each a 2-D array in the drawn cells' order (row by row)."""
    root = ET.fromstring(svg)
    found = {}
    for g in root.iter(NS + "g"):
        cells = [r for r in g.findall(NS + "rect") if r.get("data-kind")]
        xs = sorted({float(r.get("x")) for r in cells})
        ys = sorted({float(r.get("y")) for r in cells})
        shape = (len(ys), len(xs))
        texts = np.array([t.text for t in g.findall(NS + "text")], dtype=object).reshape(shape)
        kinds = np.array([r.get("data-kind") for r in cells], dtype=object).reshape(shape)
        fills = {r.get("data-kind"): r.get("fill") for r in cells}
        assert all(FILLS[k] == f for k, f in fills.items())
        found[g.get("data-grid")] = (texts, kinds)
    return found


def all_text(svg: str) -> str:
    return "\n".join(t.text or "" for t in ET.fromstring(svg).iter(NS + "text"))


def size(svg: str) -> tuple:
    root = ET.fromstring(svg)
    return float(root.get("width")), float(root.get("height"))


def test_cell_figure_draws_five_grids_with_the_sums_so_far():
    cb = conv_backward_steps()
    svg = draw_backward_cell(cb, 1)
    drawn = grids(svg)
    assert list(drawn) == ["x", "dout", "dx", "W", "dW"]
    texts, kinds = drawn["x"]
    assert texts.ravel().tolist() == [str(int(v)) for v in cb.x.ravel()]
    window = np.zeros((4, 4), dtype=bool)
    window[0:2, 1:3] = True  # cell 2 = out[0, 1] used x[0:2, 1:3]
    np.testing.assert_array_equal(kinds == "window", window)
    assert drawn["dW"][0].ravel().tolist() == ["5", "8", "2", "5"]  # x[0:2, 0:2] + 2 · x[0:2, 1:3]
    assert (drawn["dout"][1] == "window").sum() == 1 and drawn["dout"][1][0, 1] == "window"
    text = all_text(svg)
    for label in ("+= 2 · window", "g = dout[0, 1] = 2", "output cell 2 of 9", "window += 2 · W"):
        assert label in text
    with pytest.raises(ValueError, match=r"cell index must be in 0\.\.8"):
        draw_backward_cell(cb, 9)


def test_padding_is_gray_and_the_crop_is_dashed():
    cb = conv_backward_steps(stride=2, padding=1)
    svg = draw_backward_cell(cb, 0, max_padding=1)
    texts, kinds = grids(svg)["x_pad"]
    assert kinds.shape == (6, 6) and set(kinds[0]) == {"padding", "window"} and kinds[3, 3] == "value"
    assert 'stroke-dasharray="7 4"' in svg and "dashed: dx" in all_text(svg)  # legend says what the dashes are


def test_pass_figure_draws_the_dilated_dout_and_dx():
    cb = conv_backward_steps(stride=2, padding=1)
    svg = draw_backward_pass(cb)
    drawn = grids(svg)
    assert list(drawn) == ["dout_full", "W_rot", "dx_pad", "dx"]
    assert list(grids(draw_backward_pass(conv_backward_steps()))) == ["dout_full", "W_rot", "dx"]  # nothing to crop
    texts, kinds = drawn["dout_full"]
    assert texts.size == cb.dout_full.size
    np.testing.assert_array_equal(kinds, full_dout_kinds(cb))
    np.testing.assert_array_equal(kinds[1:6, 1:6] == "inserted", cb.inserted)
    assert drawn["dx"][0].ravel().tolist() == [str(int(v + 0.0)) for v in cb.dx.ravel()]
    text = all_text(svg)
    assert "dout + 1 zero between + 1 around" in text.replace("\n", " ")
    assert "dx: crop 1" in text and "db = 3" in text


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), (3, 2)])
def test_the_legend_names_every_kind_of_cell_drawn(stride, padding):
    cb = conv_backward_steps(stride=stride, padding=padding)
    names = {"window": "outline", "padding": "padding", "inserted": "between", "extra": "hatched", "value": ""}
    for svg in (draw_backward_cell(cb, 0, max_padding=2), draw_backward_pass(cb, max_padding=2)):
        kinds = set().union(*(set(k.ravel()) for _, k in grids(svg).values()))
        for kind in kinds:
            assert names[kind] in all_text(svg), (kind, stride, padding)


def test_figure_size_is_the_same_for_every_setting():
    settings = [conv_backward_steps(stride=s, padding=p) for s in (1, 2, 3) for p in (0, 1, 2)]
    sizes = {(size(draw_backward_cell(cb, len(cb.cells) - 1, max_padding=2)),
              size(draw_backward_pass(cb, max_padding=2))) for cb in settings}
    assert len(sizes) == 1


def test_text_is_big_enough_for_the_back_of_the_room():
    cell, whole = conv_backward_steps(padding=1), conv_backward_steps(stride=3)
    for svg in (draw_backward_cell(cell, 3), draw_backward_pass(whole)):
        sizes = [float(m) for m in re.findall(r'font-size="([\d.]+)px"', svg)]
        assert sizes and min(sizes) >= MIN_FONT_PX


def text_boxes(svg: str) -> list:
    """``(left, right, top, bottom, text)`` of every text, measured in DejaVu Sans (regular or bold) as drawn."""
    measure, boxes = TextToPath(), []
    for t in ET.fromstring(svg).iter(NS + "text"):
        size = float(t.get("font-size").removesuffix("px"))
        font = FontProperties(family="DejaVu Sans", size=size, weight=t.get("font-weight") or "normal")
        w = measure.get_text_width_height_descent(t.text, font, ismath=False)[0]
        x, y = float(t.get("x")), float(t.get("y"))
        left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor")]
        boxes.append((left, left + w, y - size / 2, y + size / 2, t.text))
    return boxes


def grid_frames(svg: str) -> dict:
    """``{name: (left, top, right, bottom)}`` of every grid's cells."""
    frames = {}
    for g in ET.fromstring(svg).iter(NS + "g"):
        cells = [r for r in g.findall(NS + "rect") if r.get("data-kind")]
        xs, ys = [float(r.get("x")) for r in cells], [float(r.get("y")) for r in cells]
        frames[g.get("data-grid")] = (min(xs), min(ys), max(xs) + float(cells[0].get("width")),
                                      max(ys) + float(cells[0].get("height")))
    return frames


@pytest.mark.parametrize("stride, padding", [(s, p) for s in (1, 2, 3) for p in (0, 1, 2)])
def test_texts_fit_inside_and_never_overlap(stride, padding):
    cb = conv_backward_steps(stride=stride, padding=padding)
    cells = {0, 3 % len(cb.cells), len(cb.cells) - 1}  # cell 4 has g = -1: the longest labels
    for svg in [draw_backward_cell(cb, i, max_padding=2) for i in cells] + [draw_backward_pass(cb, max_padding=2)]:
        width, height = size(svg)
        boxes = text_boxes(svg)
        for left, right, top, bottom, text in boxes:
            assert 0 <= left and right <= width and 0 <= top and bottom <= height, f"{text!r} runs out of the figure"
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2], f"{a[4]!r} overlaps {b[4]!r}"
        frames = grid_frames(svg)
        for left, right, top, bottom, text in boxes:  # labels and titles stay off the grids
            inside = [n for n, (gl, gt, gr, gb) in frames.items()
                      if left < gr and gl < right and top < gb and gt < bottom]
            assert len(inside) <= 1 and (not inside or text.lstrip("-").replace(".", "").isdigit()), (text, inside)


def test_only_the_whole_pass_defines_the_hatching():
    # Both figures sit in one page (a widget's two tabs): a url(#id) finds the first element with that id, and
    # one inside the hidden tab draws nothing. The cell figure never hatches, so it defines no pattern.
    cb = conv_backward_steps(stride=3)
    cell, whole = draw_backward_cell(cb, 0, max_padding=2), draw_backward_pass(cb, max_padding=2)
    assert "<pattern" not in cell and "url(#" not in cell
    ids = re.findall(r'<pattern id="([^"]+)"', whole)
    assert len(ids) == 1 and ids[0] != "hatch" and f"url(#{ids[0]})" in whole


def test_both_figures_fit_one_projected_screen_with_the_widgets_controls():
    # Measured in Voilà at 1024×768, projector mode: controls 64 px, tab bar 26, the message under a figure
    # 56-112 (2-4 lines), margins ~60. A figure up to 480 px tall keeps the widget under ~740 px; the cell
    # figure was 686 px tall when dx_pad and dW sat under x_pad and W (issue 13).
    cb = conv_backward_steps()
    for svg, tallest in ((draw_backward_cell(cb, 0, max_padding=2), 480), (draw_backward_pass(cb, max_padding=2), 452)):
        width, height = size(svg)
        assert width <= 800 and height <= tallest


def test_each_gradient_is_level_with_its_variable():
    cb = conv_backward_steps(stride=2, padding=2)
    frames = grid_frames(draw_backward_cell(cb, 2, max_padding=2))
    assert frames["x_pad"][1::2] == frames["dx_pad"][1::2]  # same rows: the window at the same height
    assert frames["x_pad"][2] - frames["x_pad"][0] == frames["dx_pad"][2] - frames["dx_pad"][0]
    assert frames["W"][1::2] == frames["dW"][1::2]
    assert frames["x_pad"][0] < frames["dout"][0] < frames["dx_pad"][0]  # g comes from the middle
    assert frames["dout"][3] <= frames["W"][1]  # the kernels under the input-sized grids


def test_category_colours_are_light_okabe_ito_tints():
    assert tint("#000000", 0.5) == "#808080" and tint("#0072B2", 0) == "#FFFFFF"
    assert len(set(CATEGORY_COLORS)) == len(CATEGORY_COLORS)


@pytest.mark.parametrize("stride, padding", [(1, 0), (3, 0), (2, 2), (3, 2)])
def test_both_figures_fit_a_notebook_cell_at_1024x768(stride, padding):
    from cnnlib.widgets import backprop_pass_view, backprop_view

    for svg in (backprop_pass_view(stride=stride, padding=padding).svg,
                backprop_view(cell=1, stride=stride, padding=padding).svg):
        assert float(ET.fromstring(svg).get("width")) <= 800  # a cell's output is ~820 px wide there
