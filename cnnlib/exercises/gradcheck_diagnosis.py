"""Checkers for the find-the-bug exercises: gradient-check a student's backward, then name the mistake.

Each checker calls the student's function under several settings (stride 1
and 2, with and without padding; disjoint and overlapping pooling windows;
1×1 and 4×4 feature maps), compares every gradient it returns with central
differences of cnnlib's forward pass in float64 (:mod:`cnnlib.gradcheck`),
and reads the pattern: "right at stride 1, wrong at stride 2" points at the
window start, "only dx is wrong" at the kernel flip, and so on. A student
answer that reproduces one of the known broken versions
(:mod:`cnnlib.exercises.backprop_bugs`) gets that mistake named exactly.

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
from .feedback import Feedback, not_answered

TOL = 1e-5  # a correct float64 backward is far below this (batch norm's dx ~3e-7); every mistake here is ~1

MESSAGES = {
    "stride": "correct at stride 1, wrong at stride 2: the window start is missing `* stride`. Output cell (i, j) "
              "reads the window whose top-left corner is (i * stride, j * stride), so its gradient must go back there.",
    "flip": "dW and db are right, but dx is wrong even at stride 1 without padding: the kernel is not flipped. dx is "
            "the FULL correlation of dout with W rotated by 180° (W[:, :, ::-1, ::-1]), not with W as it is.",
    "crop": "correct without padding, wrong with padding 1: dx is cut out of dx_pad in the wrong place. The padding "
            "added P rows and columns on EVERY side, so crop them from every side: "
            "dx = dx_pad[:, :, padding:padding + H, padding:padding + W].",
    "every_element": "every element of a window received the window's gradient. Only the maximum reached the output, "
                     "so only it gets dout[n, c, i, j]: dx[n, c, top + r, left + s] += dout[n, c, i, j], where (r, s) "
                     "is the argmax of the window; the other elements get 0.",
    "bn_axes": "correct for 1×1 feature maps, wrong for 4×4 ones: the sums in dx run over the batch axis only. "
               "BatchNorm2D takes each channel's mean and variance over (N, H, W), so every sum in dx must run over "
               "axis=(0, 2, 3) as well (with H = W = 1 the two are the same, which is why the first setting passes).",
}


@dataclass(frozen=True)
class CheckResult:
    """The gradient check of one setting: relative error per gradient, or the problem that stopped it."""

    setting: str
    errors: dict
    problem: str | None = None

    @property
    def passed(self) -> bool:
        return self.problem is None and all(e <= TOL for e in self.errors.values())

    def row(self) -> str:
        if self.problem:
            return f"  {self.setting:<34} {self.problem}"
        cells = [f"{k} {'ok' if e <= TOL else f'{e:.1e}'}" for k, e in self.errors.items()]
        return f"  {self.setting:<34} " + "   ".join(f"{c:<11}" for c in cells).rstrip() + \
            ("" if self.passed else "   ✘")


class Diagnosis(Feedback):
    """A :class:`Feedback` that also keeps the gradient-check results and the name of the mistake (or None)."""

    def __init__(self, correct: bool, message: str, mistake: str | None = None, results=()) -> None:
        super().__init__(correct, message)
        self.mistake = mistake
        self.results = list(results)

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
        return CheckResult(setting.name, {}, f"raised {type(exc).__name__}: {exc}"), None
    got = got if isinstance(got, tuple) else (got,)
    if len(got) != len(names):
        return CheckResult(setting.name, {}, f"returned {len(got)} value(s), expected {len(names)}: "
                                             f"({', '.join(names)})"), None
    got = tuple(np.asarray(g, dtype=np.float64) for g in got)
    errors = {}
    for name, g in zip(names, got):
        expected = setting.numeric[name]
        if g.shape != expected.shape:
            return CheckResult(setting.name, errors, f"{name} has shape {g.shape}, expected {expected.shape}"), got
        errors[name] = relative_error(g, expected)
    return CheckResult(setting.name, errors), got


def _matches(fn, setting: _Setting, got) -> bool:
    """True when the student's output equals ``fn``'s (a known broken version) on ``setting``."""
    ref = fn(setting.dout.copy(), *(a.copy() if isinstance(a, np.ndarray) else a for a in setting.args))
    ref = ref if isinstance(ref, tuple) else (ref,)
    return got is not None and all(np.shape(a) == np.shape(b) and np.allclose(a, b) for a, b in zip(got, ref))


def _diagnose(fn, settings, names, known, patterns, what: str) -> Diagnosis:
    if fn is None:
        return Diagnosis(False, not_answered("your fixed function").message)
    runs = [_run(fn, s, names) for s in settings]
    results = [r for r, _ in runs]
    if all(r.passed for r in results):
        verb = "passes" if len(names) == 1 else "pass"
        return Diagnosis(True, f"{', '.join(names)} {verb} the gradient check in every setting: {what}", None, results)
    failed = [(s, got) for s, (r, got) in zip(settings, runs) if not r.passed]
    for mistake in known:
        if all(_matches(BROKEN[mistake], s, got) for s, got in failed):
            return Diagnosis(False, MESSAGES[mistake], mistake, results)
    ok = {r.setting: r.passed for r in results}
    for mistake, message in patterns(results, ok, settings, runs):
        return Diagnosis(False, message, mistake, results)
    first = next(r for r in results if not r.passed)
    why = first.problem or "wrong " + ", ".join(k for k, e in first.errors.items() if e > TOL)
    return Diagnosis(False, f"on {first.setting}: {why}. Compare your code line by line with the formulas above.",
                     "other", results)


# -- convolution -----------------------------------------------------------------------------------------
CONV_NAMES = ("dx", "dW", "db")


@lru_cache(maxsize=1)
def _conv_settings() -> tuple:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 2, 5, 5))
    W = rng.standard_normal((3, 2, 3, 3))
    b = rng.standard_normal(3)
    settings = []
    for stride, padding in ((1, 0), (2, 0), (1, 1), (2, 1)):
        def forward(stride=stride, padding=padding):
            return conv2d(x, W, b, stride, padding)

        dout = rng.standard_normal(forward().shape)
        numeric = {name: numerical_gradient(forward, a, dout=dout) for name, a in zip(CONV_NAMES, (x, W, b))}
        padded = (2, 2, 5 + 2 * padding, 5 + 2 * padding)
        settings.append(_Setting(f"stride {stride}, padding {padding}", (x.copy(), W.copy(), stride, padding),
                                 dout, numeric, padded))
    return tuple(settings)


def _conv_patterns(results, ok, settings, runs):
    for s, (r, got) in zip(settings, runs):
        if r.problem and got is not None and s.padded_shape and got[0].shape == s.padded_shape and got[0].ndim == 4:
            yield "crop", (f"on {s.name}, dx has the padded input's shape {s.padded_shape}: crop the padding off, "
                           "dx = dx_pad[:, :, padding:padding + H, padding:padding + W].")
    if ok["stride 1, padding 0"] and not ok["stride 2, padding 0"]:
        yield "stride", ("correct at stride 1, wrong at stride 2: check where each window starts. Output cell (i, j) "
                         "reads the window at (i * stride, j * stride); in the correlation form, dout needs "
                         "stride - 1 zeros between its entries.")
    if ok["stride 1, padding 0"] and ok["stride 2, padding 0"] and not ok["stride 1, padding 1"]:
        yield "crop", ("correct without padding, wrong with padding 1: look at how dx is cut out of dx_pad: "
                       "dx = dx_pad[:, :, padding:padding + H, padding:padding + W].")
    base = results[0]
    if not base.problem:
        bad = [k for k, e in base.errors.items() if e > TOL]
        if bad == ["db"]:
            yield "db", "only db is wrong: db[f] is dout[:, f] summed over the batch and both spatial axes, " \
                        "dout.sum(axis=(0, 2, 3))."
        if bad == ["dx"]:
            yield "dx", ("dW and db are right but dx is wrong even at stride 1 without padding: dx_pad[window] += "
                         "dout[n, f, i, j] * W[f] (or, all at once, the full correlation of dout with W rotated 180°).")
        if bad == ["dW"]:
            yield "dW", "dx and db are right but dW is wrong: dW[f] += dout[n, f, i, j] * window (the window of x_pad)."


def diagnose_conv_backward(fn) -> Diagnosis:
    """Gradient-check ``fn(dout, x, W, stride, padding) -> (dx, dW, db)`` at stride 1/2, padding 0/1; name the mistake.

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


