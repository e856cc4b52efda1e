"""conv2d (naive and fast) and im2col: hand cases, naive == fast, scipy, gradient checks, errors."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.signal import correlate2d

from cnnlib.functional import (
    col2im,
    conv2d,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    im2col,
    sliding_windows,
)
from cnnlib.functional.im2col import columns_to_image_batch_last, image_to_columns_batch_last
from cnnlib.functional.padding import pad_batch_last, pad_nchw
from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.shapes import Geometry2D

RNG = np.random.default_rng(0)
IMPLS = [(conv2d_forward, conv2d_backward), (conv2d_forward_naive, conv2d_backward_naive)]
IMPL_IDS = ["fast", "naive"]


def img(a):
    """One grayscale image as (1, 1, H, W)."""
    return np.asarray(a, dtype=np.float64)[None, None]


# -- hand-computed cases -------------------------------------------------------------------
def test_theory_seed_example_4x4_star_2x2():
    # out[i, j] = x[i, j] - x[i+1, j] + x[i+1, j+1]; row 0 is the seed's worked example.
    x = img([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]])
    k = img([[1, 0], [-1, 1]])
    expected = [[2, 3, 4], [-3, 2, 3], [4, -3, 2]]
    for impl in ("fast", "naive"):
        np.testing.assert_array_equal(conv2d(x, k, impl=impl)[0, 0], expected, err_msg=impl)


@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_hand_cases_stride_padding_dilation_bias(impl):
    x16 = img(np.arange(16).reshape(4, 4))
    ones2 = np.ones((1, 1, 2, 2))
    # stride 2: sums of the four 2x2 blocks
    np.testing.assert_array_equal(conv2d(x16, ones2, stride=2, impl=impl)[0, 0], [[10, 18], [42, 50]])
    # padding 1 around a 3x3 image of ones: how many real pixels each 3x3 window sees
    out = conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), padding=1, impl=impl)[0, 0]
    np.testing.assert_array_equal(out, [[4, 6, 4], [6, 9, 6], [4, 6, 4]])
    # dilation 2: the 2x2 kernel touches x[i, j], x[i, j+2], x[i+2, j], x[i+2, j+2]
    np.testing.assert_array_equal(conv2d(x16, ones2, dilation=2, impl=impl)[0, 0], [[20, 24], [36, 40]])
    # asymmetric padding: one zero row at the bottom, one zero column on the left
    out = conv2d(np.ones((1, 1, 2, 2)), ones2, padding=((0, 1), (1, 0)), impl=impl)[0, 0]
    np.testing.assert_array_equal(out, [[2, 4], [1, 2]])
    # two channels summed, plus bias
    out = conv2d(np.ones((1, 2, 2, 2)), np.array([3.0, 4.0]).reshape(1, 2, 1, 1), b=np.array([1.0]), impl=impl)
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), 8.0))


@pytest.mark.parametrize("forward, backward", IMPLS, ids=IMPL_IDS)
def test_hand_backward(forward, backward):
    # Every window of ones sends 1 to each pixel it covers: dx counts the windows per pixel.
    out, cache = forward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.zeros(1))
    dx, dW, db = backward(np.ones_like(out), cache)
    np.testing.assert_array_equal(dx[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    np.testing.assert_array_equal(dW[0, 0], [[4, 4], [4, 4]])
    np.testing.assert_array_equal(db, [4])


# -- naive == fast ----------------------------------------------------------------------------
@st.composite
def conv_configs(draw):
    N, C, C_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H, W = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    K = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.sampled_from([1, 2, 3, (1, 2), (2, 1)]))
    dilation = draw(st.sampled_from([1, 2, (1, 2)]))
    pad_int = st.integers(0, 2)
    padding = draw(st.one_of(
        pad_int,
        st.tuples(pad_int, pad_int),
        st.just("valid"),
        st.tuples(st.tuples(pad_int, pad_int), st.tuples(pad_int, pad_int)),
        st.just("same") if stride == 1 else pad_int,
    ))
    return N, C, C_out, H, W, K, stride, padding, dilation


def _make(config, seed=0, bias=True):
    N, C, C_out, H, W, K, *_ = config
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, C, H, W)), rng.standard_normal((C_out, C, *K)),
            rng.standard_normal(C_out) if bias else None)


def _fits(config):
    """True when at least one window fits (otherwise both versions must raise)."""
    N, C, C_out, H, W, K, stride, padding, dilation = config
    try:
        conv2d_forward(np.zeros((1, C, H, W)), np.zeros((C_out, C, *K)), None, stride, padding, dilation)
    except ValueError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(conv_configs(), st.booleans())
def test_naive_equals_fast_forward_and_backward(config, bias):
    assume(_fits(config))
    stride, padding, dilation = config[6:]
    x, W, b = _make(config, bias=bias)
    out_f, cache_f = conv2d_forward(x, W, b, stride, padding, dilation)
    out_n, cache_n = conv2d_forward_naive(x, W, b, stride, padding, dilation)
    np.testing.assert_allclose(out_f, out_n, rtol=1e-10, atol=1e-12)
    dout = np.random.default_rng(1).standard_normal(out_f.shape)
    for got, want, name in zip(conv2d_backward(dout, cache_f), conv2d_backward_naive(dout, cache_n), "x W b".split()):
        if want is None:
            assert got is None, name
        else:
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=f"d{name} of {config}")


def _pads_by_hand(padding, K, d):
    """((top, bottom), (left, right)) written out from the definitions, independently of cnnlib.shapes."""
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":  # total d*(K-1) per axis, the odd pixel after
        return tuple((d[a] * (K[a] - 1) // 2, d[a] * (K[a] - 1) - d[a] * (K[a] - 1) // 2) for a in range(2))
    if isinstance(padding, int):
        return (padding, padding), (padding, padding)
    if isinstance(padding[0], int):  # (ph, pw)
        return (padding[0], padding[0]), (padding[1], padding[1])
    return padding


@settings(max_examples=40, deadline=None)
@given(conv_configs())
def test_output_shape_matches_the_formula(config):
    assume(_fits(config))
    N, C, C_out, H, W, K, stride, padding, dilation = config
    x, Wt, _ = _make(config)
    out = conv2d(x, Wt, None, stride, padding, dilation)
    s = (stride, stride) if isinstance(stride, int) else stride
    d = (dilation, dilation) if isinstance(dilation, int) else dilation
    (top, bottom), (left, right) = _pads_by_hand(padding, K, d)
    H_out = (H + top + bottom - d[0] * (K[0] - 1) - 1) // s[0] + 1
    W_out = (W + left + right - d[1] * (K[1] - 1) - 1) // s[1] + 1
    assert out.shape == (N, C_out, H_out, W_out)


@pytest.mark.parametrize("H, K, stride, padding, dilation, H_out", [
    (28, 3, 1, 0, 1, 26),  # the lessons' first conv
    (7, 3, 2, 1, 1, 4),  # (7 + 2 - 3) // 2 + 1
    (8, 3, 2, 0, 1, 3),  # the floor drops the last row
    (5, 3, 1, "same", 1, 5),
    (6, 4, 1, "same", 1, 6),  # padding (1, 2)
    (9, 3, 1, 0, 2, 5),  # effective kernel 5
    (10, 3, 3, 2, 2, 4),  # (10 + 4 - 5) // 3 + 1
])
def test_output_sizes_computed_by_hand(H, K, stride, padding, dilation, H_out):
    out = conv2d(np.ones((1, 1, H, H)), np.ones((1, 1, K, K)), None, stride, padding, dilation)
    assert out.shape == (1, 1, H_out, H_out)


# -- scipy as an independent reference -----------------------------------------------------------
def _scipy_conv(x, W, b, stride, pads, dilation):
    """sum over input channels of scipy's valid cross-correlation, then stride by slicing."""
    (top, bottom), (left, right) = pads
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    C_out, C, KH, KW = W.shape
    k = np.zeros((C_out, C, dilation * (KH - 1) + 1, dilation * (KW - 1) + 1))
    k[:, :, ::dilation, ::dilation] = W  # a dilated kernel is a bigger kernel with zeros between taps
    out = np.stack([
        np.stack([sum(correlate2d(xp[n, c], k[f, c], mode="valid") for c in range(C)) + b[f] for f in range(C_out)])
        for n in range(x.shape[0])
    ])
    return out[:, :, ::stride, ::stride]


