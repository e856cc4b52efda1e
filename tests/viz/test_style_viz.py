import pytest

from cnnlib.viz.style import grid_row_figure, grid_row_layout, rows_figure


def test_grid_row_layout_puts_grids_side_by_side_at_one_cell_size():
    fig_w, fig_h, boxes = grid_row_layout([(2, 3), (4, 1)], cell=1.0, gap=1.0, top=1.0, bottom=1.0, left=1.0,
                                          right=1.0)
    assert (fig_w, fig_h) == (7.0, 6.0)  # 1 + 3 + 1 + 1 + 1 inches wide, 1 + 4 + 1 high
    (x0, y0, w0, h0), (x1, y1, w1, h1) = boxes
    assert (x0 * fig_w, w0 * fig_w, h0 * fig_h) == pytest.approx((1, 3, 2))
    assert (x1 * fig_w, w1 * fig_w, h1 * fig_h) == pytest.approx((5, 1, 4))
    assert y0 + h0 / 2 == pytest.approx(y1 + h1 / 2)  # vertically centred


def test_grid_row_figure_has_one_axes_per_shape():
    fig, axes = grid_row_figure([(2, 2), (3, 3), (1, 1)])
    assert len(axes) == len(fig.axes) == 3


def test_rows_figure_centres_each_row():
    fig, axes = rows_figure([[(2, 2), (3, 3)], [(1, 4)]], cell=0.5)
    assert [len(r) for r in axes] == [2, 1]
    row2 = axes[1][0].get_position()
    assert row2.x0 + row2.x1 == pytest.approx(1.0)
