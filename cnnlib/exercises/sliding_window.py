"""Lessons 00 and 01 checkers: one window's sum, an output cell, ``corr2d``, a layer by hand.

All compare with :func:`cnnlib.functional.conv2d` (through
:func:`cnnlib.demos.sliding_window.correlate`) and, when the answer is wrong,
look for the mistake it suggests: a flipped kernel (convolution
instead of cross-correlation), swapped row and column, a window that does
not move by the stride, a sum without the weights, …

The write-a-function checkers (:func:`check_multiply_and_add`,
:func:`check_corr2d`, :func:`check_conv_layer`) say "not written yet" while
the exercise cell still holds its skeleton (the function returns ``None``),
and their result gives staged hints, ``.hint(1)`` to ``.hint(3)``
(texts in :mod:`cnnlib.exercises.bug_hints`), and ``.solution()``, the
reference below it.
"""
from __future__ import annotations

import inspect

import numpy as np

from ..demos.sliding_window import SEED_INPUT, SEED_KERNEL, correlate
from .bug_hints import HINTS
from .feedback import STUCK, Feedback, not_answered, not_written

_STUCK = " Stuck? On this result, .hint(2) says where to look, .hint(3) gives the fix, .solution() shows one."


# -- reference solutions (what .solution() shows) --------------------------------------------------------------
def multiply_and_add_solution(patch, kernel):
    """One window: every patch value times the kernel weight at the same position, all added up."""
    KH, KW = kernel.shape
    total = 0.0
    for m in range(KH):
        for n in range(KW):
            total += patch[m, n] * kernel[m, n]
    return total


def corr2d_solution(x, k):
    """2-D cross-correlation of x (H, W) with k (KH, KW): stride 1, no padding."""
    KH, KW = k.shape
    H_out, W_out = x.shape[0] - KH + 1, x.shape[1] - KW + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = np.sum(x[i:i + KH, j:j + KW] * k)
    return out


def conv_layer_solution(x, W, b, corr2d=corr2d_solution):
    """x (C_in, H, W), W (C_out, C_in, KH, KW), b (C_out,) -> (C_out, H_out, W_out)."""
    maps = []
    for f in range(W.shape[0]):
        total = sum(corr2d(x[c], W[f, c]) for c in range(W.shape[1]))
        maps.append(total + b[f])
    return np.stack(maps)


def _wrong(key: str, message: str, solution, **fields) -> Feedback:
    """Feedback for a wrong function: the message, the staged hints of ``key`` and the reference solution."""
    hints = tuple(h.format(**fields) for h in HINTS[key])
    return Feedback(False, message + _STUCK, hints=hints, solution_code=inspect.getsource(solution))


def _unwritten(name: str, key: str, solution, fn) -> Feedback:
    return not_written(name, hints=HINTS[key], solution_code=inspect.getsource(solution), fn=fn)


def _call(fn, *args):
    """``(result, None)``, or ``(None, "TypeError: …")`` when the student's function raised."""
    try:
        return fn(*(a.copy() for a in args)), None
    except NotImplementedError:
        return None, None  # the skeleton: not written yet
    except Exception as exc:  # the student's code: report, don't crash the lesson
        return None, f"{type(exc).__name__}: {exc}"


