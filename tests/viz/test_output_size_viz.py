"""The output-size figure as SVG: the formula on top, windows where the layout says, categories not by colour alone."""
import itertools
import xml.etree.ElementTree as ET
from functools import lru_cache

import pytest

from cnnlib.demos.output_size import output_size_layout
from cnnlib.viz.output_size import (CELL_MAX, DROP_FILL, DROP_PAD_FILL, DROP_PATTERN, DROP_TEXT, FORMULA_ROWS,
                                    FORMULA_TOP, GRID_BOX, GRID_TOP, GRID_X, HEIGHT, INPUT_FILL, LAST_DASH, LEGEND,
                                    MARKS, PAD_FILL, RIGHT_X, SKIP_FILL, SKIP_PATTERN, STRIP_TOP, WIDTH, WINDOW,
                                    draw_output_size, formula_rows)
from cnnlib.viz.palette import delta_e
from cnnlib.viz.svg import MIN_FONT_PX, text_width
from cnnlib.widgets.output_size import RANGES

NS = "{http://www.w3.org/2000/svg}"
PROJECTOR_CONTENT_PX = 800  # a notebook cell's output at 1024×768 with the sidebar collapsed


def _draw(*args, **kwargs):
    return ET.fromstring(draw_output_size(output_size_layout(*args, **kwargs)))


def _texts(root):
    return [t.text for t in root.iter(f"{NS}text")]


def _rects(root, **attrs):
    return [r for r in root.iter(f"{NS}rect") if all(r.get(k) == v for k, v in attrs.items())]


def _box(r):
    return tuple(round(float(r.get(k)), 3) for k in ("x", "y", "width", "height"))


def _cell(n):
    return min(GRID_BOX / n, CELL_MAX)


def _grid_dots(root):
    return sorted((round(float(c.get("cx")), 3), round(float(c.get("cy")), 3)) for c in root.iter(f"{NS}circle")
                  if float(c.get("cx")) < GRID_X + GRID_BOX)  # not the legend's


def _cell_fill(root, cell, row, col):
    (r,) = [r for r in _rects(root, stroke="#ffffff")
            if _box(r)[:2] == (round(GRID_X + col * cell, 3), round(GRID_TOP + row * cell, 3))]
    return r.get("fill")


def test_the_formula_with_its_numbers_is_on_top_above_the_drawing():
    lay = output_size_layout(7, 3, stride=2, padding=1)
    root = _draw(7, 3, stride=2, padding=1)
    texts = list(root.iter(f"{NS}text"))
    assert texts[0].text == "7×7 input, 3×3 kernel, stride 2, padding 1 → 4×4 output"
    assert [t.text for t in texts[1:3]] == ["H_out = ⌊(H + 2P − K) / S⌋ + 1",
                                             "= ⌊(7 + 2·1 − 3) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 3 + 1 = 4"]
    assert [t.text for t in texts[1:3]] == [line.strip() for line in lay.formula.splitlines()]
    assert all(FORMULA_TOP < float(t.get("y")) < STRIP_TOP - 30 for t in texts[1:3])  # above the windows and grid
    assert "4 window positions, starts j·S = 0, 2, 4, 6" in _texts(root) and "output 4×4" in _texts(root)


