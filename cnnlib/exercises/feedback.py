"""The answer of every exercise checker: right or not, why, and staged hints on request.

A checker's message says *what* is wrong. A student who is stuck asks the
result for more, one step at a time: ``result.hint(2)`` says where to look,
``result.hint(3)`` gives the fix, and, for the exercises where the student
writes a whole function, ``result.solution()`` shows a reference solution.
The texts of the hints live in :mod:`cnnlib.exercises.bug_hints`.
"""
from __future__ import annotations

import math

import numpy as np

from .._checks import is_real_number
from ..demos.formatting import wrap_text

#: Appended to a wrong answer's message when the feedback has staged hints.
STUCK = " Stuck? .hint(1), .hint(2), .hint(3) on this result."

#: Appended instead for the write-a-function exercises, whose results also have a reference solution.
STUCK_WITH_SOLUTION = (" Stuck? On this result, .hint(2) says where to look, .hint(3) gives the fix, .solution() "
                       "shows one.")

#: Hint levels: 1 what is wrong (it is in the message), 2 where to look, 3 the fix.
HINT_LEVELS = (1, 2, 3)


class Text(str):
    """A string that a notebook shows as plain text (no quotes), wrapped between words (:func:`wrap_text`)."""

    def __repr__(self) -> str:
        return wrap_text(str.__str__(self))

    __str__ = __repr__  # print(result.hint(3)) wraps too


class Code(str):
    """A string that a notebook shows as plain text, line for line (code is never re-wrapped)."""

    def __repr__(self) -> str:
        return str(self)


class Feedback:
    """Result of a check: truthy when the answer is right; prints as a one-paragraph explanation.

    ``hints`` is a ``(what, where, fix)`` triple shown one at a time by :meth:`hint`;
    ``solution_code`` a reference solution shown by :meth:`solution`.

    >>> Feedback(True, "2 is right.")
    ✔ Correct: 2 is right.
    >>> Feedback(False, "not 3.", hints=("not 3", "look at row 0", "add the products")).hint(2)
    look at row 0
    """

    def __init__(self, correct: bool, message: str, *, hints=(), solution_code: str | None = None) -> None:
        self.correct = bool(correct)
        self.message = message
        self.hints = tuple(hints)
        self.solution_code = solution_code

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return wrap_text(("✔ Correct: " if self.correct else "✘ Not yet: ") + self.message)

    __str__ = __repr__

    def hint(self, level: int) -> str:
        """Hint ``level``: 1 what is wrong, 2 where to look, 3 the fix."""
        if level not in HINT_LEVELS:
            raise ValueError(f"level must be 1, 2 or 3 (what fails, where to look, the fix), got {level!r}.")
        if not self.hints:
            return Text("nothing to hint: " + self.message)
        return Text(self.hints[level - 1])

    def solution(self) -> str:
        """A reference solution (shown as code), for when the hints were not enough."""
        if self.solution_code is None:
            return Text("no reference solution for this exercise: " + self.message)
        return Code("One solution (yours may differ and still be right):\n\n" + self.solution_code)


def not_answered(what: str = "your answer", *, hints=()) -> Feedback:
    """The feedback for an exercise cell still holding ``None``.

    ``hints`` are the exercise's staged hints: a student stuck before writing any answer asks for them too.
    """
    return Feedback(False, f"replace None with {what}, then run the cell again." + (STUCK if hints else ""),
                    hints=hints)


def whole_answer(answer, what: str, *, hints=()) -> int | Feedback:
    """``answer`` as an int when it is a whole number (``9``, ``9.0``, ``np.int64(9)``).

    A number with a fraction (``2080.5``) is a wrong answer, not a wrong type: it gets the "Not yet" feedback
    to return, with the exercise's ``hints``. Anything else (a string, a list) is a ``TypeError``. ``what``
    says what the number counts ("a parameter count"). Like :func:`number_answer`, the hint shows no number.

    >>> whole_answer(9.0, "a count")
    9
    >>> whole_answer(2.5, "a count").correct
    False
    """
    if not is_real_number(answer) or not math.isfinite(answer):
        form = "write the number without quotes" if isinstance(answer, str) else "write one whole number"
        raise TypeError(f"answer must be a whole number ({what}), got {answer!r}. Hint: {form}, or None while you "
                        "work it out.")
    if not float(answer).is_integer():
        return Feedback(False, f"you answered {float(answer):.12g}, but this answer is a whole number ({what})."
                        + (STUCK if hints else ""), hints=hints)
    return int(answer)


