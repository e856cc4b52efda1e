"""Lesson 00 checker: one window of a convolution, every patch value times its weight, all added up.

:func:`check_multiply_and_add` tries the student's ``multiply_and_add(patch, kernel)`` on three cases, the
lesson's 2×2 window first, and names the slip a wrong sum points to (no weights, a kernel rotated or
transposed, some products left out). Its result gives staged hints and ``.solution()``, like lesson 01's
write-a-function checkers in :mod:`cnnlib.exercises.sliding_window`.
"""
from __future__ import annotations

import inspect

import numpy as np

from ..demos.sliding_window import SEED_INPUT, SEED_KERNEL
from .feedback import Feedback, grid, num
from .student_code import call_student, student_array, unwritten_function, wrong_function


def multiply_and_add_solution(patch, kernel):
    """One window: every patch value times the kernel weight at the same position, all added up."""
    KH, KW = kernel.shape
    total = 0.0
    for m in range(KH):
        for n in range(KW):
            total += patch[m, n] * kernel[m, n]
    return total


def check_multiply_and_add(multiply_and_add) -> Feedback:
    """Test a student's ``multiply_and_add(patch, kernel)``: one window, the products summed (lesson 00).

    >>> check_multiply_and_add(multiply_and_add_solution).correct
    True
    """
    rng = np.random.default_rng(1)
    cases = [
        ("the lesson's 2×2 patch [[1, 2], [0, 1]] with the kernel [[1, 0], [-1, 1]]", SEED_INPUT[:2, :2],
         SEED_KERNEL),
        ("a 2×3 patch with a 2×3 kernel", np.array([[1.0, 2, 3], [4, 5, 6]]), np.array([[1.0, 0, -1], [2, 1, -2]])),
        ("a random 3×3 patch and kernel", rng.integers(-3, 4, (3, 3)).astype(float),
         rng.integers(-2, 3, (3, 3)).astype(float)),
        ("a 2×2 patch and kernel with fractions", np.array([[0.5, 1.5], [2.5, 1.0]]), np.array([[1.0, 0.5], [-1.0, 0.5]])),
    ]
    def wrong(key: str, message: str, **fields) -> Feedback:
        return wrong_function(key, message, multiply_and_add_solution, **fields)

    missed = []  # (case name, patch, kernel, the student's sum, the right sum) for every case it got wrong
    for name, patch, k in cases:
        right = float(np.sum(patch * k))
        got, error = call_student(multiply_and_add, patch, k)
        if error:
            slip = _name_the_slip(missed, wrong, generic=False)  # a transposed kernel fails on 2×3: name it
            return slip if slip is not None else wrong(
                "function_crash", f"multiply_and_add raised {error} (on {name}).", name="multiply_and_add",
                problem=error, example=name)
        if got is None:
            return unwritten_function("multiply_and_add", "window_unwritten", multiply_and_add_solution,
                                      multiply_and_add)
        arr = student_array(got, "multiply_and_add", "one number, the sum of the products")
        if isinstance(arr, Feedback):
            return arr
        if arr.size > 1:
            shown = grid(arr.reshape(patch.shape)) if arr.size == patch.size else f"shape {arr.shape}"
            if arr.shape == patch.shape and np.allclose(arr, patch * k):
                return wrong("window_no_sum", f"on {name} you returned {arr.size} numbers, {shown}: the products, "
                                              "but the answer is one number, their sum.")
            message = (f"on {name} you returned {arr.size} numbers, {shown}, and not even the products: the answer "
                       "is one number. (np.dot and @ of two 2-D arrays are a matrix product, not this sum.)")
            return wrong("function_other", message, why=message)
        value = float(arr.reshape(()))
        if not np.isclose(value, right):
            missed.append((name, patch, k, value, right))
    if not missed:
        return Feedback(True, "multiply_and_add gives the right sum on all four cases, including a non-square 2×3 "
                              "window and one with fractions.", solution_code=inspect.getsource(multiply_and_add_solution))
    return _name_the_slip(missed, wrong)


