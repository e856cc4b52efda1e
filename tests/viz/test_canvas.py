import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from cnnlib.viz.canvas import CachedTextRenderer, FastCanvas, encode_png, render_png


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGBA")).astype(int)


def _text_figure() -> Figure:
    fig = Figure(figsize=(4, 2), dpi=100)
    ax = fig.add_axes((0.15, 0.2, 0.8, 0.6))
    ax.plot([0, 1], [0, 1])
    ax.set_title("title ⋆ ⊙ × ⌊x⌋")
    ax.set_ylabel("rotated label")
    ax.text(0.5, 0.3, "-1.25", ha="center", va="center", fontsize=13, fontweight="bold")
    ax.text(0.2, 0.8, r"$\sqrt{\sigma^2}$")  # mathtext: matplotlib's own path
    return fig


@pytest.mark.parametrize("opaque", [True, False])
def test_encode_png_round_trips(opaque):
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    if opaque:
        rgba[..., 3] = 255
    with Image.open(io.BytesIO(encode_png(rgba, 1))) as im:
        assert im.mode == ("RGB" if opaque else "RGBA")
        np.testing.assert_array_equal(np.asarray(im), rgba[..., :3] if opaque else rgba)


def test_render_png_looks_like_matplotlibs_own_rendering():
    fig = _text_figure()
    reference = io.BytesIO()
    FigureCanvasAgg(_text_figure()).print_png(reference)
    ours = _pixels(render_png(fig))
    theirs = _pixels(reference.getvalue())
    assert ours.shape == theirs.shape == (200, 400, 4)
    # A text may sit one pixel off (whole-pixel placement): compare the ink per 8×8 block.
    blocks = [a[..., :3].mean(-1).reshape(25, 8, 50, 8).mean(axis=(1, 3)) for a in (ours, theirs)]
    diff = np.abs(blocks[0] - blocks[1])
    assert diff.mean() < 1.0 and diff.max() < 40, (diff.mean(), diff.max())
    assert isinstance(fig.canvas, FastCanvas)
    assert _pixels(render_png(fig)).tolist() == ours.tolist()  # second render from the text cache: the same


def test_cached_metrics_match_matplotlibs():
    fig = _text_figure()
    title = fig.axes[0].title
    ours = title.get_window_extent(CachedTextRenderer(400, 200, 100)).bounds
    theirs = title.get_window_extent(FigureCanvasAgg(_text_figure()).get_renderer()).bounds
    assert ours == pytest.approx(theirs)


def test_render_png_leaves_other_canvases_alone():
    fig = Figure(figsize=(2, 1), dpi=50)
    canvas = FigureCanvasAgg(fig)
    assert _pixels(render_png(fig)).shape == (50, 100, 4)
    assert fig.canvas is canvas
