"""Lesson 06's checker: the gradient of softmax + cross-entropy."""
import pytest

from cnnlib.exercises.chain_rule import check_softmax_ce_grad


@pytest.mark.parametrize("answer, right, words", [
    ([-0.3, 0.2, 0.1], True, "p − y = [-0.3, 0.2, 0.1]"),
    ([0.3, -0.2, -0.1], False, "wrong sign"),
    ([-1 / 0.7, 0, 0], False, "−y/p"),
    ([0.7, 0.2, 0.1], False, "that is p"),
    ([-0.3, 0, 0], False, "only the true class has an entry"),  # p − y kept at the true class only
    ([-1, 0, 0], False, "that is −y"),
    ([-0.1, 0.2 / 3, 0.1 / 3], False, "number of classes"),
    ([0, 0], False, "one entry per class"),
    ([1, 2, 3], False, "one-hot"),
])
def test_check_softmax_ce_grad(answer, right, words):
    result = check_softmax_ce_grad(answer, p=[0.7, 0.2, 0.1], label=0)
    assert bool(result) is right and words in result.message


def test_check_softmax_ce_grad_gives_staged_hints_with_the_answer_last():
    result = check_softmax_ce_grad([0.35, -0.1, -0.05], p=[0.7, 0.2, 0.1], label=0)  # (y - p) / 2: unnamed
    assert not result and ".hint(1)" in result.message
    assert "one entry per class" in result.hint(1) and "p_k − y_k" in result.hint(2)
    assert "-0.3" not in result.hint(1) + result.hint(2) and "[-0.3, 0.2, 0.1]" in result.hint(3)
