r"""Lesson 11 checkers: a transposed convolution's output size, its loops, and the ``output_padding`` to choose.

Wrong answers are matched against the classic slips with
:math:`H_{out} = (H - 1)S - 2P + D(K - 1) + P_{out} + 1`: the stride left
out (stamps one cell apart), the padding added instead of cut, the
``output_padding`` counted on both sides, ``H·S`` for ``(H - 1)·S``, the
convolution's formula used backwards. A diagnosis names the slip but never
the answer; ``.hint(1)`` to ``.hint(3)`` go one step further each, and
:func:`check_conv_transpose_naive` has a ``.solution()``.
"""
from __future__ import annotations

import inspect

import numpy as np

from ..functional import conv_transpose2d
from ..shapes import conv_output_size, conv_transpose_output_size, effective_kernel_size
from .feedback import Feedback, not_answered, num, number_answer, whole_answer
from .student_code import library_call, not_written, student_array

_STUCK = " Stuck? On this result, .hint(2) says where to look, .hint(3) gives the fix."


def _size_slips(h, k, s, p, op, d):
    """``(wrong size, what it means)`` pairs for a transposed-conv output size, most telling first."""
    k_eff = effective_kernel_size(k, d)
    right = (h - 1) * s - 2 * p + k_eff + op
    yield right - (h - 1) * (s - 1), ("forgot '* stride': the stamps sit S cells apart, so the input spreads to "
                                      "(H − 1)·S.")
    yield right + 2 * p, "forgot to cut the padding: a transposed conv cuts P from each side of its output, so −2P."
    yield right + s, "took H·S: the last stamp starts at (H − 1)·S, not at H·S (the first one starts at 0)."
    yield h * s, ("multiplied H by the stride: that is the size only when K = S, P = 0 and output_padding = 0. "
                  "Count the stamps' span instead.")
    yield right + 4 * p, ("added 2P instead of cutting it: a transposed conv CUTS P from each side of its output "
                          "(it undoes the conv's padding), so −2P.")
    yield right + p, "cut the padding from one side only: P goes from each side, so −2P."
    yield right + op, "added output_padding on both sides: it goes at the bottom/right only, once."
    yield right - op, "left out output_padding: it adds that many rows at the bottom (before P is cut)."
    yield right - 1, "forgot the + 1: a stamp of K cells ends K − 1 after its start, plus the start itself."
    if d != 1:
        yield right - k_eff + k, f"ignored the dilation: the kernel spans D·(K − 1) + 1 = {k_eff} cells."
    try:
        yield conv_output_size(h, k, s, p, d), ("used the convolution's formula ⌊(H + 2P − K)/S⌋ + 1: that shrinks; "
                                                "a transposed conv goes the other way.")
    except ValueError:
        pass


def _setting(h, k, s, p, op, d) -> str:
    return f"H={h}, K={k}, S={s}, P={p}, output_padding={op}" + (f", D={d}" if d != 1 else "")


def _size_hints(h, k, s, p, op, d):
    k_eff = effective_kernel_size(k, d)
    return ("The stamps start at 0, S, 2S, …, (H − 1)·S and each covers D·(K − 1) + 1 cells; output_padding adds "
            "output_padding zero rows at the bottom/right, then P is cut from each side.",
            "H_out = (H − 1)·S − 2P + D·(K − 1) + output_padding + 1.",
            f"H_out = ({h} − 1)·{s} − 2·{p} + {k_eff - 1} + {op} + 1.")


def check_transpose_output_size(answer, size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                                output_padding: int = 0, dilation: int = 1) -> Feedback:
    """Check a predicted output length (one axis) of ``ConvTranspose2D``.

    >>> bool(check_transpose_output_size(8, 4, 3, stride=2, padding=1, output_padding=1))
    True
    """
    h, k, s, p, op, d = size, kernel_size, stride, padding, output_padding, dilation
    setting = _setting(h, k, s, p, op, d)
    hints = _size_hints(h, k, s, p, op, d)
    if answer is None:
        return not_answered(f"your output size for {setting}", hints=hints)
    right = conv_transpose_output_size(h, k, s, p, op, d)
    answer = number_answer(answer)
    if answer == right:
        return Feedback(True, f"{setting}: ({h} − 1)·{s} − 2·{p} + {effective_kernel_size(k, d) - 1} + {op} + 1 "
                              f"= {right}.", hints=hints)
    # Two slips can give the same number (with S = 2P, forgetting −2P and taking H·S both add S): name each.
    slips = _size_slips(h, k, s, p, op, d)
    whys = list(dict.fromkeys(why for guess, why in slips if guess != right and answer == guess))
    if whys:
        return Feedback(False, f"you answered {num(answer)} for {setting}; you " + " Or you ".join(whys) + _STUCK,
                        hints=hints)
    return Feedback(False, f"you answered {num(answer)} for {setting}. Count where the stamps start and how far the last "
                           "one reaches, then cut and add." + _STUCK, hints=hints)


