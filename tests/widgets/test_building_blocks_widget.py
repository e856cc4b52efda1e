"""Lesson 12's widgets: the gradient-through-depth widget and the stacked-3×3 widget redraw their SVG."""
import pytest

from cnnlib.widgets import (depth_gradient_view, depth_gradient_widget, stack_view, stack_widget,
                            timeline_view)


def test_depth_widget_controls_redraw_the_plot_and_the_message_gives_both_ratios():
    box = depth_gradient_widget()
    assert set(box.controls) == {"depth", "batchnorm", "init"}
    assert box.panel.svg.layout.display != "none" and box.panel.image.layout.display == "none"
    assert box.panel.svg.value == depth_gradient_view(30, True, "he").svg
    assert "74× its size at the top without skips, 5.1× with them" in box.panel.message.value
    first = box.panel.svg.value
    box.controls["batchnorm"].value = False
    box.controls["init"].value = "uniform"
    box.controls["depth"].value = 20
    assert box.panel.svg.value != first and "20 blocks of Conv + ReLU" in box.panel.svg.value
    assert "2.7e−9× its size at the top without skips, 7× with them" in box.panel.message.value


def test_unnormalised_skips_say_why_the_gradient_grows():
    view = depth_gradient_view(20, batchnorm=False, init="he")
    assert view.gradients.residual[0] > 900  # measured 963
    assert "ResNet puts batch norm in every block" in view.message
    assert "ResNet puts" not in depth_gradient_view(20).message


def test_depth_out_of_range_is_an_error_naming_the_range():
    with pytest.raises(ValueError, match="depth must be 1 to 40"):
        depth_gradient_view(depth=41)


def test_stack_widget_moves_from_one_to_four_convs():
    box = stack_widget()
    assert set(box.controls) == {"n_stacked", "channels"}
    assert "27·C²" in box.panel.svg.value and "110,592 parameters" in box.panel.message.value
    box.controls["n_stacked"].value = 2
    assert "Both see 5×5 input pixels; the stack needs 73,728 parameters, the single 5×5 conv 102,400" in (
        box.panel.message.value)
    box.controls["channels"].value = 16
    assert box.panel.svg.value == stack_view(2, 16).svg
    with pytest.raises(ValueError, match="n_stacked must be 1 to 4"):
        stack_view(n_stacked=0)


def test_timeline_view_draws_the_three_milestones():
    view = timeline_view()
    assert [m.name for m in view.milestones] == ["LeNet-5", "VGG-16", "ResNet-50"]
    assert view.svg.startswith("<svg") and "61,706" in view.svg
