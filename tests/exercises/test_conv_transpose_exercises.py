"""Lesson 11's checkers: each accepts the right answer and names each classic slip, never stating the answer."""
import numpy as np
import pytest

from cnnlib.exercises.conv_transpose import (check_conv_transpose_naive, check_output_padding,
                                             check_transpose_output_size, conv_transpose_naive_solution)
from cnnlib.functional import conv_transpose2d

# -- output size: H=5, K=3, S=3, P=1, output_padding=2 -> (5-1)·3 - 2 + 2 + 2 + 1 = 15
SETTING = dict(size=5, kernel_size=3, stride=3, padding=1, output_padding=2)


def test_output_size_right_answer():
    result = check_transpose_output_size(15, **SETTING)
    assert result.correct and "= 15" in result.message


@pytest.mark.parametrize("answer, slip", [
    (7, "forgot '* stride'"),
    (18, "took H·S"),
    (19, "added 2P instead of cutting it"),
    (16, "from one side only"),
    (17, "added output_padding on both sides"),
    (13, "left out output_padding"),
    (14, "forgot the + 1"),
    (2, "convolution's formula"),
])
def test_output_size_slips_are_named_without_the_answer(answer, slip):
    result = check_transpose_output_size(answer, **SETTING)
    assert not result.correct and slip in result.message
    assert "15" not in result.message
    assert "15" not in result.hint(1) + result.hint(2)


def test_output_size_forgotten_padding_is_named_also_when_it_looks_like_another_slip():
    # S = 2P: forgetting −2P and taking H·S both give right + 2 = 11; the feedback names both
    both = check_transpose_output_size(11, 5, 3, stride=2, padding=1)
    assert not both.correct and "forgot to cut the padding" in both.message and "took H·S" in both.message
    assert "9" not in both.message
    # S ≠ 2P: only the padding (right = (4 − 1)·3 − 2 + 3 = 10)
    alone = check_transpose_output_size(12, 4, 3, stride=3, padding=1)
    assert "forgot to cut the padding" in alone.message and "took H·S" not in alone.message


def test_output_size_dilation_and_unknown_answers():
    assert check_transpose_output_size(11, 4, 3, stride=2, dilation=2).correct  # 3·2 + 2·(3 − 1) + 1
    result = check_transpose_output_size(9, 4, 3, stride=2, dilation=2)
    assert "ignored the dilation" in result.message
    assert "Count where the stamps start" in check_transpose_output_size(40, **SETTING).message
    assert "replace None" in check_transpose_output_size(None, **SETTING).message
    with pytest.raises(TypeError, match="must be a number"):
        check_transpose_output_size("15", **SETTING)


def test_output_size_hints_are_staged_and_the_last_gives_the_fix():
    result = check_transpose_output_size(7, **SETTING)
    assert "(H − 1)·S" in result.hint(2)
    assert result.hint(3) == "H_out = (5 − 1)·3 − 2·1 + 2 + 2 + 1."


# -- the loops ---------------------------------------------------------------------------------------------------
def _lib(x, w, stride):
    return conv_transpose2d(x[None, None], w[None, None], stride=stride)[0, 0]


def test_loops_accept_the_solution_and_say_not_written_for_the_skeleton():
    result = check_conv_transpose_naive(conv_transpose_naive_solution)
    assert result.correct and "stride 1 and 2" in result.message
    skeleton = check_conv_transpose_naive(lambda x, w, stride: None)
    assert not skeleton.correct and "not written yet" in skeleton.message
    assert "def conv_transpose_naive_solution" in skeleton.solution()


def test_loops_missing_stride_right_size():
    def one_apart(x, w, stride):
        out = np.zeros(_lib(x, w, stride).shape)
        one = _lib(x, w, 1)
        out[: one.shape[0], : one.shape[1]] = one
        return out

    result = check_conv_transpose_naive(one_apart)
    assert not result.correct and "'* stride' is missing" in result.message
    assert "i * stride" in result.hint(3)


