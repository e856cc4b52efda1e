"""Lesson 03's exercise: the 3×3 kernel that moves a picture one pixel (``check_shift_kernel``)."""
import numpy as np
import pytest

from cnnlib.exercises.kernels import check_shift_kernel, shift_kernel


def _corr2d_padded(x, k):
    """An independent reference: lesson 01's double loop on the zero-padded image (no flip)."""
    xp = np.pad(x, 1)
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = np.sum(xp[i:i + 3, j:j + 3] * k)
    return out


@pytest.mark.parametrize("direction, down, right", [("right", 0, 1), ("left", 0, -1), ("down", 1, 0), ("up", -1, 0)])
def test_the_shift_kernel_moves_a_picture_that_way_and_is_accepted(direction, down, right):
    x = np.arange(1.0, 21.0).reshape(4, 5)
    moved = _corr2d_padded(x, shift_kernel(direction))
    # Every pixel the move does not uncover shows the pixel (down, right) away from it; the uncovered edge is 0.
    for i in range(4):
        for j in range(5):
            src = (i - down, j - right)
            expected = x[src] if 0 <= src[0] < 4 and 0 <= src[1] < 5 else 0.0
            assert moved[i, j] == expected
    result = check_shift_kernel(shift_kernel(direction).tolist(), direction)
    assert result.correct, result.message
    assert "zero padding" in result.message


def test_an_int_array_and_a_float_list_are_both_answers():
    assert check_shift_kernel(np.array([[0, 0, 0], [1, 0, 0], [0, 0, 0]]))
    assert check_shift_kernel([[0, 0, 0], [1, 0, 0], [0, 0, 1e-12]])  # a stray rounding error is still 0
    assert check_shift_kernel([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])


@pytest.mark.parametrize("answer, words", [
    ([[0, 0, 0], [0, 0, 1], [0, 0, 0]], "moves the picture one pixel to the left, the opposite way: it is the mirrored"),
    ([[0, 0, 0], [0, 0, 3], [0, 0, 0]], "one pixel to the left, the opposite way (its brightness also multiplied by 3)"),
    ([[0, 1, 0], [0, 0, 0], [0, 0, 0]], "x[i − 1, j]: the picture moves one pixel down, not one pixel to the right"),
    ([[1, 0, 0], [0, 0, 0], [0, 0, 0]], "one pixel down and to the right, not"),
    ([[0, 0, 0], [2, 0, 0], [0, 0, 0]], "in the right place, but it is 2"),
    ([[0, 0, 0], [-1, 0, 0], [0, 0, 0]], "in the right place, but it is -1"),
    ([[0, 0, 0], [0, 1, 0], [0, 0, 0]], "the picture does not move"),
    ([[0, 0, 0], [0, 0, 0], [0, 0, 0]], "a black picture"),
    ([[0, 0, 0], [0.5, 0.5, 0], [0, 0, 0]], "2 weights that are not 0 (k[1, 0], k[1, 1])"),
    ([[0, 0, 0], [1, 0, 0], [0, 0, 0.001]], "2 weights that are not 0"),
    ([[0, 0, 0], [1, 0, 0], [0, 0, 1e-6]], "(the weights sum to 1.000001)"),
    ([[0, 0, 0], [0, 0.5, 0], [0, 0, 0]], "does not move (its brightness also multiplied by 0.5). Move the weight"),
    ([[0, 0, 0], [1e300, 0, 0], [0, 0, 0]], "but it is 1e+300"),
    ([[1, 0], [0, 0]], "your kernel is 2×2; this exercise asks for a 3×3"),
    ([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]], "5×5"),
])
def test_each_slip_is_named(answer, words):
    result = check_shift_kernel(answer, "right")
    assert not result.correct
    assert words in result.message, result.message
    assert "Stuck?" in result.message


def test_slips_for_another_direction_name_that_direction():
    result = check_shift_kernel([[0, 0, 0], [0, 0, 0], [0, 1, 0]], "down")  # the mirror of down's kernel
    assert "moves the picture one pixel up, the opposite way" in result.message


def test_the_hints_come_in_stages_and_only_the_last_gives_the_kernel():
    result = check_shift_kernel([[0, 0, 0], [0, 0, 1], [0, 0, 0]])
    assert "does not flip the kernel" in result.hint(1) and "x[i, j − 1]" in result.hint(1)
    assert "Solve x[i + a − 1, j + b − 1] = x[i, j − 1] for a and b" in result.hint(2)
    for level in (1, 2):
        assert "[[0, 0, 0], [1, 0, 0], [0, 0, 0]]" not in result.hint(level)
    assert "[[0, 0, 0], [1, 0, 0], [0, 0, 0]], the 1 at k[1, 0]" in result.hint(3)


def test_none_asks_for_the_kernel_and_still_has_hints():
    result = check_shift_kernel(None)
    assert not result.correct
    assert "replace None with your 3×3 kernel" in result.message
    assert "does not flip" in result.hint(1)


@pytest.mark.parametrize("answer", ["[[0, 0, 0], [1, 0, 0], [0, 0, 0]]", [[0, "1", 0]], [[True, False]], 1, [0, 1, 0],
                                    [[0, 0, 0], [1, 0], [0, 0, 0]], [[0, 0, 0], [np.nan, 0, 0], [0, 0, 0]],
                                    [[0, 0, 0], [np.inf, 0, 0], [0, 0, 0]]])
def test_an_answer_that_is_not_a_grid_of_numbers_is_a_type_error_with_a_hint(answer):
    with pytest.raises(TypeError, match=r"kernel must .*Hint: a list of 3 rows of 3 numbers, like \[\[a, b, c\], "
                                        r"\[d, e, f\], \[g, h, i\]\] with your numbers"):
        check_shift_kernel(answer)


def test_a_flat_list_of_nine_numbers_is_told_to_group_them_into_rows():
    with pytest.raises(TypeError, match=r"got \[0, 0, 0, 1, 0, 0, 0, 0, 0\] \(1-D\)\. These are the 9 numbers in one "
                                        r"flat list: group them into 3 rows\."):
        check_shift_kernel([0, 0, 0, 1, 0, 0, 0, 0, 0])


def test_a_long_answer_is_cut_with_an_ellipsis():
    with pytest.raises(TypeError, match="…. Hint"):
        check_shift_kernel(np.full((3, 3), 1 + 1j))


@pytest.mark.parametrize("direction", ["sideways", "Right", None, 1])
def test_an_unknown_direction_is_a_value_error_naming_the_four(direction):
    with pytest.raises(ValueError, match=r"direction must be one of 'right', 'left', 'down', 'up', got .*Hint"):
        check_shift_kernel(None, direction)
