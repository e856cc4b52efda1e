import numpy as np
import pytest

from cnnlib.layers import AvgPool2D, MaxPool2D
from cnnlib.widgets import pooling_view, pooling_widget, shift_view, shift_widget
from cnnlib.widgets.pooling import default_edge_map


@pytest.mark.parametrize("pool, k, s", [("max", 2, 2), ("max", 3, 1), ("max", 2, 3), ("average", 2, 2),
                                        ("average", 4, 2)])
def test_pooled_map_is_cnnlibs_pooling_of_the_edge_map(pool, k, s):
    view = pooling_view(pool, k, s)
    fmap = default_edge_map()
    layer = MaxPool2D(k, stride=s) if pool == "max" else AvgPool2D(k, stride=s)
    np.testing.assert_allclose(view.pooled, layer(fmap[None, None])[0, 0], rtol=1e-6)
    top, left, size = view.layout.zoom
    np.testing.assert_array_equal(view.layout.crop, fmap[top:top + size, left:left + size])
    np.testing.assert_allclose(view.crop_pooled, layer(view.layout.crop[None, None])[0, 0], rtol=1e-6)


def test_edge_map_is_lesson_03s_feature_map():
    fmap = default_edge_map()
    assert fmap.shape == (150, 128) and fmap.min() == 0 and fmap.max() > 1  # ReLU(Sobel x), padding 1


@pytest.mark.parametrize("k, s", [(2, 2), (3, 1), (3, 2), (2, 3)])
def test_every_picked_pixel_is_its_windows_maximum(k, s):
    lay = pooling_view("max", k, s).layout
    rows, cols = lay.rows, lay.cols
    np.testing.assert_array_equal(lay.crop[rows, cols], lay.crop_pooled)
    for i, j in np.ndindex(rows.shape):
        assert i * s <= rows[i, j] < i * s + k and j * s <= cols[i, j] < j * s + k  # inside its own window
    assert lay.counts.sum() == rows.size  # one pick per window
    assert lay.starts == tuple(range(0, rows.shape[0] * s, s))


def test_overlapping_windows_can_pick_the_same_pixel():
    lay = pooling_view("max", 3, 1).layout
    assert lay.counts.max() > 1
    assert pooling_view("max", 2, 2).layout.counts.max() == 1  # disjoint windows never share


def test_average_pooling_picks_nothing():
    view = pooling_view("average", 2, 2)
    assert view.picked[0].size == 0 and view.layout.counts.sum() == 0


def test_formula_has_the_numbers():
    assert pooling_view("max", 2, 2).message == "H_out = ⌊(150 − 2) / 2⌋ + 1 = 75,   W_out = ⌊(128 − 2) / 2⌋ + 1 = 64"
    assert "⌊(150 − 3) / 1⌋ + 1 = 148" in pooling_view("max", 3, 1).message


def test_unknown_pool_type_is_a_clear_error():
    with pytest.raises(ValueError, match="pool must be one of"):
        pooling_view("min")


def test_pooling_widget_sliders_redraw():
    box = pooling_widget()
    first = bytes(box.panel.image.value)
    box.controls["stride"].value = 1
    second = bytes(box.panel.image.value)
    assert second != first and "148" not in box.panel.message.value and "149" in box.panel.message.value
    box.controls["pool"].value = "average"
    assert bytes(box.panel.image.value) != second


@pytest.mark.parametrize("shift", [1, 2])
def test_pooling_keeps_shifted_maps_more_alike(shift):
    c = shift_view(shift, 2).comparison
    assert c.after > c.before
    assert c.fmap_shifted.shape == c.fmap.shape and c.pooled.shape == (75, 64)
    assert c.curve_before[shift] == pytest.approx(c.before) and c.curve_after[shift] == pytest.approx(c.after)


def test_no_shift_means_identical_maps():
    c = shift_view(0, 3).comparison
    assert c.before == pytest.approx(1.0) and c.after == pytest.approx(1.0)
    np.testing.assert_array_equal(c.fmap, c.fmap_shifted)


def test_shift_widget_redraws():
    box = shift_widget()
    first = bytes(box.panel.image.value)
    box.controls["shift"].value = 3
    assert bytes(box.panel.image.value) != first
    assert box.panel.message.value.count("similarity") == 1
    with pytest.raises(ValueError, match=r"shift must be in 0\.\.6"):
        shift_view(7)
