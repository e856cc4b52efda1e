import numpy as np
import pytest

from cnnlib.demos.sliding_window import SEED_INPUT, SEED_KERNEL, correlate, sliding_window_steps, step_equation
from cnnlib.functional import conv2d

# The theory notes' 4×4 ⋆ 2×2 example, by hand: out[0, 0] = 1·1 + 2·0 + 0·(-1) + 1·1 = 2, and so on.
SEED_OUT = [[2, 3, 4], [-3, 2, 3], [4, -3, 2]]


def test_seed_example_is_the_hand_computed_one():
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    np.testing.assert_array_equal(sw.output, SEED_OUT)
    assert [s.value for s in sw.steps] == [v for row in SEED_OUT for v in row]


def test_each_step_is_its_patch_times_the_kernel():
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    step = sw.steps[5]  # out[1, 2]: rows 1..2, columns 2..3
    np.testing.assert_array_equal(step.patch, [[2, 3], [1, 2]])
    np.testing.assert_array_equal(step.products, [[2, 0], [-1, 2]])
    for s in sw.steps:
        assert s.products.sum() == s.value


def test_stride_and_padding_match_cnnlib():
    x = np.arange(36.0).reshape(6, 6)
    sw = sliding_window_steps(x, np.ones((3, 3)), stride=2, padding=1)
    assert sw.padded.shape == (8, 8)
    assert [(s.row, s.col) for s in sw.steps[:4]] == [(0, 0), (0, 1), (0, 2), (1, 0)]
    step = sw.steps[4]  # out[1, 1]
    assert (step.top, step.left) == (2, 2)
    np.testing.assert_array_equal(step.patch, sw.padded[2:5, 2:5])
    assert step.value == x[1:4, 1:4].sum()  # padded rows/cols 2..4 are input rows/cols 1..3
    np.testing.assert_array_equal(sw.output, conv2d(x[None, None], np.ones((1, 1, 3, 3)), stride=2, padding=1)[0, 0])


def test_same_padding_puts_the_extra_zero_bottom_right():
    sw = sliding_window_steps(np.ones((4, 4)), np.ones((2, 2)), padding="same")
    assert sw.padding == ((0, 1), (0, 1))
    assert sw.output.shape == (4, 4)
    assert sw.output[3, 3] == 1 and sw.output[0, 0] == 4  # the last window sees one input cell


def test_partial_output_fills_cells_in_order():
    partial = sliding_window_steps(SEED_INPUT, SEED_KERNEL).partial_output(3)
    assert np.isfinite(partial).sum() == 4
    assert partial[1, 0] == -3 and np.isnan(partial[1, 1])


def test_step_equation_writes_the_sum():
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    assert step_equation(sw.steps[1], SEED_KERNEL) == "out[0, 1] = 2·1 + 3·0 + 1·(-1) + 2·1 = 3"
    big = sliding_window_steps(np.ones((5, 5)), np.ones((4, 4)))
    assert step_equation(big.steps[0], big.kernel) == "out[0, 0] = sum of 16 products = 16"


def test_correlate_is_cross_correlation_not_convolution():
    np.testing.assert_array_equal(correlate([[1, 2], [3, 4]], [[1]]), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(correlate([[1, 2], [3, 4]], [[0, 1]]), [[2], [4]])  # not flipped: the right one
    np.testing.assert_array_equal(correlate([[1, 2], [3, 4]], [[1, 1], [1, 1]], padding=1)[0], [1, 3, 2])
    np.testing.assert_array_equal(correlate(np.arange(5.0)[None], [[1]], stride=2), [[0, 2, 4]])


def test_rejects_non_2d_input():
    with pytest.raises(ValueError, match="2-D input"):
        sliding_window_steps(np.zeros((1, 4, 4)), SEED_KERNEL)
