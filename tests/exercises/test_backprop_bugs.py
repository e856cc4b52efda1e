"""The find-the-bug exercises: each broken backward FAILS a gradient check, the checker names its mistake,
and the one-line fix passes."""
import inspect

import numpy as np
import pytest

from cnnlib.exercises import backprop_bugs as bugs
from cnnlib.exercises.gradcheck_diagnosis import (TOL, Diagnosis, diagnose_batchnorm_backward, diagnose_conv_backward,
                                                  diagnose_maxpool_backward)
from cnnlib.functional import conv2d, maxpool2d
from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.layers import BatchNorm2D

# (broken function, the wrong line, its fix, and any further (wrong, fix) pairs)
FIXES = {
    "stride": (bugs.conv_backward_broken_1, "top, left = i, j", "top, left = i * stride, j * stride"),
    "flip": (bugs.conv_backward_broken_2, "W_back = W.transpose(1, 0, 2, 3)",
             "W_back = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)"),
    "crop": (bugs.conv_backward_broken_3, "dx = dx_pad[:, :, :H, :W_in]",
             "dx = dx_pad[:, :, padding:padding + H, padding:padding + W_in]"),
    "every_element": (bugs.maxpool_backward_broken,
                      "dx[n, c, top:top + kernel_size, left:left + kernel_size] += dout[n, c, i, j]",
                      "dx[n, c, top + r, left + s] += dout[n, c, i, j]"),
    "bn_axes": (bugs.batchnorm_backward_broken,  # one line of maths, over two lines of code
                "m * dout - dout.sum(axis=0, keepdims=True)", "m * dout - dout.sum(axis=axes, keepdims=True)",
                ("x_hat * (dout * x_hat).sum(axis=0, keepdims=True)",
                 "x_hat * (dout * x_hat).sum(axis=axes, keepdims=True)")),
}
DIAGNOSE = {"stride": diagnose_conv_backward, "flip": diagnose_conv_backward, "crop": diagnose_conv_backward,
            "every_element": diagnose_maxpool_backward, "bn_axes": diagnose_batchnorm_backward}


def edited(fn, old: str, new: str, *more):
    """A copy of ``fn`` with the line ``old`` replaced by ``new`` (and any further ``(old, new)`` pairs):
    what a student's fixed copy looks like."""
    source = inspect.getsource(fn)
    for wrong, right in ((old, new), *more):
        assert source.count(wrong) == 1, f"{wrong!r} not found exactly once in {fn.__name__}"
        source = source.replace(wrong, right)
    namespace = {"np": np, "conv2d": conv2d}
    exec(source, namespace)
    return namespace[fn.__name__]


# -- each broken variant fails a plain gradient check ------------------------------------------------------
def _conv_case(stride, padding, seed=0):
    rng = np.random.default_rng(seed)
    x, W, b = rng.standard_normal((2, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3)), np.zeros(3)
    f = lambda: conv2d(x, W, b, stride, padding)  # noqa: E731
    dout = rng.standard_normal(f().shape)
    return x, W, dout, numerical_gradient(f, x, dout=dout), numerical_gradient(f, W, dout=dout)


@pytest.mark.parametrize("name, stride, padding, bad", [
    ("stride", 2, 0, ("dx", "dW")),
    ("flip", 1, 0, ("dx",)),
    ("crop", 1, 1, ("dx",)),
])
def test_broken_conv_backward_fails_the_gradient_check(name, stride, padding, bad):
    x, W, dout, num_dx, num_dW = _conv_case(stride, padding)
    dx, dW, _ = FIXES[name][0](dout, x, W, stride, padding)
    errors = {"dx": relative_error(dx, num_dx), "dW": relative_error(dW, num_dW)}
    for grad, err in errors.items():
        assert (err > 1e-2) == (grad in bad), f"{name}: {grad} relative error {err:.1e}"


