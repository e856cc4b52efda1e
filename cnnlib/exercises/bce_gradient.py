r"""Lesson 08 checker: the gradient of binary cross-entropy with respect to the logit, per sample.

:func:`check_bce_grad` runs the student's ``bce_grad(z, y)`` next to :math:`\sigma(z) - y` (and cnnlib's
``BinaryCrossEntropy(from_logits=True)``), on logits that include z = 40 and -800, where a naive sigmoid
overflows. A wrong answer is matched against the usual slips (the sign flipped, ``y`` forgotten,
:math:`\partial L/\partial p` instead of :math:`\partial L/\partial z`, a mean over the samples, …); the
message says what is wrong, ``result.hint(2)`` where to look and ``result.hint(3)`` the fix.

>>> check_bce_grad(lambda z, y: y - 1 / (1 + np.exp(-z))).mistake
'sign'
"""
from __future__ import annotations

import numpy as np

from ..layers.activations import stable_sigmoid
from .diagnosis import Diagnosis


def reference_bce_grad(z, y):
    """d(BCE)/dz for each sample: sigmoid(z) - y."""
    return stable_sigmoid(np.asarray(z, dtype=float)) - y


BCE_Z = np.array([2.0, -1.0, 0.5, 0.0, 40.0, -800.0])
BCE_Y = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 1.0])

BCE_HINTS = {
    "not_answered": (
        "bce_grad returned nothing usable yet: fill in the `...` so it returns dL/dz, one number per sample.",
        "multiply out the product above, (-y/p + (1-y)/(1-p)) · p(1-p): the divisions cancel and what is left "
        "is very short.",
        "return stable_sigmoid(z) - y   (stable_sigmoid is imported at the top; 1 / (1 + np.exp(-z)) - y also works)",
    ),
    "column": (
        "right numbers, wrong shape: bce_grad returned a column (N, 1); z and y are flat arrays (N,), and so is "
        "dL/dz.",
        "keep the arrays flat: no [:, None], no reshape(-1, 1).",
        "return stable_sigmoid(z) - y   (shape (N,), like z)",
    ),
    "shape": (
        "bce_grad must return one number per sample, an array shaped like z; did you take a mean or a sum?",
        "the exercise asks for each sample's own dL/dz: no mean, no sum over the samples.",
        "return stable_sigmoid(z) - y   (stable_sigmoid is imported at the top; 1 / (1 + np.exp(-z)) - y also works)",
    ),
    "sign": (
        "wrong sign: that is y - p. A sample with y = 1 must get a negative gradient, so that the step raises z.",
        "dL/dz = p - y: the prediction minus the target.",
        "return stable_sigmoid(z) - y",
    ),
    "forgot_y": (
        "that is p = sigmoid(z): the target is missing.",
        "dL/dz compares the prediction with the target.",
        "return stable_sigmoid(z) - y",
    ),
    "sigmoid_only": (
        "that is p (1 - p), the derivative of the sigmoid alone: the loss's own factor is missing.",
        "the chain rule multiplies dL/dp = -y/p + (1-y)/(1-p) by dp/dz = p(1-p); multiply out before coding it.",
        "the product simplifies to p - y: return stable_sigmoid(z) - y",
    ),
    "dL_dp": (
        "that is dL/dp = -y/p + (1-y)/(1-p), the gradient with respect to the probability, not the logit.",
        "go one step further down the chain rule: multiply by dp/dz = p(1 - p) and simplify.",
        "return stable_sigmoid(z) - y",
    ),
    "mean": (
        "right up to a factor: you divided by the number of samples. We asked for each sample's own gradient "
        "dL/dz.",
        "the mean over a batch divides by N; BinaryCrossEntropy.backward() does that, but here we want one sample.",
        "return stable_sigmoid(z) - y   (without / len(z))",
    ),
    "unsimplified": (
        "right for moderate z, but not finite at z = 40 or z = -800: there p rounds to exactly 1 or 0, and "
        "(-y/p + (1-y)/(1-p)) · p(1-p) becomes inf · 0 = NaN.",
        "do the algebra first: multiply out the chain rule by hand and the divisions by p and 1 - p cancel.",
        "return stable_sigmoid(z) - y",
    ),
    "other": (
        "not dL/dz yet: for z = 0 and y = 1 the answer is -0.5; for z = 2 and y = 1 it is sigmoid(2) - 1 ≈ -0.12.",
        "follow the derivation above: dL/dp times dp/dz.",
        "return stable_sigmoid(z) - y",
    ),
}


def check_bce_grad(fn) -> Diagnosis:
    """Check ``fn(z, y)`` returns :math:`\\partial L/\\partial z = \\sigma(z) - y` per sample, even at z = 40 and -800.

    The answer is also compared with ``BinaryCrossEntropy(from_logits=True).backward()``
    (times the number of samples, since that one is the gradient of the mean).
    """
    if not callable(fn):
        raise TypeError(f"check_bce_grad takes your function bce_grad(z, y), got {fn!r}. "
                        "Hint: check_bce_grad(bce_grad).")
    z, y = BCE_Z.copy(), BCE_Y.copy()
    try:
        with np.errstate(all="ignore"):
            got = fn(z.copy(), y.copy())
    except Exception as exc:  # the student's code: show what it raised
        return Diagnosis(False, f"bce_grad raised {type(exc).__name__}: {exc}", mistake="raised",
                         hints=(f"bce_grad raised {type(exc).__name__}: {exc}",) + BCE_HINTS["not_answered"][1:])
    if got is None or got is Ellipsis:
        return Diagnosis.from_hints("not_answered", BCE_HINTS)
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return Diagnosis.from_hints("not_answered", BCE_HINTS)
    right = reference_bce_grad(z, y)
    if got.shape != z.shape:
        column = got.size == z.size and np.allclose(got.ravel(), right, rtol=1e-9, atol=1e-12)
        return Diagnosis.from_hints("column" if column else "shape", BCE_HINTS)
    if np.allclose(got, right, rtol=1e-9, atol=1e-12):
        return Diagnosis(True, "dL/dz = sigmoid(z) - y, finite even at z = 40 and z = -800; "
                               "BinaryCrossEntropy(from_logits=True).backward() returns the same divided by the "
                               "batch size.")
    p = stable_sigmoid(z)
    with np.errstate(all="ignore"):
        candidates = {"sign": y - p, "forgot_y": p, "sigmoid_only": p * (1 - p),
                      "dL_dp": -y / p + (1 - y) / (1 - p), "mean": right / len(z)}
    moderate = np.abs(z) < 30
    for key, guess in candidates.items():
        if np.allclose(got[moderate], guess[moderate]):
            return Diagnosis.from_hints(key, BCE_HINTS)
    if np.allclose(got[moderate], right[moderate]):
        return Diagnosis.from_hints("unsimplified", BCE_HINTS)
    return Diagnosis.from_hints("other", BCE_HINTS)
