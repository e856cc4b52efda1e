import numpy as np
import pytest

from cnnlib.demos.conv_backward import conv_backward_steps
from cnnlib.viz.backprop import draw_backward_cell, draw_backward_pass


def _texts(artist):
    return [t.get_text() for t in artist.texts]


def test_cell_figure_draws_five_grids_with_the_sums_so_far():
    cb = conv_backward_steps()
    fig = draw_backward_cell(cb, 1)
    x_ax, w_ax, d_ax, dw_ax, dx_ax = fig.axes
    assert _texts(x_ax) == [str(int(v)) for v in cb.x.ravel()]
    assert _texts(dw_ax) == ["5", "8", "2", "5"]  # dW after cells 1 and 2: x[0:2, 0:2] + 2 · x[0:2, 1:3]
    assert dw_ax.get_xlabel() == "+= 2 · window"
    assert d_ax.get_xlabel() == "g = dout[0, 1] = 2"
    assert any("output cell 2 of 9" in t for t in _texts(fig))
    with pytest.raises(ValueError, match=r"cell index must be in 0\.\.8"):
        draw_backward_cell(cb, 9)


def test_pass_figure_draws_the_dilated_dout_and_dx():
    cb = conv_backward_steps(stride=2, padding=1)
    full_ax, rot_ax, corr_ax, dx_ax = draw_backward_pass(cb).axes
    assert len(draw_backward_pass(conv_backward_steps()).axes) == 3  # no padding: the correlation is dx
    assert full_ax.get_title() == "dout + 1 zero between + 1 around"
    assert len(_texts(full_ax)) == cb.dout_full.size
    assert _texts(dx_ax) == [str(int(v + 0.0)) for v in cb.dx.ravel()]
    assert dx_ax.get_title() == "dx: crop 1 off each side"
    assert rot_ax.get_xlabel() == "db = sum(dout) = 3"


def test_a_redrawn_pass_figure_hides_the_grid_it_no_longer_needs():
    fig = draw_backward_pass(conv_backward_steps(padding=1))
    assert len(fig.axes) == 4
    again = draw_backward_pass(conv_backward_steps(), figure=fig)
    assert again is fig and [ax.get_visible() for ax in fig.axes] == [True, True, True, False]
    np.testing.assert_array_equal(fig.axes[2].images[0].get_array(), conv_backward_steps().dx)
