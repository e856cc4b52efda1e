import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.demos.batchnorm import batchnorm_demo, trained_running_stats
from cnnlib.viz.batchnorm import BOTTOM, PLOT_X
from cnnlib.widgets import batchnorm_view, batchnorm_widget
from cnnlib.widgets.batchnorm import RANGES, before_xlim


def test_view_draws_the_demo_and_says_which_statistics_it_used():
    view = batchnorm_view(shift=1.0, mode="eval")
    np.testing.assert_array_equal(view.demo.x, batchnorm_demo(shift=1.0, mode="eval").x)
    running_mean, _ = trained_running_stats()
    assert view.message == "eval mode: normalised with μ = ({}) per channel".format(
        ", ".join(f"{m:.2f}" for m in running_mean))
    assert "after BatchNorm2D, eval mode" in view.svg


def test_bad_mode_is_a_clear_error():
    with pytest.raises(ValueError, match=re.escape("mode must be one of ('train', 'eval')")):
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
    from cnnlib.widgets.batchnorm import COLUMN_GAP, LABEL_STYLE, LABELS, SLIDER_WIDTH, TOGGLE_WIDTH

    box = batchnorm_widget()
    sliders = [box.controls[name] for name in ("shift", "scale", "gamma", "beta")]
    assert all(s.style.description_width == LABEL_STYLE["description_width"] for s in sliders)
    longest = max(len(label) for label in LABELS.values())
    assert int(LABEL_STYLE["description_width"].rstrip("px")) >= 8 * longest  # "γ (gamma)" whole: ~8 px a character
    assert all(s.layout.width == SLIDER_WIDTH for s in sliders)
    columns = box.children[0].children  # two columns of sliders, then the mode toggle
    assert [c.layout.width for c in columns] == [SLIDER_WIDTH, SLIDER_WIDTH, TOGGLE_WIDTH]
    assert all(c.layout.flex == "0 0 auto" for c in columns)  # none shrinks under its neighbour's readouts
    assert [c.layout.margin for c in columns[:2]] == [f"0 {COLUMN_GAP} 0 0"] * 2  # a readout never touches a label
    assert int(COLUMN_GAP.rstrip("px")) >= 16
    row = 2 * (int(SLIDER_WIDTH.rstrip("px")) + int(COLUMN_GAP.rstrip("px"))) + int(TOGGLE_WIDTH.rstrip("px"))
    assert row <= 800  # one row in a cell at 1024
    assert box.children[0].layout.flex_flow == "row wrap"  # narrower: the toggle goes under, never over, a readout


def _before_axis_and_centre(svg: str):
    """The "before" plot's x tick labels with their x (px), and channel 0's histogram centre (px, count-weighted)."""
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg)
    left, right = PLOT_X["before"]
    ticks = [(t.text, t.get("x")) for t in root.iter(f"{ns}text")
             if float(t.get("y")) == BOTTOM + 20 and left - 1 <= float(t.get("x")) <= right + 1]
    outline = next(root.iter(f"{ns}polyline"))  # channel 0, before
    xy = np.array([[float(v) for v in p.split(",")] for p in outline.get("points").split()])  # (2·bins + 2, 2)
    tops = xy[1:-1]
    centres, heights = (tops[0::2, 0] + tops[1::2, 0]) / 2, BOTTOM - tops[0::2, 1]
    return ticks, float((centres * heights).sum() / heights.sum())


def test_the_before_axis_stays_put_over_the_slider_range_and_the_histogram_moves_with_shift():
    lo, hi = before_xlim()
    for shift in RANGES["shift"][:2]:  # every value the sliders reach is on the axis
        for scale in RANGES["scale"][:2]:
            x = batchnorm_view(shift=shift, scale=scale).demo.x
            assert lo <= x.min() and x.max() <= hi
    shifts = [-5.0, 0.0, 2.0, 5.0]
    drawn = [_before_axis_and_centre(batchnorm_view(shift=s).svg) for s in shifts]
    assert len({tuple(ticks) for ticks, _ in drawn}) == 1 and len(drawn[0][0]) >= 4  # one axis for every shift
    assert len({tuple(_before_axis_and_centre(batchnorm_view(scale=s).svg)[0]) for s in (0.25, 4.0)} | {
        tuple(drawn[0][0])}) == 1  # and for every scale
    px_per_unit = (PLOT_X["before"][1] - PLOT_X["before"][0]) / (hi - lo)
    centres = [c for _, c in drawn]
    for (s0, c0), (s1, c1) in zip(zip(shifts, centres), zip(shifts[1:], centres[1:])):
        assert c1 - c0 == pytest.approx((s1 - s0) * px_per_unit, abs=2.5)  # 2 → 5 moves it ~16 px right
    assert centres[2] + 10 < centres[3]
