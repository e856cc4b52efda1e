import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlib.demos.output_size import DROP, DROP_PAD, INPUT, PAD, SKIP, cell_categories, output_size_layout


def test_windows_start_at_multiples_of_the_stride():
    lay = output_size_layout(7, 3, stride=2, padding=1)  # ⌊(7 + 2 − 3)/2⌋ + 1 = 4
    assert (lay.padded_size, lay.out_size, lay.starts, lay.dropped, lay.skipped) == (9, 4, (0, 2, 4, 6), (), ())
    assert lay.covered.all()


def test_the_floor_drops_the_last_cells():
    lay = output_size_layout(8, 3, stride=2, padding=0)  # ⌊5/2⌋ + 1 = 3 windows: 0-2, 2-4, 4-6; cell 7 left over
    assert lay.out_size == 3 and lay.dropped == (7,)
    assert "⌊5 / 2⌋ + 1 = 2 + 1 = 3" in lay.formula
    assert "drops the last 1 row and column" in lay.formula


def test_formula_substitutes_the_numbers():
    lay = output_size_layout(12, 3, stride=1, padding=3, dilation=2)
    assert "K_eff = K + (K − 1)(D − 1) = 3 + (3 − 1)·(2 − 1) = 5" in lay.formula
    assert "⌊(12 + 2·3 − 5) / 1⌋ + 1 = ⌊13 / 1⌋ + 1 = 13 + 1 = 14" in lay.formula


def test_same_padding_is_asymmetric_for_even_kernels():
    lay = output_size_layout(6, 2, padding="same")
    assert lay.padding == (0, 1) and lay.out_size == 6
    assert "P_before + P_after" in lay.formula


def test_invalid_settings_give_an_error_not_an_exception():
    lay = output_size_layout(2, 5, stride=1, padding=0)
    assert lay.out_size == 0 and lay.starts == ()
    assert "larger than the padded input" in lay.error
    assert lay.formula.splitlines()[-1].endswith("2 − 5 < 0, no window fits")


def test_stride_larger_than_the_kernel_skips_cells():
    lay = output_size_layout(7, 2, stride=3)  # windows 0-1 and 3-4: cell 2 between them, 5 and 6 after
    assert lay.starts == (0, 3) and lay.skipped == (2,) and lay.dropped == (5, 6)
    assert "skipped (yellow, striped /)" in lay.formula
    assert cell_categories(lay)[2, 0] == SKIP


def test_cell_categories_mark_padding_and_dropped_cells():
    cats = cell_categories(output_size_layout(8, 3, stride=2, padding=0))
    assert (cats[7] == DROP).all() and (cats[:, 7] == DROP).all()
    assert (cats[:7, :7] == INPUT).all()
    cats = cell_categories(output_size_layout(3, 3, padding=1))
    assert (cats[0] == PAD).all() and cats[1, 1] == INPUT
    cats = cell_categories(output_size_layout(4, 3, stride=2, padding=1))  # padded 6: windows 0-2, 2-4; 5 dropped
    assert cats[5, 0] == DROP_PAD and cats[5, 2] == DROP_PAD and cats[2, 2] == INPUT


@settings(max_examples=200, deadline=None)
@given(h=st.integers(1, 20), k=st.integers(1, 7), s=st.integers(1, 4), p=st.integers(0, 3), d=st.integers(1, 3))
def test_layout_agrees_with_the_formula(h, k, s, p, d):
    lay = output_size_layout(h, k, s, p, d)
    k_eff = k + (k - 1) * (d - 1)
    if h + 2 * p < k_eff:
        assert lay.error and lay.out_size == 0
        return
    assert lay.out_size == (h + 2 * p - k_eff) // s + 1 == len(lay.starts)
    assert lay.starts[-1] + k_eff <= lay.padded_size  # the last window fits
    assert len(lay.dropped) == (h + 2 * p - k_eff) % s  # what the floor drops
    uncovered = set(np.flatnonzero(~lay.covered).tolist())
    assert uncovered == set(lay.dropped) | set(lay.skipped)
    assert bool(lay.skipped) == (s > k_eff and len(lay.starts) > 1)
