"""Lesson 12's checkers accept right answers and name the classic slips, with staged hints."""
import numpy as np
import pytest

from cnnlib.exercises.building_blocks import (check_pointwise_params, check_shortcut, check_stacked_receptive_field,
                                              residual_block)
from cnnlib.layers import AvgPool2D, BatchNorm2D, Conv2D, MaxPool2D, ReLU, Residual
from cnnlib.model import Sequential


@pytest.mark.parametrize("answer, phrase", [
    (2_080, "the same count as Dense(64, 32)"), (2_048, "forgot the biases"), (18_464, "that is a 3×3 conv"),
    (2_112, "per output channel (per filter), not per input channel"),
    (4_096, "one bias per filter, not one per weight"),
    (96, "that is one filter"), (5, "you answered 5 for Conv2D(64, 32, 1)."),
])
def test_pointwise_params(answer, phrase):
    assert phrase in check_pointwise_params(answer, 64, 32).message


def test_pointwise_params_equals_the_layers_count_and_has_hints():
    assert check_pointwise_params(Conv2D(64, 32, 1).num_params(), 64, 32)
    assert check_pointwise_params(2_048, 64, 32, bias=False)
    wrong = check_pointwise_params(2_048, 64, 32)
    assert "Dense layer applied at every pixel" in wrong.hint(1) and "2,080" in wrong.hint(3)
    assert "replace None" in check_pointwise_params(None, 64, 32).message
    fraction = check_pointwise_params(2_080.5, 64, 32)  # a wrong answer, not a wrong type: "Not yet", with hints
    assert not fraction and "you answered 2080.5" in fraction.message and "2,080" in fraction.hint(3)
    with pytest.raises(TypeError, match="whole number"):
        check_pointwise_params([2_080], 64, 32)


@pytest.mark.parametrize("answer, phrase", [
    (7, "r = 1 + n·(K − 1) = 1 + 3·2 = 7"), (9, "you added the kernel sizes"),
    (27, "you multiplied the kernel sizes"),
    (6, "forgot the pixel you started from"), (5, "subtracted one too many"), (11, "you answered 11"),
])
def test_stacked_receptive_field(answer, phrase):
    assert phrase in check_stacked_receptive_field(answer, 3).message


def test_stacked_receptive_field_hints_and_other_kernels():
    assert check_stacked_receptive_field(9, 2, kernel_size=5)
    result = check_stacked_receptive_field(9, 3)
    assert "K − 1 = 2" in result.hint(1) and "1 + 3·2 = 7" in result.hint(3)


@pytest.mark.parametrize("args", [(16, 16, 1), (16, 32, 1), (16, 16, 2), (16, 32, 2)])
def test_shortcut_accepts_the_identity_or_a_1x1_projection_with_the_blocks_stride(args):
    c_in, c_out, s = args
    right = "identity" if (c_in, s) == (c_out, 1) else [Conv2D(c_in, c_out, 1, stride=s, bias=False),
                                                         BatchNorm2D(c_out)]
    assert check_shortcut(right, c_in, c_out, s)
    shortcut = None if right == "identity" else right
    block = Residual(residual_block(c_in, c_out, s), shortcut=shortcut)
    assert block.output_shape((c_in, 8, 8)) == (c_out, 8 // s, 8 // s)


@pytest.mark.parametrize("answer, args, phrase", [
    ("identity", (16, 32, 2), "changes the channels and size: (16, 8, 8) → (32, 4, 4)"),
    ("identity", (16, 16, 2), "changes the size"),
    ("identity", (16, 32, 1), "changes the channels"),
    (lambda: [Conv2D(16, 32, 1, bias=False), BatchNorm2D(32)], (16, 32, 2), "must use the block's stride 2"),
    (lambda: Conv2D(32, 32, 1, stride=2), (16, 32, 2), "x, which has 16 channels"),
    (lambda: Conv2D(16, 16, 1), (16, 16, 1), "the identity adds nothing to learn"),
    (lambda: Sequential([Conv2D(16, 32, 3, stride=2, padding=1)]), (16, 32, 2), "9× the weights of a 1×1"),
    (lambda: [Conv2D(16, 32, 1, stride=2, bias=False), BatchNorm2D(32), ReLU()], (16, 32, 2),
     "ReLU makes the shortcut non-linear"),
])
def test_shortcut_slips_are_diagnosed_with_hints(answer, args, phrase):
    result = check_shortcut(answer() if callable(answer) else answer, *args)
    assert not result and phrase in result.message
    assert "shortcut must give the block's shape" in result.hint(1) and "The answer" in result.hint(3)


def test_shortcut_words_get_feedback_not_an_error():
    """A student who types the word instead of the layers is told what to write; "Identity" is the identity."""
    result = check_shortcut("projection", 16, 32, 2)
    assert not result and "write \"identity\", or the projection itself as layers" in result.message
    assert result.hint(1).startswith("The block maps x")
    assert check_shortcut(" Identity", 16, 16, 1)


def test_an_average_pooling_shortcut_is_linear_and_accepted_as_resnet_d():
    """Average pooling is linear: AvgPool2D then a 1×1 conv is ResNet-D's shortcut, not a non-linear one."""
    result = check_shortcut([AvgPool2D(2), Conv2D(16, 32, 1, bias=False), BatchNorm2D(32)], 16, 32, 2)
    assert result and "ResNet-D" in result.message
    skipping = check_shortcut([AvgPool2D(1, stride=2), Conv2D(16, 32, 1, bias=False), BatchNorm2D(32)], 16, 32, 2)
    assert skipping and "ResNet-D" not in skipping.message and "AvgPool2D → Conv2D → BatchNorm2D" in skipping.message
    pool_only = check_shortcut([AvgPool2D(2)], 16, 16, 2)
    assert pool_only and "1×1 conv, gives" not in pool_only.message and "AvgPool2D gives x that shape" in pool_only.message
    result = check_shortcut([MaxPool2D(2), Conv2D(16, 32, 1, bias=False), BatchNorm2D(32)], 16, 32, 2)
    assert not result and "MaxPool2D makes the shortcut non-linear" in result.message


def test_whole_numbers_of_any_kind_are_read_as_answers():
    """np.int64 (from np.prod) and 9.0 are whole numbers: judged, not refused."""
    assert check_pointwise_params(np.int64(65_664), 512, 128)
    assert check_stacked_receptive_field(np.int64(9), 4) and check_stacked_receptive_field(9.0, 4)
    with pytest.raises(TypeError, match=r"whole number.*Hint: write "):
        check_stacked_receptive_field("9", 4)
