import numpy as np
import pytest

from cnnlib.functional import conv2d
from cnnlib.viz.conv_steps import SEED_INPUT, SEED_KERNEL, draw_conv_step, sliding_window_steps, step_equation


def test_seed_example_matches_cnnlib_and_the_notes():
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    expected = conv2d(SEED_INPUT[None, None], SEED_KERNEL[None, None])[0, 0]
    np.testing.assert_array_equal(sw.output, expected)
    np.testing.assert_array_equal(sw.output, [[2, 3, 4], [-3, 2, 3], [4, -3, 2]])
    assert [s.value for s in sw.steps[:3]] == [2, 3, 4]


def test_steps_are_row_major_with_patches_at_i_times_stride():
    x = np.arange(36.0).reshape(6, 6)
    sw = sliding_window_steps(x, np.ones((3, 3)), stride=2, padding=1)
    assert sw.padded.shape == (8, 8)
    assert [(s.row, s.col) for s in sw.steps[:4]] == [(0, 0), (0, 1), (0, 2), (1, 0)]
    step = sw.steps[4]  # out[1, 1]
    assert (step.top, step.left) == (2, 2)
    np.testing.assert_array_equal(step.patch, sw.padded[2:5, 2:5])
    np.testing.assert_array_equal(sw.output, conv2d(x[None, None], np.ones((1, 1, 3, 3)), stride=2, padding=1)[0, 0])


def test_same_padding_puts_the_extra_zero_bottom_right():
    sw = sliding_window_steps(np.ones((4, 4)), np.ones((2, 2)), padding="same")
    assert sw.padding == ((0, 1), (0, 1))
    assert sw.output.shape == (4, 4)


def test_partial_output_fills_cells_in_order():
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    partial = sw.partial_output(3)
    assert np.isfinite(partial).sum() == 4
    assert partial[1, 0] == -3 and np.isnan(partial[1, 1])


def test_step_equation_writes_the_sum():
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    assert step_equation(sw.steps[1], SEED_KERNEL) == "out[0, 1] = 2·1 + 3·0 + 1·(-1) + 2·1 = 3"


def test_draw_conv_step_draws_four_panels_and_rejects_bad_index():
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    fig = draw_conv_step(sw, 0)
    assert len(fig.axes) == 4
    assert "step 1 of 9" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match=r"0\.\.8"):
        draw_conv_step(sw, 9)


def test_rejects_non_2d_input():
    with pytest.raises(ValueError, match="2-D input"):
        sliding_window_steps(np.zeros((1, 4, 4)), SEED_KERNEL)
