import numpy as np
import pytest

from cnnlib.demos.translation import MAX_SHIFT, compare_shift, shift_right, similarity


def test_shift_right_repeats_the_first_column():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(shift_right(a, 1), [[0, 0, 1], [3, 3, 4]])
    np.testing.assert_array_equal(shift_right(a, 2), [[0, 0, 0], [3, 3, 3]])
    np.testing.assert_array_equal(shift_right(a, 0), a)


def test_similarity_is_the_correlation_coefficient():
    a = np.array([1.0, 2.0, 4.0])
    assert similarity(a, 3 * a + 1) == pytest.approx(1.0)
    assert similarity(a, -a) == pytest.approx(-1.0)
    # by hand: a − mean = (−4/3, −1/3, 5/3), b − mean = (−4/3, 8/3, −4/3): Σ products = −4/3, norms √(14/3) · √(32/3)
    assert similarity(a, [1.0, 5.0, 1.0]) == pytest.approx(-4 / 3 / np.sqrt(14 / 3 * 32 / 3))
    assert similarity(np.ones(3), np.ones(3)) == 1.0  # flat maps: nothing to compare, called the same


@pytest.mark.parametrize("shift, before, after", [(0, 1.00, 1.00), (1, 0.60, 0.79), (2, 0.20, 0.44)])
def test_lesson04_shift_table(shift, before, after):
    c = compare_shift(shift, 2)
    assert round(c.before, 2) == before and round(c.after, 2) == after


def test_curves_hold_every_shift():
    c = compare_shift(2, 4)
    assert c.shifts == tuple(range(MAX_SHIFT + 1)) and len(c.curve_before) == len(c.curve_after) == 7
    assert c.curve_before[2] == c.before and c.curve_after[2] == c.after
    assert all(a >= b for a, b in zip(c.curve_after[:3], c.curve_before[:3]))
    assert c.pooled.shape == (37, 32) and c.fmap_shifted.shape == c.fmap.shape == (150, 128)
    with pytest.raises(ValueError, match=r"shift must be in 0\.\.6"):
        compare_shift(7)
