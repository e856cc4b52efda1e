"""Self-checking exercises of lessons 04-06: right answers pass, wrong ones get the matching diagnosis."""
import pytest

from cnnlib.exercises.activations import check_bn_axes, check_sigmoid_grad
from cnnlib.exercises.chain_rule import check_softmax_ce_grad
from cnnlib.exercises.pooling import check_maxpool_grad, check_pool_output

X = [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]]


@pytest.mark.parametrize("answer, pool, stride, right, words", [
    ([[6, 5], [3, 8]], "max", None, True, "largest value"),
    ([[3.5, 2], [1.5, 5.25]], "average", None, True, "mean"),
    ([[6, 6, 5], [6, 6, 8], [3, 7, 8]], "max", 1, True, ""),
    ([[3.5, 2], [1.5, 5.25]], "max", None, False, "those are the means"),
    ([[6, 5], [3, 8]], "average", None, False, "those are the maxima"),
    ([[1, 0], [0, 2]], "max", None, False, "smallest values"),
    ([[6, 3], [5, 8]], "max", None, False, "transposed"),
    ([[6, 6, 5], [6, 6, 8], [3, 7, 8]], "max", None, False, "size for stride 1"),
    ([[6, 5], [3, 7]], "max", None, False, "out[1, 1] should be 8"),
])
def test_check_pool_output(answer, pool, stride, right, words):
    result = check_pool_output(answer, X, pool, 2, stride)
    assert bool(result) is right
    assert words in result.message


def test_check_pool_output_none_and_bad_pool():
    assert "replace None with your 2×2 output" in check_pool_output(None, X).message
    with pytest.raises(ValueError, match="pool must be 'max' or 'average'"):
        check_pool_output([[1]], X, "min")
    with pytest.raises(TypeError, match="grid of numbers"):
        check_pool_output([[1, "a"], [2]], X)


@pytest.mark.parametrize("answer, right, words", [
    ([[0, 0, 0, 0], [0, 1, 2, 0], [3, 0, 0, 4], [0, 0, 0, 0]], True, "went to its maximum"),
    ([[0.25, 0.25, 0.5, 0.5], [0.25, 0.25, 0.5, 0.5], [0.75, 0.75, 1, 1], [0.75, 0.75, 1, 1]], False, "average pooling"),
    ([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]], False, "every element"),
    ([[0, 0, 0, 0], [1, 0, 2, 0], [3, 0, 0, 4], [0, 0, 0, 0]], False, "largest element of each window"),
    ([[1, 2], [3, 4]], False, "shape of the forward input"),
])
def test_check_maxpool_grad(answer, right, words):
    result = check_maxpool_grad(answer, X, [[1, 2], [3, 4]])
    assert bool(result) is right and words in result.message


@pytest.mark.parametrize("answer, x, right, words", [
    (0.25, 0.0, True, "σ(0) = 0.500"),
    (0.105, 2.0, True, "= 0.105"),
    (0.5, 0.0, False, "σ(0) itself"),
    (-2.0, 2.0, False, "you put x into x(1 − x)"),
    (-0.25, 0.0, False, "wrong sign"),
    (0.12, 2.0, False, "1/(1 + e^(−2))"),
])
def test_check_sigmoid_grad(answer, x, right, words):
    result = check_sigmoid_grad(answer, x)
    assert bool(result) is right and words in result.message


@pytest.mark.parametrize("answer, right, words", [
    ((0, 2, 3), True, "one mean and variance per channel, over N·H·W = 32·8·8 = 2048 values"),
    ([3, 2, 0], True, "shape (16,)"),
    ((0,), False, "1024 statistics"),
    ((2, 3), False, "instance normalization"),
    ((1, 2, 3), False, "layer normalization"),
    ((0, 1, 2, 3), False, "one mean for the whole tensor"),
    ((0, 1), False, "axis 1 is the channel axis"),
    (2, False, "NCHW axes"),
])
def test_check_bn_axes(answer, right, words):
    result = check_bn_axes(answer)
    assert bool(result) is right and words in result.message


@pytest.mark.parametrize("answer, right, words", [
    ([-0.3, 0.2, 0.1], True, "p − y = [-0.3, 0.2, 0.1]"),
    ([0.3, -0.2, -0.1], False, "wrong sign"),
    ([-1 / 0.7, 0, 0], False, "−y/p"),
    ([0.7, 0.2, 0.1], False, "that is p"),
    ([-0.1, 0.2 / 3, 0.1 / 3], False, "number of classes"),
    ([0, 0], False, "one entry per class"),
    ([1, 2, 3], False, "one-hot"),
])
def test_check_softmax_ce_grad(answer, right, words):
    result = check_softmax_ce_grad(answer, p=[0.7, 0.2, 0.1], label=0)
    assert bool(result) is right and words in result.message


def test_unanswered_exercises_say_what_to_do():
    for result in (check_maxpool_grad(None, X, [[1, 2], [3, 4]]), check_sigmoid_grad(None), check_bn_axes(None),
                   check_softmax_ce_grad(None, [0.5, 0.5], 0)):
        assert not result and result.message.startswith("replace None with")
