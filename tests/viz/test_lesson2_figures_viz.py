"""Figures of lessons 04-05 (pooling, shifts, activations, batch norm, pooling backward): their data and text."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnlib.layers import AvgPool2D, MaxPool2D
from cnnlib.viz import (draw_activations, draw_avg_pool, draw_batchnorm, draw_gradient_through_depth,
                        draw_pool_backward, draw_pool_explorer, draw_shift_comparison)
from cnnlib.viz.activations import activation_curve, gradient_through_depth, saturated_ranges
from cnnlib.viz.batchnorm import batchnorm_demo
from cnnlib.viz.pool_backward import pool_gradients
from cnnlib.viz.pool_explorer import edge_map, pool2d, pool_layout
from cnnlib.viz.translation import compare_shift, shift_right, similarity

X = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]], dtype=float)


def test_avg_pool_figure_writes_the_means():
    fig = draw_avg_pool(X)
    out_texts = [t.get_text() for t in fig.axes[1].texts]
    assert out_texts == ["3.50", "2", "1.50", "5.25"]
    assert "mean of its window" in fig._suptitle.get_text()


def test_pool2d_is_cnnlibs_pooling():
    np.testing.assert_array_equal(pool2d(X, "max", 2, 2), MaxPool2D(2)(X[None, None])[0, 0])
    np.testing.assert_array_equal(pool2d(X, "average", 3, 1), AvgPool2D(3, stride=1)(X[None, None])[0, 0])


def test_edge_map_keeps_the_size_and_is_non_negative():
    image = np.zeros((6, 6))
    image[:, 3:] = 1.0  # one vertical edge, brighter to the right
    fmap = edge_map(image)
    assert fmap.shape == (6, 6) and fmap.min() == 0
    assert fmap[2:4, 2:4].min() > 0 and fmap[:, 0].max() == 0


def test_pool_explorer_figure_titles():
    lay = pool_layout(np.arange(48 * 48, dtype=np.float32).reshape(48, 48) % 7, "max", 3, 2, zoom=(0, 0, 12))
    fig = draw_pool_explorer(lay)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["edge map 48×48", "max pooled 23×23", "zoom: 12×12 pixels (green box)", "its 5×5 outputs"]
    assert "⌊(48 − 3) / 2⌋ + 1 = 23" in fig._suptitle.get_text()
    assert "windows overlap" in fig.texts[-1].get_text()


def test_shift_right_repeats_the_first_column():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(shift_right(a, 1), [[0, 0, 1], [3, 3, 4]])
    np.testing.assert_array_equal(shift_right(a, 0), a)


def test_similarity_is_the_correlation_coefficient():
    a = np.array([1.0, 2.0, 4.0])
    assert similarity(a, 3 * a + 1) == pytest.approx(1.0)
    assert similarity(a, -a) == pytest.approx(-1.0)
    assert similarity(a, np.array([1.0, 5.0, 1.0]) ) == pytest.approx(np.corrcoef(a, [1, 5, 1])[0, 1])


def test_shift_figure_and_curves():
    c = compare_shift(2, 4)
    assert len(c.curve_before) == len(c.shifts) == 7 and c.curve_after[0] == pytest.approx(1.0)
    assert all(a >= b for a, b in zip(c.curve_after[:3], c.curve_before[:3]))
    fig = draw_shift_comparison(c)
    assert fig._suptitle.get_text() == (f"shift 2 px: similarity {c.before:.2f} before pooling, {c.after:.2f} after "
                                        "4×4 max pooling")


@pytest.mark.parametrize("name, x, f, df", [
    ("relu", [-2.0, 3.0], [0, 3], [0, 1]),
    ("leaky_relu", [-2.0, 3.0], [-0.2, 3], [0.1, 1]),
    ("sigmoid", [0.0], [0.5], [0.25]),
    ("tanh", [0.0], [0.0], [1.0]),
])
def test_activation_curves_come_from_the_layers(name, x, f, df):
    y, dy = activation_curve(name, x)
    np.testing.assert_allclose(y, f)
    np.testing.assert_allclose(dy, df)


def test_sigmoid_saturates_beyond_about_three():
    x = np.linspace(-6, 6, 481)
    ranges = saturated_ranges(x, activation_curve("sigmoid", x)[1])
    assert len(ranges) == 2
    assert ranges[0][0] == -6 and ranges[0][1] == pytest.approx(-2.89, abs=0.03)
    assert ranges[1][1] == 6 and ranges[1][0] == pytest.approx(2.89, abs=0.03)
    with pytest.raises(ValueError, match="unknown activation"):
        activation_curve("swish", x)


def test_sigmoid_gradients_shrink_through_depth_and_relu_ones_do_not():
    sig, relu = gradient_through_depth("sigmoid", 10), gradient_through_depth("relu", 10)
    assert np.all(np.diff(sig) > 0)  # larger near the top (layer 10), smaller towards the input
    assert sig[-1] / sig[0] > 1e4 > 10 > relu[-1] / relu[0]


def test_activation_figures_are_figures():
    assert isinstance(draw_activations(), Figure) and len(draw_activations(("relu",)).axes) == 1
    assert draw_gradient_through_depth(depth=4).axes[0].get_yscale() == "log"


def test_batchnorm_figure_legends_give_the_statistics():
    fig, counts = draw_batchnorm(batchnorm_demo(gamma=2.0, beta=1.0))
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert legend == ["channel 0: mean +1.00, std 2.00", "channel 1: mean +1.00, std 2.00",
                      "channel 2: mean +1.00, std 2.00"]
    assert len(counts["before"]) == 3


def test_pool_backward_routes_and_spreads():
    dx_max, dx_avg = pool_gradients(X, [[1, -2], [3, 4]])
    np.testing.assert_array_equal(dx_max + 0.0, [[0, 0, 0, 0], [0, 1, -2, 0], [3, 0, 0, 4], [0, 0, 0, 0]])
    np.testing.assert_array_equal(dx_avg[:2, :2], np.full((2, 2), 0.25))
    assert dx_avg.sum() == pytest.approx(6.0)  # average pooling passes the whole gradient on, spread out
    fig = draw_pool_backward(X, [[1, -2], [3, 4]])
    assert [ax.get_title() for ax in fig.axes] == ["x (forward input)", "dout", "dx, max pooling",
                                                   "dx, average pooling"]
