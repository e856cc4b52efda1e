import numpy as np

from cnnlib.demos.feature_maps import tile_channels
from cnnlib.viz.feature_maps import draw_layer_channels


def test_draw_layer_channels_draws_the_mosaic():
    maps = np.random.default_rng(1).random((12, 5, 5))
    fig = draw_layer_channels(np.zeros((1, 28, 28)), maps, title="t", caption="c")
    mosaic = fig.axes[1].images[0].get_array()
    np.testing.assert_array_equal(mosaic.filled(np.nan), tile_channels(maps, 12))  # fewer than 16 maps: one row
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == [f"+{k}" for k in range(12)]
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["ch 0"]
    assert fig.axes[1].get_xlabel() == f"gray scale: black = 0, white = {maps.max():.2g}"


def test_signed_maps_are_red_and_blue_with_their_scale_written():
    maps = np.random.default_rng(2).standard_normal((32, 3, 3))
    fig = draw_layer_channels(np.zeros((1, 28, 28)), maps, title="t")
    ax = fig.axes[1]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ch 0", "ch 8", "ch 16", "ch 24"]  # 8 per row
    assert ax.images[0].get_cmap().name.startswith("RdBu_r") and ax.get_xlabel().startswith("colour scale: blue = -")