# -- the loops ------------------------------------------------------------------------------------------------
def conv_transpose_naive_solution(x, w, stride):
    """Transposed convolution of x (H, W) with w (KH, KW): every pixel stamps x[i, j] * w at (i*stride, j*stride)."""
    H, W = x.shape
    KH, KW = w.shape
    out = np.zeros(((H - 1) * stride + KH, (W - 1) * stride + KW))
    for i in range(H):
        for j in range(W):
            top, left = i * stride, j * stride
            out[top:top + KH, left:left + KW] += x[i, j] * w
    return out


_LOOP_HINTS = {
    "stride": ("right at stride 1, wrong at stride 2: the stamps are placed as if the stride were 1.",
               "look at where the stamp of pixel (i, j) starts in out.",
               "the stamp of x[i, j] starts at (i * stride, j * stride): top, left = i * stride, j * stride."),
    "shape": ("the output has the wrong size.",
              "the last stamp starts at (H − 1)·stride and covers KH rows.",
              "out = np.zeros(((H - 1) * stride + KH, (W - 1) * stride + KW))."),
    "library": ("the check compares your numbers with cnnlib's, so calling cnnlib passes it and teaches nothing.",
                "start from out = np.zeros((H_out, W_out)) and give each input pixel its own stamp.",
                "for every (i, j): top, left = i * stride, j * stride; out[top:top + KH, left:left + KW] += x[i, j] * w."),
    "overwrite": ("where two stamps overlap, only the last one is left.",
                  "look at the line that puts x[i, j] * w into out: = or +=?",
                  "stamps add up: out[top:top + KH, left:left + KW] += x[i, j] * w."),
    "flip": ("the kernel is flipped: each stamp is w rotated by 180°.",
             "look at which weight lands on out[top + m, left + n].",
             "stamp w as it is, not w[::-1, ::-1]: the weight w[m, n] lands on out[top + m, left + n]."),
    "unwritten": ("start from an output of zeros with (H − 1)·stride + KH rows and (W − 1)·stride + KW columns, "
                  "then loop over the input pixels (i, j).",
                  "every input pixel x[i, j] adds the whole kernel, scaled by x[i, j], onto the KH × KW window of out "
                  "that starts at (i * stride, j * stride).",
                  "for every (i, j): top, left = i * stride, j * stride; "
                  "out[top:top + KH, left:left + KW] += x[i, j] * w; return out after the loops."),
    "other": ("some cell of the output is wrong.",
              "out is zero, then every input pixel adds x[i, j] * w onto a KH × KW window of it.",
              "for every (i, j): top, left = i * stride, j * stride; out[top:top + KH, left:left + KW] += x[i, j] * w."),
}


# What a write-the-loops answer may not call: cnnlib's transposed convolutions (the ops and the layer).
_LIBRARY_OPS = frozenset({"conv_transpose2d", "conv_transpose2d_forward", "conv_transpose2d_forward_naive",
                          "conv2d_backward", "conv2d_backward_naive", "ConvTranspose2D"})


def _wrong(key: str, message: str) -> Feedback:
    return Feedback(False, message + _STUCK, hints=_LOOP_HINTS[key],
                    solution_code=inspect.getsource(conv_transpose_naive_solution))


def _reference(x, w, stride) -> np.ndarray:
    return conv_transpose2d(x[None, None], w[None, None], stride=stride)[0, 0]  # (H_out, W_out), cnnlib


