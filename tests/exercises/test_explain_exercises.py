"""Lesson 13 checkers: a linear model's saliency and the occluder's positions; slips diagnosed, answers withheld."""
import numpy as np
import pytest

from cnnlib.exercises.explain import check_linear_saliency, check_occlusion_positions, linear_cases


def right(W, b, x, c):
    return W[:, c].reshape(x.shape)


def test_the_weight_column_shaped_like_the_image_is_right():
    result = check_linear_saliency(right)
    assert result and "W[:, c]" in result.message


@pytest.mark.parametrize("fn, words", [
    (lambda W, b, x, c: W[:, c], "right numbers in the wrong shape"),
    (lambda W, b, x, c: x * W[:, c].reshape(x.shape), "gradient × input"),
    (lambda W, b, x, c: np.abs(W[:, c]).reshape(x.shape), "absolute value"),
    (lambda W, b, x, c: -W[:, c].reshape(x.shape), "sign is flipped"),
    (lambda W, b, x, c: (W[:, c] + b[c]).reshape(x.shape), "bias does not depend on x"),
    (lambda W, b, x, c: W[:, (c + 1) % W.shape[1]].reshape(x.shape), "weights of class"),
    (lambda W, b, x, c: W[c], "shape"),
    (lambda W, b, x, c: np.zeros_like(x), "differentiate"),
    (lambda W, b, x, c: np.ones_like(x), "the derivative of x_i alone is 1"),  # lesson 13's slip demo
    (lambda W, b, x, c: W[:, c].reshape(x.shape, order="F"), "the right numbers in the wrong places"),
    (lambda W, b, x, c: W[:, c].reshape(x.shape[::-1]).T, "the right numbers in the wrong places"),
])
def test_each_slip_is_diagnosed_without_giving_the_answer(fn, words):
    result = check_linear_saliency(fn)
    assert not result and words in result.message, result.message
    assert "reshape(x.shape)" not in result.message  # the fix is hint 3, not the diagnosis
    assert "W[:, c].reshape" in result.hint(3) and "def linear_saliency" in result.solution()


def test_a_skeleton_and_an_error_are_reported():
    assert "not written yet" in check_linear_saliency(lambda W, b, x, c: None).message
    result = check_linear_saliency(lambda W, b, x, c: W[:, c].reshape(99))
    assert not result and "raised ValueError" in result.message
    with pytest.raises(TypeError, match="your function"):
        check_linear_saliency(3)
    returned = check_linear_saliency(lambda W, b, x, c: ...)  # `return ...` left from the skeleton
    assert not returned and "returned Ellipsis (ellipsis)" in returned.message


def test_the_cases_cover_several_shapes_and_classes():
    shapes = {x.shape for _, _, x, _ in linear_cases()}
    assert len(shapes) == 3 and (2, 2, 3) in shapes


@pytest.mark.parametrize("size, patch, stride, answer", [(28, 7, 3, 8), (28, 8, 4, 6), (28, 14, 14, 2), (10, 3, 2, 4)])
def test_occlusion_positions_follow_the_output_size_formula(size, patch, stride, answer):
    assert check_occlusion_positions(answer, size, patch, stride)
    assert not check_occlusion_positions(answer + 1, size, patch, stride)


@pytest.mark.parametrize("answer, words", [
    (36, "whole map"), (7, "left out the patch"), (5, "the + 1"), (21, "stride 1"), (9, "diagnos"),
])
def test_occlusion_slips_are_named_and_the_answer_kept_for_hint_3(answer, words):
    result = check_occlusion_positions(answer, 28, 8, 4)
    assert not result
    if words != "diagnos":
        assert words in result.message, result.message
    assert "= 6" not in result.message and "6 positions" in result.hint(3)


def test_occlusion_rounding_up_is_named():
    result = check_occlusion_positions(4, 10, 3, 3)  # (10 − 3) / 3 = 2.33: ceil gives 3 + 1 = 4, right is 3
    assert not result and "round down" in result.message


def test_occlusion_none_and_bad_types():
    assert "replace None" in check_occlusion_positions(None, 28, 7, 3).message
    fraction = check_occlusion_positions(2.5, 28, 7, 3)  # a wrong answer, judged like lesson 01's counts
    assert not fraction and "you answered 2.5" in fraction.message and "whole number" in fraction.message
    assert "Lesson 02's output-size formula" in fraction.hint(2)  # the exercise's hints come with it
    with pytest.raises(TypeError, match="whole number"):
        check_occlusion_positions("2", 28, 7, 3)
