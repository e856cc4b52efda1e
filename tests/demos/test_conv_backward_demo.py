import numpy as np
import pytest

from cnnlib.demos.conv_backward import SEED_DOUT, cell_equations, conv_backward_steps, dilate, example_dout
from cnnlib.functional import conv2d_backward, conv2d_forward

# Lesson 06's numbers for the 4×4 ⋆ 2×2 example with dout = SEED_DOUT, by hand:
# dW[0, 0] = 1·1 + 2·2 + (-1)·3 + (-1)·0 + 1·1 + (-1)·2 + 2·3 + (-1)·0 + 1·1 = 8
DW = [[8, 7], [-3, 8]]
DX = [[1, 2, -1, 0], [-2, 0, 2, -1], [3, -3, 3, -1], [-2, 3, -2, 1]]


def test_dilate_inserts_stride_minus_one_zeros():
    np.testing.assert_array_equal(dilate([[1, 2], [3, 4]], 3), [[1, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]])
    np.testing.assert_array_equal(dilate([[5]], 2), [[5]])
    np.testing.assert_array_equal(dilate([[1, 2]], 1), [[1, 2]])


def test_example_dout_repeats_the_lesson_numbers():
    np.testing.assert_array_equal(example_dout((3, 3)), SEED_DOUT)
    np.testing.assert_array_equal(example_dout((2, 2)), [[1, 2], [-1, -1]])


def test_the_lesson_example_by_hand():
    cb = conv_backward_steps()
    np.testing.assert_array_equal(cb.dW, DW)
    np.testing.assert_array_equal(cb.dx, DX)
    assert cb.db == 3
    np.testing.assert_array_equal(cb.kernel_rot, [[1, -1], [0, 1]])


@pytest.mark.parametrize("shape, kernel, stride, padding", [((4, 4), (2, 2), 1, 0), ((5, 6), (3, 2), 2, 1),
                                                            ((7, 5), (3, 3), 3, 2), ((6, 6), (2, 3), 2, 0)])
def test_loops_and_correlations_equal_cnnlibs_backward(shape, kernel, stride, padding):
    rng = np.random.default_rng(0)
    x, k = rng.integers(-3, 4, shape).astype(float), rng.integers(-2, 3, kernel).astype(float)
    out, cache = conv2d_forward(x[None, None], k[None, None], np.zeros(1), stride, padding)
    dout = rng.integers(-2, 3, out.shape[2:]).astype(float)
    dx, dW, db = conv2d_backward(dout[None, None], cache)
    cb = conv_backward_steps(x, k, dout, stride, padding)
    np.testing.assert_allclose(cb.dx, dx[0, 0])
    np.testing.assert_allclose(cb.dW, dW[0, 0])
    assert cb.db == db[0]
    dW_loops, dxp_loops = cb.partial(len(cb.cells) - 1)  # the cell-by-cell sums
    np.testing.assert_allclose(dW_loops, dW[0, 0])
    top, left, h, w = cb.crop
    np.testing.assert_allclose(dxp_loops[top:top + h, left:left + w], dx[0, 0])
    np.testing.assert_allclose(dxp_loops, cb.dx_padded)
    assert cb.dx_padded.shape == (shape[0] + 2 * padding, shape[1] + 2 * padding)


def test_the_cells_are_row_major_windows():
    cb = conv_backward_steps(stride=2, padding=1)
    assert [(c.row, c.col, c.top, c.left) for c in cb.cells[:4]] == [(0, 0, 0, 0), (0, 1, 0, 2), (0, 2, 0, 4),
                                                                       (1, 0, 2, 0)]
    np.testing.assert_array_equal(cb.cells[0].window, [[0, 0], [0, 1]])  # padding, then x[0, 0] = 1


def test_partial_sums_after_two_cells():
    dW, dx_pad = conv_backward_steps().partial(1)
    np.testing.assert_array_equal(dW, [[5, 8], [2, 5]])  # 1 · x[0:2, 0:2] + 2 · x[0:2, 1:3]
    np.testing.assert_array_equal(dx_pad[:2, :3], [[1, 2, 0], [-1, -1, 2]])  # W at (0, 0) plus 2·W at (0, 1)


def test_stride_inserts_zeros_and_full_padding_surrounds_them():
    cb = conv_backward_steps(stride=2, padding=1)  # 6×6 padded input, 2×2 kernel: 3×3 dout
    expected = [[1, 0, 2, 0, -1], [0, 0, 0, 0, 0], [-1, 0, 1, 0, -1], [0, 0, 0, 0, 0], [2, 0, -1, 0, 1]]
    np.testing.assert_array_equal(cb.dout_dilated, expected)
    np.testing.assert_array_equal(cb.inserted, np.array(expected) == 0)  # here every zero was inserted
    assert cb.dout_full.shape == (7, 7) and cb.full_offset == (1, 1)
    np.testing.assert_array_equal(cb.dout_full[1:6, 1:6], expected)


def test_rows_the_floor_dropped_get_no_gradient():
    cb = conv_backward_steps(stride=3, padding=1)  # padded 6: windows start at 0 and 3, row 5 never used
    assert cb.dout_dilated.shape == (4, 4) and cb.dout_full.shape == (7, 7)
    assert not cb.dx_padded[5].any() and not cb.dx_padded[:, 5].any()


def test_cell_equations_write_the_numbers():
    assert cell_equations(conv_backward_steps(), 3).splitlines() == [
        "out[1, 0] used x[1:3, 0:2] and all of W; its gradient dout[1, 0] = -1 flows back:",
        "dW += (-1) · x[1:3, 0:2] = [[0, -1], [-3, 0]]     dx[1:3, 0:2] += (-1) · W = [[-1, 0], [1, -1]]",
    ]
    assert "dx_pad[0:2, 0:2] += 1 · W" in cell_equations(conv_backward_steps(padding=1), 0)


def test_dout_of_the_wrong_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"dout must have the output's shape \(3, 3\)"):
        conv_backward_steps(dout=np.ones((2, 2)))
