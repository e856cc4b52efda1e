import numpy as np
from matplotlib.colors import to_rgb, to_rgba

from cnnlib.demos.pooling import pool_backward, pool_layout, pool_windows
from cnnlib.viz.pooling import (EXPLORER_TEXT, PICK_COLOR, WINDOW_COLORS, ZOOM_WINDOW_COLOR, draw_pool_backward,
                                draw_pool_explorer, draw_pool_windows)

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
    assert [ax.get_title() for ax in fig.axes[:4]] == ["edge map\n48×48", "max pooled\n23×23",
                                                   "zoom 12×12\n(green box)", "its 5×5\noutputs"]
    texts = _texts(fig)
    assert any("⌊(48 − 3) / 2⌋ + 1 = 23" in t for t in texts)
    assert any("windows overlap" in " ".join(t.split()) for t in texts)


def _explorer(pool="max", k=2, s=2):
    fmap = np.arange(150 * 128, dtype=np.float32).reshape(150, 128) % 7
    return draw_pool_explorer(pool_layout(fmap, pool, k, s))


def test_pool_explorer_fits_a_1024_px_page_unscaled_with_large_text():
    for args in [("max", 2, 2), ("max", 3, 1), ("average", 4, 3)]:
        fig = _explorer(*args)
        assert tuple(fig.get_size_inches() * fig.dpi) == (tuple(_explorer().get_size_inches() * fig.dpi))  # stable
        assert fig.get_size_inches()[0] * fig.dpi <= 1030  # about the width of a notebook cell at 1024 px
        sizes = [t.get_fontsize() for t in fig.texts] + [ax.title.get_fontsize() for ax in fig.axes[:4]]
        assert min(sizes) >= EXPLORER_TEXT  # 14 pt at 100 dpi: 19 px


def test_kept_pixels_and_windows_differ_by_shape_and_colour_and_the_note_names_both():
    fig = _explorer("max", 2, 2)
    zoom = fig.axes[2]
    (lines,), (circles,) = zoom.collections[:1], zoom.collections[1:]
    assert tuple(lines.get_edgecolor()[0][:3]) == to_rgb(ZOOM_WINDOW_COLOR)
    assert tuple(circles.get_edgecolor()[0][:3]) == to_rgb(PICK_COLOR)
    note = " ".join(" ".join(t.get_text().split()) for t in fig.texts)
    assert "light-blue lines: the windows" in note and "red-orange circles: the pixel each window keeps" in note
    overlapping = _explorer("max", 3, 1).axes[2]
    assert [p.get_linestyle() for p in overlapping.patches] == ["-", "--", ":"]  # three example windows


def test_window_outlines_differ_by_style_as_well_as_colour():
    fig = draw_pool_windows(pool_windows(X, 2))
    styles = [p.get_linestyle() for p in fig.axes[1].patches]  # the output cells
    assert len(set(styles)) == 4 and [p.get_edgecolor() for p in fig.axes[1].patches] == [
        to_rgba(c) for c in WINDOW_COLORS[:4]]


def test_pool_explorer_has_a_gray_scale_for_the_maps_and_one_for_the_brightened_zoom():
    lay = pool_layout(np.arange(48 * 48, dtype=np.float32).reshape(48, 48) % 7, "max", 3, 2, zoom=(0, 0, 12))
    fig = draw_pool_explorer(lay)
    bar_maps, bar_zoom = fig.axes[4:6]
    assert [t.get_text() for t in bar_maps.get_xticklabels()] == ["0", "6"]  # the map's largest value
    assert bar_maps.images[0].get_cmap().name == fig.axes[0].images[0].get_cmap().name
    assert bar_zoom.images[0].get_extent()[1] == float(lay.crop.max())
    assert "zoom brightened" in bar_zoom.texts[0].get_text()
    again = draw_pool_explorer(pool_layout(lay.fmap, "average", 2, 2, zoom=(0, 0, 12)), figure=fig)
    assert len(again.axes) == 6 and again.get_size_inches()[1] == _explorer().get_size_inches()[1]
