"""The im2col explorer's SVG: readable from the back of the room, the same size for every window, marks that match."""
import re
import xml.etree.ElementTree as ET

import pytest

from cnnlib.demos.im2col import im2col_window
from cnnlib.viz.im2col import PICK_EDGE, draw_im2col, im2col_size
from cnnlib.viz.svg import MIN_FONT_PX, Svg

NS = "{http://www.w3.org/2000/svg}"
PROJECTOR_CONTENT_PX = 800  # a notebook cell's output is ~820 px wide at 1024×768 with the sidebar collapsed


def _parse(svg: str):
    return ET.fromstring(svg)


@pytest.mark.parametrize("row, col", [(0, 0), (1, 2), (2, 1)])
def test_every_text_is_at_least_18px_and_the_figure_fits_a_projector(row, col):
    root = _parse(draw_im2col(im2col_window(row=row, col=col)))
    sizes = [float(t.get("font-size").removesuffix("px")) for t in root.iter(f"{NS}text")]
    assert sizes and min(sizes) >= MIN_FONT_PX
    assert float(root.get("width")) <= PROJECTOR_CONTENT_PX


def test_moving_the_window_never_changes_the_size():
    sizes = {(_parse(draw_im2col(im2col_window(row=i, col=j))).get("height"),
              _parse(draw_im2col(im2col_window(row=i, col=j))).get("width")) for i in range(3) for j in range(3)}
    assert len(sizes) == 1
    w, h = im2col_size(im2col_window())
    assert sizes == {(f"{h:g}", f"{w:g}")}


def test_the_window_its_column_and_its_output_cell_are_outlined_and_labelled():
    w = im2col_window(row=1, col=2)
    root = _parse(draw_im2col(w))
    outlines = [r for r in root.iter(f"{NS}rect") if r.get("stroke") == PICK_EDGE]
    assert len(outlines) == 4  # window, column (with its header), its w·cols entry, output cell
    window = outlines[0]
    assert (float(window.get("width")), float(window.get("height"))) == (64, 64)  # 2×2 cells of 32 px
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "window (1, 2)" in texts and "column 5" in texts and "out[1, 2]" in texts
    assert texts[0] == "out[1, 2] = 1·2 + 0·3 + (-1)·1 + 1·2 = 3"


def test_svg_refuses_text_too_small_to_project():
    with pytest.raises(ValueError, match="below the 18 px"):
        Svg(10, 10).text(0, 0, "tiny", size=12)


def test_text_is_escaped():
    s = Svg(10, 10)
    s.text(0, 0, "a < b & c")
    assert re.search(r">a &lt; b &amp; c<", s.to_string())