def number_answer(answer) -> float:
    """``answer`` as a float when it is one real number (``0.25``, ``np.float64(0.25)``, an array of one number).

    Anything else is a ``TypeError`` that names what was received and the form expected: a string (``"14"``),
    a bool, a list. The hint shows no number: an example could be the answer.

    >>> number_answer(np.float32(0.5))
    0.5
    """
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.item()  # e.g. sigmoid(np.array([0.0])) * ...: one number in an array
    if not is_real_number(answer):
        form = "write the number without quotes" if isinstance(answer, str) else "write one number (an int or a float)"
        raise TypeError(f"answer must be a number, got {answer!r} of type {type(answer).__name__}. Hint: {form}, "
                        "or None while you work it out.")
    return float(answer)


def clipped(value, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters with "…" when it is longer."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def grid_answer(answer, what: str = "answer", shape: tuple[int, int] | None = None) -> np.ndarray:
    """``answer`` as a 2-D float array when it is a grid of real numbers (a nested list or an array).

    A number, a flat list, rows of different lengths, text (``"[[1, 0]]"`` or ``[["1", "0"]]``), bools and
    NaN or inf are a ``TypeError`` naming what was received and the form expected. ``shape``, the
    ``(rows, columns)`` the exercise asks for, shapes the hint's example, which uses letters, not numbers:
    it is not an answer of any exercise.

    >>> grid_answer([[0, 1], [2, 3]]).shape
    (2, 2)
    """
    hint = f"Hint: {_grid_form(shape)}, or None while you work it out."
    try:
        grid_ = np.asarray(answer)
    except ValueError:  # rows of different lengths
        grid_ = np.asarray(None)
    if grid_.dtype.kind not in "iuf":
        raise TypeError(f"{what} must be a grid of numbers (a nested list or an array), got {clipped(answer)}. {hint}")
    if grid_.ndim != 2:  # a number or a flat list
        flat = "" if shape is None or grid_.ndim != 1 or grid_.size != shape[0] * shape[1] else (
            f" These are the {grid_.size} numbers in one flat list: group them into {shape[0]} rows.")
        raise TypeError(f"{what} must be a grid of numbers (rows and columns), got {clipped(answer)} "
                        f"({grid_.ndim}-D).{flat} {hint}")
    if not np.isfinite(grid_).all():
        raise TypeError(f"{what} must hold finite numbers, got {clipped(answer)}. {hint}")
    return grid_.astype(float)


def _grid_form(shape: tuple[int, int] | None) -> str:
    """How to write a grid answer: a list of rows, shown with letters for the numbers."""
    rows, cols = shape or (2, 2)
    letters = iter("abcdefghijklmnopqrstuvwxyz" * 4)
    example = "[" + ", ".join("[" + ", ".join(next(letters) for _ in range(cols)) + "]" for _ in range(rows)) + "]"
    rows_of = "a list of rows" if shape is None else f"a list of {rows} rows of {cols} numbers"
    return f"{rows_of}, like {example} with your numbers in place of the letters"


def num(v) -> str:
    """A number as a student writes it: ``3`` for 3.0, ``0.25`` otherwise."""
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:g}"  # 1e+300, not 301 digits


def grid(a) -> str:
    """A 2-D array as nested lists of :func:`num`: ``[[1, 0], [-1, 1]]``."""
    return "[" + ", ".join("[" + ", ".join(num(v) for v in row) + "]" for row in a) + "]"