def test_broken_maxpool_backward_fails_the_gradient_check():
    x = np.random.default_rng(1).standard_normal((1, 2, 6, 6))
    dout = np.random.default_rng(2).standard_normal((1, 2, 3, 3))
    numeric = numerical_gradient(lambda: maxpool2d(x, 2, 2), x, dout=dout)
    assert relative_error(bugs.maxpool_backward_broken(dout, x, 2, 2), numeric) > 0.5


def test_broken_batchnorm_backward_fails_the_gradient_check_only_on_real_maps():
    rng = np.random.default_rng(3)
    for hw, fails in ((1, False), (3, True)):
        x = rng.standard_normal((4, 2, hw, hw))
        layer = BatchNorm2D(2, dtype=np.float64)
        dout = rng.standard_normal(x.shape)
        numeric = numerical_gradient(lambda: layer.forward(x), x, dout=dout)
        dx, _, _ = bugs.batchnorm_backward_broken(dout, x, layer.params["gamma"])
        assert (relative_error(dx, numeric) > 1e-2) == fails


# -- the checker names each mistake, and the fixed copy passes --------------------------------------------
@pytest.mark.parametrize("mistake", list(FIXES))
def test_checker_names_the_mistake_of_each_broken_variant(mistake):
    result = DIAGNOSE[mistake](bugs.BROKEN[mistake])
    assert isinstance(result, Diagnosis)
    assert not result and result.mistake == mistake
    assert any(not r.passed for r in result.results)


@pytest.mark.parametrize("mistake", list(FIXES))
def test_fixing_the_one_wrong_line_passes(mistake):
    result = DIAGNOSE[mistake](edited(*FIXES[mistake]))
    assert result, str(result)
    assert result.mistake is None
    assert all(r.passed and max(r.errors.values()) < TOL for r in result.results)
    assert "pass" in result.message


def test_stride_message_is_the_one_students_need():
    result = diagnose_conv_backward(bugs.conv_backward_broken_1)
    assert result.message.startswith(
        "correct at stride 1, wrong at strides 2 and 3: something that depends on the stride")
    assert "dx fails at stride 2, padding 0; stride 2, padding 1; stride 3, padding 0." in result.message
    assert result.hint(3).endswith("top, left = i * stride, j * stride.")
    table = result.table().splitlines()
    assert table[0].split()[:4] == ["stride", "1,", "padding", "0"] and "✘" not in table[0]
    assert "✘" in table[1]


def test_report_prints_the_gradient_check_table():
    text = str(diagnose_batchnorm_backward(bugs.batchnorm_backward_broken))
    assert text.startswith("✘ Not yet: correct for 1×1 feature maps, wrong for 4×4 ones")
    assert "1×1 feature maps (N=4, C=3)" in text and "dx 1.0e+00" in text


def test_none_asks_for_an_answer():
    result = diagnose_conv_backward(None)
    assert not result and result.mistake is None
    assert "replace None with your fixed function" in result.message


# -- mistakes the broken variants do not contain ---------------------------------------------------------
def test_a_crash_is_reported_not_raised():
    def crashes(dout, x, W, stride=1, padding=0):
        raise IndexError("index 5 is out of bounds")

    result = diagnose_conv_backward(crashes)
    assert not result and result.mistake == "other"
    assert "raised IndexError: index 5 is out of bounds" in result.message


def test_returning_the_padded_dx_is_named():
    fixed = edited(*FIXES["crop"])
    uncropped = edited(bugs.conv_backward_broken_3, "dx = dx_pad[:, :, :H, :W_in]", "dx = dx_pad")
    assert diagnose_conv_backward(fixed)
    result = diagnose_conv_backward(uncropped)
    assert result.mistake == "crop"
    assert "padded input's shape (2, 2, 7, 7)" in result.message


def test_a_different_stride_slip_is_still_called_a_stride_mistake():
    rows_only = edited(bugs.conv_backward_broken_1, "top, left = i, j", "top, left = i * stride, j")
    result = diagnose_conv_backward(rows_only)
    assert result.mistake == "stride"
    assert result.message.startswith("dx and dW are correct at stride 1, wrong at stride 2")
    assert "in the correlation form, dout needs stride - 1 zeros" in result.hint(3)


