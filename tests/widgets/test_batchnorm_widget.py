import numpy as np
import pytest

from cnnlib.demos.batchnorm import batchnorm_demo, trained_running_stats
from cnnlib.widgets import batchnorm_view, batchnorm_widget


def test_view_draws_the_demo_and_says_which_statistics_it_used():
    view = batchnorm_view(shift=1.0, mode="eval")
    np.testing.assert_array_equal(view.demo.x, batchnorm_demo(shift=1.0, mode="eval").x)
    running_mean, _ = trained_running_stats()
    assert view.message == "eval mode: normalised with μ = ({}) per channel".format(
        ", ".join(f"{m:.2f}" for m in running_mean))
    assert view.fig.axes[1].get_title().startswith("after BatchNorm2D, eval mode")


def test_bad_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="mode must be 'train' or 'eval'"):
        batchnorm_view(mode="test")


def test_widget_sliders_and_mode_redraw():
    box = batchnorm_widget(shift=2.0, scale=1.5)
    assert box.controls["shift"].value == 2.0 and box.controls["scale"].value == 1.5
    first = bytes(box.panel.image.value)
    box.controls["gamma"].value = 2.0
    second = bytes(box.panel.image.value)
    assert second != first
    box.controls["mode"].value = "eval"
    assert bytes(box.panel.image.value) != second
    assert box.panel.message.value.startswith("<div") and "eval mode" in box.panel.message.value
