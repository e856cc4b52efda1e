"""Lesson 10 checker: the receptive field of a unit after a stack of convs and pools.

Wrong answers are matched against the classic slips: adding ``K − 1`` per
layer without the jump (as if every layer had stride 1), taking the jump
*after* a layer instead of before it, letting pooling layers widen nothing,
and stopping one layer early. Every wrong answer carries staged hints
(``result.hint(1)``, ``(2)``, ``(3)``).
"""
from __future__ import annotations

from types import SimpleNamespace

from ..shapes import receptive_field
from .feedback import STUCK, Feedback, not_answered, whole_answer

_START = SimpleNamespace(size=(1, 1), jump=(1, 1))  # the input pixel itself: r_0 = 1, j_0 = 1


def _slips(rows) -> list[tuple[int, str]]:
    """``(wrong side, what it means)`` for the stack ``rows`` (square fields), most telling first."""
    growth = [(rf.size[0] - prev.size[0]) // prev.jump[0] for prev, rf in zip([_START] + rows, rows)]  # K_eff − 1
    jumps_after = [rf.jump[0] for rf in rows]
    pools = [rf.name.startswith(("MaxPool", "AvgPool")) for rf in rows]
    convs_only = 1
    jump = 1
    for g, rf, pool in zip(growth, rows, pools):
        convs_only += 0 if pool else g * jump
        jump *= rf.stride[0]
    return [
        (1 + sum(growth), "you added K − 1 for every layer, as if all had stride 1. After a stride-2 layer "
                          "neighbouring units are 2 input pixels apart (the jump j), so each later layer adds "
                          "(K − 1)·j."),
        (1 + sum(g * j for g, j in zip(growth, jumps_after)), "you multiplied K − 1 by the jump *after* the layer; "
                                                              "a layer's kernel steps over the units of the layer "
                                                              "before it, so use the jump before it, j_(l−1)."),
        (convs_only, "you let the pooling layers widen nothing; a 2×2 pool's window covers 2 units of the layer "
                     "before it, so it adds (2 − 1)·j like any kernel."),
        (rows[-2].size[0] if len(rows) > 1 else 1, f"that is the field of the layer before the last "
                                                  f"({rows[-2].name if len(rows) > 1 else 'the input'}); "
                                                  "the last layer widens it once more."),
    ]


def check_receptive_field(answer, layers, input_size=None) -> Feedback:
    """Check the side of the receptive field, on the input, of one unit after the last of ``layers``.

    ``layers`` as :func:`cnnlib.shapes.receptive_field` takes them: cnnlib layers (pointwise ones such as
    ``ReLU`` are skipped) or ``(kernel_size, stride)`` tuples.

    >>> bool(check_receptive_field(22, [(3, 1), (2, 2), (3, 1), (2, 2), (3, 1), (2, 2)]))
    True
    """
    rows = receptive_field(layers, input_size)
    if not rows:
        raise ValueError(f"layers has no conv or pooling layer, got {layers!r}. Hint: e.g. model.layers[:8] "
                         "+ [MaxPool2D(2)], or [(3, 1), (2, 2)].")
    last = rows[-1]
    if last.size[0] != last.size[1]:
        raise ValueError(f"this checker asks for one side of a square field, but these layers give "
                         f"{last.size[0]}×{last.size[1]}. Hint: use square kernels and strides.")
    right = last.size[0]
    before = rows[-2] if len(rows) > 1 else _START
    k_minus_1 = (right - before.size[0]) // before.jump[0]
    where = f"after layer {last.index} ({last.name})"
    hints = ("Go layer by layer from r = 1, j = 1: each conv or pool adds (K − 1)·j, with j the jump before it, "
             "and then multiplies j by its stride. ReLUs change nothing.",
             (f"After layer {before.index} ({before.name}) the field is r = {before.size[0]} with jump j = "
              f"{before.jump[0]}" if len(rows) > 1 else "The input: r = 1, j = 1")
             + f"; the last layer, {last.name}, has K − 1 = {k_minus_1}.",
             f"The answer: r = {before.size[0]} + {k_minus_1}·{before.jump[0]} = {right}.")
    if answer is None:
        return not_answered(f"the side of the receptive field {where} (one number, in input pixels)", hints=hints)
    got = whole_answer(answer, "input pixels along one side", hints=hints)
    if isinstance(got, Feedback):  # a number with a fraction
        return got
    if got == right:
        return Feedback(True, f"r = {before.size[0]} + {k_minus_1}·{before.jump[0]} = {right}: one unit {where} "
                              f"sees {right}×{right} input pixels, and its neighbours are {last.jump[0]} pixels "
                              "further on.")
    whys = [why for guess, why in _slips(rows) if got == guess and guess != right]
    if whys:  # two slips can give the same number: name both
        return Feedback(False, f"you answered {got} for the field {where}; {' Or: '.join(whys)}" + STUCK,
                        hints=hints)
    return Feedback(False, f"you answered {got} for the field {where}." + STUCK, hints=hints)
