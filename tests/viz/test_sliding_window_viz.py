import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnlib.demos.sliding_window import SEED_INPUT, SEED_KERNEL, sliding_window_steps
from cnnlib.viz.sliding_window import ConvStepFigure, draw_conv_step


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_step_figure_draws_the_four_grids_of_a_step():
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    fig = draw_conv_step(sw, 1)
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    x_ax, k_ax, prod_ax, out_ax = fig.axes
    assert [ax.get_title() for ax in fig.axes] == ["input x", "kernel k", "patch ⊙ k", "output 3×3"]
    assert _texts(prod_ax) == ["2", "0", "-1", "2"]  # patch [[2, 3], [1, 2]] ⊙ kernel
    assert _texts(out_ax) == ["2", "3"] + ["?"] * 7
    assert prod_ax.get_xlabel() == "sum = 3"
    assert "step 2 of 9:   out[0, 1] = 2·1 + 3·0 + 1·(-1) + 2·1 = 3" in _texts(fig)
    window = x_ax.patches[-1]
    assert window.get_xy() == (0.5, -0.5) and (window.get_width(), window.get_height()) == (2, 2)


def test_update_moves_the_same_figure_to_another_step():
    sw = sliding_window_steps(np.arange(16.0).reshape(4, 4), np.ones((2, 2)), stride=2, padding=1)
    fig = ConvStepFigure(sw)
    assert fig.update(4) is fig and fig.index == 4
    assert fig.axes[0].get_title() == "input x (zero-padded)"
    assert fig.axes[0].patches[-1].get_xy() == (1.5, 1.5)  # out[1, 1] starts at (2, 2) of the padded input
    assert any("= (2, 2) of the padded input" in t for t in _texts(fig))
    with pytest.raises(ValueError, match=r"0\.\.8"):
        fig.update(9)
