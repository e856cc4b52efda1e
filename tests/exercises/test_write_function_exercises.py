"""Lessons 00 and 01's write-a-function exercises: planted mistakes, the unsolved skeleton, staged hints."""
import numpy as np
import pytest

from cnnlib.exercises.feedback import Feedback
from cnnlib.exercises.sliding_window import check_conv_layer, check_corr2d, conv_layer_solution, corr2d_solution
from cnnlib.exercises.window import check_multiply_and_add, multiply_and_add_solution


def _skeleton(*args):
    """What an exercise cell holds before the student writes anything: a body of `...`."""
    ...


def _not_implemented(*args):
    raise NotImplementedError


CHECKS = [(check_multiply_and_add, "multiply_and_add", multiply_and_add_solution),
          (check_corr2d, "corr2d", corr2d_solution),
          (check_conv_layer, "conv_layer_by_hand", conv_layer_solution)]


@pytest.mark.parametrize("check, name, solution", CHECKS)
@pytest.mark.parametrize("skeleton", [_skeleton, _not_implemented])
def test_the_unsolved_skeleton_says_not_written_yet(check, name, solution, skeleton):
    result = check(skeleton)  # must not raise
    assert not result
    assert result.message.startswith(f"{name} is not written yet — fill in the cell above")
    assert ".hint(1)" in result.message and ".solution()" in result.message
    assert len({result.hint(1), result.hint(2), result.hint(3)}) == 3
    assert f"def {solution.__name__}(" in result.solution()


@pytest.mark.parametrize("check, name, solution", CHECKS)
def test_the_reference_solutions_pass(check, name, solution):
    result = check(solution)
    assert result and result.correct


def _sum(patch, k):
    return float(np.sum(patch * k))


@pytest.mark.parametrize("impl, key, phrase", [
    (lambda p, k: float(p.sum()), "window_no_weights", "without the weights"),
    (lambda p, k: p * k, "window_no_sum", "the answer is one number"),
    (lambda p, k: _sum(p, k[::-1, ::-1]), "window_rotated", "rotated by 180°"),
    # on the lesson's 2×2 case this gives what leaving out the last row gives: the other cases tell them apart
    (lambda p, k: _sum(p[:, :1], k[:, :1]), "window_partial", "only the first column"),
    (lambda p, k: _sum(p[-1:], k[-1:]), "window_partial", "only the last row"),
    (lambda p, k: float((p * k)[-1, -1]), "window_partial", "`total = ...` where `total += ...` adds up"),
    (lambda p, k: float((p * k)[0, 0]), "window_partial", "a `return` inside the loops"),
    (lambda p, k: float(int(_sum(p, k))), "function_other", "a whole number where the sum has a fraction"),
    (lambda p, k: np.dot(p, k), "function_other", "not even the products"),
    (lambda p, k: _sum(p[:-1], k[:-1]), "window_partial", "the last row left out"),
    (lambda p, k: sum(p[m, n] * k[m, n] for m in range(k.shape[0]) for n in range(k.shape[0])), "window_partial",
     "last column left out"),  # range(KH) for the columns of a 2×3 kernel
    (lambda p, k: float(np.trace(p * k)), "window_partial", "diagonal"),
    (lambda p, k: _sum(p, k) + 1, "function_other", "the right sum is 2"),
    (lambda p, k: p[5, 5], "function_crash", "IndexError"),
])
def test_multiply_and_add_diagnoses_planted_mistakes(impl, key, phrase):
    from cnnlib.exercises.bug_hints import HINTS
    result = check_multiply_and_add(impl)
    assert not result and phrase in result.message
    assert result.hint(2) == HINTS[key][1] and result.hint(3).startswith(HINTS[key][2][:12])
    assert "def multiply_and_add_solution" in result.solution()


