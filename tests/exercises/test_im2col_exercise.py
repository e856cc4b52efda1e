"""Lesson 07's im2col-shape checker: the shape im2col really gives, each classic slip named, hints staged."""
import numpy as np
import pytest

from cnnlib.exercises.im2col import check_im2col_shape
from cnnlib.functional import im2col

# Lesson 07's exercise: the network's second conv (32 channels of 13×13, 3×3, no padding) on a batch of 64.
CASE = dict(batch=64, in_channels=32, size=13, kernel_size=3)


def test_the_answer_is_what_im2col_gives():
    shape = im2col(np.zeros((64, 32, 13, 13), dtype=np.float32), 3, 3).shape
    assert shape == (288, 7744)
    for answer in (shape, list(shape), (np.int64(288), np.int64(7744))):
        result = check_im2col_shape(answer, **CASE)
        assert result.correct and "8.9 MB" in result.message


@pytest.mark.parametrize("answer, slip", [
    ((288, 10816), "one column per input pixel"),
    ((9, 7744), "C·K·K, not K·K"),
    ((288, 121), "that is one image"),
    ((7744, 288), "axes are swapped"),
])
def test_each_slip_is_named_without_the_answer(answer, slip):
    result = check_im2col_shape(answer, **CASE)
    assert not result.correct and slip in result.message and "7744)" not in result.message.split(";", 1)[1]


def test_hints_are_staged_and_only_the_last_gives_the_answer():
    result = check_im2col_shape(None, **CASE)
    assert not result.correct and "replace None" in result.message
    assert "7744" not in result.hint(1) + result.hint(2) and "= 11" in result.hint(2)
    assert result.hint(3).endswith("= (288, 7744).")


def test_padding_and_stride_follow_the_output_size():
    # 'same' padding keeps 13×13: one column per pixel is then right, not a slip.
    assert check_im2col_shape((288, 64 * 13 * 13), padding=1, **CASE).correct
    assert check_im2col_shape((27, 2 * 5 * 5), batch=2, in_channels=3, size=9, kernel_size=3, padding=1, stride=2).correct
    assert check_im2col_shape((288, 7000), **CASE).message.startswith("you answered (288, 7000) for 64 inputs")


@pytest.mark.parametrize("answer", ["288, 7744", (288,), (288.0, 7744.0), (True, 7744), 288])
def test_an_answer_that_is_not_a_shape_is_refused_with_a_hint(answer):
    with pytest.raises(TypeError, match="answer must be a shape.*Hint"):
        check_im2col_shape(answer, **CASE)


def test_bad_settings_are_refused():
    with pytest.raises((TypeError, ValueError), match="batch"):
        check_im2col_shape(None, batch=0, in_channels=1, size=5, kernel_size=3)
    with pytest.raises(ValueError):
        check_im2col_shape(None, batch=1, in_channels=1, size=2, kernel_size=3)  # no window fits