def _slips(patch, k) -> list:
    """``(hint key, what the student did, the sum it gives or None where it does not apply)``, most telling first."""
    products, (kh, kw) = patch * k, k.shape
    rotated, transposed = np.sum(patch * k[::-1, ::-1]), np.sum(patch * k.T) if kh == kw else None
    square = min(kh, kw)
    return [
        ("window_no_weights", "the sum of the patch values, without the weights", patch.sum()),
        ("window_rotated", "the kernel rotated by 180°", rotated),
        ("window_rotated", "the transposed kernel", transposed),
        ("window_partial", "the last row left out", products[:kh - 1].sum()),
        ("window_partial", "the last column left out", products[:, :kw - 1].sum()),
        ("window_partial", "only the first row", products[:1].sum()),
        ("window_partial", "only the first column", products[:, :1].sum()),
        ("window_partial", "only the last row", products[-1:].sum()),
        ("window_partial", "only the last column", products[:, -1:].sum()),
        ("window_partial", f"only {square}×{square} of them (one loop range used for both rows and columns)",
         products[:square, :square].sum()),
        ("window_partial", "only the products on the diagonal (one loop, not two)", np.trace(products)),
        ("window_partial", "only the last product: `total = ...` where `total += ...` adds up", products[-1, -1]),
        ("window_partial", "only the first product: a `return` inside the loops ends the function at once",
         products[0, 0]),
    ]


def _name_the_slip(missed: list, wrong, generic: bool = True) -> Feedback | None:
    """The first slip that gives the student's sum on every case it got wrong, named on the first such case.

    Without one: a general "Not yet", or None when not ``generic`` (no case missed yet, or no slip fits).

    One case alone can mislead: on the lesson's 2×2 example the products are 1, 0, 0, 1, so leaving out a row,
    keeping one product or rounding all give 1.
    """
    if not missed:
        return None
    if all(value.is_integer() and not right.is_integer() for *_, value, right in missed):
        name, _, _, value, right = missed[0]  # right on every whole-number case: the fractions are dropped
        message = (f"on {name} you returned {num(value)}, the right sum is {num(right)}: a whole number where the "
                   "sum has a fraction. An int() (or an integer array) somewhere drops the fractions.")
        return wrong("function_other", message, why=message)
    case_slips = [_slips(patch, k) for _, patch, k, _, _ in missed]
    per_case = [[(guess is None or np.isclose(m[3], guess), guess is not None) for _, _, guess in slips_of_case]
                for m, slips_of_case in zip(missed, case_slips)]
    slips = case_slips[0]  # the same slips in the same order for every case; only their sums differ

    def explains(i: int) -> bool:  # right on every case it applies to, and it applies to one at least
        return all(case[i][0] for case in per_case) and any(case[i][1] for case in per_case)

    for i, (key, why, _) in enumerate(slips):
        if not explains(i):
            continue
        name, _, _, value, right = next(m for m, case in zip(missed, per_case) if case[i][1])
        said = f"on {name} you returned {num(value)}, the right sum is {num(right)}"
        if key == "window_no_weights":
            return wrong(key, f"{said}: that is {why}.")
        if key == "window_rotated":
            other = [j for j, (k2, _, _) in enumerate(slips) if k2 == key and j != i]
            if all(explains(j) for j in other):
                why = "the kernel rotated by 180° or transposed (on this kernel the two are the same)"
            return wrong(key, f"{said}: that is the sum with {why}.", slip=why)
        return wrong(key, f"{said}: that is the sum with {why}.", why=why)
    if not generic:
        return None
    name, _, k, value, right = missed[0]
    said = f"on {name} you returned {num(value)}, the right sum is {num(right)}"
    kh, kw = k.shape
    message = f"{said}. Multiply each patch value by the weight at the same position and add all {kh * kw} products."
    return wrong("function_other", message, why=message)
