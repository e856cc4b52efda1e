r"""Lesson 05 checkers: the sigmoid's derivative, and the axes batch normalization averages over.

>>> bool(check_sigmoid_grad(0.25, x=0.0))
True
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ..layers.activations import stable_sigmoid
from .feedback import STUCK, Feedback, not_answered, number_answer


def check_sigmoid_grad(answer, x: float = 0.0) -> Feedback:
    r"""Check a predicted :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))` (to 3 decimals)."""
    s = float(stable_sigmoid(np.array([float(x)]))[0])
    right = s * (1 - s)
    hints = ("σ′(x) is the slope of the sigmoid at x; the lesson's formula gives it from σ(x) alone.",
             f"σ′(x) = σ(x)(1 − σ(x)): compute s = σ({x:g}) = 1/(1 + e^(−{x:g})) first.",
             f"The answer: σ({x:g}) = {s:.3f}, so σ′({x:g}) = {s:.3f} · (1 − {s:.3f}) = {right:.3f}.")
    if answer is None:
        return not_answered(f"your value of σ′({x:g})", hints=hints)
    value = number_answer(answer)
    if abs(value - right) < 5e-4:
        return Feedback(True, f"σ({x:g}) = {s:.3f}, so σ′({x:g}) = {s:.3f} · (1 − {s:.3f}) = {right:.3f}.")
    mistakes = [
        (s, f"that is σ({x:g}) itself; the derivative is σ(x)(1 − σ(x))."),
        (1 - s, "that is 1 − σ(x); multiply it by σ(x)."),
        (x * (1 - x), "you put x into x(1 − x); the formula uses σ(x): σ(x)(1 − σ(x))."),
        (-right, "wrong sign: σ is increasing everywhere, so its slope is positive."),
        (1 - s * s, "that is 1 − σ(x)², the form of tanh′ (1 − tanh²); the sigmoid's is σ(x)(1 − σ(x))."),
    ]
    if x != 0:
        mistakes.append((0.25, "that is σ′(0) = ¼, the steepest slope, at x = 0; away from 0 the sigmoid is flatter."))
    for guess, why in mistakes:
        if abs(value - guess) < 5e-4:
            return Feedback(False, f"you answered {value:g}; {why}" + STUCK, hints=hints)
    if abs(value - right) < 2e-3:  # 0.196 for 0.19661: the method is right, the last digit is not
        return Feedback(False, f"you answered {value:g}: close, but the check wants 3 correct decimals. Keep all the "
                               "digits of σ(x) until the end, then round (do not cut off)." + STUCK, hints=hints)
    decimals = len(f"{value:.6f}".rstrip("0").split(".")[1])
    scale = 10 ** decimals
    early = {round(right * scale) / scale} | ({math.floor(right * scale) / scale} if decimals == 2 else set())
    if decimals in (1, 2) and value in early:  # 0.2 or 0.19 for 0.197: right method, rounded or cut off too early
        return Feedback(False, f"you answered {value:g}, which is σ′({x:g}) = {right:.3f} with {decimals} "
                               f"decimal{'s' if decimals != 1 else ''}: right method; give 3 decimals." + STUCK,
                        hints=hints)
    return Feedback(False, f"you answered {value:g}. Compute s = σ({x:g}) = 1/(1 + e^(−{x:g})) first, then "
                           "s(1 − s)." + STUCK, hints=hints)


_AXES_MISTAKES = {
    (0,): "that averages over the batch only, giving one mean per (channel, row, column): "
          "{n} statistics instead of one per channel. It is what the implementation outline's code does "
          "(np.mean(input, axis=0)), "
          "right for Dense features (BatchNorm1D) but not for conv feature maps.",
    (2, 3): "that averages over each image's own map: one mean per (sample, channel). That is instance "
            "normalization; batch norm pools the whole batch.",
    (1, 2, 3): "that averages over everything in one sample: that is layer normalization, one mean per sample.",
    (0, 1, 2): "that is the answer for channels-last (N, H, W, C) arrays, the layout of the theory notes' "
               "Keras model (and TensorFlow): there the channel is the last axis. cnnlib, like PyTorch, stores "
               "NCHW, where the channel is axis 1.",
    (0, 1, 2, 3): "that is one mean for the whole tensor: the channels would share statistics, although each "
                  "channel is a different feature with its own scale.",
}


def check_bn_axes(answer, shape=(8, 3, 4, 4)) -> Feedback:
    """Check the axes over which ``BatchNorm2D`` computes its mean for NCHW features of ``shape``.

    The default shape is lesson 05's batch, 8 samples of 3 channels of 4×4. Negative axes count from the end,
    as in numpy: (0, -2, -1) is (0, 2, 3).

    >>> bool(check_bn_axes((0, 2, 3)))
    True
    """
    hints = ("Batch norm gives each channel one mean and one variance.",
             "NCHW axes are 0 = sample, 1 = channel, 2 = row, 3 = column: average over every axis but the "
             "channel's.",
             "The answer: axis=(0, 2, 3), over the samples and every position.")
    if answer is None:
        return not_answered("a tuple of axes, e.g. (0, 1)", hints=hints)
    given = list(answer) if isinstance(answer, (tuple, list, np.ndarray)) else [answer]
    if not all(isinstance(a, numbers.Integral) and not isinstance(a, (bool, np.bool_)) for a in given):
        raise TypeError(f"answer must be a tuple of axis numbers (whole numbers), got {answer!r}. "
                        "Hint: e.g. (0, 1), or None while you work it out.")
    given = [int(a) for a in given]
    outside = [a for a in given if not -4 <= a <= 3]
    if outside:
        return Feedback(False, f"axis {outside[0]} does not exist: an NCHW array has 4 axes, numbered 0..3 "
                               "(or −4..−1 counting from the end)." + STUCK, hints=hints)
    normalized = [a % 4 for a in given]  # (0, -2, -1) is (0, 2, 3), as in numpy
    repeated = sorted({a for a in normalized if normalized.count(a) > 1})
    if repeated:
        return Feedback(False, f"you named axis {repeated[0]} twice ({tuple(given)}); numpy refuses that "
                               "(ValueError: duplicate value in 'axis'). Name each axis once." + STUCK, hints=hints)
    axes = tuple(sorted(normalized))
    N, C, H, W = shape
    if axes == (0, 2, 3):
        return Feedback(True, f"one mean and variance per channel, over N·H·W = {N}·{H}·{W} = {N * H * W} values: "
                              f"for x of shape {tuple(shape)}, x.mean(axis=(0, 2, 3)) has shape ({C},).")
    if axes in _AXES_MISTAKES:
        return Feedback(False, _AXES_MISTAKES[axes].format(n=C * H * W) + STUCK, hints=hints)
    if 1 in axes:
        return Feedback(False, "axis 1 is the channel axis: batch norm keeps the channels apart, one mean per "
                               "channel." + STUCK, hints=hints)
    return Feedback(False, "NCHW axes are 0 = sample, 1 = channel, 2 = row, 3 = column; batch norm averages a "
                           "channel over every sample and every position." + STUCK, hints=hints)
