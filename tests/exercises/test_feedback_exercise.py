"""What every checker returns: a Feedback that is truthy when right, and a hint when unanswered."""
from cnnlib.exercises.activations import check_bn_axes, check_sigmoid_grad
from cnnlib.exercises.chain_rule import check_softmax_ce_grad
from cnnlib.exercises.feedback import Feedback
from cnnlib.exercises.pooling import check_maxpool_grad

X = [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 2, 8], [0, 2, 7, 4]]


def test_feedback_is_truthy_and_prints_its_message():
    assert Feedback(True, "ok") and not Feedback(False, "no")
    assert repr(Feedback(False, "no")) == "✘ Not yet: no"


def test_unanswered_exercises_say_what_to_do():
    for result in (check_maxpool_grad(None, X, [[1, 2], [3, 4]]), check_sigmoid_grad(None), check_bn_axes(None),
                   check_softmax_ce_grad(None, [0.5, 0.5], 0)):
        assert not result and result.message.startswith("replace None with")


def test_a_written_function_without_return_is_told_so_and_the_skeleton_is_not_written():
    from cnnlib.exercises.window import check_multiply_and_add

    def skeleton(patch, kernel):
        KH, KW = kernel.shape
        ...  # your code

    def no_return(patch, kernel):
        total = 0
        for m in range(kernel.shape[0]):
            for n in range(kernel.shape[1]):
                total += patch[m, n] * kernel[m, n]

    assert "not written yet" in check_multiply_and_add(skeleton).message
    forgot = check_multiply_and_add(no_return)
    assert not forgot and "returned None" in forgot.message and "return" in forgot.message
    assert forgot.hint(3) and forgot.solution()