@pytest.mark.parametrize("stride, pads, dilation", [
    (1, ((0, 0), (0, 0)), 1), (2, ((1, 1), (1, 1)), 1), (1, ((0, 2), (1, 0)), 2), (3, ((2, 2), (0, 1)), 1),
])
def test_forward_matches_scipy_correlate2d(stride, pads, dilation):
    x, W, b = RNG.standard_normal((2, 3, 9, 8)), RNG.standard_normal((4, 3, 3, 2)), RNG.standard_normal(4)
    expected = _scipy_conv(x, W, b, stride, pads, dilation)
    for impl in ("fast", "naive"):
        np.testing.assert_allclose(conv2d(x, W, b, stride, pads, dilation, impl=impl), expected, rtol=1e-10,
                                   err_msg=impl)


# -- gradient checks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("forward, backward", IMPLS, ids=IMPL_IDS)
@pytest.mark.parametrize("stride, padding, dilation", [
    (1, 0, 1), (2, 1, 1), (1, "same", 2), (2, ((0, 1), (2, 0)), 1), ((1, 2), (1, 0), (2, 1)),
])
def test_gradients_match_central_differences(forward, backward, stride, padding, dilation):
    rng = np.random.default_rng(1)
    x, W, b = rng.standard_normal((2, 2, 6, 5)), rng.standard_normal((3, 2, 2, 3)), rng.standard_normal(3)
    out, cache = forward(x, W, b, stride, padding, dilation)
    dout = rng.standard_normal(out.shape)
    dx, dW, db = backward(dout, cache)

    def loss():
        return np.sum(forward(x, W, b, stride, padding, dilation)[0] * dout)

    for name, analytic, arr in (("dx", dx, x), ("dW", dW, W), ("db", db, b)):
        numeric = numerical_gradient(loss, arr)
        err = relative_error(analytic, numeric)
        assert err < 1e-6, f"{name} relative error {err:.2e} at stride={stride}, padding={padding}, dilation={dilation}"


