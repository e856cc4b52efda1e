import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.functional import conv2d
from cnnlib.widgets import sliding_window_view, sliding_window_widget

SEED_OUT = np.array([[2, 3, 4], [-3, 2, 3], [4, -3, 2]])


@pytest.mark.parametrize("step", [1, 2, 5, 9])
def test_view_draws_the_right_patch_and_sum(step):
    view = sliding_window_view(step)
    row, col = divmod(step - 1, 3)
    assert view.out_cell == (row, col)
    assert view.highlight == (row, col, 2, 2)
    assert view.value == SEED_OUT[row, col]
    assert view.products.sum() == view.value
    filled = np.isfinite(view.output)
    assert filled.sum() == step
    np.testing.assert_array_equal(view.output[filled], SEED_OUT[filled])


def test_view_with_stride_and_padding_matches_cnnlib():
    x = np.arange(25.0).reshape(5, 5) % 4
    k = np.array([[1.0, -1, 0], [0, 2, 0], [-1, 0, 1]])
    expected = conv2d(x[None, None], k[None, None], stride=2, padding=1)[0, 0]
    last = sliding_window_view(expected.size, x, k, stride=2, padding=1)
    np.testing.assert_array_equal(last.output, expected)
    assert last.highlight == (4, 4, 3, 3)  # out[2, 2] starts at (2*2, 2*2) of the padded input
    assert last.message.startswith("out[2, 2] = ")


def test_view_is_svg_of_one_size_for_every_step():
    views = [sliding_window_view(step, padding=1) for step in (1, 13, 25)]
    roots = [ET.fromstring(v.svg) for v in views]
    assert len({(r.get("width"), r.get("height")) for r in roots}) == 1
    assert "step 13 of 25:  out[2, 2] = " + views[1].message.removeprefix("out[2, 2] = ") in views[1].svg


def test_view_rejects_steps_out_of_range():
    with pytest.raises(ValueError, match=r"1\.\.9"):
        sliding_window_view(10)


def test_widget_slider_redraws_the_figure():
    box = sliding_window_widget()
    play, slider = box.controls["play"], box.controls["step"]
    assert (slider.min, slider.max, play.max) == (1, 9, 9)
    first = box.panel.svg.value
    assert first.startswith("<svg") and "step 1 of 9:" in first
    assert box.panel.image.layout.display == "none"
    slider.value = 3
    assert box.panel.svg.value != first and "step 3 of 9:  out[0, 2] = " in box.panel.svg.value
    assert box.panel.message.value == ""  # the figure's title shows the equation; no line under it repeats it
    slider.value = 1  # back to a cached step: the same picture
    assert box.panel.svg.value == first
    play.value = 5  # in the browser the Play button moves the slider; alone it draws nothing
    assert list(box.cache) == [(("step", 1),), (("step", 3),)]


def test_widget_starts_at_the_step_of_its_still_picture():
    box = sliding_window_widget(stride=2, step=2)
    assert box.controls["step"].value == box.controls["play"].value == 2
    assert "step 2 of 4:" in box.panel.svg.value
    assert "(step = 2)" in box._repr_mimebundle_()["text/plain"]  # the line a reader of the stored lesson sees
    with pytest.raises(ValueError, match=r"step must be in 1\.\.4 .* got 5"):
        sliding_window_widget(stride=2, step=5)
    with pytest.raises(TypeError, match="step"):
        sliding_window_widget(step=1.5)
