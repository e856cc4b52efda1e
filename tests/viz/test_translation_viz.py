from cnnlib.demos.translation import compare_shift
from cnnlib.viz.translation import draw_shift_comparison


def test_shift_figure_draws_the_four_maps_and_the_curves():
    c = compare_shift(2, 4)
    fig = draw_shift_comparison(c)
    assert [ax.get_title() for ax in fig.axes[:4]] == ["edge map\n150×128", "photo shifted 2 px\n150×128",
                                                       "max pooled 4×4\n37×32", "shifted, pooled 4×4\n37×32"]
    before, after = fig.axes[4].lines[:2]
    assert tuple(after.get_ydata()) == c.curve_after and tuple(before.get_ydata()) == c.curve_before
    assert (f"shift 2 px: similarity {c.before:.2f} before pooling, {c.after:.2f} after 4×4 max pooling"
            in [t.get_text() for t in fig.texts])
