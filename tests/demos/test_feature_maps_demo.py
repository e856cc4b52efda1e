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


def test_layer_outputs_cache_runs_each_image_once_in_blocks():
    from cnnlib.demos.feature_maps import layer_outputs_cache

    model = fashion_mnist_cnn(seed=0)
    images = np.random.default_rng(3).random((10, 1, 28, 28)).astype(np.float32)
    expected = layer_outputs(model, images[5])
    calls = []
    first = model.layers[0]
    original = first.forward
    first.forward = lambda x: calls.append(len(x)) or original(x)
    outputs = layer_outputs_cache(model, images, maxsize=8, block=4)
    got = outputs(5)
    assert calls == [4]  # images 4..7 in one batch
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert outputs(6) is outputs(6) and calls == [4]  # in the block: no new forward pass
    outputs(9)
    assert calls == [4, 2]  # the last block has two images
    with pytest.raises(ValueError, match="block must be a positive int, got 0"):
        layer_outputs_cache(model, images, block=0)


def test_layer_outputs_cache_names_the_valid_range():
    from cnnlib.demos.feature_maps import layer_outputs_cache
    from cnnlib.layers import Conv2D, ReLU
    from cnnlib.model import Sequential

    model = Sequential([Conv2D(1, 2, 3, seed=0), ReLU()])
    outputs = layer_outputs_cache(model, np.zeros((3, 1, 6, 6), dtype=np.float32))
    assert len(outputs(2)) == 2
    for bad in (3, -1, 1.5):
        with pytest.raises(ValueError, match=r"index must be an int in 0\.\.2 \(one of the 3 images\)"):
            outputs(bad)
