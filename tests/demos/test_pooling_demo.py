import numpy as np
import pytest

from cnnlib.demos.filters import sample_edge_map
from cnnlib.demos.pooling import pool2d, pool_backward, pool_gradients, pool_layout, pool_windows
from cnnlib.layers import AvgPool2D, MaxPool2D

# Lesson 04's example: 2×2 windows, stride 2 keep 6, 5, 3, 8 (max) or their means (average).
X = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]], dtype=float)


def test_pool2d_is_cnnlibs_pooling():
    np.testing.assert_array_equal(pool2d(X, "max", 2), [[6, 5], [3, 8]])
    np.testing.assert_array_equal(pool2d(X, "average", 2), [[3.5, 2], [1.5, 5.25]])
    np.testing.assert_array_equal(pool2d(X, "average", 3, 1), AvgPool2D(3, stride=1)(X[None, None])[0, 0])
    with pytest.raises(ValueError, match="pool must be one of"):
        pool2d(X, "min", 2)


def test_max_windows_record_where_each_maximum_is():
    pw = pool_windows(X, 2)
    np.testing.assert_array_equal(pw.out, [[6, 5], [3, 8]])
    assert pw.corners.tolist() == [[[0, 0], [0, 2]], [[2, 0], [2, 2]]]
    assert list(zip(pw.rows.ravel().tolist(), pw.cols.ravel().tolist())) == [(1, 1), (1, 2), (2, 0), (2, 3)]


def test_overlapping_windows_can_pick_the_same_element():
    pw = pool_windows(X, 2, stride=1)
    np.testing.assert_array_equal(pw.out, [[6, 6, 5], [6, 6, 8], [3, 7, 8]])
    assert pw.rows[0, 0] == pw.rows[1, 1] == 1 and pw.cols[0, 0] == pw.cols[1, 1] == 1  # the 6 at (1, 1), four times


def test_average_windows_pick_nothing():
    pw = pool_windows(X, 2, pool="average")
    assert pw.rows.size == 0 and pw.out[0, 0] == (1 + 3 + 4 + 6) / 4


def test_gradients_route_to_the_maximum_and_spread_evenly():
    dout = [[1, -2], [3, 4]]
    dx_max, dx_avg = pool_gradients(X, dout)
    np.testing.assert_array_equal(dx_max, [[0, 0, 0, 0], [0, 1, -2, 0], [3, 0, 0, 4], [0, 0, 0, 0]])
    np.testing.assert_array_equal(dx_avg, [[0.25, 0.25, -0.5, -0.5], [0.25, 0.25, -0.5, -0.5],
                                           [0.75, 0.75, 1, 1], [0.75, 0.75, 1, 1]])
    pb = pool_backward(X, dout)
    np.testing.assert_array_equal(pb.dx_max, dx_max)
    np.testing.assert_array_equal(pb.windows.out, [[6, 5], [3, 8]])


@pytest.mark.parametrize("k, s", [(2, 2), (3, 1), (3, 2), (2, 3)])
def test_every_picked_pixel_of_the_zoom_is_its_windows_maximum(k, s):
    lay = pool_layout(sample_edge_map(), "max", k, s)
    rows, cols = lay.rows, lay.cols
    np.testing.assert_array_equal(lay.crop[rows, cols], lay.crop_pooled)
    for i, j in np.ndindex(rows.shape):
        assert i * s <= rows[i, j] < i * s + k and j * s <= cols[i, j] < j * s + k  # inside its own window
    assert lay.counts.sum() == rows.size  # one pick per window
    assert lay.starts == tuple(range(0, rows.shape[0] * s, s))


@pytest.mark.parametrize("pool, k, s", [("max", 2, 2), ("max", 3, 1), ("average", 4, 2)])
def test_the_whole_map_is_pooled_by_cnnlib(pool, k, s):
    fmap = sample_edge_map()
    lay = pool_layout(fmap, pool, k, s)
    layer = MaxPool2D(k, stride=s) if pool == "max" else AvgPool2D(k, stride=s)
    np.testing.assert_allclose(lay.pooled, layer(fmap[None, None])[0, 0], rtol=1e-6)
    top, left, size = lay.zoom
    np.testing.assert_array_equal(lay.crop, fmap[top:top + size, left:left + size])
    np.testing.assert_allclose(lay.crop_pooled, layer(lay.crop[None, None])[0, 0], rtol=1e-6)


def test_zoom_counts_and_formula():
    assert pool_layout(sample_edge_map(), "max", 3, 1).counts.max() > 1  # overlapping windows share picks
    assert pool_layout(sample_edge_map(), "max", 2, 2).counts.max() == 1
    lay = pool_layout(sample_edge_map(), "average", 2, 2)
    assert lay.counts.sum() == 0
    assert lay.formula == "H_out = ⌊(150 − 2) / 2⌋ + 1 = 75,   W_out = ⌊(128 − 2) / 2⌋ + 1 = 64"
