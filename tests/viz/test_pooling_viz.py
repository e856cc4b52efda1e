import numpy as np

from cnnlib.demos.pooling import pool_backward, pool_layout, pool_windows
from cnnlib.viz.pooling import draw_pool_backward, draw_pool_explorer, draw_pool_windows

X = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [7, 2, 0, 8]], dtype=float)


def _texts(artist):
    return [t.get_text() for t in artist.texts]


def _circles(ax):
    return sorted(tuple(int(v) for v in p.center) for p in ax.patches if hasattr(p, "center"))


def test_max_pool_circles_the_maximum_of_each_window():
    fig = draw_pool_windows(pool_windows(X, 2))
    ax_in, ax_out = fig.axes
    assert _circles(ax_in) == sorted([(1, 1), (2, 1), (0, 3), (3, 3)])  # (col, row) of 6, 5, 7, 8
    assert sorted(_texts(ax_out)) == ["5", "6", "7", "8"]
    assert any("largest value (circled)" in t for t in _texts(fig))


def test_average_pool_writes_the_means_and_circles_nothing():
    fig = draw_pool_windows(pool_windows(X, 2, pool="average"))
    assert _texts(fig.axes[1]) == ["3.50", "2", "3.25", "2.75"]
    assert _circles(fig.axes[0]) == []
    assert "average pooling 2×2, stride 2: each output is the mean of its window" in _texts(fig)


def test_pool_backward_figure():
    fig = draw_pool_backward(pool_backward(X, [[1, -2], [3, 4]]))
    assert [ax.get_title() for ax in fig.axes] == ["x (forward input)", "dout", "dx, max pooling",
                                                   "dx, average pooling"]
    assert _texts(fig.axes[2])[5] == "1" and _circles(fig.axes[2]) == _circles(fig.axes[0])
    assert fig.axes[3].get_xlabel() == "dout / 4 to every element"


def test_pool_explorer_figure_titles():
    lay = pool_layout(np.arange(48 * 48, dtype=np.float32).reshape(48, 48) % 7, "max", 3, 2, zoom=(0, 0, 12))
    fig = draw_pool_explorer(lay)
    assert [ax.get_title() for ax in fig.axes] == ["edge map 48×48", "max pooled 23×23",
                                                   "zoom: 12×12 pixels (green box)", "its 5×5 outputs"]
    texts = _texts(fig)
    assert any("⌊(48 − 3) / 2⌋ + 1 = 23" in t for t in texts)
    assert any("windows overlap" in t for t in texts)
