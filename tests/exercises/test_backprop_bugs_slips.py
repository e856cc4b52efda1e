"""Lesson 06's find-the-bug checkers on answers a student's review found: a kernel rotated in the loop form, a
"fix" that calls cnnlib's own backward, and the batch-norm fix that must not read as two fixes. Also the
numbers lesson 06's prose states about rows that no window reaches."""
import inspect
import linecache

import numpy as np
import pytest

import cnnlib.functional as F
from cnnlib.exercises import backprop_bugs as bugs
from cnnlib.exercises.gradcheck_diagnosis import (diagnose_batchnorm_backward, diagnose_conv_backward,
                                                  diagnose_maxpool_backward)
from cnnlib.functional import conv2d_backward, conv2d_forward, maxpool2d_backward, maxpool2d_forward
from cnnlib.layers import BatchNorm2D, Conv2D, MaxPool2D
from cnnlib.widgets import backprop_pass_view


# -- the kernel rotated in the loop (scatter) form -----------------------------------------------------------------
def rotated_loops(dout, x, W, stride=1, padding=0):
    """Bug 1 fixed, then the kernel rotated as in the correlation form: one rotation too many."""
    N, C, H, W_in = x.shape
    F_, _, KH, KW = W.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad, dW = np.zeros_like(x_pad), np.zeros_like(W)
    for n in range(N):
        for f in range(F_):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    top, left = i * stride, j * stride
                    dW[f] += dout[n, f, i, j] * x_pad[n, :, top:top + KH, left:left + KW]
                    dx_pad[n, :, top:top + KH, left:left + KW] += dout[n, f, i, j] * W[f, :, ::-1, ::-1]
    return dx_pad[:, :, padding:padding + H, padding:padding + W_in], dW, dout.sum(axis=(0, 2, 3))


def rotated_loops_without_stride(dout, x, W, stride=1, padding=0):
    """The same rotation, and the window start of Bug 1 as well."""
    N, C, H, W_in = x.shape
    F_, _, KH, KW = W.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad, dW = np.zeros_like(x_pad), np.zeros_like(W)
    for n in range(N):
        for f in range(F_):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    top, left = i, j
                    dW[f] += dout[n, f, i, j] * x_pad[n, :, top:top + KH, left:left + KW]
                    dx_pad[n, :, top:top + KH, left:left + KW] += dout[n, f, i, j] * W[f, :, ::-1, ::-1]
    return dx_pad[:, :, padding:padding + H, padding:padding + W_in], dW, dout.sum(axis=(0, 2, 3))


def test_a_kernel_rotated_in_the_loop_form_is_not_sent_to_bug_2s_w_back():
    result = diagnose_conv_backward(rotated_loops)
    assert not result and result.mistake == "flip_loop"
    assert "W_back" not in result.hint(2) + result.hint(3)  # W_back exists only in Bug 2
    assert "loop (scatter) form" in result.hint(3) and "* W[f]." in result.hint(3)
    assert "only to the correlation form" in result.hint(3)
    for early in (result.message, result.hint(1), result.hint(2)):  # the fix comes last
        assert "* W[f]." not in early and "::-1" not in early


def test_bug_2_itself_still_gets_the_correlation_forms_hints():
    result = diagnose_conv_backward(bugs.conv_backward_broken_2)
    assert result.mistake == "flip" and "W_back" in result.hint(2) and "W_back" in result.hint(3)


def test_a_rotated_kernel_next_to_another_slip_is_still_named():
    result = diagnose_conv_backward(rotated_loops_without_stride)
    assert set(result.mistakes) == {"stride", "flip_loop"}
    assert "(2) in the loop (scatter) form the kernel goes back as it is" in result.hint(3)


# -- a "fix" that calls cnnlib's own backward ---------------------------------------------------------------------
def conv_by_functional(dout, x, W, stride=1, padding=0):
    _, cache = conv2d_forward(x, W, np.zeros(W.shape[0]), stride=stride, padding=padding)
    return conv2d_backward(dout, cache)


def conv_by_module(dout, x, W, stride=1, padding=0):
    _, cache = F.conv2d_forward(x, W, np.zeros(W.shape[0]), stride=stride, padding=padding)
    return F.conv2d_backward(dout, cache)


def conv_by_layer(dout, x, W, stride=1, padding=0):
    layer = Conv2D(W.shape[1], W.shape[0], W.shape[2:], stride=stride, padding=padding, dtype=np.float64)
    layer.params["W"][...] = W
    layer.forward(x)
    dx = layer.backward(dout)
    return dx, layer.grads["W"], layer.grads["b"]


def pool_by_functional(dout, x, kernel_size=2, stride=2):
    _, cache = maxpool2d_forward(x, kernel_size, stride)
    return maxpool2d_backward(dout, cache)


def pool_by_layer(dout, x, kernel_size=2, stride=2):
    layer = MaxPool2D(kernel_size, stride)
    layer.forward(x)
    return layer.backward(dout)


