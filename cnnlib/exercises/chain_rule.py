r"""Lesson 06 checker: the gradient of softmax + cross-entropy with respect to the logits, :math:`p - y`.

>>> bool(check_softmax_ce_grad([-0.3, 0.2, 0.1], p=[0.7, 0.2, 0.1], label=0))
True
"""
from __future__ import annotations

import numpy as np

from .feedback import STUCK, Feedback, not_answered


def check_softmax_ce_grad(answer, p, label: int) -> Feedback:
    r"""Check :math:`\partial L / \partial z` for one sample with probabilities ``p`` and true class ``label``."""
    p = np.asarray(p, dtype=float)
    y = np.zeros_like(p)
    y[label] = 1.0
    right = p - y
    hints = ("∂L/∂z has one entry per class; L = −log p_label, and p is the softmax of z.",
             "The lesson's derivation above: through the softmax, ∂L/∂z_k = p_k − y_k, with y the one-hot target.",
             f"The answer: p − y with y = one-hot({label}) = {np.round(right, 4).tolist()}.")
    if answer is None:
        return not_answered(f"your gradient, a list of {p.size} numbers", hints=hints)
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"answer must be a list of numbers, got {answer!r}. Hint: one number per class, e.g. "
                        f"{[0.0] * p.size}, or None while you work it out.") from None
    if got.shape != p.shape:
        return Feedback(False, f"the gradient has one entry per class: {p.size} numbers, you gave {got.size}."
                        + STUCK, hints=hints)
    if np.allclose(got, right):
        return Feedback(True, f"p − y = {np.round(right, 4).tolist()}: the true class is pushed up (negative "
                              "gradient), every other class down by its probability.")
    with np.errstate(divide="ignore"):
        mistakes = [
            (y - p, "wrong sign: that is y − p. Gradient descent subtracts the gradient, so the true class must "
                    "have a negative entry, p_k − 1."),
            (np.where(y > 0, -1.0 / p, 0.0), "that is ∂L/∂p = −y/p, the gradient with respect to the probabilities. "
                                             "Through the softmax it becomes p − y with respect to the logits."),
            (p, "that is p; subtract the one-hot target y (1 at the true class)."),
            (right * y, f"only the true class has an entry: p_{label} − 1 is right there, but every other class k "
                        "gets one too, p_k. The softmax ties the logits together: raising one logit lowers every "
                        "other class's probability."),
            (-y, "that is −y, the target's part alone: the probabilities p belong in the gradient too."),
            (right / p.size, "no need to divide by the number of classes; a mean over a batch divides by N, "
                             "the number of samples."),
            (right / 2, "you divided by 2, as the cell above did for its batch of N = 2 samples (the loss is their "
                        "mean). Here there is one sample, N = 1."),
        ]
    for guess, why in mistakes:
        if np.all(np.isfinite(guess)) and np.allclose(got, guess):
            return Feedback(False, why + STUCK, hints=hints)
    return Feedback(False, "write y as one-hot (1 at the true class, 0 elsewhere) and subtract it from p." + STUCK,
                    hints=hints)
