"""Lesson 02's checkers: output sizes and 'same' padding."""
import pytest

from cnnlib.exercises.output_size import check_output_size, check_same_padding


@pytest.mark.parametrize("answer, phrase", [
    (4, "Correct"), (3, "forgot the + 1"), (None, "replace None"), (4.5, "whole numbers"), (100, "Use H_out"),
])
def test_check_output_size(answer, phrase):
    fb = check_output_size(answer, 7, 3, stride=2, padding=1)
    assert phrase in repr(fb)


@pytest.mark.parametrize("answer, args, phrase", [
    (7, dict(size=7, kernel_size=3, stride=1, padding=2), "added the padding once"),
    (4, dict(size=8, kernel_size=3, stride=2, padding=0), "rounded up"),
    (8, dict(size=10, kernel_size=3, dilation=2), "ignored the dilation"),
    (9, dict(size=11, kernel_size=3, stride=1, padding=2), "forgot the padding"),  # right: 13
    (9, dict(size=10, kernel_size=2, stride=2, padding=0), "forgot to divide by the stride"),
    (0, dict(size=2, kernel_size=5), "no window fits"),
])
def test_check_output_size_mistakes(answer, args, phrase):
    assert phrase in check_output_size(answer, **args).message


def test_check_same_padding():
    assert check_same_padding(3, (1, 1))
    assert check_same_padding(3, 1)
    assert "wrong side" in check_same_padding(4, (2, 1)).message
    assert "add up to K_eff − 1 = 3" in check_same_padding(4, (1, 1)).message
    assert "replace None" in check_same_padding(4, None).message


def test_check_same_padding_diagnoses_a_fraction():
    fb = check_same_padding(4, 1.5)
    assert not fb and "1.5" in fb.message and "whole number" in fb.message
    assert "adds up to 2" not in fb.message and "(1, 2)" not in fb.message  # never the answer first
    assert "K_eff − 1 = 3" in fb.hint(1) and "after" in fb.hint(2) and "(1, 2)" in fb.hint(3)


def test_check_same_padding_never_states_the_answer_in_a_diagnosis():
    for wrong in [(2, 1), (1, 1), (0, 3), 1.5]:
        fb = check_same_padding(4, wrong)
        assert not fb and "(1, 2)" not in fb.message and ".hint(1)" in fb.message, wrong
        assert fb.hint(3) == "The answer: (1, 2)."
    fb = check_same_padding(3, (1.0, 1.0))  # whole floats are fine
    assert fb
    assert "whole number" in check_same_padding(5, (2.5, 1.5)).message


@pytest.mark.parametrize("answer, args, phrase", [
    (5, dict(size=9, kernel_size=3, stride=2, padding=0), "⌈H/S⌉ = ⌈9/2⌉ = 5"),  # right: 4
    (4, dict(size=12, kernel_size=3, stride=1, dilation=3), "K·D = 9"),  # right: 6 (K_eff 7)
])
def test_check_output_size_recognises_same_and_k_times_d(answer, args, phrase):
    fb = check_output_size(answer, **args)
    assert not fb and phrase in fb.message


@pytest.mark.parametrize("answer, right, phrase", [
    ((0, 1), True, "⌈10/2⌉ = 5 windows span (H_out − 1)·S + K_eff = 11 rows"),
    ((1, 0), False, "wrong side"),
    ((1, 1), False, "the stride-1 'same' padding"),  # K - 1 = 2: right at stride 1, too much at stride 2
    ((2, 2), False, "yours adds up to 4"),
    ((0.5, 0.5), False, "whole number"),
    (None, False, "replace None"),
])
def test_check_same_padding_at_a_stride_uses_keras_rule(answer, right, phrase):
    fb = check_same_padding(3, answer, size=10, stride=2)
    assert bool(fb) is right and phrase in fb.message
    if answer is not None and not right:
        assert "(0, 1)" not in fb.message  # the diagnosis does not give the answer away


