from cnnlib.demos.output_size import output_size_layout
from cnnlib.viz.output_size import draw_output_size


def _texts(fig):
    return [t.get_text() for t in fig.texts + fig.axes[0].texts]


def test_draw_output_size_titles_the_shapes_and_writes_the_formula():
    lay = output_size_layout(7, 3, stride=2, padding=1)
    fig = draw_output_size(lay)
    texts = _texts(fig)
    assert "input 7×7, kernel 3×3, stride 2, padding 1  →  output 4×4" in texts
    assert "output 4×4" in texts and "4 window positions, starts j·S = 0, 2, 4, 6" in texts
    assert all(line in texts for line in lay.formula.splitlines())
    assert len(fig.axes) == 1  # one Axes: fast redraws


def test_invalid_settings_still_draw_with_the_message():
    fig = draw_output_size(output_size_layout(2, 5, stride=1, padding=0))
    texts = _texts(fig)
    assert any("larger than the padded input" in " ".join(t.split()) for t in texts)
    assert "no window fits" in texts and any(t.endswith("→  no valid output") for t in texts)


def test_redrawing_keeps_one_figure_of_a_new_size():
    fig = draw_output_size(output_size_layout(12, 3))
    size = tuple(fig.get_size_inches())
    again = draw_output_size(output_size_layout(3, 3, stride=2, padding=0), figure=fig)
    assert again is fig and tuple(fig.get_size_inches()) != size
    assert "input 3×3, kernel 3×3, stride 2, padding 0  →  output 1×1" in _texts(fig)