def test_a_wrong_bias_gradient_is_named():
    result = diagnose_conv_backward(_replace_db(edited(*FIXES["stride"])))
    assert result.mistake == "db"
    assert "db fails in every setting" in result.message and "dx and dW pass in every setting" in result.message
    assert "dout.sum(axis=(0, 2, 3))" in result.hint(3) and "dout.sum(axis=(0, 2, 3))" not in result.message


def _replace_db(fixed_conv):
    def wrong_db(dout, x, W, stride=1, padding=0):
        dx, dW, _ = fixed_conv(dout, x, W, stride, padding)
        return dx, dW, dout.mean(axis=(0, 2, 3))

    return wrong_db


def test_average_pooling_gradient_is_named():
    fixed = edited(*FIXES["every_element"])

    def spread(dout, x, kernel_size=2, stride=2):
        share = bugs.maxpool_backward_broken(dout, x, kernel_size, stride)
        return share / (kernel_size * kernel_size)

    assert diagnose_maxpool_backward(fixed)
    result = diagnose_maxpool_backward(spread)
    assert result.mistake == "average"


def test_overwriting_instead_of_adding_is_caught_only_with_overlap():
    assigns = edited(bugs.maxpool_backward_broken,
                     "dx[n, c, top:top + kernel_size, left:left + kernel_size] += dout[n, c, i, j]",
                     "dx[n, c, top + r, left + s] = dout[n, c, i, j]")
    result = diagnose_maxpool_backward(assigns)
    assert result.mistake == "overlap"
    assert [r.passed for r in result.results] == [True, False, False]


def test_batchnorm_with_constant_statistics_is_named():
    def constant(dout, x, gamma, eps=1e-5):
        axes = (0, 2, 3)
        inv_std = 1.0 / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
        x_hat = (x - x.mean(axis=axes, keepdims=True)) * inv_std
        return dout * gamma.reshape(1, -1, 1, 1) * inv_std, (dout * x_hat).sum(axis=axes), dout.sum(axis=axes)

    result = diagnose_batchnorm_backward(constant)
    assert result.mistake == "constant_stats"
    assert "eval mode" in result.message and "two sum terms" in result.hint(3)


# -- staged hints: what fails, then where, then the fix; every failing gradient reported ----------------------
FIX_WORDS = {"stride": "i * stride", "flip": "::-1", "crop": "padding:padding + H",
             "every_element": "top + r, left + s", "bn_axes": "axis=(0, 2, 3)"}


@pytest.mark.parametrize("mistake", list(FIXES))
def test_the_first_diagnosis_does_not_give_the_fix_away(mistake):
    result = DIAGNOSE[mistake](bugs.BROKEN[mistake])
    assert FIX_WORDS[mistake] not in result.message
    assert FIX_WORDS[mistake] not in result.hint(1) and FIX_WORDS[mistake] not in result.hint(2)
    assert FIX_WORDS[mistake] in result.hint(3)
    assert len({result.hint(1), result.hint(2), result.hint(3)}) == 3
    assert result.hint(1) in result.message and ".hint(2)" in result.message
    assert [result.hint(level) for level in (1, 2, 3)] == list(result.hints)
    with pytest.raises(ValueError, match="1, 2 or 3"):
        result.hint(4)


def test_two_mistakes_are_both_reported_with_every_failing_gradient():
    fixed = edited(*FIXES["stride"])

    def two_bugs(dout, x, W, stride=1, padding=0):
        dx, _, db = bugs.conv_backward_broken_1(dout, x, W, stride, padding)  # dx: window start without * stride
        _, dW, _ = fixed(dout, x, W, stride, padding)
        return dx, 2 * dW, db  # dW: wrong everywhere

    result = diagnose_conv_backward(two_bugs)
    assert not result and set(result.mistakes) >= {"stride", "dW"}
    assert "dx and db are right" not in result.message and "dx and db pass" not in result.message
    assert "dx fails at stride 2, padding 0" in result.message
    assert "dW fails in every setting" in result.message
    assert "db passes in every setting" in result.message


