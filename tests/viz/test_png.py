import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from cnnlib.viz.png import array_png, encode_png, render_png


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGBA")).astype(int)


def _text_figure() -> Figure:
    fig = Figure(figsize=(4, 2), dpi=100)
    ax = fig.add_axes((0.15, 0.2, 0.8, 0.6))
    ax.plot([0, 1], [0, 1])
    ax.set_title("title ⋆ ⊙ × ⌊x⌋")
    ax.set_ylabel("rotated label")
    ax.text(0.2, 0.8, r"$\sqrt{\sigma^2}$")
    return fig


@pytest.mark.parametrize("opaque", [True, False])
def test_encode_png_round_trips(opaque):
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    if opaque:
        rgba[..., 3] = 255
    with Image.open(io.BytesIO(encode_png(rgba, 1))) as im:
        assert im.mode == ("RGB" if opaque else "RGBA")
        np.testing.assert_array_equal(np.asarray(im), rgba[..., :3] if opaque else rgba)


def test_render_png_is_matplotlibs_own_agg_rendering():
    fig = _text_figure()
    reference = io.BytesIO()
    FigureCanvasAgg(_text_figure()).print_png(reference)
    ours = _pixels(render_png(fig))
    assert ours.tolist() == _pixels(reference.getvalue()).tolist()
    assert type(fig.canvas) is FigureCanvasAgg  # attached once, reused by the next redraw
    assert _pixels(render_png(fig)).tolist() == ours.tolist()


def test_render_png_leaves_other_canvases_alone():
    fig = Figure(figsize=(2, 1), dpi=50)
    canvas = FigureCanvasAgg(fig)
    assert _pixels(render_png(fig)).shape == (50, 100, 4)
    assert fig.canvas is canvas


def test_array_png_colours_one_pixel_per_value():
    values = np.array([[0.0, 0.5], [1.0, 2.0]])
    px = _pixels(array_png(values, "gray", 0.0, 1.0))
    assert px.shape == (2, 2, 4)
    assert px[0, 0, 0] == 0 and px[1, 0, 0] == 255 and px[1, 1, 0] == 255  # 2.0 is clipped to white
    assert 120 <= px[0, 1, 0] <= 135


def test_array_png_names_a_wrong_shape():
    with pytest.raises(ValueError, match=r"2-D array, got shape \(2, 2, 2\)"):
        array_png(np.zeros((2, 2, 2)))
