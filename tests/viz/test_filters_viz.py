import numpy as np

from cnnlib.demos.filters import filter_channels
from cnnlib.functional import conv2d
from cnnlib.image_filters import get_kernel
import pytest

from cnnlib.viz.filters import (FIXED_LIMIT, bar_extend, clipped_text, draw_feature_maps, draw_filter_channels,
                                draw_images, draw_rgb_filter, map_style)
from cnnlib.viz.style import IMAGE_CMAP, SIGNED_CMAP, image_style

RNG = np.random.default_rng(0)
IMAGE = RNG.random((20, 16))


def _fmap(name, image=IMAGE):
    return conv2d(image[None, None], get_kernel(name, np.float64)[None, None], padding=1)[0, 0]


def test_fixed_scale_is_the_same_for_every_kernel_so_the_weight_sum_shows_as_brightness():
    limits = {}
    for name in ("identity", "brighten", "darken", "box_blur", "sobel_x", "laplacian"):
        style, text = map_style(_fmap(name), get_kernel(name), "fixed")
        limits[name] = (style["cmap"], style["norm"].vmin, style["norm"].vmax, text)
    gray = (IMAGE_CMAP, 0.0, FIXED_LIMIT, "fixed: gray 0 … 1")
    signed = (SIGNED_CMAP, -1.0, 1.0, "fixed: −1 … +1, white = 0")
    assert limits == {"identity": gray, "brighten": gray, "darken": gray, "box_blur": gray, "sobel_x": signed,
                      "laplacian": signed}
    # brighten's pixels are twice identity's, on the same colour scale: mean drawn gray level is higher
    norm = map_style(_fmap("identity"))[0]["norm"]
    assert np.mean(np.clip(norm(_fmap("brighten")), 0, 1)) > 1.3 * np.mean(norm(_fmap("identity")))


def test_stretched_scale_fits_each_map():
    tops = {name: map_style(_fmap(name), get_kernel(name), "stretched")[0]["norm"].vmax
            for name in ("identity", "brighten")}
    assert tops["brighten"] == pytest.approx(2 * tops["identity"])
    style, text = map_style(np.array([[-0.5, 450.0]]), scale="stretched")
    assert style["cmap"] == SIGNED_CMAP and text.startswith("stretched: ±") and "e+" not in text  # no exponent
    with pytest.raises(ValueError, match="scale must be one of"):
        map_style(_fmap("identity"), scale="auto")


def test_clipping_note_and_colour_bar_ends():
    fmap = 2 * _fmap("identity")
    norm = map_style(fmap)[0]["norm"]
    assert clipped_text(fmap, norm) == f"{np.mean(fmap > 1):.0%} above 1: drawn as 1"
    assert clipped_text(np.array([0.2, 0.5]), map_style(np.array([0.2]))[0]["norm"]) == ""
    assert [bar_extend(v, norm) for v in ([0.5], [-1, 0.5], [0.5, 2], [-1, 2])] == ["neither", "min", "max", "both"]


def test_figure_text_is_big_enough():
    figs = [draw_feature_maps(RNG.standard_normal((2, 8, 8)), ["a", "b"], RNG.standard_normal((2, 3, 3))),
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


@pytest.mark.parametrize("ncols", [1, 2, 3])
def test_a_long_suptitle_wraps_inside_the_figure(ncols):
    # lesson 03's title on two columns was cut off at both edges ("ixed colour scale: ... as brightnes")
    title = "fixed colour scale: the weights' sum shows as brightness"
    maps, kernels = np.random.default_rng(0).random((ncols, 20, 16)), np.ones((ncols, 3, 3)) / 9
    fig = draw_feature_maps(maps, kernels=kernels, ncols=ncols, suptitle=title)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    from matplotlib.text import Text
    titles = [t for t in fig.findobj(Text) if t.get_text().replace("\n", " ") == title]
    assert len(titles) == 1  # every word kept, in order
    box, page = titles[0].get_window_extent(renderer), fig.bbox
    assert page.x0 <= box.x0 and box.x1 <= page.x1, f"title {box} runs past the figure {page}"
