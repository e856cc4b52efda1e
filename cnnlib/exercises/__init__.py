"""Self-checking exercises for the lessons.

Each ``check_*`` function compares a student's answer with what cnnlib
computes and returns a :class:`~cnnlib.exercises.feedback.Feedback`: true
when right, and otherwise a message naming the likely mistake, with staged
hints on request (``result.hint(2)`` where to look, ``result.hint(3)`` the
fix; ``result.solution()`` a reference for the write-a-function exercises,
which say "not written yet" while their cell holds the skeleton). Import them
from their lesson's module, e.g. ``from cnnlib.exercises.sliding_window
import check_output_cell``.
"""
