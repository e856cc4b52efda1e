"""Lesson 10's receptive-field checker: the right answer, each classic slip named, hints staged, bad input refused."""
import pytest

from cnnlib.exercises.architectures import check_receptive_field
from cnnlib.layers import Conv2D, MaxPool2D, ReLU
from cnnlib.networks import cifar_cnn
from cnnlib.shapes import receptive_field

# Lesson 10's exercise: the theory model's layers 0-7, then a third 2×2 pool. By hand: 3, 4, 8, 10, 18, then
# 18 + (2 - 1)·4 = 22.
LAYERS = cifar_cnn().layers[:8] + [MaxPool2D(2)]


def test_the_right_answer_and_its_forms():
    assert receptive_field(LAYERS)[-1].size == (22, 22)
    for answer in (22, 22.0):
        result = check_receptive_field(answer, LAYERS, input_size=(32, 32))
        assert result.correct and "18 + 1·4 = 22" in result.message


@pytest.mark.parametrize("answer, slip", [
    (10, "as if all had stride 1"),          # 1 + 2 + 1 + 2 + 1 + 2 + 1: K - 1 per layer, no jump
    (29, "jump *after* the layer"),          # 1 + 2·1 + 1·2 + 2·2 + 1·4 + 2·4 + 1·8
    (15, "pooling layers widen nothing"),    # 1 + 2·1 + 2·2 + 2·4
    (18, "the layer before the last"),       # layer 6's field, the table's last row
])
def test_each_slip_is_named_without_the_answer(answer, slip):
    result = check_receptive_field(answer, LAYERS)
    assert not result.correct and slip in result.message
    assert "22" not in result.message


def test_hints_are_staged_and_only_the_last_gives_the_answer():
    result = check_receptive_field(None, LAYERS)
    assert not result.correct and "replace None" in result.message
    assert "(K − 1)·j" in result.hint(1) and "22" not in result.hint(1) + result.hint(2)
    assert "After layer 6" in result.hint(2) and "r = 18" in result.hint(2) and "j = 4" in result.hint(2)
    assert result.hint(3).endswith("= 22.")


def test_an_unknown_number_and_a_fraction():
    assert check_receptive_field(21, LAYERS).message.startswith("you answered 21 for the field after layer 8")
    fraction = check_receptive_field(22.5, LAYERS)
    assert not fraction.correct and "whole number" in fraction.message


def test_the_lessons_slip_demo_is_on_another_layer():
    """The demo (answer 6 for layer 3) is the no-jump slip there, and 6 is not the exercise's answer."""
    demo = check_receptive_field(6, cifar_cnn().layers[:4])
    assert not demo.correct and "as if all had stride 1" in demo.message
    assert not check_receptive_field(6, LAYERS).correct


def test_specs_and_a_single_layer():
    assert check_receptive_field(22, [(3, 1), (2, 2), (3, 1), (2, 2), (3, 1), (2, 2)]).correct
    one = check_receptive_field(None, [Conv2D(1, 1, 5)])
    assert "The input: r = 1, j = 1" in one.hint(2) and one.hint(3).endswith("= 5.")


def test_bad_input_is_refused_with_a_hint():
    with pytest.raises(TypeError, match="whole number"):
        check_receptive_field("22", LAYERS)
    with pytest.raises(ValueError, match="no conv or pooling layer.*Hint"):
        check_receptive_field(1, [ReLU()])
    with pytest.raises(ValueError, match="square field.*Hint"):
        check_receptive_field(3, [Conv2D(1, 1, (3, 5))])
    with pytest.raises(TypeError, match="layers must be"):
        check_receptive_field(3, "conv")
