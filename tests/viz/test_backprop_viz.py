"""The data behind the backward-pass pictures, and the pictures themselves."""
import numpy as np
import pytest

from cnnlib.functional import conv2d_backward, conv2d_forward
from cnnlib.viz.backprop import SEED_DOUT, cell_equations, conv_backward_steps, correlate, dilate, example_dout
from cnnlib.viz.backprop_draw import draw_backward_cell, draw_backward_pass, rows_figure


def test_dilate_inserts_stride_minus_one_zeros():
    np.testing.assert_array_equal(dilate([[1, 2], [3, 4]], 3), [[1, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]])
    np.testing.assert_array_equal(dilate([[5]], 2), [[5]])
    np.testing.assert_array_equal(dilate([[1, 2]], 1), [[1, 2]])


def test_correlate_is_cross_correlation():
    np.testing.assert_array_equal(correlate([[1, 2], [3, 4]], [[1]]), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(correlate([[1, 2], [3, 4]], [[1, 1], [1, 1]], padding=1)[0], [1, 3, 2])


def test_example_dout_repeats_the_lesson_numbers():
    np.testing.assert_array_equal(example_dout((3, 3)), SEED_DOUT)
    np.testing.assert_array_equal(example_dout((2, 2)), [[1, 2], [-1, -1]])


@pytest.mark.parametrize("shape, kernel, stride, padding", [((4, 4), (2, 2), 1, 0), ((5, 6), (3, 2), 2, 1),
                                                            ((7, 5), (3, 3), 3, 2), ((6, 6), (2, 3), 2, 0)])
def test_loops_and_correlations_equal_cnnlib(shape, kernel, stride, padding):
    rng = np.random.default_rng(0)
    x, k = rng.integers(-3, 4, shape).astype(float), rng.integers(-2, 3, kernel).astype(float)
    out, cache = conv2d_forward(x[None, None], k[None, None], np.zeros(1), stride, padding)
    dout = rng.integers(-2, 3, out.shape[2:]).astype(float)
    dx, dW, db = conv2d_backward(dout[None, None], cache)
    cb = conv_backward_steps(x, k, dout, stride, padding)
    np.testing.assert_allclose(cb.dx, dx[0, 0])
    np.testing.assert_allclose(cb.dW, dW[0, 0])
    assert cb.db == db[0]
    dW_loops, dxp_loops = cb.partial(len(cb.cells) - 1)
    np.testing.assert_allclose(dW_loops, cb.dW)
    np.testing.assert_allclose(dxp_loops, cb.dx_padded)
    assert cb.dx_padded.shape == (shape[0] + 2 * padding, shape[1] + 2 * padding)


def test_the_cells_are_row_major_windows():
    cb = conv_backward_steps(stride=2, padding=1)
    assert [(c.row, c.col, c.top, c.left) for c in cb.cells[:4]] == [(0, 0, 0, 0), (0, 1, 0, 2), (0, 2, 0, 4),
                                                                       (1, 0, 2, 0)]
    np.testing.assert_array_equal(cb.cells[0].window, [[0, 0], [0, 1]])  # padding, then x[0, 0] = 1


def test_cell_equations_write_the_numbers():
    text = cell_equations(conv_backward_steps(), 3)
    assert text.splitlines() == [
        "out[1, 0] used x[1:3, 0:2] and all of W; its gradient dout[1, 0] = -1 flows back:",
        "dW += (-1) · x[1:3, 0:2] = [[0, -1], [-3, 0]]     dx[1:3, 0:2] += (-1) · W = [[-1, 0], [1, -1]]",
    ]


def test_dout_of_the_wrong_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"dout must have the output's shape \(3, 3\)"):
        conv_backward_steps(dout=np.ones((2, 2)))


def _cell_texts(ax):
    return [t.get_text() for t in ax.texts]


def test_cell_figure_draws_five_grids_with_the_sums_so_far():
    cb = conv_backward_steps()
    fig = draw_backward_cell(cb, 1)
    x_ax, w_ax, d_ax, dw_ax, dx_ax = fig.axes
    assert _cell_texts(x_ax) == [str(int(v)) for v in cb.x.ravel()]
    assert _cell_texts(dw_ax) == ["5", "8", "2", "5"]  # dW after cells 1 and 2: x[0:2, 0:2] + 2 · x[0:2, 1:3]
    assert dw_ax.get_xlabel() == "+= 2 · window"
    assert d_ax.get_xlabel() == "g = dout[0, 1] = 2"
    assert "output cell 2 of 9" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match=r"cell index must be in 0\.\.8"):
        draw_backward_cell(cb, 9)


def test_pass_figure_draws_the_dilated_dout_and_dx():
    cb = conv_backward_steps(stride=2, padding=1)
    fig = draw_backward_pass(cb)
    full_ax, rot_ax, corr_ax, dx_ax = fig.axes
    assert len(draw_backward_pass(conv_backward_steps()).axes) == 3  # no padding: the correlation is dx
    assert full_ax.get_title() == "dout + 1 zero between + 1 around"
    assert len(_cell_texts(full_ax)) == cb.dout_full.size
    assert _cell_texts(dx_ax) == [str(int(v + 0.0)) for v in cb.dx.ravel()]
    assert dx_ax.get_title() == "dx: crop 1 off each side"
    assert rot_ax.get_xlabel() == "db = sum(dout) = 3"


def test_rows_figure_centres_each_row():
    fig, axes = rows_figure([[(2, 2), (3, 3)], [(1, 4)]], cell=0.5)
    assert [len(r) for r in axes] == [2, 1]
    row2 = axes[1][0].get_position()
    assert row2.x0 + row2.x1 == pytest.approx(1.0)
