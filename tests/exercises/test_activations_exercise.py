"""Lesson 05's checkers: the sigmoid's slope, batch norm's axes."""
import numpy as np
import pytest

from cnnlib.exercises.activations import check_bn_axes, check_sigmoid_grad


@pytest.mark.parametrize("answer, x, right, words", [
    (0.25, 0.0, True, "σ(0) = 0.500"),
    (0.105, 2.0, True, "= 0.105"),
    (0.5, 0.0, False, "σ(0) itself"),
    (-2.0, 2.0, False, "you put x into x(1 − x)"),
    (-0.25, 0.0, False, "wrong sign"),
    (0.12, 2.0, False, "1/(1 + e^(−2))"),
    (0.196, 1.0, False, "round (do not cut off)"),  # σ′(1) = 0.19661, cut off instead of rounded
    (0.1966, 1.0, True, "= 0.197"),
])
def test_check_sigmoid_grad(answer, x, right, words):
    result = check_sigmoid_grad(answer, x)
    assert bool(result) is right and words in result.message


@pytest.mark.parametrize("answer, right, words", [
    ((0, 2, 3), True, "one mean and variance per channel, over N·H·W = 8·4·4 = 128 values"),
    ([3, 2, 0], True, "shape (3,)"),
    ((0, -2, -1), True, "shape (3,)"),
    ((-4, 2, -1), True, "per channel"),
    ((0,), False, "48 statistics"),
    ((-3, 0), False, "axis 1 is the channel axis"),
    ((0, 2, 4), False, "0..3"),
    ((2, 3), False, "instance normalization"),
    ((1, 2, 3), False, "layer normalization"),
    ((0, 1, 2, 3), False, "one mean for the whole tensor"),
    ((0, 1), False, "axis 1 is the channel axis"),
    (2, False, "NCHW axes"),
    ((0, 2, 3, 3), False, "axis 3 twice"),  # numpy: ValueError: duplicate value in 'axis'
    ((0, 2, 3, -1), False, "axis 3 twice"),
])
def test_check_bn_axes(answer, right, words):
    result = check_bn_axes(answer)
    assert bool(result) is right and words in result.message


def test_check_bn_axes_quotes_the_lessons_batch():
    # lesson 05 normalises x = rng.standard_normal((8, 3, 4, 4))
    assert "(8, 3, 4, 4)" in check_bn_axes((0, 2, 3)).message
    assert "N·H·W = 2·5·6 = 60" in check_bn_axes((0, 2, 3), shape=(2, 7, 5, 6)).message


def test_sigmoid_and_bn_axes_checkers_give_staged_hints_with_the_answer_last():
    from cnnlib.exercises.activations import check_bn_axes, check_sigmoid_grad
    slope = check_sigmoid_grad(0.3, x=1.0)
    assert not slope and ".hint(1)" in slope.message
    assert "0.197" not in slope.hint(1) + slope.hint(2) and "= 0.197" in slope.hint(3)
    axes = check_bn_axes((1,))
    assert not axes and ".hint(1)" in axes.message and "(0, 2, 3)" in axes.hint(3)
    assert "(0, 2, 3)" not in axes.hint(1) + axes.hint(2)


@pytest.mark.parametrize("answer, words", [
    (0.25, "that is σ′(0) = ¼, the steepest slope"),  # the maximum, just stated in the lesson
    (0.466, "the form of tanh′"),  # 1 − σ(1)²
    (0.2, "with 1 decimal: right method; give 3 decimals"),
    (0.19, "with 2 decimals: right method; give 3 decimals"),
])
def test_sigmoid_grad_slips_at_x_1_get_their_own_diagnosis(answer, words):
    result = check_sigmoid_grad(answer, x=1.0)
    assert not result.correct and words in result.message, result.message


def test_bn_axes_channels_last_slip_and_an_array_answer():
    assert "channels-last (N, H, W, C)" in check_bn_axes((0, 1, 2)).message
    assert check_bn_axes(np.array([0, 2, 3])).correct
