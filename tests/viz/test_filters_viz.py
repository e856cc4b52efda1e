import numpy as np

from cnnlib.demos.filters import filter_channels
from cnnlib.functional import conv2d
from cnnlib.image_filters import get_kernel
import pytest

from cnnlib.viz.filters import (FIXED_LIMIT, clipped_text, draw_feature_maps, draw_filter_channels,
                                draw_filter_result, draw_images, draw_rgb_filter, map_style)
from cnnlib.viz.style import IMAGE_CMAP, SIGNED_CMAP, image_style

RNG = np.random.default_rng(0)
IMAGE = RNG.random((20, 16))


def test_filter_result_shows_the_output_shape_and_kernel_values():
    fmap = conv2d(IMAGE[None, None], get_kernel("sobel_x", np.float64)[None, None], stride=2)[0, 0]
    fig = draw_filter_result(IMAGE, get_kernel("sobel_x"), fmap, stride=2, padding=0, kernel_name="sobel_x")
    titles = [ax.get_title() for ax in fig.axes]
    assert "feature map 9×7\nstride 2, padding 0\nfixed: −1 … +1, white = 0" in titles
    kernel_ax = next(ax for ax in fig.axes if ax.get_title() == "sobel_x\nweights sum to 0")
    assert sorted(t.get_text() for t in kernel_ax.texts) == sorted(["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"])
    assert len(fig.axes) == 5  # input, kernel, map, and a colour bar for each picture


def _map_limits(fig):
    im = fig.axes[2].images[0]
    return im.get_cmap().name, im.norm.vmin, im.norm.vmax


def _fmap(name, image=IMAGE):
    return conv2d(image[None, None], get_kernel(name, np.float64)[None, None], padding=1)[0, 0]


def test_fixed_scale_is_the_same_for_every_kernel_so_the_weight_sum_shows_as_brightness():
    limits = {name: _map_limits(draw_filter_result(IMAGE, get_kernel(name), _fmap(name), padding=1))
              for name in ("identity", "brighten", "darken", "box_blur")}
    assert set(limits.values()) == {(IMAGE_CMAP, 0.0, FIXED_LIMIT)}  # one scale: brighten is drawn brighter
    signed = {name: _map_limits(draw_filter_result(IMAGE, get_kernel(name), _fmap(name), padding=1))
              for name in ("sobel_x", "laplacian")}
    assert set(signed.values()) == {(SIGNED_CMAP, -FIXED_LIMIT, FIXED_LIMIT)}  # centred at 0, fixed limits
    # brighten's pixels are twice identity's, on the same colour scale: mean drawn gray level is higher
    norm = map_style(_fmap("identity"))[0]["norm"]
    assert np.mean(np.clip(norm(_fmap("brighten")), 0, 1)) > 1.3 * np.mean(norm(_fmap("identity")))


def test_stretched_scale_fits_each_map_and_hides_the_brightness():
    maps = {name: _fmap(name) for name in ("identity", "brighten")}
    figs = {name: draw_filter_result(IMAGE, get_kernel(name), m, padding=1, scale="stretched") for name, m in maps.items()}
    tops = {name: _map_limits(f)[2] for name, f in figs.items()}
    assert tops["brighten"] == pytest.approx(2 * tops["identity"])
    drawn = {name: f.axes[2].images[0].norm(maps[name]) for name, f in figs.items()}
    np.testing.assert_allclose(drawn["identity"], drawn["brighten"])  # the same picture: only the colour bar differs
    assert "stretched: gray 0 … " in figs["brighten"].axes[2].get_title()
    with pytest.raises(ValueError, match="scale must be one of"):
        map_style(maps["identity"], scale="auto")


def test_filter_result_colour_bars_and_clipping_note():
    fmap = 2 * _fmap("identity")
    fig = draw_filter_result(IMAGE, get_kernel("brighten"), fmap, padding=1)
    bars = fig.axes[3:]
    assert len(bars) == 2 and [b.get_ylim() for b in bars] == [(0.0, 1.0), (0.0, 1.0)]  # photo and map: 0…1
    share = np.mean(fmap > 1)
    assert [t.get_text() for t in fig.texts if t.get_text()] == [f"{share:.0%} above 1: drawn as 1"]
    assert clipped_text(np.array([0.2, 0.5]), map_style(np.array([0.2]))[0]["norm"]) == ""


