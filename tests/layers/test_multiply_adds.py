"""``multiply_adds`` by hand (the oracle is tests/test_torch_oracle_multiply_adds.py) and on bad input."""
import pytest

from cnnlib import Sequential
from cnnlib.layers import (AvgPool2D, BatchNorm2D, Conv2D, ConvTranspose2D, Dense, Flatten, GlobalAvgPool2D,
                           MaxPool2D, ReLU, Residual, Sigmoid)


def test_by_hand_on_the_seed_network():
    # conv 1: 32 filters x 26*26 positions x 9 weights; conv 2: 64 x 11*11 x 32*9; dense: 1600*128 + 128*10
    model = Sequential([Conv2D(1, 32, 3), ReLU(), MaxPool2D(2), Conv2D(32, 64, 3), ReLU(), MaxPool2D(2),
                        Flatten(), Dense(1600, 128), ReLU(), Dense(128, 10)])
    assert model.multiply_adds((1, 28, 28)) == 32 * 26 * 26 * 9 + 64 * 11 * 11 * 32 * 9 + 1600 * 128 + 128 * 10


def test_stride_and_padding_change_the_positions_not_the_window():
    assert Conv2D(3, 4, 3, stride=2, padding=1).multiply_adds((3, 8, 8)) == 4 * 4 * 4 * 3 * 9


@pytest.mark.parametrize("layer, shape", [(ReLU(), (4, 5, 5)), (Sigmoid(), (7,)), (MaxPool2D(2), (3, 4, 4)),
                                          (AvgPool2D(2), (3, 4, 4)), (BatchNorm2D(3), (3, 4, 4)),
                                          (Flatten(), (3, 4, 4)), (GlobalAvgPool2D(), (3, 4, 4))])
def test_layers_without_weights_times_inputs_count_zero(layer, shape):
    assert layer.multiply_adds(shape) == 0


def test_a_residual_block_counts_both_paths():
    block = Residual([Conv2D(4, 8, 3, stride=2, padding=1)], shortcut=[Conv2D(4, 8, 1, stride=2)])
    assert block.multiply_adds((4, 6, 6)) == 8 * 3 * 3 * 4 * 9 + 8 * 3 * 3 * 4
    assert Residual([ReLU()]).multiply_adds((4, 6, 6)) == 0  # the identity shortcut and the sum are free


def test_a_transposed_conv_stamps_every_input_value():
    assert ConvTranspose2D(2, 3, 4, stride=2).multiply_adds((2, 5, 5)) == 2 * 5 * 5 * 3 * 16


@pytest.mark.parametrize("call, error, words", [
    (lambda: Conv2D(1, 8, 3).multiply_adds((2, 28, 28)), ValueError, r"in_channels=1\) got an input with 2 channels"),
    (lambda: Conv2D(1, 8, 3).multiply_adds((64, 1, 28, 28)), ValueError, "leave out the batch axis"),
    (lambda: Conv2D(1, 8, 3).multiply_adds((True, 28, 28)), ValueError, "as positive ints, got \\(True"),
    (lambda: Dense(10, 3).multiply_adds((5,)), ValueError, "in_features=10"),
    (lambda: ReLU().multiply_adds("x"), TypeError, "as a tuple of ints, got 'x'. Hint"),
    (lambda: ConvTranspose2D(2, 3, 3).multiply_adds((2.5, 4, 4)), ValueError, "positive ints, got \\(2.5"),
    (lambda: Sequential([Conv2D(1, 8, 3)]).multiply_adds((1, 28)), ValueError, r"layer 0 \(Conv2D\) cannot take"),
    (lambda: Residual([Conv2D(2, 4, 3, padding=1)]).multiply_adds((2, 5, 5)), ValueError, "must be equal to be added"),
])
def test_bad_shapes_are_refused_with_the_layer_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_lesson_10s_claims_about_the_theory_network():
    """Lesson 10: the first dense layer holds more than half of the parameters and does about 1% of the work; the
    second convolution holds 15% and does two thirds (each weight used at 13x13 positions); 4.5 million in all."""
    model = Sequential([Conv2D(3, 32, 3), ReLU(), MaxPool2D(2), Conv2D(32, 64, 3), ReLU(), MaxPool2D(2),
                        Conv2D(64, 64, 3), ReLU(), Flatten(), Dense(1024, 64), ReLU(), Dense(64, 10)])
    total_params, total_work = model.num_params(), model.multiply_adds((3, 32, 32))
    assert total_params == 122_570 and total_work == 4_548_608
    conv2, dense1 = model.layers[3], model.layers[9]
    assert dense1.num_params() / total_params > 0.5
    assert round(dense1.multiply_adds((1024,)) / total_work, 2) == 0.01
    assert round(conv2.num_params() / total_params, 2) == 0.15
    assert round(conv2.multiply_adds((32, 15, 15)) / total_work, 2) == 0.68  # two thirds
    assert conv2.output_shape((32, 15, 15)) == (64, 13, 13)