def test_check_same_padding_at_a_stride_needs_the_size():
    with pytest.raises(TypeError, match=r"stride=2\) needs the input size.*size=H"):
        check_same_padding(3, (0, 1), stride=2)
    with pytest.raises(ValueError, match=r"stride must be an int >= 1, got 0"):
        check_same_padding(3, (0, 1), size=8, stride=0)


def test_output_size_fallback_uses_the_dilated_kernel_and_hints_are_staged():
    result = check_output_size(7, 10, 3, stride=1, dilation=2)  # right: 10 − 5 + 1 = 6; 7 is no named slip
    assert not result and "K_eff = K + (K−1)(D−1) = 5" in result.message and ".hint(1)" in result.message
    assert "6" not in result.hint(1) + result.hint(2) and "= 6" in result.hint(3)
    assert "K = 3" in check_output_size(2, 7, 3, stride=2, padding=1).hint(2)  # no dilation: plain K


@pytest.mark.parametrize("answer", [(1, 0), (1, 1), (2, 2), (0.5, 0.5)])
def test_keras_same_padding_gives_staged_hints_with_the_answer_last(answer):
    result = check_same_padding(3, answer, size=10, stride=2)
    assert ".hint(1)" in result.message
    assert "(0, 1)" not in result.hint(1) + result.hint(2) and result.hint(3) == "The answer: (0, 1)."
    assert "H_out = ⌈10/2⌉ = 5 windows span (H_out − 1)·S + K_eff rows" in result.hint(2)
    assert "11" not in result.hint(1) + result.hint(2)  # the span is the student's step


@pytest.mark.parametrize("answer, phrase", [
    ((-1, 2), "neither side can be negative"),
    (1, "One number means 1 on each side, (1, 1)"),
])
def test_same_padding_names_negative_and_one_number_answers(answer, phrase):
    for result in (check_same_padding(4, answer), check_same_padding(3, answer, size=10, stride=2)):
        assert not result and phrase in result.message


@pytest.mark.parametrize("answer", ["01", [1], (1, "a")])
def test_same_padding_answer_that_is_not_a_pair_of_numbers_is_a_type_error(answer):
    with pytest.raises(TypeError, match=r"pair of numbers \(before, after\), got .*Hint: e\.g\. \(1, 2\)"):
        check_same_padding(4, answer)


def test_same_padding_takes_numpy_numbers():
    import numpy as np

    assert check_same_padding(3, np.int64(1))
    assert check_same_padding(4, (np.int64(1), np.float64(2.0)))
    assert "you answered 1.5:" in check_same_padding(4, np.float64(1.5)).message


@pytest.mark.parametrize("answer, setting, words", [
    (28, dict(size=28, kernel_size=3), "you forgot to subtract the kernel"),  # stride 1: H + 2P
    (8, dict(size=12, kernel_size=3, dilation=3), "K + D − 1 = 5 cells"),  # K_eff taken as K + D - 1
])
def test_output_size_slips_a_students_read_found(answer, setting, words):
    result = check_output_size(answer, **setting)
    assert not result and words in result.message


def test_output_size_names_every_slip_that_gives_the_number_once():
    """14 for H = 28, K = 3, S = 2 is rounding up and also Keras' ⌈H/S⌉; 'H divided by S' says the same again."""
    message = check_output_size(14, size=28, kernel_size=3, stride=2).message
    assert "rounded up" in message and "⌈H/S⌉" in message and "you divided the input size" not in message


def test_the_input_size_as_an_answer_is_named():
    # lesson 03: after padding 1 kept 150 x 128, "padding keeps the size" is a likely slip at stride 2
    result = check_output_size(150, 150, 11, stride=2, padding=4)
    assert not result.correct and result.message.startswith("you answered 150, the input size: padding keeps the "
                                                            "size only when S = 1 and 2P = K_eff − 1")
