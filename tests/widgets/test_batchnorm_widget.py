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
    assert "after BatchNorm2D, eval mode" in view.svg


def test_bad_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="mode must be 'train' or 'eval'"):
        batchnorm_view(mode="test")


def test_widget_sliders_and_mode_redraw():
    box = batchnorm_widget(shift=2.0, scale=1.5)
    assert box.controls["shift"].value == 2.0 and box.controls["scale"].value == 1.5
    assert box.panel.svg.layout.display != "none" and box.panel.image.layout.display == "none"  # SVG, no PNG
    first = box.panel.svg.value
    box.controls["gamma"].value = 2.0
    second = box.panel.svg.value
    assert second != first and second == batchnorm_view(shift=2.0, scale=1.5, gamma=2.0).svg
    box.controls["mode"].value = "eval"
    assert box.panel.svg.value == batchnorm_view(shift=2.0, scale=1.5, gamma=2.0, mode="eval").svg
    assert box.panel.message.value.startswith("<div") and "eval mode" in box.panel.message.value


def test_labels_have_room_and_the_controls_fit_a_1024_px_page():
    from cnnlib.widgets.batchnorm import LABEL_STYLE, LABELS, SLIDER_WIDTH, TOGGLE_WIDTH

    box = batchnorm_widget()
    sliders = [box.controls[name] for name in ("shift", "scale", "gamma", "beta")]
    assert all(s.style.description_width == LABEL_STYLE["description_width"] for s in sliders)
    longest = max(len(label) for label in LABELS.values())
    assert int(LABEL_STYLE["description_width"].rstrip("px")) >= 8 * longest  # "γ (gamma)" whole: ~8 px a character
    assert all(s.layout.width == SLIDER_WIDTH for s in sliders)
    columns = box.children[0].children  # two columns of sliders, then the mode toggle
    assert [c.layout.width for c in columns] == [SLIDER_WIDTH, SLIDER_WIDTH, TOGGLE_WIDTH]
    assert all(c.layout.flex == "0 0 auto" for c in columns)  # none shrinks under its neighbour's readouts
    assert 2 * int(SLIDER_WIDTH.rstrip("px")) + int(TOGGLE_WIDTH.rstrip("px")) <= 800  # one row in a cell at 1024
    assert box.children[0].layout.flex_flow == "row wrap"  # narrower: the toggle goes under, never over, a readout