def test_windows_are_drawn_where_the_layout_starts_them_in_padded_coordinates():
    root = _draw(7, 3, stride=2, padding=1)  # padded 9: starts 0, 2, 4, 6
    cell = GRID_BOX / 9
    first, last = [r for r in _rects(root, stroke=WINDOW) if r.get("stroke-width") == "4"][:2]
    assert _box(first) == tuple(round(v, 3) for v in (GRID_X, GRID_TOP, 3 * cell, 3 * cell))
    assert first.get("stroke-dasharray") is None and last.get("stroke-dasharray") == LAST_DASH
    assert _box(last) == tuple(round(v, 3) for v in (GRID_X + 6 * cell, GRID_TOP + 6 * cell, 3 * cell, 3 * cell))
    bars = [r for r in _rects(root, stroke=WINDOW) if r.get("stroke-width") == "1"]
    assert [round(float(b.get("x")), 3) for b in bars] == [round(GRID_X + s * cell, 3) for s in (0, 2, 4, 6)]
    assert {round(float(b.get("width")), 3) for b in bars} == {round(3 * cell, 3)}
    column_numbers = [t.text for t in root.iter(f"{NS}text") if float(t.get("y")) == GRID_TOP - 12]
    assert column_numbers == [str(i) for i in range(9)]  # padded coordinates, like the starts
    assert "rows and columns count cells of the padded input (0 = first padding cell)" in _texts(root)
    assert "padded input 9×9  (H + 2P = 9); the framed part is the input" in _texts(root)
    assert len(_grid_dots(root)) == 9  # the 3×3 taps of the first window


def test_dilation_marks_only_the_cells_the_kernel_touches():
    root = _draw(9, 3, stride=1, padding=0, dilation=2)  # K_eff 5, taps at 0, 2, 4
    cell = GRID_BOX / 9
    assert _grid_dots(root) == sorted((round(GRID_X + (c + 0.5) * cell, 3), round(GRID_TOP + (r + 0.5) * cell, 3))
                          for r in (0, 2, 4) for c in (0, 2, 4))
    assert "K_eff = K + (K − 1)(D − 1) = 3 + (3 − 1)·(2 − 1) = 5" in _texts(root)


def test_dropped_and_skipped_cells_are_patterned_not_only_coloured():
    root = _draw(9, 2, stride=3, padding=0)  # starts 0, 3, 6: cells 2, 5 skipped; 7 / 3 leaves 1: cell 8 dropped
    cell = GRID_BOX / 9
    assert _cell_fill(root, cell, 1, 1) == INPUT_FILL
    assert _cell_fill(root, cell, 0, 8) == _cell_fill(root, cell, 8, 0) == f"url(#{DROP_PATTERN})"
    assert _cell_fill(root, cell, 0, 2) == _cell_fill(root, cell, 5, 0) == f"url(#{SKIP_PATTERN})"
    patterns = {p.get("id"): p for p in root.iter(f"{NS}pattern")}
    for pid, fill in ((DROP_PATTERN, DROP_FILL), (SKIP_PATTERN, SKIP_FILL)):
        assert patterns[pid].find(f"{NS}rect").get("fill") == fill and patterns[pid].find(f"{NS}path") is not None
    texts = _texts(root)
    assert "rows and columns count cells of the padded input (0 = first input cell)" in texts  # no padding
    assert any("skipped (yellow, striped /)" in t for t in texts)
    assert any("floor drops the last 1 row" in t for t in texts)
    assert [(label, pattern) for label, _, pattern in LEGEND] == [
        ("input (framed)", None), ("zero padding", None), ("dropped (floor)", DROP_PATTERN),
        ("skipped (stride)", SKIP_PATTERN)]
    assert all(label in texts for label, _, _ in LEGEND) and all(label in texts for label, _ in MARKS)
    swatches = [r.get("fill") for r in _rects(root, stroke="#555555", width="26")]
    assert swatches == [INPUT_FILL, PAD_FILL, f"url(#{DROP_PATTERN})", f"url(#{SKIP_PATTERN})"]


def test_padding_is_gray_framed_off_from_the_input_and_apart_from_dropped_cells_under_colour_blindness():
    root = _draw(3, 3, stride=2, padding=1)  # padded 5: windows 0-2, 2-4, nothing dropped
    cell = _cell(5)
    assert _cell_fill(root, cell, 0, 0) == PAD_FILL and _cell_fill(root, cell, 1, 1) == INPUT_FILL
    (frame,) = _rects(root, stroke="#000000")
    assert _box(frame) == tuple(round(v, 3) for v in (GRID_X + cell, GRID_TOP + cell, 3 * cell, 3 * cell))
    for kind in (None, "deuteranopia", "protanopia"):
        assert delta_e(PAD_FILL, DROP_FILL, kind) > 30 and delta_e(PAD_FILL, DROP_PAD_FILL, kind) > 15, kind
        assert delta_e(DROP_FILL, SKIP_FILL, kind) > 20, kind


