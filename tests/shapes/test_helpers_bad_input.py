"""The public shape helpers check their own arguments: no ZeroDivisionError, no float sizes, no silent yes."""
import pytest

from cnnlib.shapes import (Geometry2D, conv_transpose_output_hw, output_length, pool_output_size, receptive_field,
                           receptive_field_region)


@pytest.mark.parametrize("call, error, words", [
    (lambda: output_length(5, 3, 0, (0, 0), 1), ValueError, ["stride must be >= 1, got 0", "Hint"]),
    (lambda: output_length(5.5, 3, 1, (0, 0), 1), TypeError, ["size must be an integer, got 5.5", "Hint"]),
    (lambda: output_length(5, 3, 1, (-1, 0), 1), ValueError, ["pads (before, after) must be >= 0"]),
    (lambda: Geometry2D((3, 3), (0, 0), ((0, 0), (0, 0))), ValueError, ["stride must be >= 1", "(0, 0)"]),
    (lambda: Geometry2D((3, 3), (1, 1), 0), TypeError, ["pads must be ((top, bottom), (left, right))",
                                                         "Geometry2D.conv"]),
    (lambda: Geometry2D.conv(3).output_hw((5.5, 5)), TypeError, ["in_hw must be an int or a pair", "(5.5, 5)"]),
    (lambda: conv_transpose_output_hw((0, 4), Geometry2D.conv(3), (0, 0)), ValueError, ["in_hw must be >= 1"]),
    (lambda: conv_transpose_output_hw((4, 4), Geometry2D.conv(3), (5, 5)), ValueError,
     ["output_padding must be smaller than either the stride or the dilation", "(5, 5)", "Hint"]),
    (lambda: conv_transpose_output_hw((4, 4), "geometry", (0, 0)), TypeError, ["must be a Geometry2D", "Hint"]),
    (lambda: receptive_field(5), TypeError, ["layers must be a list", "got 5", "Hint"]),
    (lambda: receptive_field_region(receptive_field([(3, 1), (2, 2)])[-1], 1.5, 0), TypeError,
     ["i must be an integer, got 1.5"]),
    (lambda: receptive_field_region(receptive_field([(3, 1), (2, 2)])[-1], -1, 0), ValueError, ["i must be >= 0"]),
    (lambda: receptive_field_region(receptive_field([(3, 1), (2, 2)], input_size=28)[-1], 13, 0), ValueError,
     ["unit (13, 0) does not exist", "13×13", "i in 0..12"]),
    (lambda: receptive_field_region(receptive_field([(3, 1), (2, 2)])[-1], 100, 0, input_size=28), ValueError,
     ["unit (100, 0)", "past the image"]),
    (lambda: receptive_field_region("rf", 0, 0), TypeError, ["rf must be a ReceptiveField", "Hint"]),
    (lambda: pool_output_size(30, 2, padding=2), ValueError, ["at most kernel_size // 2 = 1", "got padding=2"]),
])
def test_bad_arguments_name_the_value_and_a_fix(call, error, words):
    with pytest.raises(error) as info:
        call()
    missing = [w for w in words if w not in str(info.value)]
    assert not missing, f"{missing} not in: {info.value}"


def test_good_arguments_still_work():
    assert output_length(7, 3, 2, (1, 1), 1) == 4 and Geometry2D.conv(3).output_hw(5) == (3, 3)
    assert pool_output_size(30, 2, padding=1) == 16 and pool_output_size(30, 2) == 15
    rf = receptive_field([(3, 1), (2, 2)], input_size=28)[-1]
    assert receptive_field_region(rf, 12, 12, input_size=28) == ((24, 28), (24, 28))