def test_need_dx_false_and_no_bias():
    x, W, _ = _make((2, 3, 4, 6, 6, (3, 3), 1, 0, 1))
    out, cache = conv2d_forward(x, W)
    dx, dW, db = conv2d_backward(np.ones_like(out), cache, need_dx=False)
    assert dx is None and db is None
    np.testing.assert_allclose(dW, conv2d_backward(np.ones_like(out), cache)[1])
    out, cache = conv2d_forward_naive(x, W)
    assert conv2d_backward_naive(np.ones_like(out), cache, need_dx=False)[0] is None


def test_dtypes_are_kept():
    x, W = RNG.standard_normal((1, 2, 5, 5)).astype(np.float32), RNG.standard_normal((3, 2, 3, 3)).astype(np.float32)
    out, cache = conv2d_forward(x, W, np.zeros(3, np.float32), padding=1)
    dx, dW, db = conv2d_backward(np.ones_like(out), cache)
    assert out.dtype == dx.dtype == dW.dtype == db.dtype == np.float32
    assert conv2d(x.astype(np.float64), W.astype(np.float64)).dtype == np.float64
    assert conv2d(np.ones((1, 1, 3, 3), dtype=int), np.ones((1, 1, 2, 2), dtype=int)).dtype == np.float32


# -- im2col, col2im, sliding_windows ---------------------------------------------------------------------
def test_im2col_layout_one_column_per_window():
    x = np.arange(2 * 2 * 4 * 5, dtype=float).reshape(2, 2, 4, 5)
    cols = im2col(x, 2, 3, stride=(2, 1), dilation=1)
    H_out, W_out = 2, 3
    assert cols.shape == (2 * 2 * 3, 2 * H_out * W_out)
    n, i, j = 1, 1, 2  # column index runs over (n, i, j)
    window = x[n, :, i * 2 : i * 2 + 2, j : j + 3]
    np.testing.assert_array_equal(cols[:, (n * H_out + i) * W_out + j], window.ravel())
    np.testing.assert_array_equal(sliding_windows(x, 2, 3, stride=(2, 1))[n, :, i, j], window)


@pytest.mark.parametrize("stride, dilation", [(1, 1), (2, 1), (1, 2), ((2, 3), (2, 1))])
def test_col2im_is_the_adjoint_of_im2col(stride, dilation):
    # <im2col(x), Y> == <x, col2im(Y)> for every x, Y: col2im is the transpose of im2col.
    x = RNG.standard_normal((2, 3, 7, 8))
    cols = im2col(x, 3, 2, stride, dilation)
    Y = RNG.standard_normal(cols.shape)
    np.testing.assert_allclose(np.sum(cols * Y), np.sum(x * col2im(Y, x.shape, 3, 2, stride, dilation)), rtol=1e-10)


