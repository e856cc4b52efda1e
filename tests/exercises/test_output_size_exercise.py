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
