import numpy as np

from cnnlib.demos.filters import filter_channels
from cnnlib.functional import conv2d
from cnnlib.image_filters import get_kernel
from cnnlib.viz.filters import (draw_feature_maps, draw_filter_channels, draw_filter_result, draw_images,
                                draw_rgb_filter)
from cnnlib.viz.style import IMAGE_CMAP, SIGNED_CMAP, image_style

RNG = np.random.default_rng(0)
IMAGE = RNG.random((20, 16))


def test_filter_result_shows_the_output_shape_and_kernel_values():
    fmap = conv2d(IMAGE[None, None], get_kernel("sobel_x", np.float64)[None, None], stride=2)[0, 0]
    fig = draw_filter_result(IMAGE, get_kernel("sobel_x"), fmap, stride=2, padding=0, kernel_name="sobel_x")
    titles = [ax.get_title() for ax in fig.axes]
    assert "feature map 9×7\n(stride 2, padding 0)" in titles
    kernel_ax = next(ax for ax in fig.axes if ax.get_title() == "sobel_x")
    assert sorted(t.get_text() for t in kernel_ax.texts) == sorted(["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"])
    assert len(fig.axes) == 4  # input, kernel, map, colour bar (the map is signed)


def test_image_style_rules():
    assert image_style(np.array([[0.0, 1.0]]))["cmap"] == IMAGE_CMAP
    signed = image_style(np.array([[-1.0, 3.0]]))
    assert signed["cmap"] == SIGNED_CMAP and signed["norm"].vmin == -signed["norm"].vmax
    assert image_style(np.array([[-0.5, 2.0]]), kernel=get_kernel("sharpen"))["cmap"] == IMAGE_CMAP
    assert image_style(np.array([[0.0, 2.0]]), signed=True)["cmap"] == SIGNED_CMAP


def test_feature_map_grid_has_one_panel_per_map_and_kernel():
    maps = RNG.standard_normal((3, 8, 8))
    kernels = np.stack([get_kernel(n) for n in ("sobel_x", "sobel_y", "laplacian")])
    assert len(draw_feature_maps(maps, ["a", "b", "c"], kernels).axes) == 6
    fig = draw_feature_maps(maps, ["a", "b", "c"], ncols=2, signed=True)
    assert len(fig.axes) == 3
    assert len({(ax.images[0].norm.vmin, ax.images[0].norm.vmax) for ax in fig.axes}) == 1  # one common scale


def test_rgb_filter_and_images():
    rgb = RNG.random((10, 8, 3))
    weights = np.stack([get_kernel("identity"), np.zeros((3, 3)), -get_kernel("identity")])
    fmap = conv2d(rgb.transpose(2, 0, 1)[None], weights[None])[0, 0]
    fig = draw_rgb_filter(rgb, weights, fmap)
    assert any("3×3×3 filter" in t.get_text() for t in fig.texts)
    assert [ax.get_title() for ax in draw_images([rgb, rgb[..., 0]], ["RGB", "red"]).axes] == ["RGB\n10×8×3", "red\n10×8"]


def test_filter_channels_draws_each_part_and_their_sum():
    x = RNG.integers(0, 4, (3, 4, 4))
    w = RNG.integers(-1, 2, (3, 3, 3))
    fc = filter_channels(x, w, bias=1.0)
    fig = draw_filter_channels(fc)
    assert len(fig.axes) == 3 * 3 + 1  # input, kernel and part per channel; the output
    out_ax = next(ax for ax in fig.axes if ax.get_title() == "output channel 0")
    shown = {(round(t.get_position()[1]), round(t.get_position()[0])): float(t.get_text()) for t in out_ax.texts}
    assert shown == {(i, j): fc.out[i, j] for i in range(2) for j in range(2)}
    green_ax = next(ax for ax in fig.axes if ax.get_title() == "green part")
    assert [float(t.get_text()) for t in green_ax.texts] == fc.parts[1].ravel().tolist()