def test_im2col_errors():
    with pytest.raises(ValueError, match=r"expects a 4-D array \(N, C, H, W\), got shape \(4, 4\)"):
        im2col(np.ones((4, 4)), 2, 2)
    with pytest.raises(ValueError, match="larger than the padded input"):
        sliding_windows(np.ones((1, 1, 2, 2)), 3, 3)
    with pytest.raises(ValueError, match=r"expects cols of shape .* got \(4, 8\)"):
        col2im(np.ones((4, 8)), (1, 1, 3, 3), 2, 2)


# -- bad input -------------------------------------------------------------------------------------------
X, W3 = np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3))


@pytest.mark.parametrize("forward", [conv2d_forward, conv2d_forward_naive], ids=IMPL_IDS)
@pytest.mark.parametrize("kwargs, error, match", [
    (dict(x=np.ones((3, 5, 5))), ValueError, r"4-D input \(N, C, H, W\), got shape \(3, 5, 5\).*x\[None\]"),
    (dict(x=np.ones((2, 1, 5, 5))), ValueError, r"x has 1 input channels .* W expects C_in=3"),
    (dict(W=np.ones((3, 3, 3))), ValueError, r"weight W with shape \(C_out, C_in, KH, KW\), got shape \(3, 3, 3\)"),
    (dict(W=np.ones((4, 3, 7, 7))), ValueError, r"kernel 7 is larger than the padded input 5 \+ 0 \+ 0 = 5"),
    (dict(stride=0), ValueError, r"stride must be >= 1 in each direction, got 0"),
    (dict(padding=-1), ValueError, r"padding must be >= 0 in each direction, got -1"),
    (dict(padding=((0, -1), (0, 0))), ValueError, r"padding \(top, bottom\) must be >= 0"),
    (dict(padding=((0, 1, 2), (0, 0))), ValueError, r"\(\(top, bottom\), \(left, right\)\)"),
    (dict(padding="full"), ValueError, r"got 'full'.*allowed strings are \('valid', 'same'\)"),
    (dict(padding="same", stride=2), ValueError, r"padding='same' requires stride 1, got stride=2"),
    (dict(b=np.ones(3)), ValueError, r"bias b must have shape \(C_out,\) = \(4,\), got \(3,\)"),
    (dict(x=np.array([["a"]])), TypeError, r"x must be a numeric array, got dtype <U1"),
    (dict(W=[[1, 2], [3]]), TypeError, r"W must be a numeric array"),
])
def test_forward_errors(forward, kwargs, error, match):
    args = dict(x=X, W=W3, b=None, stride=1, padding=0, dilation=1) | kwargs
    with pytest.raises(error, match=match):
        forward(**args)


@pytest.mark.parametrize("forward, backward", IMPLS, ids=IMPL_IDS)
def test_backward_errors(forward, backward):
    out, cache = forward(X, W3)
    with pytest.raises(ValueError, match=r"got dout of shape \(2, 4, 3\), expected \(2, 4, 3, 3\)"):
        backward(np.ones((2, 4, 3)), cache)
    with pytest.raises(TypeError, match=r"needs the cache returned by conv2d_forward.*got NoneType"):
        backward(np.ones_like(out), None)
    other = conv2d_forward_naive if forward is conv2d_forward else conv2d_forward
    with pytest.raises(TypeError, match="needs the cache returned by"):
        backward(np.ones_like(out), other(X, W3)[1])


def test_conv2d_impl_error():
    with pytest.raises(ValueError, match=r"impl must be one of \('fast', 'naive'\), got 'loops'"):
        conv2d(X, W3, impl="loops")


@pytest.mark.parametrize("C, H", [(1, 12), (8, 5)], ids=["one-matmul-per-sample", "one-big-matmul"])
def test_both_matmul_routes_match_naive(C, H):
    from cnnlib.functional.conv import _per_sample

    assert _per_sample(C * 9, (H - 2) ** 2) == (C == 1)  # the two cases take different routes
    rng = np.random.default_rng(5)
    x, W, b = rng.standard_normal((3, C, H, H)), rng.standard_normal((4, C, 3, 3)), rng.standard_normal(4)
    out_f, cache_f = conv2d_forward(x, W, b)
    out_n, cache_n = conv2d_forward_naive(x, W, b)
    np.testing.assert_allclose(out_f, out_n, rtol=1e-10)
    dout = rng.standard_normal(out_f.shape)
    for need_dx in (True, False):
        for got, want in zip(conv2d_backward(dout, cache_f, need_dx), conv2d_backward_naive(dout, cache_n, need_dx)):
            assert (got is None) == (want is None)
            if got is not None:
                np.testing.assert_allclose(got, want, rtol=1e-10)


