import numpy as np
import pytest

from cnnlib.exercises.channels import check_conv_params, check_dense_params
from cnnlib.exercises.feedback import Feedback
from cnnlib.exercises.output_size import check_output_size, check_same_padding
from cnnlib.exercises.sliding_window import check_corr2d, check_output_cell


def test_feedback_is_truthy_and_prints_its_message():
    assert Feedback(True, "ok") and not Feedback(False, "no")
    assert repr(Feedback(False, "no")) == "✘ Not yet: no"


@pytest.mark.parametrize("row, col, answer, phrase", [
    (0, 0, 2, "Correct"),
    (1, 0, -3, "Correct"),
    (0, 1, None, "replace None"),
    (0, 1, 1, "flipped the kernel: that is convolution, not cross-correlation"),
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
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * k)
    return out


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


@pytest.mark.parametrize("answer, phrase", [
    (896, "Correct"), (864, "forgot the biases"), (320, "forgot the depth"), (28, "that is one filter"),
    (960, "one bias per filter, not one per kernel"), (5, "Count C_out filters"),
])
def test_check_conv_params(answer, phrase):
    assert phrase in repr(check_conv_params(answer, 3, 32, 3))


def test_check_dense_params():
    assert check_dense_params(100_480, 784, 128)
    assert "forgot the biases" in check_dense_params(100_352, 784, 128).message
    with pytest.raises(TypeError, match="whole number"):
        check_dense_params(1.5, 784, 128)
