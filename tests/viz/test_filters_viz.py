import numpy as np

from cnnlib.functional import conv2d
from cnnlib.kernels import get_kernel
from cnnlib.viz.channels import draw_filter_channels
from cnnlib.viz.filters import draw_feature_maps, draw_filter_result, draw_images, draw_rgb_filter
from cnnlib.viz.pooling import draw_max_pool
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
    assert "3×3×3 filter" in fig._suptitle.get_text()
    assert [ax.get_title() for ax in draw_images([rgb, rgb[..., 0]], ["RGB", "red"]).axes] == ["RGB\n10×8×3", "red\n10×8"]


def test_filter_channels_output_is_the_sum_of_the_parts_plus_bias():
    x = RNG.integers(0, 4, (3, 4, 4))
    w = RNG.integers(-1, 2, (3, 3, 3))
    fig = draw_filter_channels(x, w, bias=1.0)
    out_ax = next(ax for ax in fig.axes if ax.get_title() == "output channel 0")
    expected = conv2d(x[None].astype(float), w[None].astype(float), b=np.array([1.0]))[0, 0]
    shown = {(round(t.get_position()[1]), round(t.get_position()[0])): float(t.get_text()) for t in out_ax.texts}
    assert shown == {(i, j): expected[i, j] for i in range(2) for j in range(2)}


def test_max_pool_circles_the_maximum_of_each_window():
    x = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [7, 2, 0, 8]])
    fig = draw_max_pool(x, 2)
    ax_in, ax_out = fig.axes
    centers = sorted(tuple(int(v) for v in c.center) for c in ax_in.patches if hasattr(c, "center"))
    assert centers == sorted([(1, 1), (2, 1), (0, 3), (3, 3)])  # (col, row) of 6, 5, 7, 8
    assert sorted(t.get_text() for t in ax_out.texts) == ["5", "6", "7", "8"]
