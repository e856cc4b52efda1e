import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import Normalize

from cnnlib.demos.feature_maps import tile_channels
from cnnlib.viz.feature_maps import FIGURE_SIZE, GAP_COLOR, draw_layer_channels, mosaic_colours
from cnnlib.viz.style import figure_to_png, robust_signed_norm


def _texts(ax):
    return [t.get_text() for t in ax.texts if t.get_visible()]


def test_draw_layer_channels_draws_the_mosaic_with_channel_numbers_and_a_colour_bar():
    maps = np.random.default_rng(1).random((12, 5, 5))
    fig = draw_layer_channels(np.zeros((1, 28, 28)), maps, title="t", caption="c")
    mosaic = fig.axes[1].images[0].get_array()
    cmap = colormaps["gray"].with_extremes(bad=GAP_COLOR)
    expected = mosaic_colours(tile_channels(maps, 12), cmap, Normalize(0, maps.max()))  # fewer than 16: one row
    np.testing.assert_array_equal(mosaic, expected)
    assert _texts(fig.axes[1]) == ["ch 0"] + [f"+{k}" for k in range(12)]
    bar = _texts(fig.axes[2])
    assert f"{maps.max():.2g}" in bar and "0" in bar and "black = 0" in bar and "value" in bar
    assert fig.axes[0].get_title() == "c"


def test_signed_maps_are_red_and_blue_with_zero_on_the_bar():
    maps = np.random.default_rng(2).standard_normal((32, 3, 3))
    fig = draw_layer_channels(np.zeros((1, 28, 28)), maps, title="t")
    assert _texts(fig.axes[1])[:4] == ["ch 0", "ch 8", "ch 16", "ch 24"]  # 8 per row
    norm = robust_signed_norm(maps)
    bar = _texts(fig.axes[2])
    assert {f"{norm.vmin:.2g}", "0", f"{norm.vmax:.2g}", "white = 0"} <= set(bar)
    top = fig.axes[2].images[0].get_array()[0, 0]
    np.testing.assert_array_equal(top, colormaps["RdBu_r"](1.0, bytes=True))  # the top of the bar is dark red


def test_figure_size_is_the_same_for_every_layer_and_a_redraw_matches_a_new_figure():
    rng = np.random.default_rng(4)
    layers = [rng.standard_normal((32, 26, 26)), rng.random((32, 13, 13)), rng.random((64, 5, 5)),
              rng.random((12, 4, 4))]
    fig = None
    for maps in layers:
        again = draw_layer_channels(rng.random((1, 28, 28)), maps, title=f"{maps.shape}", caption="x", figure=fig)
        assert fig is None or again is fig
        fig = again
        assert tuple(fig.get_size_inches()) == FIGURE_SIZE
        new = draw_layer_channels(np.zeros((1, 28, 28)), maps, title=f"{maps.shape}", caption="x")
        redrawn = draw_layer_channels(np.zeros((1, 28, 28)), maps, title=f"{maps.shape}", caption="x", figure=fig)
        assert figure_to_png(redrawn) == figure_to_png(new)  # nothing of the last layer left over
    assert len(fig.axes) == 3


def test_bad_maps_are_a_clear_error():
    with pytest.raises(ValueError, match=r"expects maps \(C, H, W\), got shape \(1, 2, 3, 3\)"):
        draw_layer_channels(np.zeros((1, 28, 28)), np.zeros((1, 2, 3, 3)), title="t")
