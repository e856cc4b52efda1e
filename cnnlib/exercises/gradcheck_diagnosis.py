"""Checkers for the find-the-bug exercises: gradient-check a student's backward, then name the mistake.

Each checker calls the student's function under several settings (stride 1,
2 and 3, with and without padding; disjoint and overlapping pooling windows;
1×1 and 4×4 feature maps), compares every gradient it returns with central
differences of cnnlib's forward pass in float64 (:mod:`cnnlib.gradcheck`),
reports every gradient that fails and where, and reads the pattern: "right at
stride 1, wrong at stride 2" points at the window start, "only dx is wrong" at
the kernel flip, and so on; two mistakes give two findings. A student answer
that reproduces one of the known broken versions
(:mod:`cnnlib.exercises.backprop_bugs`) gets that mistake named exactly.

The message says only what fails; ``result.hint(2)`` says where to look and
``result.hint(3)`` gives the fix (texts in :mod:`cnnlib.exercises.bug_hints`),
so reading the first diagnosis does not solve the exercise.

>>> from cnnlib.exercises.backprop_bugs import conv_backward_broken_1
>>> diagnose_conv_backward(conv_backward_broken_1).mistake
'stride'
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..functional import avgpool2d_backward, avgpool2d_forward, conv2d, maxpool2d
from ..gradcheck import numerical_gradient, relative_error
from ..layers import BatchNorm2D
from .backprop_bugs import BROKEN
from .bug_hints import HINTS
from .feedback import Feedback, not_answered

TOL = 1e-5  # a correct float64 backward is far below this (batch norm's dx ~3e-7); every mistake here is ~1

#: Hints of the known broken versions (``(what, where, fix)``), by mistake.
MESSAGES = {name: HINTS[name] for name in BROKEN}


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
class _Setting:
    name: str
    args: tuple  # what the student's function receives after dout
    dout: np.ndarray
    numeric: dict  # name -> central-difference gradient
    padded_shape: tuple = ()


def _run(fn, setting: _Setting, names) -> tuple[CheckResult, tuple | None]:
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


def _matches(fn, setting: _Setting, got) -> bool:
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


def _fill(name: str, **fields) -> tuple:
    return tuple(h.format(**fields) for h in HINTS[name])


def _diagnose(fn, settings, names, known, patterns, what: str) -> Diagnosis:
    if fn is None:
        return Diagnosis(False, not_answered("your fixed function").message)
    runs = [_run(fn, s, names) for s in settings]
    results = [r for r, _ in runs]
    if all(r.passed for r in results):
        verb = "passes" if len(names) == 1 else "pass"
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
            findings.append(("other", _fill("crash", setting=crashed.setting, problem=crashed.problem)))
        for mistake, hints in patterns(fails, settings, runs):
            if mistake not in [m for m, _ in findings]:
                findings.append((mistake, hints))
    if not findings:
        first = next(r for r in results if not r.passed)
        why = first.problem or "wrong " + ", ".join(first.failing())
        findings = [("other", _fill("other", setting=first.setting, why=why))]
    if len(findings) == 1:
        hints = findings[0][1]
    else:
        hints = tuple(" ".join(f"({i}) {h[level]}" for i, (_, h) in enumerate(findings, 1)) for level in range(3))
        hints = (f"{len(findings)} mistakes: " + hints[0],) + hints[1:]
    message = (f"{hints[0]} In detail: {_where(results, names)}. Stuck? On this result, .hint(2) says where to "
               "look, .hint(3) gives the fix.")
    return Diagnosis(False, message, findings[0][0], results, hints, [m for m, _ in findings])


# -- convolution -----------------------------------------------------------------------------------------
CONV_NAMES = ("dx", "dW", "db")


@lru_cache(maxsize=1)
def _conv_settings() -> tuple:
    rng = np.random.default_rng(0)
    x5 = rng.standard_normal((2, 2, 5, 5))
    W = rng.standard_normal((3, 2, 3, 3))
    b = rng.standard_normal(3)
    x7 = rng.standard_normal((2, 2, 7, 7))
    settings = []
    # 5×5 inputs, where every window fits exactly; then 7×7 at stride 3: 2×2 windows, and the floor drops the
    # last row and column ((7 − 3) / 3 leaves 1). A 5×5 input would give one window there, which no stride slip
    # can move.
    for stride, padding, x in ((1, 0, x5), (2, 0, x5), (1, 1, x5), (2, 1, x5), (3, 0, x7)):
        def forward(x=x, stride=stride, padding=padding):
            return conv2d(x, W, b, stride, padding)

        dout = rng.standard_normal(forward().shape)
        numeric = {name: numerical_gradient(forward, a, dout=dout) for name, a in zip(CONV_NAMES, (x, W, b))}
        padded = (x.shape[0], x.shape[1], x.shape[2] + 2 * padding, x.shape[3] + 2 * padding)
        settings.append(_Setting(f"stride {stride}, padding {padding}", (x.copy(), W.copy(), stride, padding),
                                 dout, numeric, padded))
    return tuple(settings)


def _conv_patterns(fails, settings, runs):
    """``(mistake, hints)`` for every slip the pattern of failures points to; ``fails`` maps gradient -> settings."""
    s10, s20, s11 = "stride 1, padding 0", "stride 2, padding 0", "stride 1, padding 1"
    fitting = {s.name for s in settings if s.name != "stride 3, padding 0"}
    explained = set()  # settings where dx's wrong shape is already named: no other pattern should read them
    for s, (r, got) in zip(settings, runs):
        if got is None or got[0].ndim != 4 or not np.isinf(r.errors.get("dx", 0)):
            continue
        if got[0].size == 0 and s.args[3] == 0:
            explained.add(s.name)
            yield "minus_padding", _fill("minus_padding", shape=got[0].shape)
        elif got[0].shape == s.padded_shape and s.args[3] > 0:
            explained.add(s.name)
            yield "crop", _fill("uncropped", setting=s.name, shape=s.padded_shape)
    fails = dict(fails, dx=fails["dx"] - explained)
    spatial = [g for g in ("dx", "dW") if s10 not in fails[g] and s20 in fails[g]]
    if spatial:
        yield "stride", _fill("stride_pattern", grads=" and ".join(spatial) + (" is" if len(spatial) == 1 else " are"))
    if s10 not in fails["dx"] and s11 in fails["dx"]:
        yield "crop", HINTS["crop_pattern"]
    dropped = [g for g in ("dx", "dW") if fails[g] and not fails[g] & fitting]
    if dropped:
        yield "dropped_rows", _fill("dropped_rows", setting="stride 3, padding 0",
                                    grads=" and ".join(dropped) + (" is" if len(dropped) == 1 else " are"))
    if s10 in fails["dx"] and s10 not in fails["dW"]:
        yield "dx", HINTS["dx"]
    if s10 in fails["dW"]:
        yield "dW", HINTS["dW"]
    if fails["db"]:
        yield "db", HINTS["db"]


def diagnose_conv_backward(fn) -> Diagnosis:
    """Gradient-check ``fn(dout, x, W, stride, padding) -> (dx, dW, db)`` at stride 1, 2, 3, padding 0/1; name the mistakes.

    >>> from cnnlib.exercises.backprop_bugs import conv_backward_broken_3
    >>> diagnose_conv_backward(conv_backward_broken_3).mistake
    'crop'
    """
    return _diagnose(fn, _conv_settings(), CONV_NAMES, ("stride", "flip", "crop"), _conv_patterns,
                     "the convolution's backward pass is right.")


# -- max pooling -----------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _pool_settings() -> tuple:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 2, 7, 7))  # continuous values: no ties inside a window
    settings = []
    for k, s, label in ((2, 2, "2×2 windows, stride 2"), (3, 2, "3×3 windows, stride 2 (overlap)"),
                        (2, 1, "2×2 windows, stride 1 (overlap)")):
        def forward(k=k, s=s):
            return maxpool2d(x, k, s)

        dout = rng.standard_normal(forward().shape)
        settings.append(_Setting(label, (x.copy(), k, s), dout, {"dx": numerical_gradient(forward, x, dout=dout)}))
    return tuple(settings)


def _pool_patterns(fails, settings, runs):
    first, got = settings[0], runs[0][1]
    if got is not None and got[0].shape == first.dout.shape[:2] + first.args[0].shape[2:]:
        _, cache = avgpool2d_forward(first.args[0], first.args[1], first.args[2])
        if np.allclose(got[0], avgpool2d_backward(first.dout, cache)):
            yield "average", HINTS["average"]
    disjoint, overlap_s2, overlap_s1 = (s.name for s in settings)
    if overlap_s1 not in fails["dx"] and fails["dx"] & {disjoint, overlap_s2}:
        yield "stride", HINTS["pool_stride"]
    elif disjoint not in fails["dx"] and fails["dx"]:
        yield "overlap", HINTS["overlap"]


def diagnose_maxpool_backward(fn) -> Diagnosis:
    """Gradient-check ``fn(dout, x, kernel_size, stride) -> dx`` with disjoint and overlapping windows.

    >>> from cnnlib.exercises.backprop_bugs import maxpool_backward_broken
    >>> diagnose_maxpool_backward(maxpool_backward_broken).mistake
    'every_element'
    """
    return _diagnose(fn, _pool_settings(), ("dx",), ("every_element",), _pool_patterns,
                     "each window's gradient goes to its maximum only.")


# -- batch normalization ------------------------------------------------------------------------------
BN_NAMES = ("dx", "dgamma", "dbeta")


@lru_cache(maxsize=1)
def _bn_settings() -> tuple:
    rng = np.random.default_rng(2)
    settings = []
    for hw in (1, 4):
        x = rng.standard_normal((4, 3, hw, hw)) * 2 + 1
        layer = BatchNorm2D(3, dtype=np.float64)
        layer.params["gamma"][:] = rng.uniform(0.5, 2.0, 3)
        layer.params["beta"][:] = rng.standard_normal(3)
        dout = rng.standard_normal(x.shape)
        forward = lambda: layer.forward(x)  # noqa: E731  (training mode: batch statistics)
        numeric = {name: numerical_gradient(forward, a, dout=dout)
                   for name, a in zip(BN_NAMES, (x, layer.params["gamma"], layer.params["beta"]))}
        settings.append(_Setting(f"{hw}×{hw} feature maps (N=4, C=3)", (x.copy(), layer.params["gamma"].copy()),
                                 dout, numeric))
    return tuple(settings)


def _bn_patterns(fails, settings, runs):
    s, got = settings[1], runs[1][1]
    if got is not None and got[0].shape == s.dout.shape:
        x, gamma = s.args
        inv_std = 1.0 / np.sqrt(x.var(axis=(0, 2, 3), keepdims=True) + 1e-5)
        if np.allclose(got[0], s.dout * gamma.reshape(1, -1, 1, 1) * inv_std):
            yield "constant_stats", HINTS["constant_stats"]
    params = [k for k in ("dgamma", "dbeta") if fails[k]]
    if params and not fails["dx"]:
        yield "dgamma_dbeta", _fill("dgamma_dbeta", grads=" and ".join(params))
    if fails["dx"] == {settings[1].name}:
        yield "bn_axes", HINTS["bn_axes"]


def diagnose_batchnorm_backward(fn) -> Diagnosis:
    """Gradient-check ``fn(dout, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)`` (training mode) on 1×1 and 4×4 maps.

    >>> from cnnlib.exercises.backprop_bugs import batchnorm_backward_broken
    >>> diagnose_batchnorm_backward(batchnorm_backward_broken).mistake
    'bn_axes'
    """
    return _diagnose(fn, _bn_settings(), BN_NAMES, ("bn_axes",), _bn_patterns,
                     "batch norm's backward pass is right.")