def test_no_window_fits_is_drawn_with_the_message_and_the_kernel_sticking_out():
    lay = output_size_layout(2, 5, stride=1, padding=0)
    root = _draw(2, 5, stride=1, padding=0)
    texts = _texts(root)
    assert texts[0].endswith("→ no output") and "0 window positions: the 5×5 kernel (dashed) does not fit" in texts
    assert "larger than the padded input 2 + 0 + 0 = 2" in " ".join(texts)
    message = [t.text for t in root.iter(f"{NS}text") if float(t.get("x")) == RIGHT_X]
    assert " ".join(message) == lay.error  # wrapped, on the right, where the output would be
    (kernel,) = _rects(root, stroke=DROP_TEXT, **{"stroke-dasharray": LAST_DASH})
    assert _box(kernel)[2] == 5 * _cell(5)  # 5 cells: it sticks out of the 2×2 padded input
    big = _draw(2, 7, stride=1, padding=0, dilation=3)  # K_eff 19: the grid makes room for it
    (kernel,) = _rects(big, stroke=DROP_TEXT, **{"stroke-dasharray": LAST_DASH})
    assert _box(kernel)[2] == round(GRID_BOX, 3)


_width = lru_cache(maxsize=None)(text_width)  # the same numbers and labels come back setting after setting


def _extents(root):
    """``(left, right)`` of every text, measured in DejaVu Sans (the figure's first font)."""
    for t in root.iter(f"{NS}text"):
        w = _width(t.text, float(t.get("font-size").removesuffix("px")))
        x = float(t.get("x"))
        yield {"start": (x, x + w), "middle": (x - w / 2, x + w / 2), "end": (x - w, x)}[t.get("text-anchor")]


def _extremes():
    """Every value of each slider, with the other sliders at their ends (480 settings)."""
    names = list(RANGES)
    for name in names:
        others = [n for n in names if n != name]
        for ends in itertools.product(*[RANGES[n] for n in others]):
            for v in range(RANGES[name][0], RANGES[name][1] + 1):
                yield {**dict(zip(others, ends)), name: v}


def test_every_slider_setting_gives_the_same_size_text_of_18px_and_more_inside_800px():
    sizes = set()
    for s in _extremes():
        root = _draw(s["size"], s["kernel_size"], stride=s["stride"], padding=s["padding"], dilation=s["dilation"])
        sizes.add((root.get("width"), root.get("height")))
        font = [float(t.get("font-size").removesuffix("px")) for t in root.iter(f"{NS}text")]
        assert min(font) >= MIN_FONT_PX, s
        assert all(0 <= left and right <= WIDTH for left, right in _extents(root)), s
    assert sizes == {(f"{WIDTH:g}", f"{HEIGHT:g}")} and WIDTH <= PROJECTOR_CONTENT_PX


def test_the_formula_never_needs_more_rows_than_the_figure_keeps_for_it():
    ranges = [range(lo, hi + 1) for lo, hi in RANGES.values()]
    rows = max(len(formula_rows(output_size_layout(*s))) for s in itertools.product(*ranges))
    assert rows == FORMULA_ROWS  # every setting of the widget: no line wraps, the block never overflows


@pytest.mark.parametrize("settings", [(12, 1, 1, 3, 1), (1, 1, 1, 0, 1), (12, 3, 4, 3, 3)])
def test_the_largest_padded_input_the_widget_allows_still_has_cells_of_14px(settings):
    root = _draw(*settings[:2], stride=settings[2], padding=settings[3], dilation=settings[4])
    cells = [float(r.get("width")) for r in _rects(root, stroke="#ffffff") if float(r.get("x")) < RIGHT_X]
    n = settings[0] + 2 * settings[3]
    assert len(cells) == n * n and min(cells) == _cell(n) >= 14