def test_loops_that_only_call_cnnlib_are_not_accepted():
    """The check compares with cnnlib, so a function that calls cnnlib would pass it without a single loop."""
    import cnnlib.functional as F

    def by_library(x, w, stride):
        return conv_transpose2d(x[None, None], w[None, None], stride=stride)[0, 0]

    def by_module(x, w, stride):
        return F.conv_transpose2d(x[None, None], w[None, None], stride=stride)[0, 0]

    for fn in (by_library, by_module):
        result = check_conv_transpose_naive(fn)
        assert not result.correct and "calls conv_transpose2d" in result.message
        assert "+= x[i, j] * w" in result.hint(3)


def test_loops_missing_stride_stride_one_size():
    result = check_conv_transpose_naive(lambda x, w, stride: _lib(x, w, 1))
    assert "stride-1 result" in result.message


def test_loops_overwrite_flip_shape_crash_and_other():
    def overwrite(x, w, stride):
        KH, KW = w.shape
        out = np.zeros(_lib(x, w, stride).shape)
        for i, j in np.ndindex(x.shape):
            out[i * stride:i * stride + KH, j * stride:j * stride + KW] = x[i, j] * w
        return out

    assert "= instead of +=" in check_conv_transpose_naive(overwrite).message
    assert "rotated by 180°" in check_conv_transpose_naive(lambda x, w, s: _lib(x, w[::-1, ::-1], s)).message
    assert "returned shape" in check_conv_transpose_naive(lambda x, w, s: np.zeros((2, 2))).message
    crash = check_conv_transpose_naive(lambda x, w, s: 1 / 0)
    assert "ZeroDivisionError" in crash.message
    assert "out[" in check_conv_transpose_naive(lambda x, w, s: _lib(x, w, s) + 1).message


# -- output_padding: 4 -> 14 with K=3, S=3, P=0: (4-1)·3 + 3 = 12, so output_padding 2 -------------------------
PAD = dict(size=4, kernel_size=3, stride=3, padding=0, target=14)


def test_output_padding_right_answer():
    assert check_output_padding(2, **PAD).correct


@pytest.mark.parametrize("answer, slip", [
    (1, "not on both sides"),
    (3, "smaller than the stride"),
    (-5, "never negative"),
])
def test_output_padding_slips(answer, slip):
    result = check_output_padding(answer, **PAD)
    assert not result.correct and slip in result.message
    assert "output_padding = 2" not in result.message and "picks 2" not in result.message


def test_output_padding_wrong_way_padding_missing_stride_and_h_times_s():
    # 4 -> 11 with K=3, S=2, P=1: base (4-1)·2 - 2 + 3 = 7, so output_padding ... is not 11 - 7 = 4: pick 8
    setting = dict(size=4, kernel_size=3, stride=2, padding=1, target=8)  # base 7, right 1
    assert check_output_padding(1, **setting).correct
    assert "instead of cutting it" in check_output_padding(8 - 11, **setting).message  # base with +2P: 11
    assert "left out '* stride'" in check_output_padding(8 - 4, **setting).message  # base without * S: 4
    assert "used H·S" in check_output_padding(8 - 9, **setting).message  # base with H·S: 9
    assert "smaller than the stride" in check_output_padding(2, **setting).message
    assert "one too large" in check_output_padding(0, **setting).message  # base 8 with a stray + 1


def test_output_padding_one_slip_number_gets_both_explanations():
    """4 -> 14 with K=3, S=3: base 12, so 2; 1 is half of it, and also what a base one too large gives."""
    message = check_output_padding(1, 4, 3, stride=3, padding=0, target=14).message
    assert "you halved it" in message and "Or: your size with output_padding = 0 is one too large" in message
    hint1 = check_output_padding(None, 4, 3, stride=3, padding=0, target=14).hint(1)
    assert "12" not in hint1 and "(H − 1)·S − 2P + K" in hint1  # the formula, not yet the number


def test_output_padding_impossible_target_and_none():
    with pytest.raises(ValueError, match="no output_padding < stride=2"):
        check_output_padding(0, 4, 3, stride=2, padding=1, target=10)
    assert "replace None" in check_output_padding(None, **PAD).message
