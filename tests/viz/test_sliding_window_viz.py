"""The sliding-window step figure as SVG: the right window and numbers, one size per example, legible, animated."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.demos.sliding_window import SEED_INPUT, SEED_KERNEL, sliding_window_steps
from cnnlib.viz.palette import min_delta_e
from cnnlib.viz.sliding_window import (CATEGORY_COLORS, PADDING_DASH, PADDING_FILL, WINDOW_EDGE, WINDOW_FILL,
                                       draw_conv_step, sliding_window_animation, step_layout)
from cnnlib.viz.svg import MIN_FONT_PX

NS = "{http://www.w3.org/2000/svg}"
PROJECTOR_CONTENT_PX = 800  # a notebook cell's output is ~820 px wide at 1024×768 with the sidebar collapsed

#: The examples the lessons draw (00 and 01: the seed; 02: stride 2, padding 1), and the widget test's 5×5 ⋆ 3×3.
LESSON_EXAMPLES = {
    "seed": dict(),
    "stride 2": dict(stride=2),
    "padding 1": dict(padding=1),
}
X5 = np.arange(25.0).reshape(5, 5) % 4
K3 = np.array([[1.0, -1, 0], [0, 2, 0], [-1, 0, 1]])


def _seed(**kwargs):
    return sliding_window_steps(SEED_INPUT, SEED_KERNEL, **kwargs)


def _texts(node) -> list[str]:
    return [t.text for t in node.iter(f"{NS}text")]


def _step_group(root):
    (group,) = [g for g in root.iter(f"{NS}g") if g.get("data-step")]
    return group


def _grid_texts(root, name: str) -> list[str]:
    (grid,) = [g for g in root.iter(f"{NS}g") if g.get("data-grid") == name]
    return _texts(grid)


def _outlines(node) -> list:
    """The thick window-coloured outlines: the window on the input, then the current output cell."""
    return [r for r in node.iter(f"{NS}rect") if r.get("stroke") == WINDOW_EDGE and r.get("stroke-width") == "4"]


def _box(rect) -> tuple:
    return tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))


def test_step_2_of_the_seed_example_shows_its_window_products_and_output_so_far():
    sw = _seed()
    lay = step_layout(sw)
    root = ET.fromstring(draw_conv_step(sw, 1))
    step = _step_group(root)
    texts = _texts(step)
    assert texts[0] == "step 2 of 9:  out[0, 1] = 2·1 + 3·0 + 1·(-1) + 2·1 = 3"  # the title, first
    assert float(root.find(f".//{NS}text").get("y")) < lay.y_grids  # above the grids
    window, out_cell = _outlines(step)
    c = lay.cell
    assert _box(window) == (lay.x_input + 1 * c, lay.y_grids, 2 * c, 2 * c)  # columns 1-2, rows 0-1
    assert _box(out_cell) == (lay.x_output + 1 * c, lay.y_grids, c, c)  # out[0, 1]
    assert "sum = 3" in texts
    assert texts[1:5] == ["2", "0", "-1", "2"]  # patch [[2, 3], [1, 2]] ⊙ kernel [[1, 0], [-1, 1]]
    assert texts[6:15] == ["2", "3"] + ["?"] * 7  # output: two cells done
    assert texts[15:] == ["stride 1: the window's top-left corner is at (row·1, col·1)",
                          "= (0·1, 1·1) = (0, 1) of the input"]
    assert _grid_texts(root, "kernel") == ["1", "0", "-1", "1"]
    assert _grid_texts(root, "input") == [str(int(v)) for v in SEED_INPUT.ravel()]
    block_titles = [t for t in _texts(root) if t in ("input x", "kernel k", "patch ⊙ k", "output 3×3")]
    assert block_titles == ["input x", "kernel k", "patch ⊙ k", "output 3×3"]


def test_padded_input_uses_padded_coordinates_everywhere():
    sw = sliding_window_steps(X5, K3, stride=2, padding=1)
    lay = step_layout(sw)
    root = ET.fromstring(draw_conv_step(sw, 4))  # out[1, 1]: the window starts at (1·2, 1·2) = (2, 2)
    texts = _texts(root)
    assert "padded input x" in texts
    assert "= (1·2, 1·2) = (2, 2) of the padded input" in texts
    column_numbers = [t.text for t in root.iter(f"{NS}text")
                      if float(t.get("y")) < lay.y_grids and t.get("text-anchor") == "middle"]
    assert column_numbers == [str(c) for c in range(7)]  # 0 is the first padding column, never -1
    window, _ = _outlines(_step_group(root))
    assert _box(window)[:2] == (lay.x_input + 2 * lay.cell, lay.y_grids + 2 * lay.cell)


def test_padding_is_gray_and_dashed_and_in_the_legend():
    root = ET.fromstring(draw_conv_step(_seed(padding=1), 0))
    cells = [r for r in next(g for g in root.iter(f"{NS}g") if g.get("data-grid") == "input").iter(f"{NS}rect")]
    padding = [r for r in cells if r.get("fill") == PADDING_FILL]
    assert len(cells) == 36 and len(padding) == 36 - 16  # the 6×6 padded input, its 4×4 inside plain
    assert all(r.get("stroke-dasharray") == PADDING_DASH for r in padding)
    assert not any(r.get("stroke-dasharray") for r in cells if r.get("fill") != PADDING_FILL)
    assert "zero padding" in _texts(root)
    assert "zero padding" not in _texts(ET.fromstring(draw_conv_step(_seed(), 0)))  # nothing to name


def test_output_cells_fill_up_step_by_step():
    sw = _seed(padding=1)
    for index in (0, 6, 24):
        step = _step_group(ET.fromstring(draw_conv_step(sw, index)))
        cells = _texts(step)[6:6 + 25]  # after the title and the 2×2 products and their sum
        assert sum(t != "?" for t in cells) == index + 1
        assert cells[:index + 1] == [str(int(v)) for v in sw.output.ravel()[:index + 1]]
        current = [r for r in step.iter(f"{NS}rect") if r.get("fill") == WINDOW_FILL and float(r.get("x")) >=
                   step_layout(sw).x_output]
        assert len(current) == 1  # only the current output cell is tinted


@pytest.mark.parametrize("name", sorted(LESSON_EXAMPLES))
def test_every_step_has_the_same_size_fits_a_projector_and_has_no_text_below_18px(name):
    sw = _seed(**LESSON_EXAMPLES[name])
    roots = [ET.fromstring(draw_conv_step(sw, i)) for i in range(len(sw.steps))]
    assert len({(r.get("width"), r.get("height")) for r in roots}) == 1
    assert float(roots[0].get("width")) <= PROJECTOR_CONTENT_PX
    sizes = [float(t.get("font-size").removesuffix("px")) for r in roots for t in r.iter(f"{NS}text")]
    assert min(sizes) >= MIN_FONT_PX


def test_a_long_equation_wraps_and_every_step_keeps_the_height():
    sw = sliding_window_steps(X5, K3, stride=2, padding=1)  # 9 products: too long for one line
    roots = [ET.fromstring(draw_conv_step(sw, i)) for i in range(len(sw.steps))]
    assert len({(r.get("width"), r.get("height")) for r in roots}) == 1
    assert float(roots[0].get("width")) <= PROJECTOR_CONTENT_PX
    title = _texts(_step_group(roots[4]))[:2]
    assert title[0].startswith("step 5 of 9:  out[1, 1] = ") and title[1].startswith("+ ") and title[1].endswith("= 1")


def test_step_index_out_of_range_is_refused():
    with pytest.raises(ValueError, match=r"0\.\.8, got 9"):
        draw_conv_step(_seed(), 9)


def _value_at(animate, t: float) -> str:
    """The value a discrete SMIL animation holds at ``t`` (0..1 of its duration)."""
    values, times = animate.get("values").split(";"), [float(k) for k in animate.get("keyTimes").split(";")]
    return values[max(k for k, start in enumerate(times) if start <= t)]


def test_animation_is_one_group_per_step_the_same_groups_as_the_steps():
    sw = _seed()
    root = ET.fromstring(sliding_window_animation(sw, frame_ms=1000))  # valid XML
    groups = [g for g in root.iter(f"{NS}g") if g.get("data-step")]
    assert [g.get("data-step") for g in groups] == [str(i) for i in range(9)]
    assert [g.get("visibility") for g in groups] == ["visible"] + ["hidden"] * 8  # step 1 without SMIL
    for i, group in enumerate(groups):
        (animate,) = group.findall(f"{NS}animate")
        assert animate.get("attributeName") == "visibility" and animate.get("dur") == "9000ms"
        assert animate.get("repeatCount") == "indefinite" and animate.get("calcMode") == "discrete"
        shown = [_value_at(animate, (j + 0.5) / 9) for j in range(9)]  # mid-way through each frame of the loop
        assert shown == ["visible" if j == i else "hidden" for j in range(9)]
        group.remove(animate)
        del group.attrib["visibility"]
        still = _step_group(ET.fromstring(draw_conv_step(sw, i)))
        assert ET.tostring(group) == ET.tostring(still)  # the very drawing of step i
    assert (root.get("width"), root.get("height")) == (ET.fromstring(draw_conv_step(sw, 0)).get("width"),
                                                       ET.fromstring(draw_conv_step(sw, 0)).get("height"))
    with pytest.raises(ValueError, match="frame_ms must be a positive"):
        sliding_window_animation(sw, frame_ms=0)


@pytest.mark.parametrize("kind", ["deuteranopia", "protanopia", "tritanopia"])
def test_cell_colours_stay_apart_with_colour_vision_deficiency(kind):
    assert min_delta_e(CATEGORY_COLORS, kind) >= 10
