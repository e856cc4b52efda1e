"""Lesson 11's widgets: sliders redraw the SVG; invalid settings give the red message; views are what they show."""
import numpy as np

from cnnlib.layers import ConvTranspose2D
from cnnlib.widgets import (conv_transpose_size_view, conv_transpose_size_widget, overlap_view, overlap_widget,
                            stamps_view)
from cnnlib.widgets.view_widget import ERROR_COLOR


def test_size_widget_has_six_sliders_and_shows_svg():
    box = conv_transpose_size_widget()
    assert list(box.controls) == ["size", "kernel_size", "stride", "padding", "output_padding", "dilation"]
    assert box.panel.svg.layout.display != "none" and box.panel.image.layout.display == "none"
    assert box.panel.svg.value == conv_transpose_size_view(4, 3, 2, 1, 1, 1).svg
    assert "maps each of 7, 8 to 4: output_padding = 1 picks 8." in box.panel.svg.value
    assert ("ConvTranspose2D(C_in, C_out, 3, stride=2, padding=1, output_padding=1) turns 4×4 into 8×8."
            in box.panel.message.value)


def test_moving_a_slider_redraws_with_the_layer_s_size():
    box = conv_transpose_size_widget()
    first = box.panel.svg.value
    box.controls["stride"].value = 3
    assert box.panel.svg.value != first
    expected = ConvTranspose2D(1, 1, 3, stride=3, padding=1, output_padding=1)(np.zeros((1, 1, 4, 4))).shape[2]
    assert conv_transpose_size_view(4, 3, 3, 1, 1).out_size == expected == 11  # 3·3 − 2 + 2 + 1 + 1
    assert "= 11" in box.panel.svg.value


def test_invalid_output_padding_is_a_red_message_and_keeps_the_figure():
    box = conv_transpose_size_widget()
    shown = box.panel.svg.value
    box.controls["output_padding"].value = 2  # stride 2, dilation 1
    assert ERROR_COLOR in box.panel.message.value and "output_padding must be smaller" in box.panel.message.value
    assert box.panel.svg.value == shown
    box.controls["stride"].value = 3  # now valid
    assert ERROR_COLOR not in box.panel.message.value


def test_no_output_left_is_a_red_message():
    box = conv_transpose_size_widget(size=1, kernel_size=1, stride=1, padding=0, output_padding=0)
    box.controls["padding"].value = 3
    assert ERROR_COLOR in box.panel.message.value and "No valid output" in box.panel.message.value


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
