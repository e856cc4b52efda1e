import numpy as np
import pytest

from cnnlib.models import fashion_mnist_cnn
from cnnlib.viz import draw_layer_channels, layer_outputs, tile_channels


def test_tile_channels_places_each_map_with_gaps():
    maps = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    tiled = tile_channels(maps, ncols=2)
    assert tiled.shape == (3 * 3 - 1, 2 * 4 - 1)
    np.testing.assert_array_equal(tiled[0:2, 4:7], maps[1])
    np.testing.assert_array_equal(tiled[6:8, 0:3], maps[4])
    assert np.isnan(tiled[2]).all() and np.isnan(tiled[6:8, 4:7]).all()
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        tile_channels(np.zeros((2, 2)))


def test_layer_outputs_are_the_forward_pass_in_eval_mode():
    model = fashion_mnist_cnn(batchnorm=True, dropout=0.5, seed=0)
    model.train()
    image = np.random.default_rng(0).random((1, 28, 28)).astype(np.float32)
    outs = layer_outputs(model, image)
    assert [o.shape for o in outs[:4]] == [(32, 26, 26)] * 3 + [(32, 13, 13)]
    model.eval()
    np.testing.assert_allclose(outs[-1], model(image[None])[0], rtol=1e-6)
    model.train()
    layer_outputs(model, image)
    assert all(layer.training for layer in model.layers)  # modes restored


def test_draw_layer_channels_draws_the_mosaic():
    maps = np.random.default_rng(1).random((12, 5, 5))
    fig = draw_layer_channels(np.zeros((1, 28, 28)), maps, title="t", caption="c")
    mosaic = fig.axes[1].images[0].get_array()
    np.testing.assert_array_equal(mosaic.filled(np.nan), tile_channels(maps, 12))  # fewer than 16 maps: one row
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == [f"+{k}" for k in range(12)]
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["ch 0"]
    assert fig.axes[1].get_xlabel() == f"gray scale: black = 0, white = {maps.max():.2g}"