def test_bias_and_stride_mistakes_together():
    result = diagnose_conv_backward(_replace_db(bugs.conv_backward_broken_1))
    assert set(result.mistakes) == {"stride", "db"}
    assert "db fails in every setting" in result.message


def test_slicing_with_minus_padding_is_recognised_at_padding_0():
    fixed = edited(*FIXES["crop"])
    slip = edited(bugs.conv_backward_broken_3, "dx = dx_pad[:, :, :H, :W_in]",
                  "dx = dx_pad[:, :, padding:-padding, padding:-padding]")
    assert diagnose_conv_backward(fixed)
    result = diagnose_conv_backward(slip)
    assert result.mistakes == ("minus_padding",)  # one slip, one finding: the empty dx is not "dx is wrong" too
    assert "padding 0" in result.hint(1) and "empty" in result.hint(1) and "(2, 2, 0, 0)" in result.hint(1)
    assert "-padding" in result.hint(2)
    assert "padding:padding + H" in result.hint(3)
    passed = {r.setting: r.passed for r in result.results}
    assert passed["stride 1, padding 1"] and not passed["stride 1, padding 0"]


def test_a_maxpool_missing_stride_is_named():
    fn, old, new = FIXES["every_element"]
    no_stride = edited(fn, old + "\n", new + "\n", ("top, left = i * stride, j * stride", "top, left = i, j"))
    result = diagnose_maxpool_backward(no_stride)
    assert result.mistake == "stride"
    assert "stride 1" in result.hint(1) and "stride 2" in result.hint(1)
    assert "i * stride" in result.hint(3) and "i * stride" not in result.message


def test_conv_is_checked_where_the_stride_does_not_fit_exactly():
    names = [r.setting for r in diagnose_conv_backward(edited(*FIXES["stride"])).results]
    assert "stride 3, padding 0" in names  # 7×7 there: (7 − 3) / 3 leaves 1 row that no window reaches


def test_forgetting_the_rows_the_floor_drops_is_named():
    fn, old, new = FIXES["flip"]
    no_extra = edited(fn, old, new, ("extra_h = x_pad.shape[2] - (hd + KH - 1)", "extra_h = 0"),
                      ("extra_w = x_pad.shape[3] - (wd + KW - 1)", "extra_w = 0"))
    result = diagnose_conv_backward(no_extra)
    assert result.mistake == "dropped_rows"
    assert [r.setting for r in result.results if not r.passed] == ["stride 3, padding 0"]
    assert "dx is correct whenever the stride fits exactly" in result.message


@pytest.mark.parametrize("key", ["crop", "crop_pattern", "uncropped", "minus_padding"])
def test_every_crop_fix_in_the_hints_pastes_into_the_function_and_passes(key):
    from cnnlib.exercises.bug_hints import HINTS

    fix = "dx = " + HINTS[key][2].split("dx = ", 1)[1].rstrip(".")
    pasted = edited(bugs.conv_backward_broken_3, "dx = dx_pad[:, :, :H, :W_in]", fix)
    assert diagnose_conv_backward(pasted), f"hint 3 of {key!r} does not fix the crop: {fix}"


def test_slips_found_by_a_students_read_of_lesson_06_get_their_own_diagnosis():
    from cnnlib.exercises.chain_rule import check_softmax_ce_grad
    from cnnlib.exercises.pooling import check_maxpool_grad

    halved = check_softmax_ce_grad([-0.15, 0.1, 0.05], p=[0.7, 0.2, 0.1], label=0)  # (p - y) / 2, as for N = 2
    assert not halved and "one sample, N = 1" in halved.message
    x = [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]]
    ones = check_maxpool_grad([[0, 0, 0, 0], [0, 1, 1, 0], [1, 0, 0, 1], [0, 0, 0, 0]], x, [[1, 2], [3, 4]])
    assert not ones and "you found the right elements, the maxima" in ones.message
