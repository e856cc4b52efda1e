"""Lesson 11's widgets: sliders redraw the SVG; refused settings are explained in the figure; views are what they show."""
import itertools
import re

import numpy as np
import pytest

from cnnlib.layers import ConvTranspose2D
from cnnlib.widgets import (conv_transpose_size_view, conv_transpose_size_widget, overlap_view, overlap_widget,
                            stamps_view)
from cnnlib.widgets.conv_transpose import REFUSED_MESSAGE
from cnnlib.widgets.view_widget import ERROR_COLOR


def test_size_widget_has_six_sliders_and_shows_svg():
    box = conv_transpose_size_widget()
    assert list(box.controls) == ["size", "kernel_size", "stride", "padding", "output_padding", "dilation"]
    assert box.panel.svg.layout.display != "none" and box.panel.image.layout.display == "none"
    assert box.panel.svg.value == conv_transpose_size_view(4, 3, 2, 1, 1, 1).svg
    assert "maps each of 7, 8 to 4: output_padding = 1 picks 8." in box.panel.svg.value
    assert "ConvTranspose2D(C_in, C_out, 3, stride=2, padding=1, output_padding=1)" in box.panel.message.value
    assert "input 4, kernel 3, stride 2, padding 1, output_padding 1 → 8" in box.panel.svg.value  # sizes: the title


def test_the_layer_line_fits_one_wrapped_line_at_every_maximum():
    """A second line of message would push the widget past one projected screen (lesson 11 at H = 8)."""
    from cnnlib.demos.formatting import WRAP_COLUMNS
    from cnnlib.widgets.conv_transpose import SIZE_RANGES

    top = {name: high for name, (low, high) in SIZE_RANGES.items()}
    top["output_padding"] = min(top["stride"], top["dilation"]) - 1
    assert len(conv_transpose_size_view(**top).message) <= WRAP_COLUMNS


def test_moving_a_slider_redraws_with_the_layer_s_size():
    box = conv_transpose_size_widget()
    first = box.panel.svg.value
    box.controls["stride"].value = 3
    assert box.panel.svg.value != first
    expected = ConvTranspose2D(1, 1, 3, stride=3, padding=1, output_padding=1)(np.zeros((1, 1, 4, 4))).shape[2]
    assert conv_transpose_size_view(4, 3, 3, 1, 1).out_size == expected == 11  # 3·3 − 2 + 2 + 1 + 1
    assert "= 11" in box.panel.svg.value


def test_invalid_output_padding_is_explained_in_the_figure_and_a_one_line_red_message():
    """The explanation is 4-5 lines: under the figure it pushed the widget 84 px past a 768 px screen (lesson 11)."""
    box = conv_transpose_size_widget()
    box.controls["output_padding"].value = 2  # stride 2, dilation 1
    assert ERROR_COLOR in box.panel.message.value and REFUSED_MESSAGE in box.panel.message.value
    assert "output_padding must be smaller" in box.panel.svg.value and "→ refused" in box.panel.svg.value
    box.controls["stride"].value = 3  # now valid
    assert ERROR_COLOR not in box.panel.message.value and "refused" not in box.panel.svg.value


def test_no_output_left_is_explained_in_the_figure():
    box = conv_transpose_size_widget(size=1, kernel_size=1, stride=1, padding=0, output_padding=0)
    box.controls["padding"].value = 3
    assert ERROR_COLOR in box.panel.message.value and "No valid output" in box.panel.svg.value


def test_every_refused_setting_keeps_the_widget_s_size():
    """Same figure size, and a message of one line, at every slider setting PyTorch refuses (sampled)."""
    from cnnlib.demos.formatting import WRAP_COLUMNS
    from cnnlib.widgets.conv_transpose import SIZE_RANGES

    valid = conv_transpose_size_view(4, 3, 2, 1, 1)
    size = re.search(r'<svg[^>]*width="(\d+)"[^>]*height="(\d+)"', valid.svg).groups()
    refused = 0
    for n, values in enumerate(itertools.product(*(range(lo, hi + 1) for lo, hi in SIZE_RANGES.values()))):
        view = conv_transpose_size_view(**dict(zip(SIZE_RANGES, values)))
        if view.error is None or n % 5:
            continue
        refused += 1
        assert re.search(r'<svg[^>]*width="(\d+)"[^>]*height="(\d+)"', view.svg).groups() == size
        assert view.message == REFUSED_MESSAGE and len(view.message) <= WRAP_COLUMNS
    assert refused > 400  # of the 2,552 refused settings


def test_overlap_widget_says_when_it_is_a_checkerboard():
    box = overlap_widget()
    assert list(box.controls) == ["kernel_size", "stride"]
    assert "checkerboard" in box.panel.message.value
    box.controls["kernel_size"].value = 4
    assert "K % S = 0" in box.panel.message.value
    box.controls["kernel_size"].value, box.controls["stride"].value = 1, 3
    assert "holes" in box.panel.message.value


def test_overlap_view_is_even_iff_k_divisible_by_s_over_the_slider_range():
    for k in range(1, 6):
        for s in range(1, 4):
            view = overlap_view(k, s)
            assert view.uneven == (k % s != 0)
            assert view.image.shape == ((8 - 1) * s + k,) * 2


def test_stamps_view_matches_the_layer():
    view = stamps_view([[1, 2], [-1, 1]], [[1, 0, -1], [2, 1, 0], [0, -1, 1]], stride=2)
    assert view.svg.startswith("<svg") and view.steps.output.shape == (5, 5)


@pytest.mark.parametrize("k, s, listed", [(5, 3, "4, 2 or 1"), (3, 2, "4, 2 or 1"), (4, 3, "4, 2 or 1")])
def test_the_checkerboard_message_lists_the_stamp_counts_a_loop_finds(k, s, listed):
    """Count by hand how many K×K stamps at stride S cover each pixel away from the edges."""
    n = 6
    counts = np.zeros((s * (n - 1) + k,) * 2, dtype=int)
    for i in range(n):
        for j in range(n):
            counts[s * i:s * i + k, s * j:s * j + k] += 1
    inside = counts[k:-k, k:-k]
    assert sorted(set(inside.ravel().tolist()), reverse=True) == [int(c) for c in listed.replace(" or", ",").split(", ")]
    assert f"pixels lie under {listed} stamps" in overlap_view(k, s).message
