import numpy as np
import pytest

from cnnlib.demos.filters import sample_edge_map
from cnnlib.demos.pooling import pool_layout
from cnnlib.demos.translation import compare_shift
from cnnlib.widgets import pooling_view, pooling_widget, shift_view, shift_widget
from cnnlib.viz.pooling import EXPLORER_H, EXPLORER_W, draw_pool_explorer
from cnnlib.viz.translation import SHIFT_SIZE, draw_shift_comparison
from cnnlib.widgets.pooling import LABEL_STYLE, RANGES, SHIFT_RANGES


@pytest.mark.parametrize("pool, k, s", [("max", 3, 1), ("average", 4, 2)])
def test_pooling_view_draws_the_layout_of_the_edge_map(pool, k, s):
    view = pooling_view(pool, k, s)
    lay = pool_layout(sample_edge_map(), pool, k, s)
    np.testing.assert_array_equal(view.pooled, lay.pooled)
    np.testing.assert_array_equal(view.crop_pooled, lay.crop_pooled)
    np.testing.assert_array_equal(view.picked[0], lay.rows)
    assert view.message == "" and view.svg == draw_pool_explorer(lay)  # the formula heads the figure, not repeated
    H_out, W_out = lay.pooled.shape
    assert f"+ 1 = {H_out}," in view.svg and f"+ 1 = {W_out}<" in view.svg
    assert f">{pool} pooled</text>" in view.svg and f">{lay.pooled.shape[0]}×{lay.pooled.shape[1]}</text>" in view.svg


def test_pooling_view_of_another_map():
    view = pooling_view("max", 2, 2, fmap=np.arange(64.0 * 64).reshape(64, 64))
    assert view.pooled.shape == (32, 32) and view.pooled[0, :2].tolist() == [65, 67]  # max of [[0, 1], [64, 65]]
    assert view.layout.crop[0, 0] == 48 * 64 + 36  # the zoom starts at row 48, column 36


def test_unknown_pool_type_is_a_clear_error():
    with pytest.raises(ValueError, match="pool must be one of"):
        pooling_view("min")


def test_pooling_widget_controls_redraw():
    box = pooling_widget()
    assert set(box.controls) == {"pool", "kernel_size", "stride"}
    assert box.controls["kernel_size"].description == "window"
    first = box.panel.svg.value
    assert box.panel.image.layout.display == "none" and "max pooling, window 2×2, stride 2" in first
    box.controls["stride"].value = 1
    second = box.panel.svg.value
    assert second != first and "148" not in second and "149" in second
    box.controls["pool"].value = "average"
    assert box.panel.svg.value != second and ">average pooled</text>" in box.panel.svg.value


def test_pooling_widget_keeps_its_size_for_every_setting():
    box = pooling_widget()
    sizes = set()
    for pool in ("max", "average"):
        box.controls["pool"].value = pool
        for k in range(RANGES["kernel_size"][0], RANGES["kernel_size"][1] + 1):
            box.controls["kernel_size"].value = k
            for s in range(RANGES["stride"][0], RANGES["stride"][1] + 1):
                box.controls["stride"].value = s
                svg = box.panel.svg.value
                sizes.add(svg[:svg.index(">")].split('viewBox="')[1].split('"')[0])
    assert sizes == {f"0 0 {EXPLORER_W:g} {EXPLORER_H:g}"} and EXPLORER_W <= 800


def test_shift_view_draws_the_comparison():
    view = shift_view(2, 3)
    c = compare_shift(2, 3)
    assert view.comparison.before == c.before and view.comparison.after == c.after
    assert view.svg == draw_shift_comparison(c) and f">similarity {c.after:.2f}</text>" in view.svg
    assert view.message == f"similarity of the edge maps {c.before:.2f}; after 3×3 max pooling {c.after:.2f}"
    with pytest.raises(ValueError, match=r"shift must be in 0\.\.6"):
        shift_view(7)


def test_shift_widget_redraws_its_svg():
    box = shift_widget()
    first = box.panel.svg.value
    assert box.panel.image.layout.display == "none" and ">shift 1 px: similarity " in first
    box.controls["shift"].value = 3
    c = compare_shift(3, 2)
    assert box.panel.svg.value == draw_shift_comparison(c) != first
    assert box.panel.message.value.count("similarity") == 1 and f"{c.after:.2f}" in box.panel.message.value


def test_shift_widget_keeps_its_size_for_every_setting():
    box = shift_widget()
    sizes = set()
    for k in range(SHIFT_RANGES["kernel_size"][0], SHIFT_RANGES["kernel_size"][1] + 1):
        box.controls["kernel_size"].value = k
        for s in range(SHIFT_RANGES["shift"][0], SHIFT_RANGES["shift"][1] + 1):
            box.controls["shift"].value = s
            svg = box.panel.svg.value
            assert f">shift {s} px: " in svg and f"after {k}×{k} pooling<" in svg
            sizes.add(svg[:svg.index(">")].split('viewBox="')[1].split('"')[0])
    assert sizes == {f"0 0 {SHIFT_SIZE[0]:g} {SHIFT_SIZE[1]:g}"} and SHIFT_SIZE[0] <= 800


@pytest.mark.parametrize("make", [pooling_widget, shift_widget])
def test_control_labels_have_room_and_the_controls_fit_1024_px(make):
    box = make()
    for control in box.controls.values():
        assert control.style.description_width == LABEL_STYLE["description_width"]  # "pool window" is not cut
        assert len(control.description) <= 12
    sliders = [c for c in box.controls.values() if hasattr(c, "readout")]
    assert sum(int(c.layout.width.rstrip("px")) for c in sliders) <= 900  # side by side in one row
