import re

import pytest

from cnnlib.viz.output_size import CELL_MAX, GRID_BOX, HEIGHT, WIDTH
from cnnlib.widgets import output_size_view, output_size_widget
from cnnlib.widgets.output_size import RANGES
from cnnlib.widgets.view_widget import ERROR_COLOR


def _size(svg: str) -> tuple:
    return tuple(float(v) for v in re.match(r'<svg [^>]*width="([\d.]+)" height="([\d.]+)"', svg).groups())


@pytest.mark.parametrize("args, out, starts, dropped", [
    ((7, 3, 2, 1, 1), 4, (0, 2, 4, 6), ()),
    ((8, 3, 2, 0, 1), 3, (0, 2, 4), (7,)),
    ((10, 3, 3, 0, 1), 3, (0, 3, 6), (9,)),
    ((9, 3, 1, 0, 2), 5, (0, 1, 2, 3, 4), ()),
])
def test_view_returns_what_it_drew(args, out, starts, dropped):
    view = output_size_view(*args)
    assert (view.out_size, view.starts, view.dropped, view.error) == (out, starts, dropped, None)
    assert view.message == ""  # the formula is in the figure, not repeated under it
    assert f"= {out}</text>" in view.svg
    assert f"→ {out}×{out} output</text>" in view.svg and f">output {out}×{out}</text>" in view.svg
    assert view.svg.startswith("<svg") and not hasattr(view, "fig")


def test_invalid_setting_is_a_message_not_a_traceback():
    view = output_size_view(size=3, kernel_size=7, stride=1, padding=0)
    assert view.out_size == 0
    assert "kernel 7 is larger than the padded input 3 + 0 + 0 = 3" in view.message
    assert view.error and "→ no output" in view.svg


def test_widget_sliders_drive_the_figure_and_message():
    box = output_size_widget()
    sliders = box.controls
    assert set(sliders) == {"size", "kernel_size", "stride", "padding", "dilation"}
    first = box.panel.svg.value
    assert "7×7 input, 3×3 kernel, stride 2, padding 1 → 4×4 output" in first
    sliders["stride"].value = 3
    assert box.panel.svg.value != first and "stride 3, padding 1 → 3×3 output" in box.panel.svg.value
    assert "⌊(7 + 2·1 − 3) / 3⌋ + 1 = ⌊6 / 3⌋ + 1 = 2 + 1 = 3" in box.panel.svg.value
    sliders["padding"].value = 0
    sliders["size"].value = 2
    sliders["kernel_size"].value = 5
    assert "larger than the padded input" in box.panel.message.value
    assert ERROR_COLOR in box.panel.message.value  # shown in red


def test_the_picture_keeps_its_size_for_every_setting():
    box = output_size_widget()
    assert box.panel.image.layout.display == "none"  # an SVG, not a PNG
    sizes = {_size(box.panel.svg.value)}
    for name, (lo, hi) in RANGES.items():  # every value of every slider, each from where the last left it
        for value in [*range(lo, hi + 1), lo, hi]:
            box.controls[name].value = value
            sizes.add(_size(box.panel.svg.value))
    assert sizes == {(WIDTH, HEIGHT)} and WIDTH <= 800


def test_the_sliders_largest_padded_input_fits_the_grid_with_cells_of_14px():
    largest = RANGES["size"][1] + 2 * RANGES["padding"][1]  # 12 + 2·3 = 18 cells
    assert min(GRID_BOX / largest, CELL_MAX) >= 14