def _pool_patterns(results, ok, settings, runs):
    first, got = settings[0], runs[0][1]
    if got is not None:
        _, cache = avgpool2d_forward(first.args[0], first.args[1], first.args[2])
        if np.allclose(got[0], avgpool2d_backward(first.dout, cache)):
            yield "average", ("you spread each gradient evenly, dout / (k·k): that is AVERAGE pooling's backward. "
                              "Max pooling sends all of it to the window's maximum.")
    if results[0].passed and not all(r.passed for r in results[1:]):
        yield "overlap", ("correct when the windows do not overlap, wrong when they do: a pixel can be the maximum "
                          "of several windows, so add (+=) their gradients instead of overwriting them (=).")


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


def _bn_patterns(results, ok, settings, runs):
    s, got = settings[1], runs[1][1]
    if got is not None and got[0].shape == s.dout.shape:
        x, gamma = s.args
        inv_std = 1.0 / np.sqrt(x.var(axis=(0, 2, 3), keepdims=True) + 1e-5)
        if np.allclose(got[0], s.dout * gamma.reshape(1, -1, 1, 1) * inv_std):
            yield "constant_stats", ("you treated the mean and variance as constants: that is dx in eval mode. In "
                                     "training they are computed from the batch, so moving one x also moves μ and σ², "
                                     "which adds the two sum terms of dx.")
    for r in results:
        bad = [k for k, e in r.errors.items() if e > TOL]
        if not r.problem and bad and "dx" not in bad:
            yield "dgamma_dbeta", ("dx is right but " + " and ".join(bad) + " is wrong: dgamma = Σ dout·x̂ and "
                                   "dbeta = Σ dout, summed over (N, H, W) for each channel.")
    if results[0].passed and not results[1].passed:
        yield "bn_axes", MESSAGES["bn_axes"]


def diagnose_batchnorm_backward(fn) -> Diagnosis:
    """Gradient-check ``fn(dout, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)`` (training mode) on 1×1 and 4×4 maps.

    >>> from cnnlib.exercises.backprop_bugs import batchnorm_backward_broken
    >>> diagnose_batchnorm_backward(batchnorm_backward_broken).mistake
    'bn_axes'
    """
    return _diagnose(fn, _bn_settings(), BN_NAMES, ("bn_axes",), _bn_patterns,
                     "batch norm's backward pass is right.")
