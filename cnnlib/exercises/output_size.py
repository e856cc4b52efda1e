r"""Lesson 02 checkers: output sizes and 'same' padding (stride 1, and Keras' rule at a stride).

Wrong answers are matched against the usual slips with the formula
:math:`H_{out} = \lfloor (H + 2P - K_{eff})/S \rfloor + 1`: the missing
``+ 1``, padding counted once, rounding up, ignoring the dilation, …
"""
from __future__ import annotations

import math
import numbers

from .._checks import is_real_number
from ..shapes import conv_output_size, effective_kernel_size, keras_same_padding, same_padding
from .feedback import STUCK, Feedback, not_answered, num, number_answer


DIVIDED = "you divided the input size by the stride, but the kernel must fit inside: subtract K first."


def check_output_size(answer, size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                      dilation: int = 1) -> Feedback:
    """Check a predicted output length for one axis.

    >>> bool(check_output_size(4, 7, 3, stride=2, padding=1))
    True
    """
    h, k, s, p, d = size, kernel_size, stride, padding, dilation
    k_eff = effective_kernel_size(k, d)
    setting = f"H={h}, K={k}, S={s}, P={p}" + (f", D={d}" if d != 1 else "")
    try:
        right = conv_output_size(h, k, s, p, d)
    except ValueError as exc:
        if answer is None:
            return not_answered(f"your output size for {setting}")
        if answer == 0:
            return Feedback(True, f"no window fits ({setting}): {exc}")
        return Feedback(False, f"with {setting} no window fits, so there is no output. {exc}")
    formula = f"⌊({h} + 2·{p} − {k_eff}) / {s}⌋ + 1 = ⌊{h + 2 * p - k_eff} / {s}⌋ + 1 = {right}"
    kernel = f"K_eff = K + (K−1)(D−1) = {k_eff}" if d != 1 else f"K = {k}"
    hints = ("The output length counts the window positions that fit inside the padded input, H + 2P cells.",
             f"H_out = ⌊(H + 2P − K_eff)/S⌋ + 1, with {kernel}: subtract, divide, round down, then add 1.",
             f"The answer: {formula}.")
    if answer is None:
        return not_answered(f"your output size for {setting}", hints=hints)
    value = number_answer(answer)
    if value == right:
        return Feedback(True, f"{setting}: {formula}.")
    if not value.is_integer():
        return Feedback(False, f"you answered {answer}: sizes are whole numbers; round the division down (floor) "
                               "before adding 1." + STUCK, hints=hints)
    mistakes = [
        ((h + 2 * p - k_eff) // s, "you forgot the + 1: the first window position counts too."),
        (math.ceil((h + 2 * p - k_eff) / s) + 1, "you rounded up: a window that would stick out past the edge does not count, so round down."),
        ((h + p - k_eff) // s + 1 if h + p >= k_eff else None, "you added the padding once: P zeros go on each side, so 2P."),
        ((h - k_eff) // s + 1 if h >= k_eff else None, "you forgot the padding: the window slides over H + 2P cells."),
        ((h + 2 * p - k) // s + 1 if d != 1 else None, f"you ignored the dilation: the kernel spans K_eff = K + (K−1)(D−1) = {k_eff} cells."),
        ((h + 2 * p - k * d) // s + 1 if d != 1 and h + 2 * p >= k * d else None,
         f"you took the dilated kernel to span K·D = {k * d} cells, but the D − 1 gaps sit only between its K "
         f"taps, not after the last one: K_eff = K·D − (D − 1) = K + (K−1)(D−1) = {k_eff}."),
        (h + 2 * p - k_eff + 1 if s != 1 else None, "you forgot to divide by the stride: the window jumps S cells at a time."),
        ((h + 2 * p) // s if s != 1 else None, DIVIDED),
        (h + 2 * p if s == 1 else None, "you forgot to subtract the kernel: the window must fit inside the H + 2P "
                                        "cells, so H + 2P − K_eff + 1 positions."),
        ((h + 2 * p - (k + d - 1)) // s + 1 if d != 1 and h + 2 * p >= k + d - 1 else None,
         f"you took the dilated kernel to span K + D − 1 = {k + d - 1} cells, but there are D − 1 gaps between "
         f"each pair of neighbouring taps, K − 1 pairs: K_eff = K + (K−1)(D−1) = {k_eff}."),
        (-(-h // s) if s != 1 else None,
         f"that is ⌈H/S⌉ = ⌈{h}/{s}⌉ = {-(-h // s)}, the size Keras/TensorFlow give with padding='same' (they choose "
         f"the padding themselves). Here the padding is fixed, P = {p}, so use ⌊(H + 2P − K_eff)/S⌋ + 1."),
    ]
    whys = [why for guess, why in mistakes if guess is not None and value == guess]
    if DIVIDED in whys and len(whys) > 1 and value == -(-h // s):  # ⌈H/S⌉ below says the same, and more
        whys.remove(DIVIDED)
    if whys:  # two slips can give the same number (28 // 2 = 14 = ⌈25/2⌉ + 1): name both
        return Feedback(False, f"you answered {int(value)} for {setting}; {' Or: '.join(whys)}" + STUCK, hints=hints)
    if value == h:  # "padding keeps the size", after seeing it do so at stride 1
        return Feedback(False, f"you answered {h}, the input size: padding keeps the size only when S = 1 and "
                               f"2P = K_eff − 1; here S = {s}, P = {p} and K_eff = {k_eff}, so use "
                               "⌊(H + 2P − K_eff)/S⌋ + 1." + STUCK, hints=hints)
    return Feedback(False, f"you answered {int(value)} for {setting}. Use H_out = ⌊(H + 2P − K_eff)/S⌋ + 1 with "
                           f"{kernel}." + STUCK, hints=hints)


def _pair_answer(answer):
    """``answer`` as two floats ``(before, after)``; one number means the same on both sides."""
    if is_real_number(answer):
        answer = (answer, answer)
    try:
        if isinstance(answer, (str, bytes)):
            raise TypeError
        before, after = (float(v) for v in answer)
    except (TypeError, ValueError):
        raise TypeError(f"answer must be a pair of numbers (before, after), got {answer!r}. Hint: e.g. (1, 2): "
                        "1 row of zeros before (top/left), 2 after (bottom/right).") from None
    return before, after


def _shown(answer) -> str:
    """The answer as the student typed it, numpy scalars as plain numbers: ``1.5`` or ``(1, 2)``."""
    before, after = _pair_answer(answer)
    return num(before) if is_real_number(answer) else f"({num(before)}, {num(after)})"


def _bare(answer) -> str:
    """A note for an answer given as one number, which means the same padding on both sides."""
    if is_real_number(answer):
        return f" (One number means {num(answer)} on each side, ({num(answer)}, {num(answer)}); give (before, after).)"
    return ""


def _check_keras_same_padding(size: int, kernel_size: int, stride: int, answer, dilation: int) -> Feedback:
    """Keras/TensorFlow's 'same' at a stride > 1: the least padding for ⌈H/S⌉ outputs, odd pixel after."""
    h, k, s, d = size, kernel_size, stride, dilation
    setting = f"H={h}, K={k}, S={s}" + (f", D={d}" if d != 1 else "")
    right = keras_same_padding(h, k, s, d)
    total = right[0] + right[1]
    k_eff = effective_kernel_size(k, d)
    h_out = -(-h // s)
    rule = (f"Keras makes ⌈H/S⌉ = ⌈{h}/{s}⌉ = {h_out} outputs and pads only what they need: "
            "P_total = max((H_out − 1)·S + K_eff − H, 0)")
    hints = (f"Keras' 'same' does not keep the size at stride {s}: it makes ⌈H/S⌉ outputs and pads only as much "
             "as those windows need.",
             f"H_out = ⌈{h}/{s}⌉ = {h_out} windows span (H_out − 1)·S + K_eff rows; the padding is what they need "
             f"beyond the H = {h} rows (never less than 0), split as evenly as possible, the extra row after "
             "(bottom/right).",
             f"The answer: {right}.")
    if answer is None:
        return not_answered(f"your Keras 'same' padding (before, after) for {setting}", hints=hints)
    before, after = _pair_answer(answer)

    def wrong(message: str) -> Feedback:
        return Feedback(False, message + _bare(answer) + STUCK, hints=hints)

    if not (before.is_integer() and after.is_integer()):
        return wrong(f"you answered {_shown(answer)}: padding is a whole number of rows of zeros on each side. "
                     f"{rule}; when the total is odd the extra row goes after (bottom/right).")
    before, after = int(before), int(after)
    if min(before, after) < 0:
        return wrong(f"you answered {_shown(answer)}: padding adds rows of zeros, so neither side can be negative.")
    if (before, after) == right:
        why = (f"⌈{h}/{s}⌉ = {h_out} windows span (H_out − 1)·S + K_eff = {(h_out - 1) * s + k_eff} rows, the input "
               f"has {h}, so P_total = {total}")
        extra = ", odd, so the extra row goes after (bottom/right)" if right[0] != right[1] else ""
        return Feedback(True, f"{setting}: Keras pads {right}: {why}{extra}. (PyTorch and cnnlib refuse "
                              "padding='same' at this stride; pass this padding explicitly.)")
    if (after, before) == right:
        return wrong("right total, wrong side: Keras/TensorFlow put the extra row after (bottom/right).")
    if (before, after) == same_padding(k, d):
        return wrong(f"that is the stride-1 'same' padding, K_eff − 1 = {k_eff - 1} in total, which keeps "
                     f"the size at stride 1. At stride {s} the output cannot keep the size: {rule}.")
    if before + after != total:
        return wrong(f"yours adds up to {before + after}. {rule}.")
    return wrong(f"the total {total} is right; split it as evenly as possible, the extra row after (bottom/right).")


def check_same_padding(kernel_size: int, answer, dilation: int = 1, *, size=None, stride: int = 1) -> Feedback:
    """Check ``(before, after)`` 'same' padding along one axis.

    At stride 1 (default) the padding must keep the size: PyTorch, Keras and
    cnnlib agree. With ``stride > 1`` give the input ``size``: the answer is
    Keras/TensorFlow's (⌈H/S⌉ outputs, see :func:`~cnnlib.shapes.keras_same_padding`),
    which PyTorch and cnnlib do not offer as ``padding='same'``.

    >>> bool(check_same_padding(4, (1, 2)))
    True
    >>> bool(check_same_padding(3, (0, 1), size=8, stride=2))
    True
    """
    if not (isinstance(stride, numbers.Integral) and not isinstance(stride, bool) and stride >= 1):
        raise ValueError(f"stride must be an int >= 1, got {stride!r}.")
    if stride != 1:
        if size is None:
            raise TypeError(f"check_same_padding(..., stride={stride}) needs the input size: at a stride > 1 "
                            "Keras' 'same' padding depends on H. Hint: pass size=H, e.g. "
                            f"check_same_padding({kernel_size}, answer, size=8, stride={stride}).")
        return _check_keras_same_padding(size, kernel_size, stride, answer, dilation)
    right = same_padding(kernel_size, dilation)
    total = right[0] + right[1]
    hints = (f"'same' keeps the size: H + P_before + P_after − K_eff + 1 must equal H, so the total padding is "
             f"K_eff − 1 = {total}.",
             "Split the total as evenly as possible; when it is odd, PyTorch and TensorFlow put the extra row after "
             "(bottom/right).",
             f"The answer: {right}.")
    if answer is None:
        return not_answered(f"your padding (before, after) for kernel size {kernel_size}", hints=hints)
    before, after = _pair_answer(answer)

    def wrong(message: str) -> Feedback:
        return Feedback(False, message + _bare(answer) + STUCK, hints=hints)

    if not (before.is_integer() and after.is_integer()):
        half = " That is (K_eff − 1)/2: the total is odd, so it cannot be split evenly." if (
            before == after == total / 2) else ""
        return wrong(f"you answered {_shown(answer)}: padding is a whole number of rows of zeros on each side, so a "
                     f"fraction cannot be padded.{half}")
    before, after = int(before), int(after)
    if min(before, after) < 0:
        return wrong(f"you answered {_shown(answer)}: padding adds rows of zeros, so neither side can be negative.")
    if (before, after) == right:
        extra = (" The total K − 1 is odd, so the extra pixel goes after (bottom/right), as in PyTorch and "
                 "TensorFlow." if right[0] != right[1] else "")
        return Feedback(True, f"padding {right} keeps the size: total K_eff − 1 = {total}.{extra}")
    if (after, before) == right:
        return wrong("right total, wrong side: PyTorch and TensorFlow put the extra pixel after (bottom/right).")
    if before + after != total:
        return wrong(f"the padding must add up to K_eff − 1 = {total} so that H + total − K_eff + 1 = H; "
                     f"yours adds up to {before + after}.")
    return wrong(f"the total {total} is right; split it as evenly as possible, the extra pixel after.")
