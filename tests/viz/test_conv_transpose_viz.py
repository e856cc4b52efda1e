"""Lesson 11's SVG figures: text of 18 px or more, at most 800 px wide, one size over every slider setting."""
import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.demos.conv_transpose import (conv_transpose_layout, conv_transpose_stamps, min_overlap_size, overlap_map,
                                         upsample_constant)
from cnnlib.viz.conv_transpose import (CUT_PATTERN, NONE_PATTERN, REFUSED_TEXT, STAMP_EDGE, TS_CANVAS_TOP, TS_OUT_TOP,
                                       TS_ROW, ZERO_MARK_MIN_CELL, draw_overlap, draw_stamps, draw_transpose_size)
from cnnlib.viz.palette import OKABE_ITO
from cnnlib.viz.svg import MIN_FONT_PX, text_width
from cnnlib.widgets.conv_transpose import OVERLAP_RANGES, SIZE_RANGES

NS = "{http://www.w3.org/2000/svg}"
MAX_WIDTH = 800


def _texts(root):
    return [t for t in root.iter(f"{NS}text")]


def _check_readable(svg: str):
    root = ET.fromstring(svg)
    width = float(root.get("width"))
    assert width <= MAX_WIDTH
    for t in _texts(root):
        size = float(t.get("font-size").removesuffix("px"))
        assert size >= MIN_FONT_PX, t.text
        if t.get("text-anchor") == "start" and t.text:
            bold = 1.1 if t.get("font-weight") == "bold" else 1.0
            assert float(t.get("x")) + bold * text_width(t.text, size) <= width + 2, t.text
    return root


def _size_settings():
    ranges = [range(lo, hi + 1) for lo, hi in SIZE_RANGES.values()]
    for values in itertools.product(*ranges):
        yield conv_transpose_layout(**dict(zip(SIZE_RANGES, values)))


def test_output_size_figure_is_readable_and_one_size_over_every_slider_setting():
    """Refused settings too: their explanation, in the figure, must fit it (below the canvas, above the bottom)."""
    sizes, refused = set(), 0
    for n, lay in enumerate(_size_settings()):
        if n % 7:  # a seventh of the 7,680 settings (2,552 refused), spread over all of them
            continue
        root = _check_readable(draw_transpose_size(lay))
        sizes.add((root.get("width"), root.get("height")))
        if lay.error:
            refused += 1
            lines = [t for t in _texts(root) if t.get("fill") == REFUSED_TEXT]
            assert "".join(t.text.replace(" ", "") for t in lines) == ("✗" + lay.error).replace(" ", "")
            assert max(float(t.get("y")) for t in lines) + MIN_FONT_PX <= float(root.get("height"))
    assert len(sizes) == 1 and refused > 300


def test_output_size_figure_marks_cut_cells_and_stamp_taps():
    root = ET.fromstring(draw_transpose_size(conv_transpose_layout(4, 3, stride=2, padding=1, output_padding=0)))
    cut = [r for r in root.iter(f"{NS}rect") if r.get("fill") == f"url(#{CUT_PATTERN})"]
    assert len(cut) == 1 + 2  # 2 canvas cells (one each end) + the legend swatch
    taps = list(root.iter(f"{NS}circle"))
    assert len(taps) == 4 * 3  # 4 stamps, 3 taps each
    texts = [t.text for t in _texts(root)]
    assert "= (4 − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 6 − 2 + 2 + 0 + 1 = 7" in texts
    assert "H_out = 9 − 2·1 = 7: 1 cut at each end" in texts


def _canvas_faces(lay) -> list[str]:
    """The canvas row of the output-size figure, left to right: "cut", "dotted" (no stamp) or "stamped"."""
    root = ET.fromstring(draw_transpose_size(lay))
    row = sorted((r for r in root.iter(f"{NS}rect") if float(r.get("y", -1)) == TS_CANVAS_TOP),
                 key=lambda r: float(r.get("x")))
    return [("cut" if r.get("fill") == f"url(#{CUT_PATTERN})" else "kept")
            + (" zero" if r.get("stroke-dasharray") else "") for r in row]  # a zero cell is dotted


def _svg_texts(lay) -> list[str]:
    return [t.text for t in _texts(ET.fromstring(draw_transpose_size(lay)))]


def test_output_size_figure_cuts_padding_at_both_ends_of_the_output_padding_cells():
    # 4 stamps of 3 cover 9 cells; output_padding 1 adds a zero cell after them; P = 1 is cut at each end of the 10.
    lay = conv_transpose_layout(4, 3, stride=2, padding=1, output_padding=1)
    assert _canvas_faces(lay) == ["cut"] + ["kept"] * 8 + ["cut zero"]
    texts = _svg_texts(lay)
    assert "H_out = 9 + 1 − 2·1 = 8: 1 zero added, then 1 cut at each end" in texts
    # Without padding nothing is cut, and the output_padding cell is a zero (dotted) at the output's end.
    lay = conv_transpose_layout(4, 3, stride=2, output_padding=1)
    assert _canvas_faces(lay) == ["kept"] * 9 + ["kept zero"]
    assert "H_out = 9 + 1 − 2·0 = 10: 1 zero added, then nothing cut" in _svg_texts(lay)


