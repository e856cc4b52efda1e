"""The engine of the find-the-bug checkers in :mod:`cnnlib.exercises.gradcheck_diagnosis`.

``diagnose`` calls a student's backward under each ``Setting``, compares every
gradient it returns with central differences (``CheckResult``), recognises the
known broken versions (:mod:`cnnlib.exercises.backprop_bugs`) exactly, and
otherwise names the mistakes the pattern of failures points to. The result is
a ``Diagnosis``: a :class:`Feedback` with the table of checks and staged hints.
A function that passes by calling cnnlib's own backward is told so: the
numbers match, but nothing was fixed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..gradcheck import relative_error
from .backprop_bugs import BROKEN
from .bug_hints import HINTS
from .feedback import Feedback, not_answered
from .student_code import library_call

TOL = 1e-5  # a correct float64 backward is far below this (batch norm's dx ~3e-7); every mistake here is ~1


@dataclass(frozen=True)
class CheckResult:
    """The gradient check of one setting: relative error per gradient (inf: wrong shape), or what stopped it."""

    setting: str
    errors: dict
    problem: str | None = None
    names: tuple = ()

    def failing(self) -> list:
        """The gradients that fail in this setting (all of them when the function crashed)."""
        if self.problem:
            return list(self.names)
        return [k for k, e in self.errors.items() if not e <= TOL]

    @property
    def passed(self) -> bool:
        return not self.failing()

    def row(self) -> str:
        if self.problem:
            return f"  {self.setting:<34} {self.problem}"
        cells = [f"{k} {'ok' if e <= TOL else 'shape' if np.isinf(e) else f'{e:.1e}'}" for k, e in self.errors.items()]
        return f"  {self.setting:<34} " + "   ".join(f"{c:<11}" for c in cells).rstrip() + \
            ("" if self.passed else "   ✘")


class Diagnosis(Feedback):
    """A :class:`Feedback` that also keeps the gradient checks, the mistakes found and staged hints.

    ``hint(1)`` says what fails (it is in the message), ``hint(2)`` where to look, ``hint(3)`` the fix.
    """

    def __init__(self, correct: bool, message: str, mistake: str | None = None, results=(), hints=(),
                 mistakes=()) -> None:
        super().__init__(correct, message, hints=hints)  # hint(level) comes from Feedback
        self.mistake = mistake
        self.mistakes = tuple(mistakes) or ((mistake,) if mistake else ())
        self.results = list(results)

    @classmethod
    def from_hints(cls, key: str, hints: dict) -> Diagnosis:
        """The diagnosis of the known mistake ``key``: ``hints[key]`` is its ``(what, where, fix)``; ``what`` is
        the message."""
        what, where, fix = hints[key]
        return cls(False, what, mistake=key, hints=(what, where, fix))

    def table(self) -> str:
        """One line per setting: the relative error of each gradient against central differences."""
        return "\n".join(r.row() for r in self.results)

    def __repr__(self) -> str:
        text = super().__repr__()
        return text + (f"\nGradient check (relative error, ok means < {TOL:.0e}):\n" + self.table()
                       if self.results else "")

    __str__ = __repr__


@dataclass(frozen=True)
class Setting:
    """One place to check a backward: its arguments, ``dout`` and the numerical gradients to meet."""

    name: str
    args: tuple  # what the student's function receives after dout
    dout: np.ndarray
    numeric: dict  # name -> central-difference gradient
    padded_shape: tuple = ()


def _run(fn, setting: Setting, names) -> tuple[CheckResult, tuple | None]:
    """Call ``fn(dout, *args)`` on copies; compare with the numerical gradients."""
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in setting.args)
    try:
        got = fn(setting.dout.copy(), *args)
    except Exception as exc:  # the student's code: report, don't crash the lesson
        return CheckResult(setting.name, {}, f"raised {type(exc).__name__}: {exc}", names), None
    got = got if isinstance(got, tuple) else (got,)
    if len(got) != len(names):
        return CheckResult(setting.name, {}, f"returned {len(got)} value(s), expected {len(names)}: "
                                             f"({', '.join(names)})", names), None
    got = tuple(np.asarray(g, dtype=np.float64) for g in got)
    errors = {}
    for name, g in zip(names, got):
        expected = setting.numeric[name]
        errors[name] = relative_error(g, expected) if g.shape == expected.shape else np.inf
    return CheckResult(setting.name, errors, None, names), got


def _matches(fn, setting: Setting, got) -> bool:
    """True when the student's output equals ``fn``'s (a known broken version) on ``setting``."""
    ref = fn(setting.dout.copy(), *(a.copy() if isinstance(a, np.ndarray) else a for a in setting.args))
    ref = ref if isinstance(ref, tuple) else (ref,)
    return got is not None and all(np.shape(a) == np.shape(b) and np.allclose(a, b) for a, b in zip(got, ref))


def _where(results, names) -> str:
    """Every failing gradient and where it fails, e.g. 'dx fails at stride 2, padding 0. db passes in every setting.'"""
    ran = [r for r in results if not r.problem]
    problems = {}  # what went wrong -> the settings where it did
    for r in results:
        if r.problem:
            problems.setdefault(r.problem, []).append(r.setting)
    parts = [f"it {problem} " + ("in every setting" if len(where) == len(results) else "at " + "; ".join(where))
             for problem, where in problems.items()]
    everywhere = {"fails": [], "passes": []}
    for name in names:
        bad = [r.setting for r in ran if name in r.failing()]
        if ran and len(bad) in (0, len(ran)):
            everywhere["fails" if bad else "passes"].append(name)
        elif bad:
            parts.append(f"{name} fails at " + "; ".join(bad))
    where = "in every setting" if len(ran) == len(results) else "wherever it ran"
    for verb, group in everywhere.items():
        if group:
            plural = len(group) > 1
            parts.append(f"{' and '.join(group)} {verb[:-2] if plural else verb} {where}")
    return ". ".join(parts)


def fill(name: str, **fields) -> tuple:
    """The hints of ``name`` with ``fields`` filled into their ``{placeholders}``."""
    return tuple(h.format(**fields) for h in HINTS[name])


def diagnose(fn, settings, names, known, patterns, what: str, *, library=frozenset(), forms=None) -> Diagnosis:
    """Run ``fn`` under every setting, then name its mistakes.

    ``known`` lists the broken versions to recognise exactly (keys of ``BROKEN``); otherwise
    ``patterns(fails, settings, runs)`` yields ``(mistake, hints)`` from which gradients fail where
    (``fails`` maps a gradient's name to the settings where it fails). ``what`` ends the message of a pass.
    ``library`` names the cnnlib calls that would pass the check for the student (:func:`library_call`);
    ``forms`` maps a mistake to ``form(fn) -> mistake``, for a slip whose hints depend on how ``fn`` is written.
    """
    if fn is None:
        return Diagnosis(False, not_answered("your fixed function").message)
    runs = [_run(fn, s, names) for s in settings]
    results = [r for r, _ in runs]
    if all(r.passed for r in results):
        verb = "passes" if len(names) == 1 else "pass"
        called = library_call(fn, {n for n in library if "backward" in n}) or library_call(fn, library)
        if called is not None:
            called = ".backward()" if called == "backward" else called  # a layer's method: layer.backward(dout)
            name = getattr(fn, "__name__", "your function")
            hints = HINTS["library_backward"]
            message = (f"{', '.join(names)} {verb} the gradient check, but {name} calls {called}: {hints[0]} "
                       "Expected: the broken function with its one wrong line fixed, still written from plain "
                       "arrays. Stuck? On this result, .hint(2) says where to look, .hint(3) what to do.")
            return Diagnosis(False, message, "library_backward", results, hints)
        return Diagnosis(True, f"{', '.join(names)} {verb} the gradient check in every setting: {what}", None, results)
    failed = [(s, got) for s, (r, got) in zip(settings, runs) if not r.passed]
    findings = []  # (mistake, (what, where, fix))
    for mistake in known:
        if all(_matches(BROKEN[mistake], s, got) for s, got in failed):
            findings = [(mistake, HINTS[mistake])]
            break
    else:
        ran = [r for r in results if not r.problem]  # a crash says nothing about which gradient is wrong
        fails = {name: {r.setting for r in ran if name in r.failing()} for name in names}
        crashed = next((r for r in results if r.problem), None)
        if crashed:
            findings.append(("other", fill("crash", setting=crashed.setting, problem=crashed.problem)))
        for mistake, hints in patterns(fails, settings, runs):
            if mistake not in [m for m, _ in findings]:
                findings.append((mistake, hints))
    for i, (mistake, _) in enumerate(findings):
        form = (forms or {}).get(mistake)
        written = form(fn) if form else mistake  # the same slip, as this fn is written
        if written != mistake:
            findings[i] = (written, HINTS[written])
    if not findings:
        first = next(r for r in results if not r.passed)
        why = first.problem or "wrong " + ", ".join(first.failing())
        findings = [("other", fill("other", setting=first.setting, why=why))]
    if len(findings) == 1:
        hints = findings[0][1]
    else:
        hints = tuple(" ".join(f"({i}) {h[level]}" for i, (_, h) in enumerate(findings, 1)) for level in range(3))
        hints = (f"{len(findings)} mistakes: " + hints[0],) + hints[1:]
    message = (f"{hints[0]} In detail: {_where(results, names)}. Stuck? On this result, .hint(2) says where to "
               "look, .hint(3) gives the fix.")
    return Diagnosis(False, message, findings[0][0], results, hints, [m for m, _ in findings])
