import re

import numpy as np
import pytest

from cnnlib.demos.conv_backward import SEED_DOUT
from cnnlib.demos.sliding_window import SEED_INPUT, SEED_KERNEL
from cnnlib.functional import conv2d_backward, conv2d_forward
from cnnlib.widgets import backprop_pass_view, backprop_view, backprop_widget
from cnnlib.widgets.backprop import keep_cell

# Lesson 06's numbers for the 4×4 ⋆ 2×2 example with dout = SEED_DOUT (stride 1, no padding).
DW = np.array([[8, 7], [-3, 8]])
DX = np.array([[1, 2, -1, 0], [-2, 0, 2, -1], [3, -3, 3, -1], [-2, 3, -2, 1]])


def cnnlib_grads(stride, padding, dout):
    _, cache = conv2d_forward(SEED_INPUT[None, None], SEED_KERNEL[None, None], np.zeros(1), stride, padding)
    dx, dW, db = conv2d_backward(dout[None, None], cache)
    return dx[0, 0], dW[0, 0], db[0]


@pytest.mark.parametrize("cell, out_cell, window, grad", [(1, (0, 0), (0, 0, 2, 2), 1.0), (2, (0, 1), (0, 1, 2, 2), 2.0),
                                                         (4, (1, 0), (1, 0, 2, 2), -1.0), (9, (2, 2), (2, 2, 2, 2), 1.0)])
def test_cell_view_highlights_the_window_and_gradient(cell, out_cell, window, grad):
    view = backprop_view(cell)
    assert (view.out_cell, view.window, view.grad, view.n_cells) == (out_cell, window, grad, 9)
    assert view.grad == SEED_DOUT[out_cell]


def test_cell_view_accumulates_the_sums_cell_by_cell():
    first = backprop_view(1)
    np.testing.assert_array_equal(first.dW, SEED_INPUT[:2, :2])  # g = 1 times the first window
    expected_dx = np.zeros((4, 4))
    expected_dx[:2, :2] = SEED_KERNEL
    np.testing.assert_array_equal(first.dx_padded, expected_dx)
    last = backprop_view(9)
    np.testing.assert_array_equal(last.dW, DW)
    np.testing.assert_array_equal(last.dx_padded, DX)
    assert "dW += 2 · x[0:2, 1:3] = [[4, 6], [2, 4]]" in backprop_view(2).message


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 0), (3, 0), (1, 1), (2, 1), (3, 2), (2, 2)])
def test_both_views_equal_cnnlibs_backward(stride, padding):
    last = backprop_view(backprop_view(1, stride, padding).n_cells, stride, padding)
    whole = backprop_pass_view(stride, padding)
    dx, dW, db = cnnlib_grads(stride, padding, last.backward.dout)
    np.testing.assert_allclose(whole.dx, dx)
    np.testing.assert_allclose(whole.dW, dW)
    assert whole.db == pytest.approx(db)
    np.testing.assert_allclose(last.dW, dW)  # the cell-by-cell sum after the last cell
    top, left, h, w = whole.crop
    assert (top, left, h, w) == (padding, padding, 4, 4)
    np.testing.assert_allclose(last.dx_padded[top:top + h, left:left + w], dx)
    np.testing.assert_allclose(whole.dx_padded, last.dx_padded)


def test_stride_inserts_zeros_into_dout():
    view = backprop_pass_view(stride=2, padding=1)  # 6×6 padded input, 2×2 kernel: 3×3 dout
    dout = np.array([[1, 2, -1], [-1, 1, -1], [2, -1, 1]])
    expected = np.array([[1, 0, 2, 0, -1],
                         [0, 0, 0, 0, 0],
                         [-1, 0, 1, 0, -1],
                         [0, 0, 0, 0, 0],
                         [2, 0, -1, 0, 1]])
    np.testing.assert_array_equal(view.dout_dilated, expected)
    np.testing.assert_array_equal(view.inserted, expected == 0)  # here every zero was inserted
    assert view.dout_full.shape == (7, 7)  # K - 1 = 1 zero around: full correlation gives 6×6 = dx_pad
    np.testing.assert_array_equal(view.dout_full[1:6, 1:6], expected)
    assert view.dout_full[0].sum() == 0 and view.dout_full[:, 0].sum() == 0
    np.testing.assert_array_equal(view.kernel_rot, SEED_KERNEL[::-1, ::-1])
    assert "dx = dx_pad[1:5, 1:5]" in view.message
    assert backprop_view(1, 2, 1).backward.dout.tolist() == dout.tolist()


