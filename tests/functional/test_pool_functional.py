"""Max and average pooling (naive and fast): hand cases, ties, naive == fast, gradient checks, properties, errors."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnnlib.functional import (
    avgpool2d,
    avgpool2d_backward,
    avgpool2d_backward_naive,
    avgpool2d_forward,
    avgpool2d_forward_naive,
    maxpool2d,
    maxpool2d_backward,
    maxpool2d_backward_naive,
    maxpool2d_forward,
    maxpool2d_forward_naive,
    maxpool2d_indices,
    sliding_windows,
)
from cnnlib.functional.pooling import MaxPoolCache, TiledMaxPoolCache
from cnnlib.gradcheck import numerical_gradient, relative_error

MAX = [(maxpool2d_forward, maxpool2d_backward), (maxpool2d_forward_naive, maxpool2d_backward_naive)]
AVG = [(avgpool2d_forward, avgpool2d_backward), (avgpool2d_forward_naive, avgpool2d_backward_naive)]
IDS = ["fast", "naive"]


def img(a):
    """One grayscale image as (1, 1, H, W)."""
    return np.asarray(a, dtype=np.float64)[None, None]


# -- hand-computed cases -------------------------------------------------------------------------
@pytest.mark.parametrize("impl", IDS)
def test_hand_cases(impl):
    x16 = img(np.arange(16).reshape(4, 4))
    np.testing.assert_array_equal(maxpool2d(x16, 2, impl=impl)[0, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(avgpool2d(x16, 2, impl=impl)[0, 0], [[2.5, 4.5], [10.5, 12.5]])
    # stride 1: overlapping windows
    np.testing.assert_array_equal(maxpool2d(x16, 3, stride=1, impl=impl)[0, 0], [[10, 11], [14, 15]])
    # stride 2 with a 3x3 window on 5x5: the floor drops nothing, (5 - 3) // 2 + 1 = 2
    x25 = img(np.arange(25).reshape(5, 5))
    np.testing.assert_array_equal(maxpool2d(x25, 3, stride=2, impl=impl)[0, 0], [[12, 14], [22, 24]])
    # padding 1 on a 2x2 image: each 2x2 window holds one real pixel
    x4 = img([[1, 2], [3, 4]])
    np.testing.assert_array_equal(maxpool2d(x4, 2, padding=1, impl=impl)[0, 0], [[1, 2], [3, 4]])
    # ... max pooling pads with -inf, so a negative image keeps its values
    np.testing.assert_array_equal(maxpool2d(-x4, 2, padding=1, impl=impl)[0, 0], [[-1, -2], [-3, -4]])
    # ... average pooling counts the three padding zeros in the divisor
    np.testing.assert_array_equal(avgpool2d(x4, 2, padding=1, impl=impl)[0, 0], [[0.25, 0.5], [0.75, 1.0]])
    # rectangular window (1, 2), stride defaults to it
    np.testing.assert_array_equal(maxpool2d(x16, (1, 2), impl=impl)[0, 0], [[1, 3], [5, 7], [9, 11], [13, 15]])


@pytest.mark.parametrize("forward, backward", MAX, ids=IDS)
def test_max_backward_routes_to_the_first_maximum(forward, backward):
    # Ties: a window of equal values sends its gradient to its top-left pixel only.
    out, cache = forward(np.zeros((1, 1, 4, 4)), 2)
    dx = backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), cache)
    np.testing.assert_array_equal(dx[0, 0], [[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]])
    # Tie inside one window: first in row-major order, i.e. (0, 1) before (1, 0).
    out, cache = forward(img([[0, 5], [5, 1]]), 2)
    np.testing.assert_array_equal(backward(np.ones((1, 1, 1, 1)), cache)[0, 0], [[0, 1], [0, 0]])
    # Overlapping windows that all pick the centre add up there.
    out, cache = forward(img([[0, 0, 0], [0, 5, 0], [0, 0, 0]]), 2, stride=1)
    np.testing.assert_array_equal(out[0, 0], [[5, 5], [5, 5]])
    np.testing.assert_array_equal(backward(np.ones_like(out), cache)[0, 0], [[0, 0, 0], [0, 4, 0], [0, 0, 0]])


@pytest.mark.parametrize("forward, backward", AVG, ids=IDS)
def test_avg_backward_shares_equally(forward, backward):
    out, cache = forward(np.zeros((1, 1, 3, 3)), 2, stride=1)
    np.testing.assert_array_equal(backward(np.ones_like(out), cache)[0, 0],
                                  [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]])
    out, cache = forward(np.zeros((1, 1, 2, 2)), 2, padding=1)  # padding takes 3/4 of each window's share
    np.testing.assert_array_equal(backward(np.ones_like(out), cache)[0, 0], [[0.25, 0.25], [0.25, 0.25]])


# -- naive == fast and properties ------------------------------------------------------------------
@st.composite
def pool_configs(draw):
    N, C = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    H, W = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    K = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.one_of(st.none(), st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = (draw(st.integers(0, K[0] // 2)), draw(st.integers(0, K[1] // 2)))
    seed = draw(st.integers(0, 2**16))
    return (N, C, H, W), K, stride, padding, seed


def _fits(shape, K, stride, padding):
    s = K if stride is None else (stride, stride) if isinstance(stride, int) else stride
    return all(shape[2 + a] + 2 * padding[a] >= K[a] for a in range(2)) and min(s) >= 1


def _ties(shape, seed):
    """Small integers: plenty of ties inside windows."""
    return np.random.default_rng(seed).integers(-3, 4, size=shape).astype(np.float64)


@settings(max_examples=60, deadline=None)
@given(pool_configs())
def test_naive_equals_fast(config):
    shape, K, stride, padding, seed = config
    assume(_fits(shape, K, stride, padding))
    x = _ties(shape, seed)
    for (fwd_f, bwd_f), (fwd_n, bwd_n) in (MAX, AVG):
        out_f, cache_f = fwd_f(x, K, stride, padding)
        out_n, cache_n = fwd_n(x, K, stride, padding)
        np.testing.assert_allclose(out_f, out_n, rtol=1e-10, err_msg=fwd_f.__name__)
        dout = np.random.default_rng(seed + 1).standard_normal(out_f.shape)
        np.testing.assert_allclose(bwd_f(dout, cache_f), bwd_n(dout, cache_n), rtol=1e-10, atol=1e-12,
                                   err_msg=f"{bwd_f.__name__} with {config}")


@settings(max_examples=60, deadline=None)
@given(pool_configs())
def test_max_output_comes_from_its_window_and_indices_point_at_it(config):
    shape, K, stride, padding, seed = config
    assume(_fits(shape, K, stride, padding))
    x = _ties(shape, seed)
    out, rows, cols = maxpool2d_indices(x, K, stride, padding)
    s = K if stride is None else (stride, stride) if isinstance(stride, int) else stride
    H_out = (shape[2] + 2 * padding[0] - K[0]) // s[0] + 1  # the pooling formula, written out
    W_out = (shape[3] + 2 * padding[1] - K[1]) // s[1] + 1
    assert out.shape == (*shape[:2], H_out, W_out)
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2), constant_values=-np.inf)
    windows = sliding_windows(xp, K[0], K[1], s)  # (N, C, H_out, W_out, KH, KW)
    flat = windows.reshape(*out.shape, -1)
    assert np.all(out == flat.max(axis=-1)), "every output is the max of its window"
    n, c = np.indices(out.shape)[:2]
    np.testing.assert_array_equal(x[n, c, rows, cols], out)  # the index points at the max, inside x
    # ... and at the first maximum in row-major order, as np.argmax picks it
    first = np.argmax(flat, axis=-1)
    i, j = np.indices(out.shape)[2:]
    np.testing.assert_array_equal(rows, i * s[0] + first // K[1] - padding[0])
    np.testing.assert_array_equal(cols, j * s[1] + first % K[1] - padding[1])


# -- gradient checks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("forward, backward", MAX + AVG, ids=["max-fast", "max-naive", "avg-fast", "avg-naive"])
@pytest.mark.parametrize("kernel_size, stride, padding", [(2, None, 0), (3, 1, 1), ((2, 3), (1, 2), (1, 0)), (3, 2, 1)])
def test_gradients_match_central_differences(forward, backward, kernel_size, stride, padding):
    # Distinct values spaced 0.1 apart: no ties, and a 1e-5 nudge never changes which pixel wins.
    rng = np.random.default_rng(2)
    x = (rng.permutation(2 * 2 * 5 * 6) * 0.1).reshape(2, 2, 5, 6)
    out, cache = forward(x, kernel_size, stride, padding)
    dout = rng.standard_normal(out.shape)
    dx = backward(dout, cache)
    numeric = numerical_gradient(lambda: np.sum(forward(x, kernel_size, stride, padding)[0] * dout), x)
    err = relative_error(dx, numeric)
    assert err < 1e-6, f"dx relative error {err:.2e} for kernel_size={kernel_size}, stride={stride}, padding={padding}"


@pytest.mark.parametrize("shape, kernel_size, stride, padding", [
    ((2, 3, 6, 6), 2, None, 0),  # the windows tile the input: backward skips zeroing dx
    ((2, 3, 7, 5), 2, None, 0),  # a last row and column no window covers: their gradient must be 0
    ((2, 3, 6, 6), 3, 2, 1),  # overlapping, padded windows
])
def test_max_backward_leaves_no_stale_memory_in_dx(shape, kernel_size, stride, padding):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    out, cache = maxpool2d_forward(x, kernel_size, stride, padding)
    dout = rng.standard_normal(out.shape)
    expected = maxpool2d_backward_naive(dout, maxpool2d_forward_naive(x, kernel_size, stride, padding)[1])
    for _ in range(3):  # freed NaN blocks of the same size are what the allocator hands out next
        poison = np.full(shape, np.nan)
        del poison
        np.testing.assert_array_equal(maxpool2d_backward(dout, cache), expected)


def test_dtypes_are_kept():
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6)).astype(np.float32)
    for forward, backward in (MAX[0], AVG[0]):
        out, cache = forward(x, 2)
        assert out.dtype == backward(np.ones_like(out), cache).dtype == np.float32
    assert maxpool2d(np.ones((1, 1, 4, 4), dtype=np.int64), 2).dtype == np.float32


# -- bad input ----------------------------------------------------------------------------------------
X = np.ones((2, 3, 4, 4))


@pytest.mark.parametrize("forward", [maxpool2d_forward, maxpool2d_forward_naive, avgpool2d_forward,
                                     avgpool2d_forward_naive, maxpool2d_indices])
@pytest.mark.parametrize("kwargs, error, match", [
    (dict(x=np.ones((3, 4, 4))), ValueError, r"4-D input \(N, C, H, W\), got shape \(3, 4, 4\)"),
    (dict(kernel_size=5), ValueError, r"kernel 5 is larger than the padded input 4 \+ 0 \+ 0 = 4"),
    (dict(stride=0), ValueError, r"stride must be >= 1 in each direction, got 0"),
    (dict(padding=-1), ValueError, r"padding must be >= 0 in each direction, got -1"),
    (dict(padding=2), ValueError, r"padding must be at most kernel_size // 2 = 1 .* got padding=2"),
    (dict(padding="same"), TypeError, r"pooling takes numeric padding only"),
    (dict(kernel_size=2.5), TypeError, r"kernel_size must be an int or a pair of ints"),
    (dict(x=np.array([[["a"]]])), TypeError, r"x must be a numeric array"),
])
def test_forward_errors(forward, kwargs, error, match):
    args = dict(x=X, kernel_size=2, stride=None, padding=0) | kwargs
    with pytest.raises(error, match=match):
        forward(**args)


@pytest.mark.parametrize("forward, backward", MAX + AVG, ids=["max-fast", "max-naive", "avg-fast", "avg-naive"])
def test_backward_errors(forward, backward):
    out, cache = forward(X, 2)
    with pytest.raises(ValueError, match=r"got dout of shape \(2, 3, 2\), expected \(2, 3, 2, 2\)"):
        backward(np.ones((2, 3, 2)), cache)
    with pytest.raises(TypeError, match=r"needs the cache returned by .*forward"):
        backward(np.ones_like(out), (out, None))


def test_impl_error():
    with pytest.raises(ValueError, match=r"impl must be one of \('fast', 'naive'\), got 'slow'"):
        maxpool2d(X, 2, impl="slow")
    with pytest.raises(ValueError, match=r"impl must be one of"):
        avgpool2d(X, 2, impl=None)


# -- the fast path for windows that tile the input (stride == kernel_size, the size a multiple of it) -------------
@pytest.mark.parametrize("shape, kernel_size, stride, padding, tiled", [
    ((3, 4, 8, 8), 2, None, 0, True),  # MaxPool2D(2) on an even size: the common case
    ((2, 3, 9, 6), (3, 2), None, 0, True),  # rectangular windows
    ((2, 3, 6, 6), 3, None, 0, True),  # three candidates per pass
    ((2, 3, 4, 6), (1, 2), None, 0, True),  # one row per window: pass 2 has a single candidate
    ((2, 3, 6, 6), 2, None, 1, True),  # padded 8x8: tiled, the padding's -inf never wins
    ((2, 3, 7, 7), 2, None, 0, False),  # the last row and column are in no window: general path
    ((2, 3, 5, 8), 2, None, 1, False),  # padded 7x10: the last padded row is in no window
    ((2, 3, 8, 8), 2, 1, 0, False),  # kernel != stride, overlapping windows: general path
    ((2, 3, 8, 8), 2, 3, 0, False),  # kernel != stride, gaps between windows: general path
])
def test_tiled_fast_path_equals_naive_with_ties(shape, kernel_size, stride, padding, tiled):
    for seed in range(5):
        x = _ties(shape, seed)  # integers in [-3, 3]: many ties inside windows, all-equal windows too
        out, cache = maxpool2d_forward(x, kernel_size, stride, padding)
        assert isinstance(cache, TiledMaxPoolCache if tiled else MaxPoolCache)
        out_n, cache_n = maxpool2d_forward_naive(x, kernel_size, stride, padding)
        np.testing.assert_array_equal(out, out_n)
        dout = np.random.default_rng(seed + 1).standard_normal(out.shape)
        dx, dx_naive = maxpool2d_backward(dout, cache), maxpool2d_backward_naive(dout, cache_n)
        if tiled:  # every pixel gets one window's gradient or 0: no sums, so exactly equal
            np.testing.assert_array_equal(dx, dx_naive)
        else:  # overlapping windows add up, in another order than the loops
            np.testing.assert_allclose(dx, dx_naive, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("window, first", [
    ([[0, 5], [5, 1]], (0, 1)),  # row-major: (0, 1) before (1, 0), although column 0 holds a 5 too
    ([[1, 9], [9, 9]], (0, 1)),  # three maxima
    ([[7, 7], [7, 7]], (0, 0)),  # all equal: the top-left pixel
    ([[0, 0, 7], [7, 0, 0], [0, 7, 0]], (0, 2)),  # 3x3: the first row holding the max wins, at its column
    ([[0, 1, 0], [2, 0, 2], [0, 2, 0]], (1, 0)),  # a later row wins only when strictly larger
    ([[-np.inf, -5], [-5, -np.inf]], (0, 1)),
])
def test_tiled_path_sends_the_gradient_to_the_first_maximum(window, first):
    x = img(window)
    out, cache = maxpool2d_forward(x, x.shape[2])
    assert isinstance(cache, TiledMaxPoolCache)
    dx = maxpool2d_backward(np.full((1, 1, 1, 1), 3.0), cache)[0, 0]
    expected = np.zeros_like(dx)
    expected[first] = 3.0
    np.testing.assert_array_equal(dx, expected)


def test_tiled_path_keeps_dtypes_and_sends_every_gradient():
    x = _ties((4, 5, 6, 6), 7).astype(np.float32)
    out, cache = maxpool2d_forward(x, 2)
    dout = np.random.default_rng(0).standard_normal(out.shape)  # float64 into a float32 layer
    dx = maxpool2d_backward(dout, cache)
    assert out.dtype == dx.dtype == np.float32
    # Each window passes its whole gradient to exactly one pixel: the window sums of dx are dout.
    np.testing.assert_allclose(dx.reshape(4, 5, 3, 2, 3, 2).sum(axis=(3, 5)), dout.astype(np.float32), rtol=1e-6)
    assert np.count_nonzero(dx) == np.count_nonzero(dout)
