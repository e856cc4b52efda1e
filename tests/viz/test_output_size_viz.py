import numpy as np
import pytest

from cnnlib.demos.output_size import output_size_layout
from cnnlib.viz.output_size import (DROP_FILL, DROP_HATCH, FIG_H, FIG_W, LEGEND, SKIP_FILL, SKIP_HATCH, XLABEL,
                                    YLABEL, draw_output_size)


def _texts(fig):
    return [t.get_text() for t in fig.texts + fig.axes[0].texts]


def _hatches(fig):
    return {p.get_hatch() for p in fig.axes[0].patches if p.get_hatch()}


def test_draw_output_size_titles_the_shapes_and_writes_the_formula():
    lay = output_size_layout(7, 3, stride=2, padding=1)
    fig = draw_output_size(lay)
    texts = _texts(fig)
    assert "input 7×7, kernel 3×3, stride 2, padding 1  →  output 4×4" in texts
    assert "output 4×4" in texts and "4 window positions, starts j·S = 0, 2, 4, 6" in texts
    assert all(line in texts for line in lay.formula.splitlines())
    assert len(fig.axes) == 1  # one Axes: fast redraws


def test_the_formula_is_at_the_top_above_the_drawing():
    lay = output_size_layout(8, 3, stride=3, padding=0)
    fig = draw_output_size(lay)
    ax_top = fig.axes[0].get_position().y1
    lines = [t for t in fig.texts if t.get_text() in lay.formula.splitlines()]
    assert len(lines) == len(lay.formula.splitlines())
    assert all(t.get_position()[1] > ax_top for t in lines)  # above the Axes: seen with the sliders


def test_one_coordinate_system_the_padded_input():
    lay = output_size_layout(7, 3, stride=2, padding=1)  # padded 9: ticks 0..8, like the starts 0, 2, 4, 6
    fig = draw_output_size(lay)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(i) for i in range(9)]
    assert XLABEL in _texts(fig) and YLABEL in _texts(fig) and "padded input" in XLABEL and "0 = first" in XLABEL


def test_the_legend_names_every_category_with_its_fill_and_hatching():
    fig = draw_output_size(output_size_layout(7, 3, stride=2, padding=1))
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [label for label, _, _ in LEGEND]
    assert [h.get_hatch() or "" for h in legend.legend_handles] == [hatch for _, _, hatch in LEGEND]
    assert {"dropped (floor)", "skipped (stride)", "zero padding", "input"} == {t.get_text() for t in legend.texts}


def test_dropped_and_skipped_cells_are_hatched_not_only_coloured():
    dropped = draw_output_size(output_size_layout(8, 3, stride=3, padding=0))
    assert _hatches(dropped) == {DROP_HATCH}
    assert any(p.get_facecolor()[:3] == tuple(int(DROP_FILL[i:i + 2], 16) / 255 for i in (1, 3, 5))
               for p in dropped.axes[0].patches)
    skipped = draw_output_size(output_size_layout(8, 2, stride=3, padding=0))  # starts 0, 3, 6: cells 2, 5 skipped
    assert _hatches(skipped) == {SKIP_HATCH}
    assert SKIP_FILL and _hatches(draw_output_size(output_size_layout(7, 3, stride=2, padding=1))) == set()


def test_invalid_settings_still_draw_with_the_message():
    fig = draw_output_size(output_size_layout(2, 5, stride=1, padding=0))
    texts = _texts(fig)
    assert any("larger than the padded input" in " ".join(t.split()) for t in texts)
    assert "no window fits" in texts and any(t.endswith("→  no valid output") for t in texts)


@pytest.mark.parametrize("settings", [(12, 3, 1, 0, 1), (3, 3, 2, 0, 1), (1, 1, 1, 0, 1), (2, 7, 1, 0, 1),
                                      (12, 3, 4, 3, 3), (9, 1, 3, 0, 2)])
def test_figure_size_is_the_same_for_every_setting(settings):
    size, k, s, p, d = settings
    fig = draw_output_size(output_size_layout(12, 3))
    again = draw_output_size(output_size_layout(size, k, stride=s, padding=p, dilation=d), figure=fig)
    assert again is fig and tuple(np.round(fig.get_size_inches(), 3)) == (FIG_W, FIG_H)
    assert tuple(draw_output_size(output_size_layout(size, k, stride=s, padding=p, dilation=d))
                 .get_size_inches()) == (FIG_W, FIG_H)
    assert len(fig.legends) == 1  # kept, not stacked up on redraws


def test_redraw_shows_the_new_setting():
    fig = draw_output_size(output_size_layout(12, 3))
    draw_output_size(output_size_layout(3, 3, stride=2, padding=0), figure=fig)
    assert "input 3×3, kernel 3×3, stride 2, padding 0  →  output 1×1" in _texts(fig)