def bn_by_layer(dout, x, gamma, eps=1e-5):
    layer = BatchNorm2D(x.shape[1], eps=eps, dtype=np.float64)
    layer.params["gamma"][...] = gamma
    layer.forward(x)
    dx = layer.backward(dout)
    return dx, layer.grads["gamma"], layer.grads["beta"]


@pytest.mark.parametrize("fn, check, called", [
    (conv_by_functional, diagnose_conv_backward, "conv2d_backward"),
    (conv_by_module, diagnose_conv_backward, "conv2d_backward"),
    (conv_by_layer, diagnose_conv_backward, ".backward()"),
    (pool_by_functional, diagnose_maxpool_backward, "maxpool2d_backward"),
    (pool_by_layer, diagnose_maxpool_backward, ".backward()"),
    (bn_by_layer, diagnose_batchnorm_backward, ".backward()"),
])
def test_a_fix_that_calls_cnnlibs_backward_is_not_accepted(fn, check, called):
    result = check(fn)
    assert all(r.passed for r in result.results), "the numbers match: that is why the call must be named"
    assert not result and result.mistake == "library_backward"
    assert f"but {fn.__name__} calls {called}: " in result.message  # what was received
    assert "Expected: the broken function with its one wrong line fixed" in result.message  # what was expected
    assert ".hint(2)" in result.message and "one line" in result.hint(2) and ".hint(3)" in result.hint(3)


def test_the_lessons_fixed_copies_are_still_accepted():
    """Bug 2's fix calls conv2d, a plain correlation: that is its own tool, not cnnlib's backward."""
    fixed_2 = _source_edit(bugs.conv_backward_broken_2, "W_back = W.transpose(1, 0, 2, 3)",
                           "W_back = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)")
    assert diagnose_conv_backward(fixed_2).correct


def _source_edit(fn, old, new):
    """``fn`` with ``old`` replaced by ``new``, its source kept where inspect finds it (as in a notebook cell)."""
    source = inspect.getsource(fn).replace(old, new)
    filename = f"<fixed {fn.__name__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # as IPython does for cells
    namespace = {"np": np, "conv2d": F.conv2d}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[fn.__name__]


# -- bug 5's fix: the sums' axes, while m is already right ---------------------------------------------------------
def test_bug_5s_fix_does_not_read_as_a_second_fix_of_m():
    result = diagnose_batchnorm_backward(bugs.batchnorm_backward_broken)
    assert "m = x.shape[0] * x.shape[2] * x.shape[3]" in inspect.getsource(bugs.batchnorm_backward_broken)
    assert "not N." not in result.hint(3) and "m, already right in the code" in result.hint(3)


# -- what lesson 06 says about rows no window reaches ----------------------------------------------------------------
@pytest.mark.parametrize("padding, zero", [(1, [1]), (2, [0, 3])])
def test_rows_between_windows_get_zero_gradient_when_the_stride_exceeds_the_kernel(padding, zero):
    """4×4 input, 2×2 kernel, stride 3: the S − K = 1 row between two windows is skipped; at padding 1 that is
    row 1 of x, at padding 2 rows 0 and 3. The figure hatches only the rows the floor dropped, (4 + 2P − 2) mod 3."""
    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((1, 1, 4, 4)), rng.standard_normal((1, 1, 2, 2))
    out, cache = conv2d_forward(x, W, np.zeros(1), stride=3, padding=padding)
    dx = conv2d_backward(rng.standard_normal(out.shape), cache)[0][0, 0]
    assert [r for r in range(4) if not dx[r].any()] == zero and [c for c in range(4) if not dx[:, c].any()] == zero
    view = backprop_pass_view(stride=3, padding=padding)
    assert view.extra == ((2 + 2 * padding) % 3,) * 2 == ((1, 1) if padding == 1 else (0, 0))
    assert not view.dx[zero].any() and not view.dx[:, zero].any()


# -- dW from one image, or averaged over the batch ----------------------------------------------------------------
def _library_backward(dout, x, W, stride, padding):
    return conv2d_backward(dout, conv2d_forward(x, W, np.zeros(W.shape[0]), stride, padding)[1])


def dW_of_the_first_image(dout, x, W, stride=1, padding=0):
    dx, _, db = _library_backward(dout, x, W, stride, padding)
    return dx, _library_backward(dout[:1], x[:1], W, stride, padding)[1], db


def dW_averaged_over_the_batch(dout, x, W, stride=1, padding=0):
    dx, dW, db = _library_backward(dout, x, W, stride, padding)
    return dx, dW / x.shape[0], db


@pytest.mark.parametrize("fn, mistake, words", [
    (dW_of_the_first_image, "dW_first_image", "FIRST image of the batch only"),
    (dW_averaged_over_the_batch, "dW_batch_mean", "MEAN over the images"),
])
def test_a_dw_from_one_image_or_averaged_is_named(fn, mistake, words):
    result = diagnose_conv_backward(fn)
    assert not result and result.mistake == mistake and words in result.message
    assert "for every n" in result.hint(3) or "do not divide again" in result.hint(3)
