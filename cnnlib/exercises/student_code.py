"""A student's own function in an exercise: did they write it, run it, and write it themselves?

The write-a-function exercises (lessons 00, 01, 06, 11, 13) call the student's function on copies of their
cases (:func:`call_student`), tell an untouched skeleton from a function that forgot its ``return``
(:func:`not_written`), read what it returned (:func:`student_array`) and its source: a function that only
calls the library it should replace passes the numbers without any loop (:func:`library_call`).
"""
from __future__ import annotations

import ast
import inspect
import textwrap
import traceback

import numpy as np

from .bug_hints import HINTS
from .feedback import STUCK_WITH_SOLUTION, Feedback, clipped


def student_array(got, name: str, expected: str) -> np.ndarray | Feedback:
    """What a student's function returned, as a float array; a "Not yet" feedback when it is not numbers.

    >>> student_array("x", "corr2d", "the output array").message
    "corr2d returned 'x' (a str), not numbers: it should return the output array."
    """
    try:
        if isinstance(got, (str, bytes)):  # "2.0" would convert: a number written as text is still text
            raise TypeError
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"{name} returned {clipped(got, 60)} (a {type(got).__name__}), not numbers: it should "
                               f"return {expected}.")


def not_written(name: str, *, hints=(), solution_code: str | None = None, fn=None) -> Feedback:
    """The feedback for a function exercise that returned None.

    That is the untouched skeleton when its body still holds a placeholder line (``...``, ``pass`` or
    ``raise NotImplementedError``), or when ``fn`` is not given; a function without one was written, and
    most likely lacks its ``return``.
    """
    stuck = " Stuck? On this result, .hint(1), .hint(2) and .hint(3) help one step at a time; .solution() shows one."
    if fn is not None and not _still_a_skeleton(fn):
        return Feedback(False, f"{name} returned None: the function ran, but gave nothing back. Did you forget "
                               "the `return` at its end?" + (stuck if hints else ""),
                        hints=hints, solution_code=solution_code)
    return Feedback(False, f"{name} is not written yet — fill in the cell above, run it, then run this check again."
                    + (stuck if hints else ""), hints=hints, solution_code=solution_code)


def _still_a_skeleton(fn) -> bool:
    """True when ``fn``'s body holds nothing but what the lessons' skeletons hold (``...``, ``pass``,
    ``raise NotImplementedError``, a docstring, comments, ``KH, KW = kernel.shape``), or its source is not
    available.

    A body with any other line was written, even with a placeholder left in it. A lambda cannot forget its
    ``return``: one that gives None stands for the skeleton.
    """
    if getattr(fn, "__name__", "") == "<lambda>":
        return True
    tree = _source_tree(fn)
    if tree is None:  # a built-in or a function typed into a console: assume the skeleton
        return True
    func = next((node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    if func is None:
        return True

    def placeholder(stmt) -> bool:  # a line the lessons' skeletons hold: ..., pass, raise, KH, KW = k.shape
        if isinstance(stmt, ast.Pass):
            return True
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Attribute) and stmt.value.attr == "shape":
            return True
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            return stmt.value.value is Ellipsis or isinstance(stmt.value.value, str)  # ... or a docstring
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
        return False

    return all(placeholder(stmt) for stmt in func.body)


def _source_tree(fn) -> ast.Module | None:
    """The parsed source of ``fn``, or None when it is not available (a built-in, a console function)."""
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None


def library_call(fn, names) -> str | None:
    """The first of ``names`` that ``fn``'s body calls (``f(...)`` or ``module.f(...)``), or None.

    A write-the-loops exercise checks its answer against the library; a function that only calls the library
    passes that comparison without any loop. None also when the source is not available (a built-in, a
    function typed into a console): the check then trusts the numbers.
    """
    tree = _source_tree(fn)
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if called in names:
                return called
    return None


# -- lessons 00 and 01: feedback with the hints HINTS[key] and a reference solution -------------------------------------------------------
def wrong_function(key: str, message: str, solution, **fields) -> Feedback:
    """Feedback for a wrong function: the message, the staged hints ``HINTS[key]`` (``{…}`` filled from
    ``fields``) and ``solution``'s source as the reference."""
    hints = tuple(h.format(**fields) for h in HINTS[key])
    return Feedback(False, message + STUCK_WITH_SOLUTION, hints=hints, solution_code=inspect.getsource(solution))


def unwritten_function(name: str, key: str, solution, fn) -> Feedback:
    """:func:`not_written` for ``fn`` with the hints ``HINTS[key]`` and ``solution``'s source."""
    return not_written(name, hints=HINTS[key], solution_code=inspect.getsource(solution), fn=fn)


def call_student(fn, *args):
    """``(result, None)``, or ``(None, "TypeError: …")`` when the student's function raised.

    Each argument is copied, so a function that writes into its input cannot spoil the next case.
    """
    try:
        return fn(*(a.copy() for a in args)), None
    except NotImplementedError:
        return None, None  # the skeleton: not written yet
    except Exception as exc:  # the student's code: report, don't crash the lesson
        return None, f"{type(exc).__name__}: {exc}{_where_it_raised(fn, exc)}"


def _where_it_raised(fn, exc: Exception) -> str:
    """`` at the line `...` of your function``: the last line of ``fn``'s own code in the traceback, or ""."""
    code = getattr(fn, "__code__", None)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if code is not None and f.filename == code.co_filename]
    if not frames or not (frames[-1].line or "").strip():
        return ""
    return f", at the line `{frames[-1].line.strip()}` of your function"