def test_rows_the_floor_dropped_get_no_gradient():
    view = backprop_pass_view(stride=3, padding=1)  # padded 6: windows start at 0 and 3, rows 5 never used
    assert view.dout_dilated.shape == (4, 4)
    assert view.dout_full.shape == (7, 7)  # 1 + 4 + 1 + 1 extra row for the dropped one
    assert not view.dx_padded[5].any() and not view.dx_padded[:, 5].any()


def test_out_of_range_cell_is_a_clear_error():
    with pytest.raises(ValueError, match=r"cell must be in 1\.\.4 for stride 2 and padding 0, got 5"):
        backprop_view(5, stride=2)


def _size(svg):
    return re.search(r'width="([\d.]+)" height="([\d.]+)"', svg).groups()


def test_widget_cell_slider_redraws_only_the_cell_picture():
    box = backprop_widget(cell=4)
    cell = box.controls["cell"]
    assert (cell.value, cell.max, box.controls["play"].max) == (4, 9, 9)
    cell_panel, pass_panel = box.panels
    cell_svg, pass_svg = cell_panel.svg.value, pass_panel.svg.value
    assert cell_svg.startswith("<svg") and pass_svg.startswith("<svg")
    cell.value = 5
    assert cell_panel.svg.value != cell_svg
    assert pass_panel.svg.value == pass_svg and len(pass_panel.cache) == 1  # not drawn again
    assert "out[1, 1]" in cell_panel.message.value


def test_widget_stride_slider_shrinks_the_cell_range_and_redraws_both():
    box = backprop_widget(cell=9)
    cell_panel, pass_panel = box.panels
    cell_svg, pass_svg = cell_panel.svg.value, pass_panel.svg.value
    box.controls["stride"].value = 2
    assert (box.controls["cell"].max, box.controls["cell"].value, box.controls["play"].max) == (4, 4, 4)
    assert cell_panel.svg.value != cell_svg and pass_panel.svg.value != pass_svg
    assert "out[1, 1]" in cell_panel.message.value  # out[2, 2] is gone: the nearest cell
    assert list(cell_panel.cache)[-1] == (("cell", 4), ("padding", 0), ("stride", 2))  # drawn once, clamped
    box.controls["padding"].value = 2
    assert box.controls["cell"].max == 16
    assert "dx = dx_pad[2:6, 2:6]" in pass_panel.message.value


def test_the_highlighted_cell_stays_where_the_student_put_it():
    box = backprop_widget(cell=4)  # out[1, 0]
    box.controls["stride"].value = 2  # 2×2 outputs: out[1, 0] is cell 3, not out[0, 3] (the jump)
    assert box.controls["cell"].value == 3 and "out[1, 0]" in box.panel.message.value
    box.controls["padding"].value = 2  # 4×4 outputs
    assert box.controls["cell"].value == 5 and "out[1, 0]" in box.panel.message.value
    box.controls["stride"].value = 1  # 7×7 outputs
    assert (box.controls["cell"].value, box.controls["cell"].max) == (8, 49) and "out[1, 0]" in box.panel.message.value
    box.controls["cell"].value = 49  # out[6, 6]
    box.controls["stride"].value = 3  # 3×3 outputs: clamped to out[2, 2]
    assert box.controls["cell"].value == 9 and box.controls["play"].value == 9
    assert keep_cell(4, (3, 3), (2, 2)) == 3 and keep_cell(9, (3, 3), (2, 2)) == 4 and keep_cell(2, (2, 2), (3, 3)) == 2


def test_both_pictures_keep_their_size_for_every_setting():
    box = backprop_widget()
    sizes = set()
    for stride in (1, 2, 3):
        for padding in (0, 1, 2):
            box.controls["stride"].value, box.controls["padding"].value = stride, padding
            box.controls["cell"].value = box.controls["cell"].max
            sizes.add(tuple(_size(panel.svg.value) for panel in box.panels))
    assert len(sizes) == 1


def test_widget_with_a_custom_dout_shows_a_message_for_other_strides():
    box = backprop_widget(dout=np.ones((3, 3)))
    box.controls["stride"].value = 2
    for panel in box.panels:
        assert "dout must have the output&#x27;s shape (2, 2)" in panel.message.value  # HTML-escaped
    assert box.controls["cell"].max == 9
    box.controls["stride"].value = 1
    assert "must have" not in box.panel.message.value and "dout[0, 0] = 1 flows back" in box.panel.message.value
