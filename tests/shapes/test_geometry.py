"""Geometry2D: the one parser of kernel, stride, padding and dilation; hand cases and the errors it raises."""
import dataclasses
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlib.shapes import Geometry2D, output_length


@pytest.mark.parametrize("args, kernel, stride, pads, dilation", [
    (dict(kernel_size=3), (3, 3), (1, 1), ((0, 0), (0, 0)), (1, 1)),
    (dict(kernel_size=(3, 5), stride=(2, 1), padding=(1, 2)), (3, 5), (2, 1), ((1, 1), (2, 2)), (1, 1)),
    (dict(kernel_size=3, padding="same"), (3, 3), (1, 1), ((1, 1), (1, 1)), (1, 1)),
    (dict(kernel_size=4, padding="same"), (4, 4), (1, 1), ((1, 2), (1, 2)), (1, 1)),  # odd total: extra after
    (dict(kernel_size=(2, 3), padding="same", dilation=2), (2, 3), (1, 1), ((1, 1), (2, 2)), (2, 2)),
    (dict(kernel_size=3, stride=2, padding="valid"), (3, 3), (2, 2), ((0, 0), (0, 0)), (1, 1)),
    (dict(kernel_size=2, padding=((0, 1), (2, 0))), (2, 2), (1, 1), ((0, 1), (2, 0)), (1, 1)),
    (dict(kernel_size=np.int64(3), stride=[1, 2]), (3, 3), (1, 2), ((0, 0), (0, 0)), (1, 1)),
])
def test_conv_resolves_every_form_of_padding(args, kernel, stride, pads, dilation):
    g = Geometry2D.conv(**args)
    assert (g.kernel_size, g.stride, g.pads, g.dilation) == (kernel, stride, pads, dilation)
    assert all(type(v) is int for v in (*g.kernel_size, *g.stride, *g.pads[0], *g.pads[1], *g.dilation))


def test_pool_stride_defaults_to_the_window_and_padding_is_per_axis():
    assert Geometry2D.pool(2) == Geometry2D((2, 2), (2, 2), ((0, 0), (0, 0)))
    assert Geometry2D.pool((3, 2), stride=1, padding=(1, 0)).pads == ((1, 1), (0, 0))


@pytest.mark.parametrize("geometry, in_hw, out_hw", [
    (Geometry2D.conv(3), (28, 28), (26, 26)),
    (Geometry2D.conv(3, stride=2, padding=1), (7, 8), (4, 4)),  # (7+2-3)//2+1, (8+2-3)//2+1
    (Geometry2D.conv(3, dilation=2), (9, 5), (5, 1)),  # effective kernel 5
    (Geometry2D.conv(2, padding=((0, 1), (1, 0))), (2, 2), (2, 2)),
    (Geometry2D.conv(4, padding="same"), (6, 7), (6, 7)),
    (Geometry2D.pool(2), (13, 13), (6, 6)),  # the floor drops the last row
    (Geometry2D.pool(3, stride=2, padding=1), (8, 8), (4, 4)),
])
def test_output_hw_by_hand(geometry, in_hw, out_hw):
    assert geometry.output_hw(in_hw) == out_hw


def test_padded_hw_and_span():
    g = Geometry2D.conv((3, 2), padding=((1, 2), (0, 3)), dilation=(2, 3))
    assert g.padded_hw((5, 4)) == (8, 7)
    assert g.span() == (5, 4)  # 2*(3-1)+1, 3*(2-1)+1


def test_geometry_is_frozen_and_hashable():
    g = Geometry2D.conv(3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.stride = (2, 2)
    assert {g: 1}[Geometry2D.conv((3, 3), 1, 0, 1)] == 1


@given(size=st.integers(1, 40), kernel=st.integers(1, 6), stride=st.integers(1, 4),
       before=st.integers(0, 3), after=st.integers(0, 3), dilation=st.integers(1, 3))
def test_output_length_counts_the_window_positions(size, kernel, stride, before, after, dilation):
    # Independent of the formula: slide a window of span d*(k-1)+1 over the padded axis and count its positions.
    span = dilation * (kernel - 1) + 1
    starts = list(range(0, size + before + after - span + 1, stride))
    if not starts:
        with pytest.raises(ValueError, match="No valid output") as refused:
            output_length(size, kernel, stride, (before, after), dilation)
        # the padding the hint suggests lets a window fit, and 'same' is offered only where cnnlib accepts it
        each_side = int(re.search(r"padding=(\d+) on each side", str(refused.value)).group(1))
        assert output_length(size, kernel, stride, (each_side, each_side), dilation) >= 1
        assert ("padding='same'" in str(refused.value)) == (stride == 1)
    else:
        assert output_length(size, kernel, stride, (before, after), dilation) == len(starts)


@pytest.mark.parametrize("args, error, match", [
    (dict(kernel_size=0), ValueError, r"kernel_size must be >= 1 in each direction, got 0"),
    (dict(kernel_size=3, stride=0), ValueError, r"stride must be >= 1 in each direction, got 0"),
    (dict(kernel_size=3, dilation=(1, 0)), ValueError, r"dilation must be >= 1 in each direction"),
    (dict(kernel_size=3, padding=-1), ValueError, r"padding must be >= 0 in each direction, got -1"),
    (dict(kernel_size=3, padding="full"), ValueError, r"got 'full'.*allowed strings are \('valid', 'same'\)"),
    (dict(kernel_size=3, padding="same", stride=2), ValueError, r"padding='same' requires stride 1, got stride=2"),
    (dict(kernel_size=3, padding=((0, -1), (0, 0))), ValueError, r"padding \(top, bottom\) must be >= 0"),
    (dict(kernel_size=3, padding=((0, 1, 2), (0, 0))), ValueError, r"\(\(top, bottom\), \(left, right\)\)"),
    (dict(kernel_size=3.0), TypeError, r"kernel_size must be an int or a pair of ints \(h, w\), got 3.0"),
    (dict(kernel_size=True), TypeError, r"kernel_size must be an int or a pair of ints, got True \(a bool\)"),
])
def test_conv_errors(args, error, match):
    with pytest.raises(error, match=match):
        Geometry2D.conv(**args)


def test_pool_errors_name_the_caller():
    with pytest.raises(ValueError, match=r"MaxPool2D padding must be at most kernel_size // 2 = 1 along the width, "
                                         r"got padding=\(0, 2\) for kernel_size=\(3, 2\)"):
        Geometry2D.pool((3, 2), padding=(0, 2), who="MaxPool2D")
    with pytest.raises(TypeError, match=r"maxpool2d padding must be an int or a pair of ints, got the string 'same'"):
        Geometry2D.pool(2, padding="same", who="maxpool2d")


def test_no_valid_output_says_which_kernel_and_how_to_fix_it():
    with pytest.raises(ValueError, match=r"the kernel 5 is larger than the padded input 3 \+ 0 \+ 0 = 3\. "
                                         r"Hint: use a smaller kernel_size"):
        Geometry2D.conv(5).output_hw((3, 9))
    with pytest.raises(ValueError, match=r"dilated kernel 3 \(effective size 5 with dilation 2\)"):
        Geometry2D.conv(3, dilation=2).output_hw((9, 4))
