"""Every number lessons 04-06 print for the student to check by hand, recomputed from cnnlib."""
import numpy as np
import pytest

from cnnlib.demos.conv_backward import dilate
from cnnlib.demos.translation import compare_shift
from cnnlib.functional import conv2d, conv2d_backward, conv2d_forward
from cnnlib.layers import AvgPool2D, Conv2D, MaxPool2D
from cnnlib.losses import CrossEntropy
from cnnlib.shapes import pool_output_size

POOL_X = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]], dtype=float)
X = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float)
W = np.array([[1, 0], [-1, 1]], dtype=float)
DOUT = np.array([[1, 2, -1], [-1, 1, -1], [2, -1, 1]], dtype=float)


def grads(x, w, dout, **kwargs):
    _, cache = conv2d_forward(x[None, None], w[None, None], np.zeros(1), **kwargs)
    dx, dW, db = conv2d_backward(np.asarray(dout, dtype=float)[None, None], cache)
    return dx[0, 0], dW[0, 0], db[0]


# -- lesson 04 -----------------------------------------------------------------------------------------
def test_lesson04_pooling_numbers():
    assert MaxPool2D(2)(POOL_X[None, None])[0, 0].tolist() == [[6, 5], [3, 8]]
    assert MaxPool2D(2, stride=1)(POOL_X[None, None])[0, 0].tolist() == [[6, 6, 5], [6, 6, 8], [3, 7, 8]]
    assert AvgPool2D(2)(POOL_X[None, None])[0, 0, 0, 0] == 3.5  # (1 + 3 + 4 + 6) / 4
    assert [pool_output_size(n, 2) for n in (30, 13)] == [15, 6]
    assert pool_output_size(27, 3, 2) == 13
    assert Conv2D(32, 64, 3).num_params() == 18_496 and MaxPool2D(2).num_params() == 0


def test_lesson04_multiply_adds_before_and_after_pooling():
    conv = Conv2D(32, 64, 3)
    per_output = conv.params["W"][0].size  # one filter: 32 · 3 · 3 multiply-adds per output value

    def multiply_adds(size):
        return int(np.prod(conv.output_shape((32, size, size)))) * per_output

    assert (multiply_adds(30), multiply_adds(15)) == (14_450_688, 3_115_008)  # what the lesson prints


@pytest.mark.parametrize("shift, before, after", [(0, 1.00, 1.00), (1, 0.60, 0.79), (2, 0.20, 0.44)])
def test_lesson04_shift_table(shift, before, after):
    c = compare_shift(shift, 2)
    assert round(c.before, 2) == before and round(c.after, 2) == after


# -- lesson 06 -----------------------------------------------------------------------------------------
def test_lesson06_forward_and_backward_of_the_example():
    assert conv2d(X[None, None], W[None, None])[0, 0].tolist() == [[2, 3, 4], [-3, 2, 3], [4, -3, 2]]
    dx, dW, db = grads(X, W, DOUT)
    assert dW.tolist() == [[8, 7], [-3, 8]]
    assert dx.tolist() == [[1, 2, -1, 0], [-2, 0, 2, -1], [3, -3, 3, -1], [-2, 3, -2, 1]]
    assert db == 3
    # The two sums written out in the lesson.
    assert 1 * 1 + 2 * 2 + (-1) * 3 + (-1) * 0 + 1 * 1 + (-1) * 2 + 2 * 3 + (-1) * 0 + 1 * 1 == dW[0, 0] == 8
    assert (-1) * 1 + 1 * (-1) + 2 * 0 + (-1) * 1 == dx[2, 1] == -3
    assert W[::-1, ::-1].tolist() == [[1, -1], [0, 1]]


def test_lesson06_stride_padding_and_dilation_examples():
    dout2 = np.array([[1, 2], [-1, 1]], dtype=float)
    assert dilate(dout2, 2).tolist() == [[1, 0, 2], [0, 0, 0], [-1, 0, 1]]
    dx, _, _ = grads(X, W, dout2, stride=2)
    assert dx.tolist() == [[1, 0, 2, 0], [-1, 1, -2, 2], [-1, 0, 1, 0], [1, -1, -1, 1]]
    dx_pad = conv2d(np.ones((1, 1, 5, 5)), W[::-1, ::-1][None, None], padding=1)[0, 0]
    assert dx_pad[1:5, 1:5].tolist() == np.ones((4, 4)).tolist()  # inside: 1 + 0 - 1 + 1
    assert dx_pad[0].tolist() == [1, 1, 1, 1, 1, 0] and dx_pad[5].tolist() == [-1, 0, 0, 0, 0, 1]
    assert dilate(W, 2).tolist() == [[1, 0, 0], [0, 0, 0], [-1, 0, 1]]


def test_lesson06_pooling_gradient_and_softmax_ce():
    pool = MaxPool2D(2)
    pool(POOL_X[None, None])
    dx = pool.backward(np.array([[[[1, -2], [3, 4]]]], dtype=float))[0, 0] + 0.0
    assert dx.tolist() == [[0, 0, 0, 0], [0, 1, -2, 0], [3, 0, 0, 4], [0, 0, 0, 0]]
    loss = CrossEntropy()
    loss.forward(np.log([[0.7, 0.2, 0.1]]), np.array([0]))  # logits whose softmax is (0.7, 0.2, 0.1)
    np.testing.assert_allclose(loss.backward(), [[-0.3, 0.2, 0.1]])  # p − y, as the lesson works it out
