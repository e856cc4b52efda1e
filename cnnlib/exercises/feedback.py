"""The answer of every exercise checker: right or not, and why."""
from __future__ import annotations


class Feedback:
    """Result of a check: truthy when the answer is right; prints as a one-paragraph explanation.

    >>> Feedback(True, "2 is right.")
    ✔ Correct: 2 is right.
    """

    def __init__(self, correct: bool, message: str) -> None:
        self.correct = bool(correct)
        self.message = message

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return ("✔ Correct: " if self.correct else "✘ Not yet: ") + self.message

    __str__ = __repr__


def not_answered(what: str = "your answer") -> Feedback:
    """The feedback for an exercise cell still holding ``None``."""
    return Feedback(False, f"replace None with {what}, then run the cell again.")
