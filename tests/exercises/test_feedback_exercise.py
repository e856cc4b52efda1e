"""What every checker returns: a Feedback that is truthy when right, and a hint when unanswered."""
import pytest

from cnnlib.exercises.activations import check_bn_axes, check_sigmoid_grad
from cnnlib.exercises.building_blocks import check_pointwise_params, check_shortcut, check_stacked_receptive_field
from cnnlib.exercises.channels import check_conv_params, check_dense_params
from cnnlib.exercises.conv_transpose import check_output_padding, check_transpose_output_size
from cnnlib.exercises.chain_rule import check_softmax_ce_grad
from cnnlib.exercises.explain import check_occlusion_positions
from cnnlib.exercises.feedback import Feedback
from cnnlib.exercises.output_size import check_output_size, check_same_padding
from cnnlib.exercises.pooling import check_maxpool_grad, check_pool_output
from cnnlib.exercises.sliding_window import check_output_cell

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


# Every exercise that asks for a number, an array or a choice, as its lesson calls it while the answer is None.
_UNANSWERED = {
    "check_sigmoid_grad": lambda: check_sigmoid_grad(None, 1.0),
    "check_bn_axes": lambda: check_bn_axes(None),
    "check_softmax_ce_grad": lambda: check_softmax_ce_grad(None, [0.2, 0.3, 0.5], 1),
    "check_pointwise_params": lambda: check_pointwise_params(None, 512, 128),
    "check_stacked_receptive_field": lambda: check_stacked_receptive_field(None, 4),
    "check_shortcut": lambda: check_shortcut(None, 64, 128, stride=2),
    "check_conv_params": lambda: check_conv_params(None, 3, 32, 3),
    "check_dense_params": lambda: check_dense_params(None, 3072, 1024),
    "check_transpose_output_size": lambda: check_transpose_output_size(None, 7, 3, stride=2),
    "check_output_padding": lambda: check_output_padding(None, 4, 3, stride=3, padding=0, target=14),
    "check_occlusion_positions": lambda: check_occlusion_positions(None, size=28, patch=8, stride=4),
    "check_output_size": lambda: check_output_size(None, 7, 3),
    "check_same_padding": lambda: check_same_padding(3, None),
    "check_same_padding (Keras)": lambda: check_same_padding(5, None, size=10, stride=2),
    "check_pool_output": lambda: check_pool_output(None, X),
    "check_maxpool_grad": lambda: check_maxpool_grad(None, X, [[1, 2], [3, 4]]),
    "check_output_cell": lambda: check_output_cell(1, 0, None),
}


@pytest.mark.parametrize("name", list(_UNANSWERED))
def test_a_student_stuck_before_answering_gets_the_staged_hints(name):
    """The lessons say "Stuck? result.hint(1)" above cells that start at None: a stuck student has no answer yet."""
    result = _UNANSWERED[name]()
    assert not result and "replace None with" in result.message and "Stuck? .hint(1)" in result.message
    hints = [str(result.hint(level)) for level in (1, 2, 3)]
    assert not any(h.startswith("nothing to hint") for h in hints), hints
    assert len(set(hints)) == 3


def test_code_written_with_the_placeholder_left_in_is_not_called_unwritten():
    from cnnlib.exercises.window import check_multiply_and_add

    def written_but_placeholder_left(patch, kernel):
        KH, KW = kernel.shape
        total = 0
        for m in range(KH):
            for n in range(KW):
                total += patch[m, n] * kernel[m, n]
        print(total)
        ...

    result = check_multiply_and_add(written_but_placeholder_left)
    assert "returned None" in result.message and "not written yet" not in result.message
