"""Every view that takes ``figure=`` redraws the figure it returned last time; the picture must be a new one's."""
import pytest

from cnnlib.viz.style import figure_to_png
from cnnlib.widgets import (batchnorm_view, filter_view, output_size_view,
                            pooling_view, shift_view, sliding_window_view)

# (The backward-pass views draw SVG, redrawn from scratch in a few ms: nothing to reuse.)
# Each sequence goes to a bigger, then a smaller picture (more Axes, then fewer), so stale parts would show.
SEQUENCES = [
    (sliding_window_view, [dict(step=1), dict(step=9), dict(step=4, stride=2, padding=1), dict(step=2)]),
    (output_size_view, [dict(size=12, dilation=2), dict(size=4, kernel_size=7, padding=0), dict(size=3, stride=1)]),
    (filter_view, [dict(kernel="sobel_x"), dict(kernel="box_blur", stride=3, padding=0, relu=True),
                   dict(kernel="sobel_y", relu=True)]),
    (pooling_view, [dict(pool="max", kernel_size=3, stride=1), dict(pool="average", kernel_size=2, stride=4)]),
    (shift_view, [dict(shift=0, kernel_size=4), dict(shift=5, kernel_size=2)]),
    (batchnorm_view, [dict(shift=4.0, scale=3.0), dict(shift=-2.0, gamma=2.0, beta=1.0, mode="eval")]),
]


@pytest.mark.parametrize("view_fn, settings", SEQUENCES, ids=[fn.__name__ for fn, _ in SEQUENCES])
def test_redrawn_figure_shows_the_same_picture_as_a_new_one(view_fn, settings):
    figure, figures = None, set()
    for kwargs in settings:
        again = view_fn(**kwargs, figure=figure)
        figure = again.fig
        figures.add(id(figure))
        assert figure_to_png(again.fig) == figure_to_png(view_fn(**kwargs).fig), kwargs
    if view_fn is not sliding_window_view:  # its figure belongs to one example: another example gets a new one
        assert len(figures) == 1
