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
from .feedback import Feedback, call_student, grid, num, student_array, unwritten_function, wrong_function


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
    ]
    def wrong(key: str, message: str, **fields) -> Feedback:
        return wrong_function(key, message, multiply_and_add_solution, **fields)

    for name, patch, k in cases:
        right = float(np.sum(patch * k))
        got, error = call_student(multiply_and_add, patch, k)
        if error:
            return wrong("function_crash", f"multiply_and_add raised {error} (on {name}).", name="multiply_and_add",
                         problem=error, example="the lesson's 2×2 patch and kernel")
        if got is None:
            return unwritten_function("multiply_and_add", "window_unwritten", multiply_and_add_solution,
                                      multiply_and_add)
        arr = student_array(got, "multiply_and_add", "one number, the sum of the products")
        if isinstance(arr, Feedback):
            return arr
        if arr.size > 1:
            shown = grid(arr.reshape(patch.shape)) if arr.size == patch.size else f"shape {arr.shape}"
            return wrong("window_no_sum", f"on {name} you returned {arr.size} numbers, {shown}: the answer is one "
                                          "number, the sum of the products.")
        value = float(arr.reshape(()))
        if np.isclose(value, right):
            continue
        said = f"on {name} you returned {num(value)}, the right sum is {num(right)}"
        if np.isclose(value, patch.sum()):
            return wrong("window_no_weights", f"{said}: that is the sum of the patch values, without the weights.")
        rotated = np.isclose(value, np.sum(patch * k[::-1, ::-1]))
        transposed = k.shape[0] == k.shape[1] and np.isclose(value, np.sum(patch * k.T))
        if rotated or transposed:
            slip = ("the kernel rotated by 180° or transposed (on this kernel the two are the same)" if rotated
                    and transposed else "the kernel rotated by 180°" if rotated else "the transposed kernel")
            return wrong("window_rotated", f"{said}: that is the sum with {slip}.", slip=slip)
        kh, kw = k.shape
        partial = {"the last row left out": (slice(0, kh - 1), slice(None)),
                   "the last column left out": (slice(None), slice(0, kw - 1)),
                   "only the first row": (slice(0, 1), slice(None)), "only the first column": (slice(None), slice(0, 1)),
                   f"only {min(kh, kw)}×{min(kh, kw)} of them (one loop range used for both rows and columns)":
                       (slice(0, min(kh, kw)), slice(0, min(kh, kw))),
                   "only the products on the diagonal (one loop, not two)": None}
        for why, where in partial.items():
            guess = np.trace(patch * k) if where is None else np.sum((patch * k)[where])
            if np.isclose(value, guess):
                return wrong("window_partial", f"{said}: that is the sum with {why}.", why=why)
        message = f"{said}. Multiply each patch value by the weight at the same position and add all {kh * kw} products."
        return wrong("function_other", message, why=message)
    return Feedback(True, "multiply_and_add gives the right sum on all three cases, including a non-square 2×3 "
                          "window.", solution_code=inspect.getsource(multiply_and_add_solution))