# -- the fast path's two speed-ups: the bias trick and a batch-last col2im ------------------------------------
@pytest.mark.parametrize("stride, dilation", [(1, 1), (2, 1), (1, 2), ((2, 3), (2, 1))])
def test_col2im_batch_last_equals_col2im(stride, dilation):
    N, C, H, W, KH, KW = 3, 2, 7, 8, 3, 2
    geometry = Geometry2D.conv((KH, KW), stride, 0, dilation)
    H_out, W_out = geometry.output_hw((H, W))
    cols = RNG.standard_normal((C * KH * KW, N * H_out * W_out))  # columns in (n, i, j) order
    batch_last = cols.reshape(-1, N, H_out, W_out).transpose(0, 2, 3, 1).reshape(C * KH * KW, -1)  # (i, j, n) order
    np.testing.assert_allclose(columns_to_image_batch_last(batch_last, (N, C, H, W), geometry, (H_out, W_out)),
                               col2im(cols, (N, C, H, W), KH, KW, stride, dilation), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("pads", [((1, 1), (1, 1)), ((0, 2), (1, 0)), ((0, 0), (0, 0))])
def test_pad_batch_last_is_pad_nchw_with_the_batch_last(pads):
    x = RNG.standard_normal((3, 2, 4, 5)).astype(np.float32)
    got = pad_batch_last(x, pads)
    assert got.dtype == np.float32 and got.flags.c_contiguous and not np.shares_memory(got, x)
    np.testing.assert_array_equal(got, pad_nchw(x, pads).transpose(1, 2, 3, 0))  # (C, H_pad, W_pad, N)


def test_pad_batch_last_bad_input():
    with pytest.raises(ValueError, match=r"pad_batch_last.*pads must be whole numbers >= 0.*Hint"):
        pad_batch_last(np.ones((1, 1, 2, 2)), ((1, -1), (0, 0)))
    with pytest.raises(ValueError, match=r"4-D.*got shape \(2, 2\)"):
        pad_batch_last(np.ones((2, 2)), ((1, 1), (1, 1)))


@pytest.mark.parametrize("stride, dilation, padding", [(1, 1, 1), (2, 1, 1), (1, 2, 0), ((2, 3), (2, 1), ((0, 2), (1, 0)))])
@pytest.mark.parametrize("ones_row", [False, True])
def test_im2col_batch_last_is_im2col_in_batch_last_column_order(stride, dilation, padding, ones_row):
    N, C, H, W, KH, KW = 3, 2, 7, 8, 3, 2
    x = RNG.standard_normal((N, C, H, W))
    geometry = Geometry2D.conv((KH, KW), stride, padding, dilation)
    H_out, W_out = geometry.output_hw((H, W))
    cols = im2col(pad_nchw(x, geometry.pads), KH, KW, stride, dilation)  # columns in (n, i, j) order
    want = cols.reshape(-1, N, H_out, W_out).transpose(0, 2, 3, 1).reshape(C * KH * KW, -1)  # (i, j, n) order
    got = image_to_columns_batch_last(x, geometry, (H_out, W_out), ones_row=ones_row)
    assert got.shape == (C * KH * KW + ones_row, H_out * W_out * N)
    np.testing.assert_array_equal(got[: C * KH * KW], want)
    if ones_row:
        np.testing.assert_array_equal(got[-1], 1.0)


@pytest.mark.parametrize("C, H", [(1, 12), (8, 5)], ids=["one-matmul-per-sample", "one-big-matmul"])
def test_bias_trick_adds_b_and_gives_db(C, H):
    rng = np.random.default_rng(6)
    x, W, b = rng.standard_normal((3, C, H, H)), rng.standard_normal((4, C, 3, 3)), rng.standard_normal(4)
    out, cache = conv2d_forward(x, W, b, padding=1)
    out_no_bias, cache_no_bias = conv2d_forward(x, W, padding=1)
    np.testing.assert_allclose(out, out_no_bias + b[:, None, None], rtol=1e-12, atol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx, dW, db = conv2d_backward(dout, cache)
    dx_no_bias, dW_no_bias, _ = conv2d_backward(dout, cache_no_bias)
    np.testing.assert_allclose(db, dout.sum(axis=(0, 2, 3)), rtol=1e-12)
    np.testing.assert_allclose(dW, dW_no_bias, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx, dx_no_bias, rtol=1e-12, atol=1e-12)
    assert db.flags.c_contiguous and dW.flags.c_contiguous and dW.shape == W.shape


def test_a_float64_bias_keeps_a_float32_output():
    x, W = RNG.standard_normal((2, 2, 5, 5)).astype(np.float32), RNG.standard_normal((3, 2, 3, 3)).astype(np.float32)
    b = RNG.standard_normal(3)  # float64, as before the bias trick: out has the dtype of x and W
    out, cache = conv2d_forward(x, W, b)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, conv2d_forward_naive(x, W, b)[0], rtol=1e-5, atol=1e-5)
    assert conv2d_backward(np.ones_like(out), cache)[2].dtype == np.float32


@pytest.mark.parametrize("padding, stride", [(1, 1), (1, 2), (((0, 2), (1, 0)), 1)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_last_route_with_padding_matches_the_loops(padding, stride, dtype):
    # Small images, many channels: the big-matmul route, whose dx comes back batch-last and is copied
    # into NCHW one channel at a time (_batch_first), with the padding's gradient cut off.
    from cnnlib.functional.conv import _per_sample

    rng = np.random.default_rng(7)
    x, W = rng.standard_normal((4, 6, 5, 5)).astype(dtype), rng.standard_normal((3, 6, 3, 3)).astype(dtype)
    out, cache = conv2d_forward(x, W, padding=padding, stride=stride)
    assert not _per_sample(cache.cols.shape[0], out.shape[2] * out.shape[3])
    out_n, cache_n = conv2d_forward_naive(x, W, padding=padding, stride=stride)
    dout = rng.standard_normal(out.shape).astype(dtype)
    dx, dW, _ = conv2d_backward(dout, cache)
    dx_n, dW_n, _ = conv2d_backward_naive(dout, cache_n)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert dx.dtype == dtype and dx.flags.c_contiguous and dx.shape == x.shape
    np.testing.assert_allclose(dx, dx_n, rtol=tol, atol=tol)
    np.testing.assert_allclose(dW, dW_n, rtol=tol, atol=tol)


@pytest.mark.parametrize("N, dtype, dilation", [(3, np.float64, 2), (3, np.float16, 1), (0, np.float32, 1)],
                         ids=["bias-dilation", "float16", "empty-batch"])
def test_batch_last_route_with_bias_dilation_float16_and_no_samples(N, dtype, dilation):
    from cnnlib.functional.conv import _per_sample

    rng = np.random.default_rng(8)
    x = rng.standard_normal((N, 6, 6, 6)).astype(dtype)
    W, b = rng.standard_normal((4, 6, 3, 3)).astype(dtype), rng.standard_normal(4).astype(dtype)
    out, cache = conv2d_forward(x, W, b, padding=1, dilation=dilation)
    assert not _per_sample(cache.cols.shape[0], out.shape[2] * out.shape[3])  # the batch-last route
    wide = np.float64  # the loops in float64, the reference for every dtype
    out_n, cache_n = conv2d_forward_naive(x.astype(wide), W.astype(wide), b.astype(wide), padding=1,
                                          dilation=dilation)
    dout = rng.standard_normal(out.shape).astype(dtype)
    tol = 2e-2 if dtype == np.float16 else 1e-10
    assert out.dtype == dtype and out.flags.c_contiguous and out.shape == out_n.shape
    np.testing.assert_allclose(out, out_n, rtol=tol, atol=tol)
    for got, want in zip(conv2d_backward(dout, cache), conv2d_backward_naive(dout.astype(wide), cache_n)):
        assert got.dtype == dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * (1 + np.abs(want).max(initial=0)))


def test_batch_first_copies_a_batch_last_view_into_nchw():
    from cnnlib.functional.conv import _batch_first

    memory = np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5)  # (C, H, W, N)
    view = memory.transpose(3, 0, 1, 2)[:, :, 1:, :2]  # (N, C, H, W) view, cropped like the padding
    got = _batch_first(view, np.float32)
    assert got.dtype == np.float32 and got.flags.c_contiguous and got.shape == (5, 2, 2, 2)
    np.testing.assert_array_equal(got, view)
    assert got[4, 1, 0, 1] == memory[1, 1, 1, 4]  # dx[n, c, h, w] is memory[c, h, w, n]
