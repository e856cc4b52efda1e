"""conv_transpose2d (naive and fast): the stamp picture by hand, naive == fast, the backward of a conv, gradients."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnnlib.functional import (
    conv2d_backward,
    conv2d_forward,
    conv_transpose2d,
    conv_transpose2d_backward,
    conv_transpose2d_backward_naive,
    conv_transpose2d_forward,
    conv_transpose2d_forward_naive,
)
from cnnlib.gradcheck import numerical_gradient, relative_errors

IMPLS = [(conv_transpose2d_forward, conv_transpose2d_backward),
         (conv_transpose2d_forward_naive, conv_transpose2d_backward_naive)]
IMPL_IDS = ["fast", "naive"]


def img(a):
    """One grayscale image as (1, 1, H, W)."""
    return np.asarray(a, dtype=np.float64)[None, None]


# -- hand-computed cases -------------------------------------------------------------------
@pytest.mark.parametrize("impl", IMPL_IDS)
def test_the_stamp_picture_2x2_input_2x2_kernel_stride_2(impl):
    # Each input pixel stamps value * kernel onto its own 2x2 block of the 4x4 output: no overlap at stride 2.
    x = img([[1, 2], [3, 4]])
    k = img([[1, 10], [100, 1000]])
    expected = [[1, 10, 2, 20],
                [100, 1000, 200, 2000],
                [3, 30, 4, 40],
                [300, 3000, 400, 4000]]
    np.testing.assert_array_equal(conv_transpose2d(x, k, stride=2, impl=impl)[0, 0], expected)


@pytest.mark.parametrize("impl", IMPL_IDS)
def test_hand_cases_overlap_padding_output_padding_dilation_bias_channels(impl):
    ones = np.ones((1, 1, 2, 2))
    # stride 1: the stamps overlap and add up; each output pixel counts the stamps covering it
    np.testing.assert_array_equal(conv_transpose2d(np.ones((1, 1, 2, 2)), ones, impl=impl)[0, 0],
                                  [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    # padding 1 cuts one row/column off each side of that 3x3 output
    np.testing.assert_array_equal(conv_transpose2d(np.ones((1, 1, 2, 2)), ones, padding=1, impl=impl)[0, 0], [[4]])
    # output_padding 1 at stride 2 adds a row and a column of zeros at the bottom/right (nothing stamps there)
    out = conv_transpose2d(img([[1, 2], [3, 4]]), ones, stride=2, output_padding=1, impl=impl)[0, 0]
    assert out.shape == (5, 5)
    np.testing.assert_array_equal(out[4], 0)
    np.testing.assert_array_equal(out[:, 4], 0)
    # dilation 2: a 2x2 kernel's taps land 2 apart
    np.testing.assert_array_equal(conv_transpose2d(img([[5]]), ones, dilation=2, impl=impl)[0, 0],
                                  [[5, 0, 5], [0, 0, 0], [5, 0, 5]])
    # two input channels add up; W[c, f] is the kernel from input channel c to output channel f; plus bias
    W = np.array([1.0, 10.0]).reshape(2, 1, 1, 1)
    out = conv_transpose2d(np.ones((1, 2, 2, 2)), W, b=np.array([0.5]), impl=impl)
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), 11.5))


@pytest.mark.parametrize("forward, backward", IMPLS, ids=IMPL_IDS)
def test_hand_backward(forward, backward):
    # Every output pixel got one stamp at stride 2, so each x pixel's gradient is the sum of its 2x2 block.
    out, cache = forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), np.zeros(1), stride=2)
    dout = np.arange(16.0).reshape(1, 1, 4, 4)
    dx, dW, db = backward(dout, cache)
    np.testing.assert_array_equal(dx[0, 0], [[0 + 1 + 4 + 5, 2 + 3 + 6 + 7], [8 + 9 + 12 + 13, 10 + 11 + 14 + 15]])
    np.testing.assert_array_equal(dW[0, 0], [[0 + 2 + 8 + 10, 1 + 3 + 9 + 11], [4 + 6 + 12 + 14, 5 + 7 + 13 + 15]])
    np.testing.assert_array_equal(db, [120])


# -- naive == fast, output size -------------------------------------------------------------------
@st.composite
def transpose_configs(draw):
    N, C, C_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H, W = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    K = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.sampled_from([(1, 1), (2, 2), (3, 3), (1, 2), (2, 1)]))
    dilation = draw(st.sampled_from([(1, 1), (2, 2), (1, 2)]))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    return N, C, C_out, H, W, K, stride, padding, output_padding, dilation


def _size(H, K, s, p, op, d):
    """The output size written out from the definition, independently of cnnlib.shapes."""
    return (H - 1) * s - 2 * p + d * (K - 1) + op + 1


def _make(config, seed=0, bias=True):
    N, C, C_out, H, W, K, *_ = config
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, C, H, W)), rng.standard_normal((C, C_out, *K)),
            rng.standard_normal(C_out) if bias else None)


@settings(max_examples=60, deadline=None)
@given(transpose_configs(), st.booleans())
def test_naive_equals_fast_and_the_size_is_the_formula(config, bias):
    N, C, C_out, H, W, K, stride, padding, output_padding, dilation = config
    size = tuple(_size((H, W)[a], K[a], stride[a], padding[a], output_padding[a], dilation[a]) for a in (0, 1))
    assume(min(size) >= 1)
    x, Wt, b = _make(config, bias=bias)
    out_f, cache_f = conv_transpose2d_forward(x, Wt, b, stride, padding, output_padding, dilation)
    out_n, cache_n = conv_transpose2d_forward_naive(x, Wt, b, stride, padding, output_padding, dilation)
    assert out_f.shape == (N, C_out, *size)
    np.testing.assert_allclose(out_f, out_n, rtol=1e-10, atol=1e-12)
    dout = np.random.default_rng(1).standard_normal(out_f.shape)
    for got, want, name in zip(conv_transpose2d_backward(dout, cache_f), conv_transpose2d_backward_naive(dout, cache_n),
                               "x W b".split()):
        if want is None:
            assert got is None, name
        else:
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=f"d{name} of {config}")


# -- the identity: a transposed convolution is the backward of a convolution ----------------------
@pytest.mark.parametrize("stride, padding, dilation", [(1, 0, 1), (2, 1, 1), ((2, 3), (1, 0), (1, 2)), (3, 2, 2)])
def test_conv2d_backward_wrt_x_is_conv_transpose2d_forward_with_the_same_W(stride, padding, dilation):
    rng = np.random.default_rng(2)
    x, W = rng.standard_normal((2, 3, 9, 10)), rng.standard_normal((4, 3, 3, 2))  # conv W: (C_out=4, C_in=3, ...)
    out, cache = conv2d_forward(x, W, None, stride, padding, dilation)
    dout = rng.standard_normal(out.shape)
    dx = conv2d_backward(dout, cache)[0]
    # conv2d_forward maps 9 rows to out rows; the transposed conv maps them back to 9 with the right output_padding
    s = (stride, stride) if isinstance(stride, int) else stride
    p = (padding, padding) if isinstance(padding, int) else padding
    d = (dilation, dilation) if isinstance(dilation, int) else dilation
    op = tuple(x.shape[2 + a] - _size(out.shape[2 + a], W.shape[2 + a], s[a], p[a], 0, d[a]) for a in (0, 1))
    for impl in IMPL_IDS:
        np.testing.assert_allclose(conv_transpose2d(dout, W, None, stride, padding, op, dilation, impl=impl), dx,
                                   rtol=1e-10, atol=1e-12, err_msg=impl)
    # and the other way: the backward of a transposed conv w.r.t. its input is the conv
    _, tcache = conv_transpose2d_forward(dout, W, None, stride, padding, op, dilation)
    y = rng.standard_normal(x.shape)
    np.testing.assert_allclose(conv_transpose2d_backward(y, tcache)[0], conv2d_forward(y, W, None, stride, padding,
                                                                                       dilation)[0], rtol=1e-10)


# -- gradient checks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("forward, backward", IMPLS, ids=IMPL_IDS)
@pytest.mark.parametrize("stride, padding, output_padding, dilation", [
    (1, 0, 0, 1), (2, 1, 1, 1), ((2, 1), (0, 1), (1, 0), 1), (1, 1, 1, 2), (3, 0, (2, 1), (1, 2)),
])
def test_gradients_match_central_differences(forward, backward, stride, padding, output_padding, dilation):
    rng = np.random.default_rng(1)
    x, W, b = rng.standard_normal((2, 2, 3, 4)), rng.standard_normal((2, 3, 2, 3)), rng.standard_normal(3)
    out, cache = forward(x, W, b, stride, padding, output_padding, dilation)
    dout = rng.standard_normal(out.shape)
    dx, dW, db = backward(dout, cache)

    def f():
        return forward(x, W, b, stride, padding, output_padding, dilation)[0]

    for name, analytic, arr in (("dx", dx, x), ("dW", dW, W), ("db", db, b)):
        numeric = numerical_gradient(f, arr, dout=dout)
        errors = relative_errors(analytic, numeric)
        worst = np.unravel_index(errors.argmax(), errors.shape)
        assert errors.max() < 1e-7, f"{name}{list(worst)}: analytic {analytic[worst]}, numeric {numeric[worst]}"


@pytest.mark.parametrize("forward, backward", IMPLS, ids=IMPL_IDS)
def test_need_dx_false_and_no_bias(forward, backward):
    out, cache = forward(np.ones((1, 2, 2, 2)), np.ones((2, 3, 2, 2)), None, stride=2)
    dx, dW, db = backward(np.ones_like(out), cache, need_dx=False)
    assert dx is None and db is None
    np.testing.assert_array_equal(dW, np.full((2, 3, 2, 2), 4.0))  # 4 pixels, each 1 times its window of ones


def test_float32_stays_float32_and_an_empty_batch_works():
    out, cache = conv_transpose2d_forward(np.ones((0, 2, 3, 3), np.float32), np.ones((2, 4, 3, 3), np.float32),
                                          stride=2)
    assert out.shape == (0, 4, 7, 7) and out.dtype == np.float32
    dx, dW, db = conv_transpose2d_backward(np.zeros(out.shape, np.float32), cache)
    assert dx.shape == (0, 2, 3, 3) and dx.dtype == dW.dtype == np.float32
    x32 = np.ones((1, 1, 2, 2), np.float32)
    assert conv_transpose2d(x32, np.ones((1, 1, 2, 2), np.float32), impl="naive").dtype == np.float32


# -- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("impl", IMPL_IDS)
@pytest.mark.parametrize("args, kwargs, error, pattern", [
    ((np.ones((1, 2, 3, 3)), np.ones((3, 4, 2, 2))), {}, ValueError,
     r"x has 2 channels \(shape \(1, 2, 3, 3\)\) but W expects C_in=3 .*Hint: .*\(C_in, C_out, KH, KW\).*axis 0"),
    ((np.ones((1, 2, 3, 3)), np.ones((2, 4, 2))), {}, ValueError, r"W with shape \(C_in, C_out, KH, KW\), got shape "
                                                                  r"\(2, 4, 2\)"),
    ((np.ones((1, 2, 3, 3)), np.ones((2, 4, 2, 2)), np.ones(2)), {}, ValueError,
     r"bias b must have shape \(C_out,\) = \(4,\), got \(2,\).*W\.shape\[1\]"),
    ((np.ones((2, 3, 3)), np.ones((2, 4, 2, 2))), {}, ValueError, r"expects a 4-D input \(N, C, H, W\), got shape "
                                                                  r"\(2, 3, 3\).*x\[None\]"),
    ((np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3))), dict(stride=2, output_padding=2), ValueError,
     r"output_padding must be smaller than either the stride or the dilation.*got output_padding=2 with stride=2"),
    ((np.ones((1, 1, 1, 1)), np.ones((1, 1, 1, 1))), dict(padding=1), ValueError, r"No valid output.*= -1\. Hint"),
    ((np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3))), dict(padding="same"), TypeError,
     r"padding must be an int or a pair \(ph, pw\), got 'same'"),
    ((np.array([["a"]]), np.ones((1, 1, 3, 3))), {}, TypeError, r"x must be a numeric array"),
])
def test_bad_input(impl, args, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        conv_transpose2d(*args, **kwargs, impl=impl)


@pytest.mark.parametrize("forward, backward", IMPLS, ids=IMPL_IDS)
def test_backward_checks_dout_and_cache(forward, backward):
    out, cache = forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), stride=2)
    with pytest.raises(ValueError, match=r"got dout of shape \(1, 1, 3, 3\), expected \(1, 1, 4, 4\)"):
        backward(np.ones((1, 1, 3, 3)), cache)
    with pytest.raises(TypeError, match=r"needs the cache returned by conv_transpose2d_forward"):
        backward(np.ones_like(out), (1, 2))
