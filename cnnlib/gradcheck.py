r"""Gradient checking: compare a layer's backward with central differences.

For a scalar function :math:`f` the central difference

.. math::

    \frac{\partial f}{\partial x_i} \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon}

has error :math:`O(\epsilon^2)`. To check a layer we make it a scalar with
a fixed random ``dout``: :math:`L = \sum out \odot dout`, whose gradient
with respect to the output is exactly ``dout``, so ``backward(dout)`` must
return :math:`\partial L / \partial x` and fill :math:`\partial L / \partial W`.
Everything runs in float64: float32 has about 7 significant digits, so a
1e-5 nudge would be mostly rounding error.

The relative error of one entry is
:math:`|a - n| / \max(|a| + |n|, 10^{-8})`; a correct backward in float64
gives about 1e-7 or less, a bug gives 1e-2 or more. Rounding limits what
a tiny gradient entry can show: its error is about
:math:`10^{-16} |f| / (\epsilon |grad|)`, so check with moderate inputs (a
saturated sigmoid or a very confident softmax has entries near 1e-7 that
fail for no fault of the backward). ``check_layer`` differences the
outputs before summing (``numerical_gradient(..., dout=...)``) and is
hardly affected; ``check_loss`` differences the scalar loss.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_real

FLOOR = 1e-8  # denominator floor, so entries where both gradients are ~0 do not divide by 0


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-5, dout=None) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    ``x`` is nudged *in place* one entry at a time (``f`` reads it through a
    closure or a layer's params) and restored afterwards, even on error.
    With ``dout`` given, ``f()`` returns an array and the gradient is that of
    ``sum(f() * dout)``, computed as ``sum((f(x+eps) - f(x-eps)) * dout) / (2 eps)``:
    subtracting the outputs before summing cancels the entries the nudge did
    not change exactly, so rounding error stays small (CS231n's
    ``eval_numerical_gradient_array``).

    >>> x = np.array([1.0, 2.0])
    >>> numerical_gradient(lambda: float(np.sum(x ** 2)), x).round(6)
    array([2., 4.])
    """
    if not callable(f):
        raise TypeError(f"numerical_gradient needs f, a function of no arguments that reads x, got {f!r}. "
                        "Hint: numerical_gradient(lambda: loss(x), x).")
    eps = check_real(eps, "eps", low=0, low_open=True, hint="a small step such as 1e-5 (1e-6 to 1e-4 work).")
    if not isinstance(x, np.ndarray):
        raise TypeError(f"numerical_gradient nudges x in place, so x must be a float64 numpy array, got "
                        f"{type(x).__name__} {x!r}. Hint: x = np.asarray(x, dtype=np.float64).")
    _require_float64(x, "x (nudged in place by eps: an int array rounds the nudge away, float32 drowns it)")
    grad = np.zeros(x.shape, dtype=np.float64)
    for ix in np.ndindex(*x.shape):
        old = x[ix]
        try:
            x[ix] = old + eps
            f_plus = np.array(f(), dtype=np.float64, copy=True)
            x[ix] = old - eps
            f_minus = np.array(f(), dtype=np.float64, copy=True)
        finally:
            x[ix] = old
        diff = f_plus - f_minus
        grad[ix] = (diff if dout is None else np.sum(diff * dout)) / (2 * eps)
    return grad


