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
    assert "counted in whole numbers" in check_dense_params(100_480.5, 784, 128).message
    assert "100480.5" in check_dense_params(100_480.5, 784, 128).message


@pytest.mark.parametrize("answer", [864, 320, 28, 960, 5])
def test_check_conv_params_gives_staged_hints_with_the_answer_last(answer):
    result = check_conv_params(answer, 3, 32, 3)
    assert ".hint(1)" in result.message
    assert "896" not in result.message + result.hint(1) + result.hint(2)
    assert "one KH×KW kernel for every input channel" in result.hint(2) and result.hint(3).endswith("= 896.")


def test_check_dense_params_gives_staged_hints_with_the_answer_last():
    for answer in (100_352, 5):
        result = check_dense_params(answer, 784, 128)
        assert ".hint(1)" in result.message and "100,480" not in result.hint(1) + result.hint(2)
        assert "784" not in result.hint(2) and "= 100,480" in result.hint(3)


def test_parameter_counts_without_bias_never_mention_biases():
    assert check_dense_params(100_352, 784, 128, bias=False)
    assert "bias" not in check_dense_params(5, 784, 128, bias=False).message
    assert "bias" not in check_conv_params(5, 3, 32, 3, bias=False).hint(1)


@pytest.mark.parametrize("answer", ["896", "4,864", [896], True])
def test_a_count_that_is_not_a_number_is_a_type_error_naming_it(answer):
    with pytest.raises(TypeError, match=r"whole number of parameters, e\.g\. 896, got .*Hint: write it without quotes"):
        check_conv_params(answer, 3, 32, 3)
    assert "replace None" in check_conv_params(None, 3, 32, 3).message


@pytest.mark.parametrize("check, args", [(check_conv_params, (3, 32, 3)), (check_dense_params, (784, 128))])
def test_negative_and_fractional_counts_are_named_not_raised(check, args):
    assert "cannot be negative" in check(-5, *args).message
    assert "counted in whole numbers" in check(895.5, *args).message
    assert not check(895.5, *args)  # a wrong answer's Feedback is falsy: the checker must not read it as "no problem"
