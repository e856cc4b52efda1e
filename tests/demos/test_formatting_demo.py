import numpy as np
import pytest

from cnnlib.demos.formatting import format_rows, format_value, paren


@pytest.mark.parametrize("value, text", [(3.0, "3"), (-2, "-2"), (0.125, "0.12"), (-0.0, "0"), (np.nan, "?"),
                                         (np.inf, "?"), (np.float32(1.5), "1.50")])
def test_format_value(value, text):
    assert format_value(value) == text


def test_paren_wraps_negative_factors_only():
    assert (paren(2.0), paren(-1.0), paren(-0.0)) == ("2", "(-1)", "0")


def test_format_rows_writes_nested_lists():
    assert format_rows(np.array([[1.0, -2.0], [0.5, 0.0]])) == "[[1, -2], [0.50, 0]]"
