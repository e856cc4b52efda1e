"""Self-checking exercises for the lessons.

Each ``check_*`` function compares a student's answer with what cnnlib
computes and returns a :class:`~cnnlib.exercises.feedback.Feedback`: true
when right, and otherwise a message naming the likely mistake. Import them
from their lesson's module, e.g. ``from cnnlib.exercises.sliding_window
import check_output_cell``.
"""
