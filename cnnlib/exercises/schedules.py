"""Lesson 09 checker: the learning rate a cosine schedule gives one batch.

Wrong answers are matched against the classic slips: a straight line instead
of the half cosine, the cosine without its ``½(1 + ·)``, the rate of the batch
before or after, and the angle in the wrong unit. An answer rounded to three
significant digits counts as right.
Every wrong answer carries staged hints (``result.hint(1)``, ``(2)``, ``(3)``).
"""
from __future__ import annotations

import math
from types import SimpleNamespace

from .._checks import check_positive_int, check_real
from ..callbacks import CosineLR
from .feedback import STUCK, Feedback, not_answered, num, number_answer


def _cosine(lr: float, step: int, total_steps: int) -> float:
    """The rate training uses for batch ``step``: ``CosineLR``'s own, on a stand-in optimizer."""
    return CosineLR(SimpleNamespace(lr=lr), total_steps).lr_at(step)


def check_cosine_lr(answer, lr: float, step: int, total_steps: int) -> Feedback:
    """Check the rate ``CosineLR(optimizer, total_steps)`` sets for batch ``step`` (counted from 0), start ``lr``.

    The schedule: :math:`\\eta_t = \\tfrac12 \\eta_0 (1 + \\cos(\\pi t / T))`, as ``CosineLR.lr_at(t)``.

    >>> bool(check_cosine_lr(0.75e-3, lr=1e-3, step=79, total_steps=237))
    True
    """
    lr = check_real(lr, "lr", low=0, low_open=True, hint="the optimizer's starting rate, e.g. lr=1e-3.")
    total = check_positive_int(total_steps, "total_steps")
    t = check_positive_int(step, "step", minimum=0)
    right = _cosine(lr, t, total)
    formula = f"½·{num(lr)}·(1 + cos(π·{t}/{total}))"
    hints = ("The rate falls along half a cosine, from η₀ at batch 0 to 0 after the last batch: "
             "η_t = ½·η₀·(1 + cos(π·t/T)), t counted in batches from 0, T the schedule's total_steps.",
             f"Here t = {t} (batches before this one) and T = {total}; t/T = {num(t / total)}, and cos takes radians.",
             f"The answer: {formula} = {num(right)}.")
    if answer is None:
        return not_answered(f"the learning rate of batch {t} (one number, three significant digits)", hints=hints)
    got = number_answer(answer)

    def close(value) -> bool:
        return math.isclose(got, value, rel_tol=5e-3, abs_tol=1e-12 * lr)  # three significant digits

    if close(right):
        return Feedback(True, f"{formula} = {num(right)}: {right / lr:.0%} of the starting rate, "
                              f"{t / total:.0%} of the way through the schedule.")
    slips = [
        (lr * (1 - t / total), "that is a straight line from η₀ to 0; the schedule follows half a cosine, which "
                               "stays high longer at the start and falls faster in the middle."),
        (lr * math.cos(math.pi * t / total), "you used η₀·cos(π·t/T): without ½(1 + ·) it would end at −η₀, a "
                                             "negative rate, instead of 0."),
        (_cosine(lr, t + 1, total), "that is the next batch's rate: before batch t, t batches have run (t counts "
                                    "from 0)."),
        (_cosine(lr, max(t - 1, 0), total), "that is the previous batch's rate: t counts the batches before this one."),
        (0.5 * lr * (1 + math.cos(t / total)), "cos takes radians: the angle is π·t/T, not t/T."),
    ]
    whys = [why for value, why in slips if close(value) and not close(right)]
    if whys:  # two slips can give the same number: name both
        return Feedback(False, f"you answered {num(got)}; {' Or: '.join(whys)}" + STUCK, hints=hints)
    return Feedback(False, f"you answered {num(got)} for batch {t} of {total}." + STUCK, hints=hints)
