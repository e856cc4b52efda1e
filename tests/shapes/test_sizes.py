"""The lessons' shape helpers: hand-computed sizes, one meaning for a 2-tuple, explanations and errors."""
import pytest

from cnnlib.shapes import (conv_output_shape, conv_output_size, effective_kernel_size, explain_conv_output_size,
                           pool_output_size, resolve_padding, same_padding)


@pytest.mark.parametrize("args, kwargs, expected", [
    ((32, 3), {}, 30),
    ((28, 5), dict(padding=2), 28),
    ((7, 3), dict(stride=2, padding=1), 4),  # (7 + 2 - 3) // 2 + 1
    ((8, 3), dict(stride=2), 3),  # (8 - 3) // 2 + 1: the floor drops a row
    ((9, 3), dict(dilation=2), 5),  # effective kernel 5
    ((6, 4), dict(padding="same"), 6),
    ((6, 4), dict(padding="valid"), 3),
    ((4, 2), dict(pads=(0, 1)), 4),  # one extra row after: (4 + 0 + 1 - 2) // 1 + 1
    ((5, 3), dict(stride=2, pads=(2, 0)), 3),
])
def test_conv_output_size_by_hand(args, kwargs, expected):
    assert conv_output_size(*args, **kwargs) == expected


def test_a_pair_never_means_before_and_after():
    with pytest.raises(TypeError, match=r"one axis, so padding is one int.*got \(0, 1\).*pads=\(before, after\)"):
        conv_output_size(7, 3, 1, (0, 1))
    with pytest.raises(TypeError, match="padding or pads, not both"):
        conv_output_size(7, 3, padding=1, pads=(0, 1))
    # For an image a pair is (ph, pw), as in Conv2D: 1 row on top and bottom, 0 columns.
    assert conv_output_shape((5, 5), 3, padding=(1, 0)) == (5, 3)
    assert resolve_padding((1, 0), 3) == ((1, 1), (0, 0))


def test_conv_output_shape_and_resolve_padding_take_conv2d_arguments():
    assert conv_output_shape((28, 28), 3) == (26, 26)
    assert conv_output_shape((32, 30), (3, 5), stride=(1, 2), padding="valid") == (30, 13)
    assert conv_output_shape([7, 7], 2, padding=((0, 1), (1, 0))) == (7, 7)
    assert resolve_padding("same", 4) == ((1, 2), (1, 2))
    assert resolve_padding("same", (3, 2), dilation=(2, 1)) == ((2, 2), (0, 1))
    assert resolve_padding(((0, 1), (2, 3)), 3) == ((0, 1), (2, 3))
    with pytest.raises(TypeError, match=r"input_hw must be a pair \(H, W\)"):
        conv_output_shape(28, 3)
    with pytest.raises(ValueError, match=r"H must be >= 1, got 0"):
        conv_output_shape((0, 5), 3)


def test_same_padding_and_effective_kernel_size():
    assert [same_padding(k) for k in (1, 2, 3, 4, 5)] == [(0, 0), (0, 1), (1, 1), (1, 2), (2, 2)]
    assert same_padding(3, dilation=2) == (2, 2)
    assert [effective_kernel_size(3, d) for d in (1, 2, 3)] == [3, 5, 7]


def test_pool_output_size_defaults_the_stride_to_the_window():
    assert pool_output_size(26, 2) == 13
    assert pool_output_size(13, 2) == 6
    assert pool_output_size(13, 3, stride=2, padding=1) == 7
    with pytest.raises(TypeError, match="pooling padding must be an int"):
        pool_output_size(13, 2, padding="same")


def test_explanations_substitute_the_numbers():
    assert explain_conv_output_size(8, 3, stride=2).splitlines() == [
        "H_out = floor((H + 2P - K) / S) + 1 = floor((8 + 2*0 - 3) / 2) + 1 = floor(5 / 2) + 1 = 2 + 1 = 3",
        "The stride does not fit exactly: the last 1 row(s)/column(s) of the padded input",
        "are never covered by a window (the floor drops them).",
    ]
    assert explain_conv_output_size(4, 2, pads=(0, 1)) == (
        "H_out = floor((H + P_before + P_after - K) / S) + 1 = floor((4 + 0 + 1 - 2) / 1) + 1 = floor(3 / 1) + 1"
        " = 3 + 1 = 4")
    first = explain_conv_output_size(9, 3, dilation=2).splitlines()[0]
    assert first == "K_eff = K + (K - 1)(D - 1) = 3 + (3 - 1)*(2 - 1) = 5"
    assert explain_conv_output_size(6, 4, padding="same").endswith("= 6")


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(size=0, kernel_size=3), ValueError, r"size must be >= 1, got 0"),
    (dict(size=5, kernel_size=0), ValueError, r"kernel_size must be >= 1, got 0"),
    (dict(size=5, kernel_size=3, stride=1.5), TypeError, r"stride must be an integer, got 1.5"),
    (dict(size=5, kernel_size=3, padding=-1), ValueError, r"padding must be >= 0, got -1"),
    (dict(size=5, kernel_size=3, pads=(0, -1)), ValueError, r"pads \(before, after\) must be >= 0"),
    (dict(size=2, kernel_size=5), ValueError, r"kernel 5 is larger than the padded input 2 \+ 0 \+ 0 = 2"),
    (dict(size=5, kernel_size=3, stride=2, padding="same"), ValueError, r"padding='same' requires stride 1"),
])
def test_conv_output_size_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        conv_output_size(**kwargs)


def test_keras_same_padding_hand_cases():
    from cnnlib.shapes import keras_same_padding
    assert keras_same_padding(7, 3, stride=2) == (1, 1)  # ceil(7/2) = 4 outputs, total (4-1)*2 + 3 - 7 = 2
    assert keras_same_padding(8, 3, stride=2) == (0, 1)  # ceil(8/2) = 4 outputs, total 1: the odd pixel after
    assert keras_same_padding(8, 1, stride=2) == (0, 0)  # a 1×1 kernel at stride 2 needs none
    assert keras_same_padding(6, 3, stride=1, dilation=2) == (2, 2)  # K_eff = 5, stride 1: K_eff - 1
