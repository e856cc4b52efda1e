"""The im2col explorer's numbers: window (i, j) is column i*W_out + j, and w · that column is out[i, j]."""
import numpy as np
import pytest

from cnnlib.demos import SEED_INPUT, SEED_KERNEL
from cnnlib.demos.im2col import im2col_window
from cnnlib.functional import conv2d_forward_naive

# Lesson 01's 4×4 ⋆ 2×2 example, by hand: out = [[2, 3, 4], [-3, 2, 3], [4, -3, 2]].
BY_HAND = np.array([[2, 3, 4], [-3, 2, 3], [4, -3, 2]], dtype=float)


def test_output_is_lesson_01s_answer_and_the_loop_versions():
    w = im2col_window()
    assert np.array_equal(w.output, BY_HAND)
    naive, _ = conv2d_forward_naive(SEED_INPUT[None, None], SEED_KERNEL[None, None])  # (1, 1, 3, 3), cache
    assert np.array_equal(w.output, naive[0, 0])


@pytest.mark.parametrize("row, col", [(i, j) for i in range(3) for j in range(3)])
def test_every_window_is_its_column_and_gives_its_output(row, col):
    w = im2col_window(row=row, col=col)
    assert w.column == row * 3 + col
    window = SEED_INPUT[row:row + 2, col:col + 2]
    assert np.array_equal(w.cols[:, w.column], window.ravel()), "the column is the window read row by row"
    assert w.value == BY_HAND[row, col] == float(w.products.sum()) == float(w.weights @ w.cols[:, w.column])
    assert w.equation.endswith(f"= {int(BY_HAND[row, col])}")


def test_equation_writes_every_product():
    assert im2col_window(row=1, col=0).equation == "out[1, 0] = 1·0 + 0·1 + (-1)·3 + 1·0 = -3"


def test_a_non_square_kernel_and_input():
    x = np.arange(15, dtype=float).reshape(3, 5)
    k = np.array([[1.0, -1.0, 2.0]])
    w = im2col_window(x, k, 2, 1)
    assert w.cols.shape == (3, 9) and w.column == 2 * 3 + 1
    assert w.value == float(x[2, 1:4] @ k[0])
    assert w.tap_labels == ("x[i+0, j+0]", "x[i+0, j+1]", "x[i+0, j+2]")


@pytest.mark.parametrize("kwargs, match", [
    ({"row": 3}, r"window \(row, col\) = \(3, 0\) does not exist: the output is 3×3, so row must be 0..2"),
    ({"col": -1}, r"col must be >= 0, got -1"),
    ({"x": np.ones((1, 2, 3))}, r"must be 2-D \(one channel\), got shapes \(1, 2, 3\)"),
])
def test_bad_input_says_what_is_valid(kwargs, match):
    with pytest.raises(ValueError, match=match):
        im2col_window(**kwargs)


def test_row_must_be_an_integer():
    with pytest.raises(TypeError, match="row must be an integer, got 1.5"):
        im2col_window(row=1.5)