def _zero_cells_marked(lay, top: float) -> tuple[list[int], list[int]]:
    """In the row at ``top``: the cells drawn dotted (zero), and the cells with a "0" written at their centre."""
    root = ET.fromstring(draw_transpose_size(lay))
    row = sorted((r for r in root.iter(f"{NS}rect") if float(r.get("y", -1)) == top), key=lambda r: float(r.get("x")))
    x0, cell = float(row[0].get("x")), float(row[0].get("width"))
    dotted = [round((float(r.get("x")) - x0) / cell) for r in row if r.get("stroke-dasharray")]
    marks = sorted(round((float(t.get("x")) - x0) / cell - 0.5) for t in _texts(root)
                   if t.text == "0" and float(t.get("y")) == top + TS_ROW / 2)
    return dotted, marks


def test_output_size_figure_writes_0_in_every_zero_cell_where_it_fits():
    # K = 2, S = 3: a gap of one zero between stamps; output_padding 2 adds two zeros at the end; nothing cut.
    lay = conv_transpose_layout(4, 2, stride=3, output_padding=2)
    for top, zeros in ((TS_CANVAS_TOP, [2, 5, 8, 11, 12]), (TS_OUT_TOP, [2, 5, 8, 11, 12])):
        assert _zero_cells_marked(lay, top) == (zeros, zeros)
    # With padding 1 the last zero is cut from the output, and marked "0" on the canvas, where it is hatched.
    lay = conv_transpose_layout(4, 3, stride=2, padding=1, output_padding=1)
    assert _zero_cells_marked(lay, TS_CANVAS_TOP) == ([9], [9])
    # Cells too narrow for an 18 px "0" keep only the dotted outline.
    lay = conv_transpose_layout(16, 2, stride=3, output_padding=2)
    assert 640 / lay.canvas_size < ZERO_MARK_MIN_CELL
    dotted, marks = _zero_cells_marked(lay, TS_CANVAS_TOP)
    assert dotted and marks == []


@pytest.mark.parametrize("k, s", list(itertools.product(range(OVERLAP_RANGES["kernel_size"][0],
                                                             OVERLAP_RANGES["kernel_size"][1] + 1),
                                                       range(OVERLAP_RANGES["stride"][0],
                                                             OVERLAP_RANGES["stride"][1] + 1))))
def test_overlap_figure_is_readable_with_a_number_in_every_cell(k, s):
    ov = overlap_map(max(4, min_overlap_size(k, s)), k, s)
    root = _check_readable(draw_overlap(ov, upsample_constant(8, k, s)))
    numbers = [t.text for t in _texts(root) if t.text.isdigit()]
    assert len(numbers) >= ov.counts.size
    assert numbers[:ov.counts.size] == [str(v) for v in ov.counts.ravel()]
    holes = [r for r in root.iter(f"{NS}rect") if r.get("fill") == f"url(#{NONE_PATTERN})"]
    assert len(holes) == int((ov.counts == 0).sum()) + 1  # hatched holes, plus the legend


def test_overlap_figure_has_one_size_for_every_slider_setting():
    sizes = set()
    for k, s in itertools.product(range(1, 6), range(1, 4)):
        ov = overlap_map(max(4, min_overlap_size(k, s)), k, s)
        root = ET.fromstring(draw_overlap(ov, upsample_constant(8, k, s)))
        sizes.add((root.get("width"), root.get("height")))
    assert len(sizes) == 1


def test_stamps_figure_outlines_each_stamp_where_it_lands():
    st = conv_transpose_stamps([[1, 2], [-1, 1]], [[1, 0, -1], [2, 1, 0], [0, -1, 1]], stride=2)
    root = _check_readable(draw_stamps(st))
    outlines = [r for r in root.iter(f"{NS}rect") if r.get("stroke") == STAMP_EDGE and r.get("fill") == "none"]
    assert len(outlines) == 4
    assert {(float(r.get("width")), float(r.get("height"))) for r in outlines} == {(78.0, 78.0)}  # 3×3 cells of 26 px
    texts = [t.text for t in _texts(root)]
    assert "x[1, 0]·W = -1·W" in texts and "sum of the stamps" in texts
    assert STAMP_EDGE == OKABE_ITO["blue"]


def test_stamps_figure_refuses_an_example_too_wide_to_project():
    st = conv_transpose_stamps(np.ones((3, 3)), np.ones((3, 3)), stride=2)
    with pytest.raises(ValueError, match="more than 800"):
        draw_stamps(st)


def test_no_text_is_colour_only():
    svg = draw_transpose_size(conv_transpose_layout(3, 1, stride=3, output_padding=2))
    assert re.search(r'stroke-dasharray="3 3"', svg)  # empty cells: dotted as well as white


@pytest.mark.parametrize("kind", [None, "protanopia", "deuteranopia", "tritanopia"])
def test_category_tints_stay_apart_with_colour_blindness(kind):
    from cnnlib.viz.conv_transpose import CUT_FILL, EMPTY_FILL, FEW_FILL, MOST_FILL, STAMP_FILL
    from cnnlib.viz.palette import min_delta_e

    assert min_delta_e([MOST_FILL, FEW_FILL, EMPTY_FILL], kind) > 10
    assert min_delta_e([STAMP_FILL, CUT_FILL, EMPTY_FILL], kind) > 10
