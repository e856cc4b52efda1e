"""Answers of the wrong form, from a student in class: each checker says what it got and what it expects.

Before, some checkers read ``"14"`` and ``True`` as numbers, read the axis
``2.7`` as 2 (and said "Correct"), or ended in a raw ``IndexError``,
``OverflowError`` or "'float' object is not iterable"; a student's function
returning a string ended in numpy's "could not convert string to float".
Answers are parsed in one place, :mod:`cnnlib.exercises.feedback`.
"""
import numpy as np
import pytest

from cnnlib.exercises import activations, building_blocks, chain_rule, conv_transpose, output_size, pooling
from cnnlib.exercises import sliding_window, window
from cnnlib.exercises.feedback import number_answer
from cnnlib.exercises.student_code import student_array

X4 = [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]]
NUMBER_CHECKERS = {
    "sigmoid_grad": lambda a: activations.check_sigmoid_grad(a),
    "output_size": lambda a: output_size.check_output_size(a, 28, 3, 2, 1),
    "output_cell": lambda a: sliding_window.check_output_cell(0, 0, a),
    "transpose_output_size": lambda a: conv_transpose.check_transpose_output_size(a, 4, 3, 2),
}


@pytest.mark.parametrize("checker", NUMBER_CHECKERS)
@pytest.mark.parametrize("answer", ["14", True, [1, 2], np.zeros((2, 2)), {"a": 1}])
def test_number_checkers_name_a_non_number_and_the_form_expected(checker, answer):
    with pytest.raises(TypeError) as info:
        NUMBER_CHECKERS[checker](answer)
    message = str(info.value)
    assert message.startswith("answer must be a number, got ") and "Hint:" in message, message
    assert type(answer).__name__ in message


def test_a_quoted_number_is_told_to_drop_the_quotes():
    with pytest.raises(TypeError, match="Hint: write the number without quotes, or None while you work it out"):
        output_size.check_output_size("14", 28, 3, 2, 1)


def test_one_number_in_an_array_is_a_number():
    assert number_answer(np.array([0.25])) == 0.25
    right = output_size.check_output_size(np.int64(14), 28, 3, 2, 1)
    assert right.correct


@pytest.mark.parametrize("answer", [(0, 2.7, 3), (0, True, 3), float("inf"), "0, 2, 3"])
def test_bn_axes_must_be_whole_numbers(answer):
    # (0, 2.7, 3) was read as (0, 2, 3): "Correct"
    with pytest.raises(TypeError, match=r"answer must be a tuple of axis numbers \(whole numbers\), got .*Hint"):
        activations.check_bn_axes(answer)


@pytest.mark.parametrize("answer", [5, 5.5, [1, 2, 3], "[[6, 5], [3, 8]]"])
def test_pool_checkers_want_a_grid(answer):
    for check in (lambda a: pooling.check_pool_output(a, X4), lambda a: pooling.check_maxpool_grad(a, X4, [[1, 2], [3, 4]])):
        with pytest.raises(TypeError, match=r"answer must be a grid of numbers .*Hint: a list of (2|4) rows of (2|4) "
                                            r"numbers, like \[\[a, b"):
            check(answer)


@pytest.mark.parametrize("answer", [5.5, -3, np.array(5)])
def test_shortcut_of_a_number_is_not_yet_not_a_crash(answer):
    result = building_blocks.check_shortcut(answer, 16, 32, stride=2)
    assert not result.correct
    assert "must be a Layer, a list of layers or a Sequential" in result.message


def test_softmax_gradient_of_a_dict_has_a_hint():
    with pytest.raises(TypeError, match=r"answer must be a list of numbers, got \{'a': 1\}\. Hint: one number per class"):
        chain_rule.check_softmax_ce_grad({"a": 1}, np.array([0.2, 0.7, 0.1]), 1)


@pytest.mark.parametrize("check, name", [
    (sliding_window.check_corr2d, "corr2d"),
    (sliding_window.check_conv_layer, "conv_layer_by_hand"),
    (window.check_multiply_and_add, "multiply_and_add"),
    (conv_transpose.check_conv_transpose_naive, "conv_transpose_naive"),
])
def test_a_function_returning_text_gets_not_yet(check, name):
    result = check(lambda *args: "x")
    assert not result.correct
    assert result.message.startswith(f"{name} returned 'x' (a str), not numbers: it should return ")


def test_student_array_passes_numbers_through():
    assert student_array([[1, 2]], "f", "an array").tolist() == [[1.0, 2.0]]


def test_a_whole_answer_is_shown_as_the_student_wrote_it():
    # number_answer returns a float; the message still says 7, not 7.0 (lesson 11's stored output)
    assert check_message(conv_transpose.check_transpose_output_size(7, 6, 3, stride=2, padding=1, output_padding=1)
                         ).startswith("you answered 7 for H=6")


def check_message(result):
    assert not result.correct
    return result.message


@pytest.mark.parametrize("checker", NUMBER_CHECKERS)
def test_the_hint_for_a_wrong_form_shows_no_number(checker):
    # an example number in the hint could be the very answer (e.g. 14 for 28 with K=3, S=2, P=1)
    with pytest.raises(TypeError) as info:
        NUMBER_CHECKERS[checker]("x")
    hint = str(info.value).split("Hint:")[1]
    assert not any(ch.isdigit() for ch in hint), hint


@pytest.mark.parametrize("check", [
    lambda a: building_blocks.check_pointwise_params(a, 64, 32),
    lambda a: building_blocks.check_stacked_receptive_field(a, 2),  # 5: the example the hint used to show
    lambda a: conv_transpose.check_output_padding(a, 4, 3, 2, 1, 8),
])
def test_the_hint_for_a_wrong_form_of_a_whole_answer_shows_no_number(check):
    with pytest.raises(TypeError) as info:
        check("5")
    hint = str(info.value).split("Hint:")[1]
    assert hint.startswith(" write the number without quotes") and not any(ch.isdigit() for ch in hint), hint