def check_conv_transpose_naive(conv_transpose_naive) -> Feedback:
    """Test a student's ``conv_transpose_naive(x, w, stride)`` (one channel, no padding) against cnnlib.

    Tries a 2×2 input at stride 1 and 2 (non-overlapping and overlapping
    stamps) and a random 3×2 input with a 3×2 kernel at stride 2.

    >>> check_conv_transpose_naive(conv_transpose_naive_solution).correct
    True
    """
    rng = np.random.default_rng(11)
    x2 = np.array([[1.0, 2.0], [-1.0, 1.0]])
    w3 = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0], [0.0, -1.0, 1.0]])
    cases = [("the 2×2 input with the 3×3 kernel at stride 1", x2, w3, 1),
             ("the 2×2 input with the 3×3 kernel at stride 2", x2, w3, 2),
             ("a random 3×2 input with a 3×2 kernel at stride 2", rng.integers(-3, 4, (3, 2)).astype(float),
              rng.integers(-2, 3, (3, 2)).astype(float), 2)]
    for name, x, w, s in cases:
        expected = _reference(x, w, s)
        try:
            got = conv_transpose_naive(x.copy(), w.copy(), s)
        except NotImplementedError:
            got = None
        except Exception as exc:  # the student's code: report it, do not crash the lesson
            return _wrong("other", f"conv_transpose_naive raised {type(exc).__name__}: {exc} (on {name}).")
        if got is None:
            return not_written("conv_transpose_naive", hints=_LOOP_HINTS["unwritten"],
                               solution_code=inspect.getsource(conv_transpose_naive_solution), fn=conv_transpose_naive)
        got = student_array(got, "conv_transpose_naive", f"the output array, of shape {expected.shape}")
        if isinstance(got, Feedback):
            return got
        stride1 = _reference(x, w, 1)
        if got.shape != expected.shape:
            if s > 1 and got.shape == stride1.shape and np.allclose(got, stride1):
                return _wrong("stride", f"on {name} you returned the stride-1 result: the stamps ignore '* stride'.")
            return _wrong("shape", f"on {name} you returned shape {got.shape}, cnnlib gives {expected.shape}.")
        if np.allclose(got, expected):
            continue
        KH, KW = w.shape
        if s > 1:
            padded = np.zeros(expected.shape)
            padded[: stride1.shape[0], : stride1.shape[1]] = stride1
            if np.allclose(got, padded):
                return _wrong("stride", f"on {name}: right size, but the stamps start at (i, j), not "
                                        "(i * stride, j * stride): '* stride' is missing.")
        if np.allclose(got, _reference(x, w[::-1, ::-1], s)):
            return _wrong("flip", f"on {name}: every stamp is the kernel rotated by 180°.")
        last = np.zeros(expected.shape)
        for i, j in np.ndindex(x.shape):
            last[i * s : i * s + KH, j * s : j * s + KW] = x[i, j] * w
        if np.allclose(got, last):
            return _wrong("overwrite", f"on {name}: where stamps overlap, the later one replaced the earlier "
                                       "(= instead of +=).")
        bad = tuple(int(v) for v in np.argwhere(~np.isclose(got, expected))[0])
        return _wrong("other", f"on {name}: out{list(bad)} is {got[bad]:g}, cnnlib gives a different value.")
    called = library_call(conv_transpose_naive, _LIBRARY_OPS)
    if called is not None:
        return _wrong("library", f"the numbers match, but conv_transpose_naive calls {called}: the exercise is "
                                 "the stamping loops themselves, which that call runs for you.")
    return Feedback(True, "conv_transpose_naive matches cnnlib's conv_transpose2d at stride 1 and 2, with "
                          "overlapping stamps and a non-square kernel.",
                    solution_code=inspect.getsource(conv_transpose_naive_solution))


# -- output_padding ----------------------------------------------------------------------------------------------
def check_output_padding(answer, size: int, kernel_size: int, stride: int, padding: int, target: int) -> Feedback:
    """Check the ``output_padding`` that makes ``ConvTranspose2D(K, S, P)`` turn ``size`` into ``target``.

    >>> bool(check_output_padding(1, 4, 3, stride=2, padding=1, target=8))
    True
    """
    h, k, s, p = size, kernel_size, stride, padding
    base = conv_transpose_output_size(h, k, s, p)  # with output_padding 0
    right = target - base
    setting = f"H={h}, K={k}, S={s}, P={p} → {target}"
    if not 0 <= right < s:
        raise ValueError(f"check_output_padding: no output_padding < stride={s} turns {h} into {target} with "
                         f"K={k}, S={s}, P={p} (output_padding 0 gives {base}). Hint: pick a target from "
                         f"{base} to {base + s - 1}.")
    hints = ("Work out the size ConvTranspose2D gives with output_padding = 0: (H − 1)·S − 2P + K.",
             f"With output_padding = 0 it gives {base}; output_padding adds that many rows, once, at the bottom "
             "(and columns at the right).",
             f"output_padding = {target} − {base}.")
    if answer is None:
        return not_answered(f"your output_padding for {setting}", hints=hints)
    answer = whole_answer(answer, "output_padding counts rows", hints=hints)
    if isinstance(answer, Feedback):  # a number with a fraction
        return answer
    if answer == right:
        return Feedback(True, f"{setting}: ({h} − 1)·{s} − 2·{p} + {k} = {base}, plus output_padding {right}; and "
                              f"Conv2D(K={k}, S={s}, P={p}) maps {target} back to {h}.", hints=hints)
    slips = [(target - ((h - 1) * s + 2 * p + k), "you added the padding to the output instead of cutting it (−2P)."),
             (target - ((h - 1) + k - 2 * p), "you left out '* stride': the input spreads to (H − 1)·S."),
             (target - (h * s - 2 * p + k), "you used H·S: the last stamp starts at (H − 1)·S.")]
    if right % 2 == 0 and right > 0:
        slips.insert(0, (right // 2, "output_padding is added once, at the bottom/right, not on both sides: you "
                                     "halved it."))
    slips.append((right - 1, "your size with output_padding = 0 is one too large: the stamps span (H − 1)·S + K "
                             "cells before the padding is cut."))
    whys = [why for guess, why in slips if answer == guess]
    if whys:  # two slips can give the same number: name both
        return Feedback(False, f"you answered {answer} for {setting}; {' Or: '.join(whys)}" + _STUCK, hints=hints)
    if answer < 0:
        return Feedback(False, "output_padding is a number of rows added, never negative." + _STUCK, hints=hints)
    if answer >= s:
        return Feedback(False, f"you answered {answer}: output_padding must be smaller than the stride ({s}), "
                               f"else Conv2D would not map the result back to {h} (PyTorch and cnnlib refuse it)."
                        + _STUCK, hints=hints)
    return Feedback(False, f"you answered {answer} for {setting}: that does not give {target}. Work out the "
                           "size with output_padding = 0 first." + _STUCK, hints=hints)
