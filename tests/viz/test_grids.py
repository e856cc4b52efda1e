import numpy as np
import pytest
from matplotlib.patches import Rectangle

from cnnlib.viz.grids import draw_grid, outline_cells, padding_mask, update_grid
from cnnlib.viz.style import clear_axes, new_figure


def _ax():
    return new_figure(3, 3).add_subplot()


def _cell_texts(ax):
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}


def test_every_cell_shows_its_value():
    ax = _ax()
    values = np.array([[1, -2], [0.5, 3]])
    draw_grid(ax, values)
    assert _cell_texts(ax) == {(0, 0): "1", (0, 1): "-2", (1, 0): "0.50", (1, 1): "3"}


def test_nan_cells_are_question_marks():
    ax = _ax()
    draw_grid(ax, [[1, np.nan]])
    assert _cell_texts(ax)[(0, 1)] == "?"


def test_highlight_outlines_the_block_of_cells():
    ax = _ax()
    draw_grid(ax, np.zeros((4, 4)), highlight=(1, 2, 2, 2))
    (rect,) = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert rect.get_xy() == (1.5, 0.5)  # left - 0.5, top - 0.5 in imshow coordinates
    assert (rect.get_width(), rect.get_height()) == (2, 2)


def test_several_highlights():
    ax = _ax()
    draw_grid(ax, np.zeros((4, 4)), highlight=[(0, 0, 1, 1), (2, 2, 2, 2)])
    assert len(ax.patches) == 2


def test_diverging_norm_is_centred_at_zero():
    ax = _ax()
    im = draw_grid(ax, [[-1, 4]])
    assert im.norm.vmin == -im.norm.vmax
    assert im.cmap.name == "RdBu_r"


def test_padding_mask_marks_the_border():
    mask = padding_mask((4, 5), ((1, 0), (1, 2)))
    assert mask[0].all() and mask[:, 0].all() and mask[:, -2:].all()
    assert not mask[1:, 1:3].any()
    assert padding_mask((3, 3), 1).sum() == 8


def test_tick_labels_follow_the_offset():
    ax = _ax()
    draw_grid(ax, np.zeros((4, 4)), row_offset=-1, col_offset=-1)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["-1", "0", "1", "2"]


def test_rejects_non_2d():
    with pytest.raises(ValueError, match="2-D array"):
        draw_grid(_ax(), np.zeros((2, 2, 2)))


def test_update_grid_refills_the_numbers_in_place():
    ax = _ax()
    draw_grid(ax, [[1, np.nan]])
    texts = list(ax.texts)
    update_grid(ax, [[1, 2]])
    assert list(ax.texts) == texts and _cell_texts(ax) == {(0, 0): "1", (0, 1): "2"}
    with pytest.raises(ValueError, match=r"values of shape \(1, 2\)"):
        update_grid(ax, [[1, 2, 3]])


def test_outline_cells_returns_the_rectangle():
    ax = _ax()
    rect = outline_cells(ax, 0, 0, 2, 3)
    assert (rect.get_width(), rect.get_height()) == (3, 2)


def test_no_ticks_on_request():
    ax = _ax()
    draw_grid(ax, np.zeros((3, 3)), ticks=False)
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []


def test_a_cleared_axes_fits_the_next_smaller_grid():
    ax = _ax()
    draw_grid(ax, np.zeros((6, 6)), title="big", highlight=(0, 0, 2, 2))
    clear_axes(ax)
    draw_grid(ax, [[1, 2]])
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (0.5, -0.5)
    assert _cell_texts(ax) == {(0, 0): "1", (0, 1): "2"} and not ax.patches
    assert ax.get_title() == ""
