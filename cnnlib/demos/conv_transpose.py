r"""Transposed convolution, the numbers behind lesson 11's figures: stamps, their overlap, the output size.

Every input pixel ``x[i, j]`` *stamps* the kernel, scaled by its value, onto
the output with its top-left corner at ``(i·S, j·S)``; where stamps overlap
they add up. :func:`conv_transpose_stamps` lists the stamps one by one (the
output comes from :func:`cnnlib.functional.conv_transpose2d`, so the steps
show what the library computes); :func:`overlap_map` counts how many stamps
cover each output pixel (uneven, a checkerboard, when ``K % S != 0``);
:func:`output_padding_table` lists the input sizes that one strided
convolution maps to the same size, and the ``output_padding`` that brings
each back; :func:`conv_transpose_layout` lays out one axis for the
output-size figure.

>>> st = conv_transpose_stamps([[1, 2]], [[1, 1]], stride=2)
>>> st.output.tolist()
[[1.0, 1.0, 2.0, 2.0]]
>>> overlap_map(4, 3, 2).uneven, overlap_map(4, 4, 2).uneven
(True, False)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_positive_ints, check_real
from ..functional import conv_transpose2d
from ..shapes import conv_output_size, conv_transpose_output_size, effective_kernel_size


@dataclass(frozen=True)
class Stamp:
    """Input pixel ``(row, col)`` stamps ``value · kernel`` at ``(top, left)`` of the uncropped canvas."""

    index: int
    row: int
    col: int
    top: int
    left: int
    value: float
    stamp: np.ndarray  # value * kernel, (KH, KW)


@dataclass(frozen=True)
class StampSteps:
    """Every stamp of ``out = conv_transpose(x, kernel, stride)`` on one channel, in row-major order.

    ``canvas`` is the sum of the stamps before the padding is cut off (with
    ``output_padding`` rows and columns of zeros added at the bottom/right);
    ``output`` is cnnlib's result, ``canvas[P:P + H_out, P:P + W_out]``.
    """

    x: np.ndarray
    kernel: np.ndarray
    stride: int
    padding: int
    output_padding: int
    canvas: np.ndarray
    output: np.ndarray
    steps: list

    def partial_canvas(self, index: int) -> np.ndarray:
        """The canvas after stamps ``0..index`` (``index = -1``: nothing stamped yet)."""
        out = np.zeros_like(self.canvas)
        KH, KW = self.kernel.shape
        for st in self.steps[: index + 1]:
            out[st.top : st.top + KH, st.left : st.left + KW] += st.stamp
        return out


def _as_2d(a, name: str) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2 or 0 in a.shape:
        raise ValueError(f"{name} must be a non-empty 2-D array (one channel), got shape {a.shape}. "
                         f"Hint: pass {name}[0, 0] of an NCHW array.")
    return a


def conv_transpose_stamps(x, kernel, stride: int = 1, padding: int = 0, output_padding: int = 0) -> StampSteps:
    """List the stamps of a one-channel transposed convolution (dilation 1).

    Args:
        x: 2-D input ``(H, W)``.
        kernel: 2-D kernel ``(KH, KW)``.
        stride: ``S``, the distance between stamps (default 1).
        padding: ``P``, rows and columns cut from each side of the canvas (default 0).
        output_padding: rows and columns added at the bottom/right, ``< S`` (default 0).

    Shape:
        ``canvas``: ``((H - 1)·S + KH + output_padding, (W - 1)·S + KW + output_padding)``;
        ``output``: ``(H_out, W_out)``, ``H_out = (H - 1)·S - 2P + KH + output_padding``.

    >>> conv_transpose_stamps([[1, 2], [3, 4]], [[1, 0], [0, 1]], stride=2).steps[3].top
    2
    """
    x, kernel = _as_2d(x, "x"), _as_2d(kernel, "kernel")
    output = conv_transpose2d(x[None, None], kernel[None, None], stride=stride, padding=padding,
                              output_padding=output_padding)[0, 0]  # (H_out, W_out); checks the arguments
    (H, W), (KH, KW) = x.shape, kernel.shape
    steps = [Stamp(k, i, j, i * stride, j * stride, float(x[i, j]), x[i, j] * kernel)
             for k, (i, j) in enumerate(np.ndindex(H, W))]
    canvas = np.zeros(((H - 1) * stride + KH + output_padding, (W - 1) * stride + KW + output_padding))
    for st in steps:
        canvas[st.top : st.top + KH, st.left : st.left + KW] += st.stamp
    return StampSteps(x, kernel, stride, padding, output_padding, canvas, output, steps)


def stamp_equation(steps: StampSteps, index: int, names: tuple[str, str] = ("x", "W")) -> str:
    """``x[0, 1] = 2 → 2·W added at rows 0..1, columns 2..3``: what stamp ``index`` does, in words.

    ``names``: what the lesson calls the input and the kernel, e.g. ``("dout", "W3")``.

    >>> stamp_equation(conv_transpose_stamps([[1, 2]], [[1, 1]], stride=2), 1)
    'x[0, 1] = 2 → 2·W added to rows 0..0, columns 2..3'
    """
    st = steps.steps[index]
    KH, KW = steps.kernel.shape
    v = f"{st.value:g}" if st.value >= 0 else f"({st.value:g})"
    if not (isinstance(names, (tuple, list)) and len(names) == 2 and all(isinstance(n, str) and n for n in names)):
        raise TypeError(f"names must be two names (the input's, the kernel's), got {names!r}. Hint: ('dout', 'W3').")
    x, w = names
    return (f"{x}[{st.row}, {st.col}] = {st.value:g} → {v}·{w} added to rows {st.top}..{st.top + KH - 1}, "
            f"columns {st.left}..{st.left + KW - 1}")


@dataclass(frozen=True)
class OverlapMap:
    """How many stamps cover each output pixel of a ``size × size`` input (padding 0, dilation 1).

    ``interior`` is the ``(start, stop)`` range of rows (and columns) far
    enough from the border that every stamp that could reach them exists;
    ``uneven`` says whether the counts there differ (a checkerboard, or holes
    when ``K < S``), which happens exactly when ``K % S != 0``.
    """

    size: int
    kernel_size: int
    stride: int
    counts: np.ndarray  # (n, n) ints
    counts_1d: np.ndarray  # (n,): stamps covering each row
    interior: tuple
    interior_values: tuple  # the distinct counts inside
    uneven: bool


def min_overlap_size(kernel_size: int, stride: int) -> int:
    """The smallest input whose output has an inside at least one stride long: ``⌈(K − 1)/S⌉ + 2``.

    >>> min_overlap_size(3, 2), min_overlap_size(5, 1)
    (3, 6)
    """
    kernel_size, stride = check_positive_ints(kernel_size=kernel_size, stride=stride)
    return -(-(kernel_size - 1) // stride) + 2


def overlap_map(size: int, kernel_size: int, stride: int) -> OverlapMap:
    """Count the stamps over every output pixel: a transposed convolution of ones with a kernel of ones.

    >>> overlap_map(3, 3, 2).counts_1d.tolist()
    [1, 1, 2, 1, 2, 1, 1]
    """
    size, kernel_size, stride = check_positive_ints(size=size, kernel_size=kernel_size, stride=stride)
    ones = np.ones((1, 1, size, size))
    counts = conv_transpose2d(ones, np.ones((1, 1, kernel_size, kernel_size)), stride=stride)[0, 0]
    counts = np.rint(counts).astype(int)  # (n, n): exact small integers
    counts_1d = np.rint(conv_transpose2d(np.ones((1, 1, 1, size)), np.ones((1, 1, 1, kernel_size)),
                                         stride=stride)[0, 0, 0]).astype(int)  # (n,)
    if size < min_overlap_size(kernel_size, stride):
        raise ValueError(
            f"overlap_map: a {size}×{size} input is too small to show the inside of a K={kernel_size}, "
            f"S={stride} transposed convolution (every pixel there is near the border). "
            f"Hint: use size >= {min_overlap_size(kernel_size, stride)}."
        )
    start, stop = kernel_size - 1, (size - 1) * stride + 1  # rows that every stamp that could cover them reaches
    values = tuple(int(v) for v in np.unique(counts[start:stop, start:stop]))
    return OverlapMap(size, kernel_size, stride, counts, counts_1d, (start, stop), values, len(values) > 1)


def upsample_constant(size: int, kernel_size: int, stride: int, padding: int = 0, value: float = 1.0) -> np.ndarray:
    """A constant ``size × size`` image upsampled by a transposed convolution whose weights are all ``1/⌈K/S⌉²``.

    Scaled so that a uniform result is ``value`` everywhere inside; when
    ``K % S != 0`` the result is a checkerboard instead.

    >>> upsample_constant(4, 4, 2, padding=1)[2:4, 2:4].tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    size, kernel_size, stride = check_positive_ints(size=size, kernel_size=kernel_size, stride=stride)
    value = check_real(value, "value", hint="the constant the image holds, e.g. value=1.0.")
    per_axis = -(-kernel_size // stride)  # ⌈K/S⌉ stamps cover an inside pixel (at most)
    W = np.full((1, 1, kernel_size, kernel_size), 1.0 / per_axis ** 2)
    return conv_transpose2d(np.full((1, 1, size, size), float(value)), W, stride=stride, padding=padding)[0, 0]


@dataclass(frozen=True)
class PaddingRow:
    """One input size of a strided convolution, the size it maps to, and the ``output_padding`` that brings it back."""

    conv_input: int
    conv_output: int
    output_padding: int
    transposed: int  # conv_transpose_output_size(conv_output, ..., output_padding) == conv_input


def output_padding_table(size: int, kernel_size: int, stride: int, padding: int = 0,
                         dilation: int = 1) -> list[PaddingRow]:
    """The inputs ``H`` that ``Conv2D(K, S, P, D)`` maps to ``size``, each with the ``output_padding`` giving ``H`` back.

    >>> [(r.conv_input, r.output_padding) for r in output_padding_table(4, 3, 2, padding=1)]
    [(7, 0), (8, 1)]
    """
    size, kernel_size, stride, dilation = check_positive_ints(size=size, kernel_size=kernel_size, stride=stride,
                                                              dilation=dilation)
    (padding,) = check_positive_ints(minimum=0, padding=padding)
    k_eff = effective_kernel_size(kernel_size, dilation)
    base = (size - 1) * stride - 2 * padding + k_eff  # the transposed size with output_padding 0
    rows = []
    for op in range(max(stride, dilation)):  # PyTorch's rule: output_padding < stride or < dilation
        H = base + op
        try:
            back = conv_output_size(H, kernel_size, stride, padding, dilation) if H >= 1 else None
        except ValueError:  # no window fits in H
            back = None
        if back == size:
            rows.append(PaddingRow(H, size, op, H))
    return rows


@dataclass(frozen=True)
class TransposeLayout:
    """One axis of a transposed convolution, for the output-size figure.

    The stamps start at ``starts`` and cover ``k_eff`` cells each (taps every
    ``dilation``-th): ``span = (H - 1)·S + K_eff`` cells in all. The canvas
    has ``canvas_size = span + output_padding`` cells: ``output_padding``
    adds zero cells after the last stamp. The output keeps the canvas cells
    ``out_start .. out_start + out_size - 1``: ``padding`` cells are cut at
    each end of the canvas.

    ``error`` is cnnlib's explanation when PyTorch refuses the setting
    (``output_padding`` not below the stride or the dilation, or no output
    left); ``out_size`` is then what the formula gives, not a size, and
    ``conv_back`` is empty.
    """

    size: int
    kernel_size: int
    stride: int
    padding: int
    output_padding: int
    dilation: int
    k_eff: int
    span: int
    canvas_size: int
    starts: tuple
    out_start: int
    out_size: int
    formula: str
    conv_back: str  # which conv input sizes map back to this size
    error: str | None = None


def conv_transpose_layout(size: int, kernel_size: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
                          dilation: int = 1) -> TransposeLayout:
    """Lay out the stamps of a transposed convolution along one axis of length ``size``.

    Settings PyTorch refuses (``output_padding`` too large, no output left)
    give a layout with ``error`` set to the explanation that
    :func:`cnnlib.shapes.conv_transpose_output_size` raises, so that a widget
    can show it; arguments that are not whole numbers in range still raise.

    >>> lay = conv_transpose_layout(4, 3, stride=2, padding=1, output_padding=1)
    >>> lay.starts, lay.out_size
    ((0, 2, 4, 6), 8)
    >>> conv_transpose_layout(4, 3, stride=2, output_padding=2).error.split(",")[0]
    'conv_transpose_output_size: output_padding must be smaller than either the stride or the dilation along the height'
    """
    size, kernel_size, stride, dilation = check_positive_ints(size=size, kernel_size=kernel_size, stride=stride,
                                                              dilation=dilation)
    padding, output_padding = check_positive_ints(minimum=0, padding=padding, output_padding=output_padding)
    error = None
    try:  # the arguments are whole numbers in range: only PyTorch's two rules can refuse them
        conv_transpose_output_size(size, kernel_size, stride, padding, output_padding, dilation)
    except ValueError as exc:
        error = str(exc)
    k_eff = effective_kernel_size(kernel_size, dilation)
    span = (size - 1) * stride + k_eff  # the cells the stamps cover, first to last
    canvas = span + output_padding  # output_padding adds zero cells after the stamps; padding cuts both ends
    out = canvas - 2 * padding  # the output size when PyTorch accepts the setting (tested against it)
    starts = tuple(range(0, size * stride, stride))
    h, k, s, p, op, d = size, kernel_size, stride, padding, output_padding, dilation
    lines = ["H_out = (H − 1)·S − 2P + D·(K − 1) + output_padding + 1",
             f"      = ({h} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1"
             f" = {(h - 1) * s} − {2 * p} + {d * (k - 1)} + {op} + 1 = {str(out).replace('-', '−')}"]
    if error is not None:
        return TransposeLayout(h, k, s, p, op, d, k_eff, span, canvas, starts, p, out, "\n".join(lines), "", error)
    back = [r.conv_input for r in output_padding_table(size, k, s, p, d)]
    conv = f"Conv2D(K={k}, S={s}, P={p}" + (f", D={d})" if d != 1 else ")")
    if out in back and len(back) > 1:
        conv_back = f"{conv} maps each of {', '.join(map(str, back))} to {h}: output_padding = {op} picks {out}."
    elif out in back:
        conv_back = f"{conv} maps {out} back to {h}: only one size does, output_padding has nothing to pick."
    else:
        conv_back = (f"{conv} maps {out} to {conv_output_size(out, k, s, p, d)}, not back to {h}: "
                     f"output_padding {op} ≥ stride {s} is allowed only because it is < dilation {d}.")
    return TransposeLayout(h, k, s, p, op, d, k_eff, span, canvas, starts, p, out, "\n".join(lines), conv_back)