@pytest.mark.parametrize("settings", [dict(padding=0, stride=1), dict(padding=3, stride=1), dict(padding=1, stride=4)])
def test_filter_result_size_does_not_depend_on_stride_or_padding(settings):
    base = draw_filter_result(IMAGE, get_kernel("sobel_x"), _fmap("sobel_x"), padding=1).get_size_inches()
    fmap = conv2d(IMAGE[None, None], get_kernel("sobel_x", np.float64)[None, None], **settings)[0, 0]
    fig = draw_filter_result(IMAGE, get_kernel("sobel_x"), fmap, **settings)
    np.testing.assert_allclose(fig.get_size_inches(), base)


def test_figure_text_is_big_enough():
    figs = [draw_filter_result(IMAGE, get_kernel("sobel_x"), _fmap("sobel_x"), padding=1),
            draw_feature_maps(RNG.standard_normal((2, 8, 8)), ["a", "b"], RNG.standard_normal((2, 3, 3))),
            draw_rgb_filter(RNG.random((10, 8, 3)), RNG.standard_normal((3, 3, 3)), RNG.standard_normal((8, 6)))]
    for fig in figs:
        fig.canvas.draw() if hasattr(fig.canvas, "draw") else None
        texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
                 if t.get_text() and t.get_visible()]
        assert texts and min(t.get_fontsize() for t in texts) >= 11, [
            (t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 11]


def test_image_style_rules():
    assert image_style(np.array([[0.0, 1.0]]))["cmap"] == IMAGE_CMAP
    signed = image_style(np.array([[-1.0, 3.0]]))
    assert signed["cmap"] == SIGNED_CMAP and signed["norm"].vmin == -signed["norm"].vmax
    assert image_style(np.array([[-0.5, 2.0]]), kernel=get_kernel("sharpen"))["cmap"] == IMAGE_CMAP
    assert image_style(np.array([[0.0, 2.0]]), signed=True)["cmap"] == SIGNED_CMAP


def test_feature_map_grid_has_one_panel_per_map_and_kernel():
    maps = RNG.standard_normal((3, 8, 8))
    kernels = np.stack([get_kernel(n) for n in ("sobel_x", "sobel_y", "laplacian")])
    fig = draw_feature_maps(maps, ["a", "b", "c"], kernels)
    assert len(fig.axes) == 9  # kernel, map and colour bar per map
    pictures = [ax for ax in fig.axes if ax.images and ax.images[0].get_array().shape == (8, 8)]
    assert [ax.get_title() for ax in pictures] == ["fixed: −1 … +1, white = 0"] * 3  # limits named in the title
    assert {(ax.images[0].norm.vmin, ax.images[0].norm.vmax) for ax in pictures} == {(-1.0, 1.0)}
    fig = draw_feature_maps(maps, ["a", "b", "c"], ncols=2, signed=True)
    assert len(fig.axes) == 4  # three maps and one shared colour bar
    assert len({(ax.images[0].norm.vmin, ax.images[0].norm.vmax) for ax in fig.axes[:3]}) == 1  # one common scale
    assert "one scale for every map" in fig.axes[3].get_ylabel()


def test_rgb_filter_and_images():
    rgb = RNG.random((10, 8, 3))
    weights = np.stack([get_kernel("identity"), np.zeros((3, 3)), -get_kernel("identity")])
    fmap = conv2d(rgb.transpose(2, 0, 1)[None], weights[None])[0, 0]
    fig = draw_rgb_filter(rgb, weights, fmap)
    assert any("3×3×3 filter" in t.get_text() for t in fig.texts)
    titles = [ax.get_title() for ax in fig.axes]
    assert [t for t in titles if "channel (" in t] == ["red channel (0 … 1)", "green channel (0 … 1)",
                                                        "blue channel (0 … 1)"]  # the channel named, not only tinted
    assert len(fig.axes) == 3 + 3 + 1 + 4  # channels, kernels, map, and a colour bar for each picture
    photos = draw_images([rgb, rgb[..., 0]], ["RGB", "red"])
    assert [ax.get_title() for ax in photos.axes[:2]] == ["RGB\n10×8×3", "red\n10×8"]
    assert len(photos.axes) == 3 and photos.axes[2].get_ylim() == (0.0, 1.0)  # the gray picture's colour bar


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