def _num(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def check_output_cell(row: int, col: int, answer, x=None, kernel=None, stride: int = 1, padding: int = 0) -> Feedback:
    """Check a hand-computed ``out[row, col]`` of ``x ⋆ kernel`` (default: the lesson's 4×4 ⋆ 2×2 example).

    >>> check_output_cell(0, 0, 2).correct
    True
    """
    x = SEED_INPUT if x is None else np.asarray(x, dtype=float)
    kernel = SEED_KERNEL if kernel is None else np.asarray(kernel, dtype=float)
    out = correlate(x, kernel, stride, padding)
    h_out, w_out = out.shape
    if not (0 <= row < h_out and 0 <= col < w_out):
        raise ValueError(
            f"out[{row}, {col}] does not exist: the output is {h_out}×{w_out}, so row must be in 0..{h_out - 1} "
            f"and col in 0..{w_out - 1}."
        )
    if answer is None:
        return not_answered(f"your value of out[{row}, {col}]")
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        raise TypeError(f"answer must be a number, got {answer!r}.") from None
    kh, kw = kernel.shape
    top, left = row * stride, col * stride
    padded = np.pad(x, padding)
    patch = padded[top : top + kh, left : left + kw]
    where = f"the {kh}×{kw} patch whose top-left corner is at ({row}·{stride}, {col}·{stride}) = ({top}, {left})"
    if padding:
        where += " of the zero-padded input"
    right = out[row, col]
    if np.isclose(answer, right):
        return Feedback(True, f"out[{row}, {col}] = {_num(right)}: the sum of {where} times the kernel, element by element.")
    products = " + ".join(f"{_num(p)}·{_num(w)}" if w >= 0 else f"{_num(p)}·({_num(w)})"
                          for p, w in zip(patch.ravel(), kernel.ravel()))
    hints = (f"out[{row}, {col}] is one number: the kernel laid on one patch of the input, the {kh * kw} products "
             "of overlapping cells added up.",
             f"The patch is {where}: {_grid(patch)}. Pair its cell (m, n) with kernel[m, n] = {_grid(kernel)}, "
             "without flipping the kernel.",
             f"The answer: {products} = {_num(right)}.")
    slips = []  # every slip that gives this number, most telling first
    for guess, why in _cell_mistakes(x, kernel, stride, padding, row, col, patch, out):
        if guess is not None and np.isclose(answer, guess) and why not in slips:
            slips.append(why)
    if any(why.startswith(_EITHER) for why in slips):  # it names the rotation and the transpose already
        slips = [why for why in slips if why not in (_ROTATED, _TRANSPOSED)]
    if len(slips) == 1:
        return Feedback(False, f"you answered {_num(answer)}; {slips[0]}" + STUCK, hints=hints)
    if slips:
        listed = " ".join(f"({i}) {why}" for i, why in enumerate(slips, 1))
        return Feedback(False, f"you answered {_num(answer)}, which {len(slips)} different slips give: {listed}"
                        + STUCK, hints=hints)
    return Feedback(
        False,
        f"you answered {_num(answer)}. Take {where}, multiply it element-wise with the kernel and add the "
        f"{kh * kw} products." + STUCK, hints=hints,
    )


_ROTATED = ("you rotated the kernel by 180°: that is convolution, not cross-correlation. Deep-learning "
            "'convolution' slides the kernel as it is, without flipping it.")
_TRANSPOSED = "you used the transposed kernel: read kernel[m, n] as row m, column n."
_EITHER = ("it could be either of two slips: you rotated the kernel by 180° (convolution instead of "
           "cross-correlation), or you used the transposed kernel (kernel[n, m] instead of kernel[m, n], row m, "
           "column n). ")


def _grid(a) -> str:
    return "[" + ", ".join("[" + ", ".join(_num(v) for v in row) + "]" for row in a) + "]"


def _same_here(kernel) -> str:
    if np.allclose(kernel.T, kernel[::-1, ::-1]):
        return f"On this kernel the two are the same, {_grid(kernel.T)}, so its answer cannot tell them apart."
    return "On this window the two give the same sum."


def _cell_mistakes(x, kernel, stride, padding, row, col, patch, out):
    """``(wrong value, explanation)`` pairs, most telling first."""
    rotated = float((patch * kernel[::-1, ::-1]).sum())
    transposed = float((patch * kernel.T).sum()) if kernel.shape[0] == kernel.shape[1] else None
    if transposed is not None and np.isclose(rotated, transposed):
        yield rotated, f"{_EITHER}{_same_here(kernel)}"
    yield rotated, _ROTATED
    if row != col and col < out.shape[0] and row < out.shape[1]:
        yield out[col, row], f"that is out[{col}, {row}]: you swapped row and column (row is the vertical index)."
    yield transposed, _TRANSPOSED
    yield float(patch.sum()), "you added the patch values: multiply each one by its kernel weight first."
    yield float((patch * np.abs(kernel)).sum()), "you dropped a minus sign: some kernel weights are negative."
    if stride > 1:
        stride1 = correlate(x, kernel, 1, padding)
        yield stride1[row, col], (
            f"right at stride 1, wrong at stride {stride}: the window start is missing '* stride' "
            f"(out[{row}, {col}] starts at ({row}·{stride}, {col}·{stride}))."
        )
    if padding:
        unpadded = correlate(x, kernel, stride, 0)
        if row < unpadded.shape[0] and col < unpadded.shape[1]:
            yield unpadded[row, col], "you forgot the zero padding: count the window on the padded input."
    for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        r, c = row + dr, col + dc
        if 0 <= r < out.shape[0] and 0 <= c < out.shape[1]:
            yield out[r, c], f"that is out[{r}, {c}], the neighbouring cell: the window for out[{row}, {col}] is one step over."
    for p in np.unique(patch * kernel):
        yield float(p), "that is one of the products: add all of them."


def check_corr2d(corr2d) -> Feedback:
    """Test a student's ``corr2d(x, kernel)`` (2-D cross-correlation, stride 1, no padding) against cnnlib.

    Tries the lesson's example, a non-square input and kernel and a random
    case; on failure the message names the case and the likely mistake, and
    the result gives staged hints and a solution on request.

    >>> check_corr2d(corr2d_solution).correct
    True
    """
    rng = np.random.default_rng(0)
    cases = [
        ("the 4×4 ⋆ 2×2 example", SEED_INPUT, SEED_KERNEL),
        ("a 3×5 input with a 2×3 kernel", np.arange(15.0).reshape(3, 5), np.array([[1.0, 0, -1], [2, 0, -2]])),
        ("a random 6×5 input with a 3×3 kernel", rng.integers(-3, 4, (6, 5)).astype(float),
         rng.integers(-2, 3, (3, 3)).astype(float)),
    ]
    for name, x, k in cases:
        expected = correlate(x, k)
        got, error = _call(corr2d, x, k)
        if error:
            return _wrong("function_crash", f"corr2d raised {error} (on {name}).", corr2d_solution, name="corr2d",
                          problem=error, example="corr2d(x, k) with the 4×4 x and 2×2 k above")
        if got is None:
            return _unwritten("corr2d", "corr2d_unwritten", corr2d_solution, corr2d)
        got = np.asarray(got, dtype=float)
        if got.shape != expected.shape:
            hint = ""
            if got.shape == (expected.shape[0] - 1, expected.shape[1] - 1):
                hint = " Off by one: there are H - KH + 1 window positions, so loop over range(H - KH + 1)."
            elif got.shape == expected.shape[::-1]:
                hint = " Height and width are swapped: the output is (H - KH + 1, W - KW + 1)."
            elif got.shape == x.shape:
                hint = " The output has the input's size: without padding it shrinks to (H - KH + 1, W - KW + 1)."
            message = f"on {name} corr2d returned shape {got.shape}, expected {expected.shape}.{hint}"
            return _wrong("corr2d_shape", message, corr2d_solution, why=message)
        if np.allclose(got, expected):
            continue
        rotated = np.allclose(got, correlate(x, k[::-1, ::-1]))
        transposed = k.shape[0] == k.shape[1] and np.allclose(got, correlate(x, k.T))
        if rotated and transposed:  # on this kernel the transpose is the 180° rotation: try the other cases
            slip = _which_slip(corr2d, cases)
            if slip is None:
                message = (f"on {name}: {_EITHER}On this kernel the two are the same, {_grid(k.T)}, so this case "
                           "cannot tell them apart.")
                return _wrong("corr2d_kernel", message, corr2d_solution, why=message)
            name, rotated = f"{name} and {slip[0]}", slip[1]  # the second case tells the two slips apart
        if rotated:
            message = (f"on {name}: you flipped the kernel (rotated it by 180°): that is convolution, not "
                       "cross-correlation.")
            return _wrong("corr2d_kernel", message, corr2d_solution, why=message)
        if transposed:
            message = f"on {name}: you used the transposed kernel; index it as kernel[m, n], row m, column n."
            return _wrong("corr2d_kernel", message, corr2d_solution, why=message)
        bad = tuple(int(v) for v in np.argwhere(~np.isclose(got, expected))[0])
        message = (f"on {name}: out{list(bad)} is {_num(got[bad])}, expected {_num(expected[bad])}. "
                   f"Check that out[i, j] uses the patch x[i:i+KH, j:j+KW].")
        return _wrong("corr2d_cell", message, corr2d_solution, why=message)
    return Feedback(True, "corr2d matches cnnlib on all three cases, including a non-square input and kernel.",
                    solution_code=inspect.getsource(corr2d_solution))


def check_multiply_and_add(multiply_and_add) -> Feedback:
    """Test a student's ``multiply_and_add(patch, kernel)``: one window, the products summed (lesson 00).

    >>> check_multiply_and_add(multiply_and_add_solution).correct
    True
    """
    rng = np.random.default_rng(1)
    cases = [
        ("the lesson's 2×2 patch [[1, 2], [0, 1]] with the kernel [[1, 0], [-1, 1]]", SEED_INPUT[:2, :2],
         SEED_KERNEL),
        ("a 2×3 patch with a 2×3 kernel", np.array([[1.0, 2, 3], [4, 5, 6]]), np.array([[1.0, 0, -1], [2, 1, -2]])),
        ("a random 3×3 patch and kernel", rng.integers(-3, 4, (3, 3)).astype(float),
         rng.integers(-2, 3, (3, 3)).astype(float)),
    ]
    for name, patch, k in cases:
        right = float(np.sum(patch * k))
        got, error = _call(multiply_and_add, patch, k)
        if error:
            return _wrong("function_crash", f"multiply_and_add raised {error} (on {name}).",
                          multiply_and_add_solution, name="multiply_and_add", problem=error,
                          example="the lesson's 2×2 patch and kernel")
        if got is None:
            return _unwritten("multiply_and_add", "window_unwritten", multiply_and_add_solution, multiply_and_add)
        arr = np.asarray(got, dtype=float)
        if arr.size > 1:
            shown = _grid(arr.reshape(patch.shape)) if arr.size == patch.size else f"shape {arr.shape}"
            message = (f"on {name} you returned {arr.size} numbers, {shown}: the answer is one number, the sum of "
                       "the products.")
            return _wrong("window_no_sum", message, multiply_and_add_solution)
        value = float(arr.reshape(()))
        if np.isclose(value, right):
            continue
        said = f"on {name} you returned {_num(value)}, the right sum is {_num(right)}"
        if np.isclose(value, patch.sum()):
            return _wrong("window_no_weights", f"{said}: that is the sum of the patch values, without the weights.",
                          multiply_and_add_solution)
        rotated = np.isclose(value, np.sum(patch * k[::-1, ::-1]))
        transposed = k.shape[0] == k.shape[1] and np.isclose(value, np.sum(patch * k.T))
        if rotated or transposed:
            slip = ("the kernel rotated by 180° or transposed (on this kernel the two are the same)" if rotated
                    and transposed else "the kernel rotated by 180°" if rotated else "the transposed kernel")
            return _wrong("window_rotated", f"{said}: that is the sum with {slip}.", multiply_and_add_solution,
                          slip=slip)
        kh, kw = k.shape
        partial = {"the last row left out": (slice(0, kh - 1), slice(None)),
                   "the last column left out": (slice(None), slice(0, kw - 1)),
                   "only the first row": (slice(0, 1), slice(None)), "only the first column": (slice(None), slice(0, 1)),
                   f"only {min(kh, kw)}×{min(kh, kw)} of them (one loop range used for both rows and columns)":
                       (slice(0, min(kh, kw)), slice(0, min(kh, kw))),
                   "only the products on the diagonal (one loop, not two)": None}
        for why, where in partial.items():
            guess = np.trace(patch * k) if where is None else np.sum((patch * k)[where])
            if np.isclose(value, guess):
                return _wrong("window_partial", f"{said}: that is the sum with {why}.", multiply_and_add_solution,
                              why=why)
        message = f"{said}. Multiply each patch value by the weight at the same position and add all {kh * kw} products."
        return _wrong("function_other", message, multiply_and_add_solution, why=message)
    return Feedback(True, "multiply_and_add gives the right sum on all three cases, including a non-square 2×3 "
                          "window.", solution_code=inspect.getsource(multiply_and_add_solution))


def check_conv_layer(conv_layer_by_hand) -> Feedback:
    """Test a student's ``conv_layer_by_hand(x, W, b)``: filters over channels, one bias per filter (lesson 01).

    ``x`` is ``(C_in, H, W)``, ``W`` ``(C_out, C_in, KH, KW)``, ``b`` ``(C_out,)``; the result
    ``(C_out, H_out, W_out)``.

    >>> check_conv_layer(conv_layer_solution).correct
    True
    """
    rng = np.random.default_rng(2)
    x = rng.integers(0, 4, (3, 5, 5)).astype(float)  # 3 channels
    W = rng.integers(-2, 3, (2, 3, 3, 3)).astype(float)  # 2 filters of 3 kernels
    b = np.array([0.5, -1.0])
    per_channel = np.stack([[correlate(x[c], W[f, c]) for c in range(3)] for f in range(2)])  # (2, 3, 3, 3)
    expected = per_channel.sum(axis=1) + b[:, None, None]
    name = "a 3-channel 5×5 input, 2 filters of 3×3×3, biases [0.5, -1]"
    got, error = _call(conv_layer_by_hand, x, W, b)
    if error:
        message = f"conv_layer_by_hand raised {error} (on {name})."
        if "NoneType" in error:
            message += " Is corr2d written yet? This function uses it: its check above must pass first."
        return _wrong("function_crash", message, conv_layer_solution, name="conv_layer_by_hand", problem=error,
                      example="conv_layer_by_hand(image, layer.params['W'], layer.params['b'])")
    if got is None:
        return _unwritten("conv_layer_by_hand", "layer_unwritten", conv_layer_solution, conv_layer_by_hand)
    got = np.asarray(got, dtype=float)
    if got.shape != expected.shape:
        why = f"on {name} it returned shape {got.shape}, expected {expected.shape}: (C_out, H_out, W_out)."
        if got.shape == per_channel.shape:
            why += " You kept one map per (filter, channel): add the channels up."
        elif got.shape == expected.shape[1:]:
            why += " You returned one map: stack one map per filter."
        return _wrong("layer_shape", why, conv_layer_solution, why=why)
    if np.allclose(got, expected):
        return Feedback(True, "one map per filter, the channels added up, one bias per filter: equal to cnnlib.",
                        solution_code=inspect.getsource(conv_layer_solution))
    said = f"on {name}: right shape, wrong numbers"
    no_bias = per_channel.sum(axis=1)
    bias_checks = [
        (no_bias, "you left out the bias: add b[f] to filter f's map."),
        (no_bias + 3 * b[:, None, None], "you added the bias once per CHANNEL (3 times): add b[f] once per filter."),
        (no_bias + b[::-1, None, None], "each filter got the other filter's bias: filter f gets b[f]."),
        (no_bias + b.sum(), "every filter got the sum of all biases: filter f gets only b[f]."),
    ]
    for guess, why in bias_checks:
        if np.allclose(got, guess):
            return _wrong("layer_bias", f"{said}: {why}", conv_layer_solution, why=f"{said}: {why}")
    channel_checks = [
        (per_channel[:, 0] + b[:, None, None], "only channel 0 was used: add the maps of ALL input channels."),
        (per_channel.mean(axis=1) + b[:, None, None], "you averaged the channels: add them up instead."),
        (per_channel[:, -1] + b[:, None, None], "only the last channel was used (the sum was overwritten, = instead "
                                                "of +=): add the maps of ALL input channels."),
    ]
    for guess, why in channel_checks:
        if np.allclose(got, guess):
            return _wrong("layer_channels", f"{said}: {why}", conv_layer_solution, why=f"{said}: {why}")
    bad = tuple(int(v) for v in np.argwhere(~np.isclose(got, expected))[0])
    why = (f"{said}: out{list(bad)} is {_num(got[bad])}, expected {_num(expected[bad])}. out[f] = b[f] + "
           "the sum over c of corr2d(x[c], W[f, c]).")
    return _wrong("function_other", why, conv_layer_solution, why=why)


def _which_slip(corr2d, cases):
    """``(case name, True if rotated / False if transposed)`` from a square case that tells the two apart, or None."""
    for name, x, k in cases:
        if k.shape[0] != k.shape[1] or np.allclose(k.T, k[::-1, ::-1]):
            continue
        try:
            got = np.asarray(corr2d(x.copy(), k.copy()), dtype=float)
        except Exception:  # the student's code: a crash here just leaves the question open
            continue
        for rotated, kk in ((True, k[::-1, ::-1]), (False, k.T)):
            ref = correlate(x, kk)
            if got.shape == ref.shape and np.allclose(got, ref):
                return name, rotated
    return None
