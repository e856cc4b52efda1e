"""conv_transpose_output_size: hand cases, the inverse of conv_output_size, PyTorch's output_padding rule, errors."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlib.shapes import conv_output_size, conv_transpose_geometry, conv_transpose_output_size


@pytest.mark.parametrize("args, kwargs, expected", [
    ((2, 2), dict(stride=2), 4),  # the "stamp" picture: each pixel stamps a 2x2 kernel, 2 apart
    ((3, 3), {}, 5),  # (3-1)*1 + (3-1) + 1: a full convolution's size
    ((4, 3), dict(stride=2, padding=1), 7),  # (4-1)*2 - 2 + 2 + 1
    ((4, 3), dict(stride=2, padding=1, output_padding=1), 8),
    ((7, 4), dict(stride=2, padding=1), 14),  # DCGAN's upsampling by 2
    ((5, 3), dict(dilation=2), 9),  # (5-1) + 2*(3-1) + 1
    ((5, 3), dict(dilation=2, output_padding=1), 10),  # output_padding < dilation is allowed at stride 1
    ((1, 1), {}, 1),
])
def test_by_hand(args, kwargs, expected):
    assert conv_transpose_output_size(*args, **kwargs) == expected


def test_pairs_are_height_and_width():
    assert conv_transpose_output_size((7, 7), (4, 3), stride=2) == (16, 15)
    assert conv_transpose_output_size((4, 5), 3, stride=(2, 1), padding=(1, 0), output_padding=(1, 0)) == (8, 7)
    assert conv_transpose_output_size([2, 3], 2, stride=2) == (4, 6)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 12), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 3), st.data())
def test_a_conv_with_the_same_settings_maps_the_output_back(size, kernel, stride, padding, dilation, data):
    output_padding = data.draw(st.integers(0, max(stride, dilation) - 1))
    try:
        out = conv_transpose_output_size(size, kernel, stride, padding, output_padding, dilation)
    except ValueError:
        assert (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1 < 1
        return
    assert out == (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    if output_padding < stride:
        assert conv_output_size(out, kernel, stride, padding, dilation) == size


def test_output_padding_picks_among_the_sizes_a_strided_conv_confuses():
    # A stride-2 conv maps both 7 and 8 to 4; output_padding says which one comes back.
    assert conv_output_size(7, 3, 2, 1) == conv_output_size(8, 3, 2, 1) == 4
    assert [conv_transpose_output_size(4, 3, 2, 1, op) for op in (0, 1)] == [7, 8]


def test_output_padding_must_be_smaller_than_stride_or_dilation():
    with pytest.raises(ValueError, match=r"output_padding must be smaller than either the stride or the dilation "
                                         r"along the height, got output_padding=2 with stride=2 and dilation=1.*Hint"):
        conv_transpose_output_size(4, 3, stride=2, output_padding=2)
    with pytest.raises(ValueError, match=r"along the width, got output_padding=\(0, 1\) with stride=\(2, 1\)"):
        conv_transpose_output_size((4, 4), 3, stride=(2, 1), output_padding=(0, 1))


def test_a_non_positive_output_is_an_error_with_a_hint():
    with pytest.raises(ValueError, match=r"No valid output.*\(1-1\)\*1 - 4 \+ 1\*\(2-1\) \+ 0 \+ 1 = -2\. "
                                         r"Hint: .*smaller padding"):
        conv_transpose_output_size(1, 2, padding=2)


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: conv_transpose_output_size(0, 3), ValueError, r"size must be >= 1, got 0"),
    (lambda: conv_transpose_output_size(4, 0), ValueError, r"kernel_size must be >= 1 in each direction, got 0"),
    (lambda: conv_transpose_output_size(4, 3, stride=0), ValueError, r"stride must be >= 1.*got 0"),
    (lambda: conv_transpose_output_size(4, 3, padding=-1), ValueError, r"padding must be >= 0.*got -1"),
    (lambda: conv_transpose_output_size(4, 3, padding="same"), TypeError,
     r"padding must be an int or a pair \(ph, pw\), got 'same'.*Hint: as in PyTorch"),
    (lambda: conv_transpose_output_size(4, (3, 2)), TypeError,
     r"int size=4 but a pair for kernel_size \(kernel_size=\(3, 2\)\).*pass size=\(H, W\)"),
    (lambda: conv_transpose_output_size((4, 4, 4), 3), TypeError, r"size must be an int or a pair \(H, W\), got "
                                                                 r"\(4, 4, 4\)"),
    (lambda: conv_transpose_output_size(4.0, 3), TypeError, r"size must be an integer, got 4\.0"),
])
def test_bad_arguments(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_geometry_is_the_transposed_convolutions():
    geometry, output_padding = conv_transpose_geometry((3, 2), stride=2, padding=(1, 0), output_padding=1,
                                                       dilation=(1, 2))
    assert geometry.kernel_size == (3, 2) and geometry.stride == (2, 2) and geometry.dilation == (1, 2)
    assert geometry.pads == ((1, 1), (0, 0)) and output_padding == (1, 1)