def test_corr2d_mistakes_get_hints_that_do_not_give_the_fix_first():
    result = check_corr2d(lambda x, k: corr2d_solution(x, k[::-1, ::-1]))
    assert "flipped the kernel" in result.message
    assert "np.sum(x[i:i + KH, j:j + KW] * k)" not in result.message + result.hint(1) + result.hint(2)
    assert "np.sum(x[i:i + KH, j:j + KW] * k)" in result.hint(3)
    result = check_corr2d(lambda x, k: corr2d_solution(x, k)[:-1, :-1])
    assert "Off by one" in result.message and "H_out" in result.hint(2)


def _layer(x, W, b, bias=lambda b, f: b[f], channels=None, combine=sum):
    maps = []
    for f in range(W.shape[0]):
        cs = range(W.shape[1]) if channels is None else channels
        maps.append(combine([corr2d_solution(x[c], W[f, c]) for c in cs]) + bias(b, f))
    return np.stack(maps)


@pytest.mark.parametrize("impl, phrase", [
    (lambda x, W, b: _layer(x, W, b, bias=lambda b, f: 0), "left out the bias"),
    (lambda x, W, b: _layer(x, W, b, bias=lambda b, f: 3 * b[f]), "once per CHANNEL"),
    (lambda x, W, b: _layer(x, W, b, bias=lambda b, f: b[1 - f]), "other filter's bias"),
    (lambda x, W, b: _layer(x, W, b, channels=[0]), "only channel 0"),
    (lambda x, W, b: _layer(x, W, b, channels=[2]), "only the last channel"),
    (lambda x, W, b: _layer(x, W, b, channels=range(W.shape[1] - 1)), "channel 2 was left out"),  # range(C_in - 1)
    (lambda x, W, b: _layer(x, W, b, channels=[0, 2]), "channel 1 was left out"),
    (lambda x, W, b: _layer(x, W, b, channels=range(1, W.shape[1])), "channel 0 was left out"),
    (lambda x, W, b: _layer(x, W, b, combine=lambda ms: sum(ms) / len(ms)), "averaged the channels"),
    (lambda x, W, b: np.stack([[corr2d_solution(x[c], W[f, c]) for c in range(3)] for f in range(2)]),
     "add the channels up"),
    (lambda x, W, b: _layer(x, W, b)[0], "stack one map per filter"),
    (lambda x, W, b: _layer(x, W, b) * 2, "right shape, wrong numbers"),
    (lambda x, W, b: sum([None, None]), "Is corr2d written yet?"),
])
def test_check_conv_layer_diagnoses_planted_mistakes(impl, phrase):
    result = check_conv_layer(impl)
    assert not result and phrase in result.message
    assert result.hint(3) and "def conv_layer_solution" in result.solution()


def test_feedback_hints_are_staged_and_levels_checked():
    result = Feedback(False, "no", hints=("what", "where", "fix"), solution_code="x = 1\n")
    assert [result.hint(level) for level in (1, 2, 3)] == ["what", "where", "fix"]
    assert repr(result.hint(2)) == "where"  # a notebook shows it without quotes
    assert result.solution().endswith("x = 1\n")
    with pytest.raises(ValueError, match="level must be 1, 2 or 3"):
        result.hint(4)
    assert Feedback(True, "yes").hint(1) == "nothing to hint: yes"
    assert Feedback(True, "yes").solution().startswith("no reference solution")


def test_multiply_and_add_does_not_call_a_transposed_kernel_rotated():
    result = check_multiply_and_add(lambda p, k: _sum(p, k.T))  # on the lesson's kernel, k.T is the rotation
    assert "rotated by 180° or transposed (on this kernel the two are the same)" in result.message
    assert "or transposed" in result.hint(1)
    transposed_on_3x3 = check_multiply_and_add(lambda p, k: _sum(p, k.T if p.shape == (3, 3) else k))
    assert "that is the sum with the transposed kernel." in transposed_on_3x3.message
    assert "rotated" not in transposed_on_3x3.message.split("Stuck?")[0]
