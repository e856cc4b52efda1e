"""Lesson 01's checkers: parameter counts of Dense and Conv2D."""
import pytest

from cnnlib.exercises.channels import check_conv_params, check_dense_params


@pytest.mark.parametrize("answer, phrase", [
    (896, "Correct"), (864, "forgot the biases"), (320, "forgot the depth"), (28, "that is one filter"),
    (960, "one bias per filter, not one per kernel"), (5, "Count C_out filters"),
])
def test_check_conv_params(answer, phrase):
    assert phrase in repr(check_conv_params(answer, 3, 32, 3))


def test_check_dense_params():
    assert check_dense_params(100_480, 784, 128)
    assert "forgot the biases" in check_dense_params(100_352, 784, 128).message
    with pytest.raises(TypeError, match="whole number"):
        check_dense_params(1.5, 784, 128)
