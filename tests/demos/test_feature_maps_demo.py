import numpy as np
import pytest

from cnnlib.demos.feature_maps import layer_outputs, spatial_layers, tile_channels
from cnnlib.networks import fashion_mnist_cnn


def test_tile_channels_places_each_map_with_gaps():
    maps = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    tiled = tile_channels(maps, ncols=2)
    assert tiled.shape == (3 * 3 - 1, 2 * 4 - 1)
    np.testing.assert_array_equal(tiled[0:2, 4:7], maps[1])
    np.testing.assert_array_equal(tiled[6:8, 0:3], maps[4])
    assert np.isnan(tiled[2]).all() and np.isnan(tiled[6:8, 4:7]).all()
    assert tile_channels(np.zeros((9, 1, 1))).shape == (5, 5)  # about square: 3 × 3 tiles
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


def test_spatial_layers_are_the_ones_before_flatten():
    assert spatial_layers(fashion_mnist_cnn(seed=0), (1, 28, 28)) == [0, 1, 2, 3, 4, 5]