def relative_errors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Entry-wise ``|a - b| / max(|a| + |b|, 1e-8)``."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), FLOOR)


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """Largest entry-wise relative error ``|a - b| / max(|a| + |b|, 1e-8)`` (0.0 for empty arrays).

    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"relative_error needs arrays of the same shape, got {a.shape} and {b.shape}.")
    errors = relative_errors(a, b)
    return float(errors.max()) if errors.size else 0.0


@dataclass
class GradCheckEntry:
    """The worst entry of one gradient: where it is and both values there."""

    name: str
    shape: tuple
    rel_error: float
    index: tuple
    analytic: float
    numeric: float


class GradCheckReport:
    """Per checked array (``"x"``, ``"W"``, ``"b"``, ...) the worst relative error and where it is.

    ``report["W"]`` is a ``GradCheckEntry``; ``report.worst`` the largest
    error overall, ``report.worst_entry`` its entry; ``report.passed(tol)``
    is True when every error is at most ``tol``; ``print(report)`` shows a table.
    """

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.entries: dict[str, GradCheckEntry] = {}

    def add(self, name: str, analytic: np.ndarray, numeric: np.ndarray) -> GradCheckEntry:
        """Compare ``analytic`` with ``numeric`` and store the worst entry under ``name``."""
        analytic, numeric = np.asarray(analytic), np.asarray(numeric)
        if analytic.shape != numeric.shape:
            raise ValueError(
                f"gradient of {name!r} has shape {analytic.shape} but the array has shape {numeric.shape}. "
                "Hint: backward must return dx of x's shape and grads of each parameter's shape."
            )
        errors = relative_errors(analytic, numeric)
        if errors.size == 0:
            entry = GradCheckEntry(name, analytic.shape, 0.0, (), float("nan"), float("nan"))
        else:
            ix = np.unravel_index(int(np.argmax(errors)), errors.shape)
            ix = tuple(int(i) for i in ix)
            entry = GradCheckEntry(name, analytic.shape, float(errors[ix]), ix,
                                   float(analytic[ix]), float(numeric[ix]))
        self.entries[name] = entry
        return entry

    def __getitem__(self, name: str) -> GradCheckEntry:
        return self.entries[name]

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    @property
    def worst_entry(self) -> GradCheckEntry | None:
        """The entry with the largest relative error (None if nothing was checked)."""
        return max(self.entries.values(), key=lambda e: e.rel_error, default=None)

    @property
    def worst(self) -> float:
        """The largest relative error over every checked array."""
        entry = self.worst_entry
        return 0.0 if entry is None else entry.rel_error

    def passed(self, tol: float = 1e-6) -> bool:
        """True when every checked gradient has relative error at most ``tol``."""
        tol = check_real(tol, "tol", low=0, hint="a relative error such as 1e-6 (float64 backward passes reach it).")
        return all(e.rel_error <= tol for e in self.entries.values())

    def _rows(self) -> list[list[str]]:
        rows = [["grad", "shape", "rel. error", "worst at", "analytic", "numeric"]]
        for e in self.entries.values():
            rows.append([e.name, str(e.shape), f"{e.rel_error:.2e}", str(e.index),
                         f"{e.analytic:.6g}", f"{e.numeric:.6g}"])
        return rows

    def __str__(self) -> str:
        rows = self._rows()
        widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
        lines = [self.title] if self.title else []
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        verdict = "passed" if self.passed() else "FAILED"
        lines.append(f"worst relative error {self.worst:.2e}: {verdict} at tol 1e-06")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<GradCheckReport {self.title or ''} worst={self.worst:.2e} over {list(self.entries)}>"

    def _repr_html_(self) -> str:
        rows = self._rows()
        head = "".join(f"<th>{c}</th>" for c in rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows[1:]
        )
        caption = f"<caption>{self.title}</caption>" if self.title else ""
        verdict = "passed" if self.passed() else "FAILED"
        return (f"<table>{caption}<tr>{head}</tr>{body}</table>"
                f"<p>worst relative error {self.worst:.2e}: {verdict} at tol 1e-06</p>")


def _require_float64(arr: np.ndarray, what: str) -> None:
    if arr.dtype != np.float64:
        raise TypeError(
            f"gradient checks need float64, but {what} is {arr.dtype}: float32 rounds a 1e-5 nudge away; "
            "build the layer with dtype=np.float64 (and pass x as float64)."
        )


def check_layer(layer, x, *, seed: int = 0, eps: float = 1e-5, dout=None) -> GradCheckReport:
    """Check ``layer.backward`` against central differences of ``L = sum(layer(x) * dout)``.

    Checks ``dx`` (unless ``layer.requires_input_grad`` is False) and every
    parameter's gradient, all in float64. ``dout`` defaults to a standard
    normal array from ``np.random.default_rng(seed)``.

    Layers with randomness (``Dropout``) must see the same mask in every
    forward: the state of every ``np.random.Generator`` attribute is saved
    before the first forward and restored before each one. Buffers such as
    BatchNorm's running statistics, and the generators, are restored when the
    check ends; ``x`` is copied, never modified.

    >>> from cnnlib.layers import Dense
    >>> check_layer(Dense(3, 2, dtype=np.float64, seed=0), np.ones((4, 3))).passed()
    True
    """
    if not (hasattr(layer, "forward") and hasattr(layer, "backward") and isinstance(getattr(layer, "params", None),
                                                                                   dict)):
        raise TypeError(f"check_layer needs a cnnlib layer (forward, backward, params), got {layer!r}. Hint: "
                        "check_layer(Dense(3, 2, dtype=np.float64), x).")
    eps = check_real(eps, "eps", low=0, low_open=True, hint="a small step such as 1e-5.")
    x = np.asarray(x)
    _require_float64(x, "x")
    for name, p in layer.params.items():
        _require_float64(p, f"{type(layer).__name__}.params[{name!r}]")
    x = x.copy()
    generators = {k: v for k, v in vars(layer).items() if isinstance(v, np.random.Generator)}
    rng_states = {k: g.bit_generator.state for k, g in generators.items()}
    buffers = {k: (v, v.copy()) for k, v in vars(layer).items() if isinstance(v, np.ndarray)}

    def run() -> np.ndarray:
        for k, g in generators.items():
            g.bit_generator.state = rng_states[k]
        return layer.forward(x)

    try:
        out = run()
        if dout is None:
            dout = np.random.default_rng(seed).standard_normal(out.shape)
        dout = np.asarray(dout, dtype=np.float64)
        dx = layer.backward(dout)
        analytic = {name: np.array(g, copy=True) for name, g in layer.grads.items()}

        report = GradCheckReport(f"gradient check of {layer!r}")
        if layer.requires_input_grad:
            report.add("x", dx, numerical_gradient(run, x, eps, dout=dout))
        for name, p in layer.params.items():
            if name not in analytic:
                raise RuntimeError(
                    f"{type(layer).__name__}.backward() did not fill grads[{name!r}]. "
                    "Hint: backward must overwrite grads[k] for every k in params."
                )
            report.add(name, analytic[name], numerical_gradient(run, p, eps, dout=dout))
        run()  # leave the cache matching the unnudged x and params
    finally:
        for k, (arr, saved) in buffers.items():  # same array object, original values
            arr[...] = saved
            setattr(layer, k, arr)
        for k, g in generators.items():
            g.bit_generator.state = rng_states[k]
    return report


def check_loss(loss, pred, target, *, eps: float = 1e-5) -> GradCheckReport:
    """Check ``loss.backward()`` against central differences of ``loss.forward(pred, target)``.

    >>> from cnnlib.losses import MSE
    >>> check_loss(MSE(), np.array([1.0, 2.0]), np.array([0.0, 0.0])).passed()
    True
    """
    if not (callable(getattr(loss, "forward", None)) and callable(getattr(loss, "backward", None))):
        raise TypeError(f"check_loss needs a cnnlib loss (forward, backward), got {loss!r}. Hint: "
                        "check_loss(MSE(), pred, target).")
    eps = check_real(eps, "eps", low=0, low_open=True, hint="a small step such as 1e-5.")
    pred = np.asarray(pred)
    _require_float64(pred, "pred")
    pred = pred.copy()
    loss.forward(pred, target)
    analytic = loss.backward()
    report = GradCheckReport(f"gradient check of {loss!r}")
    report.add("pred", analytic, numerical_gradient(lambda: loss.forward(pred, target), pred, eps))
    loss.forward(pred, target)  # leave the cache matching pred
    return report
