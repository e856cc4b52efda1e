"""Lesson 01's checkers: a hand-computed output cell, a student's corr2d."""
import numpy as np
import pytest

from cnnlib.exercises.sliding_window import check_corr2d, check_output_cell
from cnnlib.functional import conv2d


@pytest.mark.parametrize("row, col, answer, phrase", [
    (0, 0, 2, "Correct"),
    (1, 0, -3, "Correct"),
    (0, 1, None, "replace None"),
    (0, 1, 1, "could be either of two slips: you rotated the kernel by 180° (convolution instead of cross-correlation)"),
    (0, 1, 8, "added the patch values"),
    (0, 1, 2, "that is out[0, 0], the neighbouring cell"),
    (0, 1, 5, "dropped a minus sign"),
    (0, 1, 100, "multiply it element-wise with the kernel"),
])
def test_check_output_cell_diagnoses(row, col, answer, phrase):
    fb = check_output_cell(row, col, answer)
    assert fb.correct == (phrase == "Correct")
    assert phrase in fb.message or phrase in repr(fb)


def test_check_output_cell_stride_and_padding_mistakes():
    x = np.arange(25.0).reshape(5, 5)
    k = np.ones((2, 2))
    assert check_output_cell(1, 1, 60, x, k, stride=2)  # patch at (2, 2): 12 + 13 + 17 + 18
    fb = check_output_cell(1, 1, 36, x, k, stride=2)  # 6 + 7 + 11 + 12: the stride-1 window
    assert "missing '* stride'" in fb.message
    fb = check_output_cell(0, 0, 12, x, k, padding=1)  # 0+1+5+6: forgot the padding
    assert "forgot the zero padding" in fb.message


def test_check_output_cell_rejects_cells_outside_the_output():
    with pytest.raises(ValueError, match="output is 3×3"):
        check_output_cell(3, 0, 1)


def _corr2d(x, k):
    """A right answer, written independently of cnnlib: every window times the kernel, summed."""
    return np.einsum("ijkl,kl->ij", np.lib.stride_tricks.sliding_window_view(x, k.shape), k)


@pytest.mark.parametrize("impl, phrase", [
    (_corr2d, "matches cnnlib"),
    (lambda x, k: _corr2d(x, k[::-1, ::-1]), "flipped the kernel"),
    (lambda x, k: _corr2d(x, k)[:-1, :-1], "Off by one"),
    (lambda x, k: _corr2d(x.T, k.T).T if x.shape[0] == x.shape[1] else _corr2d(x, k).T, "swapped"),
    (lambda x, k: np.zeros_like(x), "input's size"),
    (lambda x, k: 1 / 0, "ZeroDivisionError"),
    (lambda x, k: _corr2d(x, k) + (x.shape[0] == 6), "random 6×5"),
])
def test_check_corr2d_diagnoses(impl, phrase):
    fb = check_corr2d(impl)
    assert fb.correct == (phrase == "matches cnnlib")
    assert phrase in fb.message


# A kernel whose transpose is not its 180° rotation: the two slips give different answers.
ASYM_X = np.arange(16.0).reshape(4, 4)
ASYM_K = np.array([[1.0, 2.0], [0.0, 0.0]])  # transpose [[1, 0], [2, 0]], rotation [[0, 0], [2, 1]]


def test_check_output_cell_tells_transposed_from_rotated():
    patch = ASYM_X[0:2, 0:2]
    rotated, transposed = float((patch * ASYM_K[::-1, ::-1]).sum()), float((patch * ASYM_K.T).sum())
    assert rotated != transposed
    fb = check_output_cell(0, 0, transposed, ASYM_X, ASYM_K)
    assert "transposed kernel" in fb.message and "flipped" not in fb.message
    fb = check_output_cell(0, 0, rotated, ASYM_X, ASYM_K)
    assert "rotated the kernel by 180°" in fb.message and "transposed" not in fb.message


def test_check_output_cell_says_either_when_transpose_equals_rotation():
    # the lesson's kernel [[1, 0], [-1, 1]]: its transpose IS its 180° rotation
    fb = check_output_cell(0, 1, 1)
    assert "could be either" in fb.message
    assert "rotated the kernel by 180°" in fb.message and "transposed" in fb.message


@pytest.mark.parametrize("impl, phrase, absent", [
    (lambda x, k: _corr2d(x, k.T) if k.shape[0] == k.shape[1] else _corr2d(x, k), "transposed kernel", "flipped"),
    (lambda x, k: _corr2d(x, k[::-1, ::-1]), "flipped the kernel", "transposed"),
])
def test_check_corr2d_tells_transposed_from_rotated(impl, phrase, absent):
    fb = check_corr2d(impl)
    assert not fb and phrase in fb.message and absent not in fb.message


def test_check_corr2d_says_either_when_only_the_lesson_kernel_is_tried():
    # transposed on the lesson's kernel (where transpose == rotation), right elsewhere: cannot tell which
    def only_first(x, k):
        return _corr2d(x, k.T) if x.shape == (4, 4) else _corr2d(x, k)

    fb = check_corr2d(only_first)
    assert not fb and "could be either" in fb.message


@pytest.mark.parametrize("answer", [1, 8, 2, 5, 100])
def test_check_output_cell_gives_staged_hints_with_the_answer_last(answer):
    result = check_output_cell(0, 1, answer)
    assert ".hint(1)" in result.message
    assert "= 3" not in result.message + result.hint(1) + result.hint(2)
    assert "[[2, 3], [1, 2]]" in result.hint(2)  # the patch at (0, 1) of the lesson's input
    assert result.hint(3) == "The answer: 2·1 + 3·0 + 1·(-1) + 2·1 = 3."


def test_corr2d_transposed_output_and_plain_patch_sums_are_named():
    def transposed(x, k):
        return conv2d(x[None, None], k[None, None])[0, 0].T

    def no_kernel(x, k):
        return conv2d(x[None, None], np.ones_like(k)[None, None])[0, 0]

    assert "the right one transposed" in check_corr2d(transposed).message
    assert "plain sum of its patch" in check_corr2d(no_kernel).message
