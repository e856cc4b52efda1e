"""Lessons 04 and 06's checkers: a pooled output, the gradient through max pooling."""
import pytest

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
    ([[0, 0, 3, 0], [0, 1, 0, 0], [0, 2, 0, 0], [0, 0, 4, 0]], False, "right values, transposed"),  # dx.T
])
def test_check_maxpool_grad(answer, right, words):
    result = check_maxpool_grad(answer, X, [[1, 2], [3, 4]])
    assert bool(result) is right and words in result.message


def test_check_maxpool_grad_gives_staged_hints_with_the_answer_last():
    x = [[2, 0, 1, 5], [4, 1, 3, 2], [1, 2, 0, 1], [3, 6, 5, 7]]
    result = check_maxpool_grad([[0] * 4] * 4, x, [[1, 2], [3, 4]])
    assert not result and ".hint(1)" in result.message
    assert "maximum" in result.hint(1) and "windows" in result.hint(2)
    assert "[1.0, 0.0, 0.0, 0.0]" not in result.hint(1) + result.hint(2)
    assert "[[0.0, 0.0, 0.0, 2.0], [1.0, 0.0, 0.0, 0.0]" in result.hint(3)


def test_check_pool_output_gives_staged_hints_with_the_answer_last():
    result = check_pool_output([[6, 3], [5, 8]], X, "max")
    assert not result and ".hint(1)" in result.message and "transposed" in result.message
    assert "[[6.0, 5.0], [3.0, 8.0]]" not in result.hint(1) + result.hint(2)
    assert "[[6.0, 5.0], [3.0, 8.0]]" in result.hint(3)
