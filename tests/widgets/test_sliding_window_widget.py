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


def test_view_moves_its_own_figure_and_not_another_examples():
    first = sliding_window_view(1)
    assert sliding_window_view(5, figure=first.fig).fig is first.fig
    assert sliding_window_view(1, stride=2, figure=first.fig).fig is not first.fig


def test_view_rejects_steps_out_of_range():
    with pytest.raises(ValueError, match=r"1\.\.9"):
        sliding_window_view(10)


def test_widget_slider_redraws_the_figure():
    box = sliding_window_widget()
    play, slider = box.controls["play"], box.controls["step"]
    assert (slider.min, slider.max, play.max) == (1, 9, 9)
    first = bytes(box.panel.image.value)
    assert first.startswith(b"\x89PNG")
    slider.value = 3
    assert bytes(box.panel.image.value) != first
    assert "out[0, 2]" in box.panel.message.value
    slider.value = 1  # back to a cached step: the same picture
    assert bytes(box.panel.image.value) == first
    play.value = 5  # in the browser the Play button moves the slider; alone it draws nothing
    assert list(box.cache) == [(("step", 1),), (("step", 3),)]
