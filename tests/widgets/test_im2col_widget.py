"""The im2col explorer widget: two sliders move the window; the panel shows SVG, not a PNG."""
import pytest

from cnnlib.widgets import im2col_view, im2col_widget


def test_sliders_move_the_window_and_the_message_says_the_column():
    box = im2col_widget()
    assert set(box.controls) == {"row", "col"}
    assert (box.controls["row"].max, box.controls["col"].max) == (2, 2)
    assert box.panel.svg.layout.display != "none" and box.panel.image.layout.display == "none"
    first = box.panel.svg.value
    box.controls["row"].value, box.controls["col"].value = 2, 1
    assert box.panel.svg.value != first and "window (2, 1)" in box.panel.svg.value
    assert "k = row · W_out + col = 2·3 + 1 = 7" in box.panel.message.value
    assert "out[2, 1] = -3" in box.panel.message.value


def test_view_is_what_the_widget_shows():
    box = im2col_widget(row=1, col=1)
    assert box.panel.svg.value == im2col_view(1, 1).svg


def test_out_of_range_window_is_an_error_naming_the_range():
    with pytest.raises(ValueError, match="row must be 0..2"):
        im2col_view(row=5)
