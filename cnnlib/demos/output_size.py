r"""Where the windows go along one axis: the arithmetic behind :math:`H_{out} = \lfloor (H + 2P - K_{eff})/S \rfloor + 1`.

:func:`output_size_layout` lists the window starts, the cells they cover and
the cells the floor drops (sizes from :mod:`cnnlib.shapes`); :func:`cell_categories`
labels every cell of the padded square input for a figure.

>>> output_size_layout(8, 3, stride=2).dropped
(7,)
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..shapes import conv_output_size, effective_kernel_size, resolve_padding

#: Cell categories of the padded grid (:func:`cell_categories`).
INPUT, PAD, DROP, DROP_PAD, SKIP = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class OutputSizeLayout:
    """One axis of a convolution: sizes, window starts and what the floor drops.

    Coordinates are in the padded input (0 is the first padding cell).
    ``error`` is a message when no window fits; then ``out_size`` is 0 and
    ``starts`` is empty.
    """

    size: int
    kernel_size: int
    stride: int
    padding: tuple  # (before, after)
    dilation: int
    k_eff: int
    padded_size: int
    out_size: int
    starts: tuple
    covered: np.ndarray  # bool (padded_size,): inside at least one window
    dropped: tuple  # padded coordinates no window reaches because of the floor
    skipped: tuple  # padded coordinates between windows (stride larger than the kernel)
    formula: str  # the formula with the numbers substituted, one step per line
    error: str | None = None


def output_size_layout(size: int, kernel_size: int, stride: int = 1, padding=0, dilation: int = 1) -> OutputSizeLayout:
    """Lay out the windows of a convolution along one axis of length ``size``.

    Args:
        size: input length ``H``.
        kernel_size: ``K``.
        stride: ``S`` (default 1).
        padding: ``P`` per side, ``"valid"``, ``"same"`` or ``(before, after)``.
        dilation: ``D`` (default 1).

    Invalid settings (no window fits) give a layout with ``error`` set
    instead of raising, so a widget can show the message.

    >>> output_size_layout(7, 3, stride=2, padding=1).starts
    (0, 2, 4, 6)
    """
    if isinstance(padding, (tuple, list)):
        before, after = padding
    else:
        (before, after), _ = resolve_padding(padding, kernel_size, stride, dilation)
    k_eff = effective_kernel_size(kernel_size, dilation)
    padded = size + before + after
    args = (size, kernel_size, stride, (before, after), dilation, k_eff, padded)
    try:
        out = conv_output_size(size, kernel_size, stride, dilation=dilation, pads=(before, after))
    except ValueError as exc:
        lay = OutputSizeLayout(*args, 0, (), np.zeros(padded, dtype=bool), (), (), "", error=str(exc))
        return replace(lay, formula="\n".join(formula_lines(lay)))
    starts = tuple(range(0, out * stride, stride))  # window j starts at j*S
    covered = np.zeros(padded, dtype=bool)
    for s in starts:
        covered[s : s + k_eff] = True
    dropped = tuple(range(starts[-1] + k_eff, padded))  # past the end of the last window
    skipped = tuple(int(i) for i in np.flatnonzero(~covered[: starts[-1] + k_eff]))
    lay = OutputSizeLayout(*args, out, starts, covered, dropped, skipped, "")
    return replace(lay, formula="\n".join(formula_lines(lay)))


def formula_lines(lay: OutputSizeLayout) -> list[str]:
    """The output-size formula, then the same with this layout's numbers, then what the floor dropped."""
    before, after = lay.padding
    k_sym = "K" if lay.dilation == 1 else "K_eff"
    lines = []
    if lay.dilation != 1:
        k, d = lay.kernel_size, lay.dilation
        lines.append(f"K_eff = K + (K − 1)(D − 1) = {k} + ({k} − 1)·({d} − 1) = {lay.k_eff}")
    if before == after:
        p_sym, p_num = "2P", f"2·{before}"
    else:
        p_sym, p_num = "P_before + P_after", f"{before} + {after}"
    numerator = lay.padded_size - lay.k_eff
    s = lay.stride
    lines.append(f"H_out = ⌊(H + {p_sym} − {k_sym}) / S⌋ + 1")
    if lay.error:
        lines.append(f"      = ⌊({lay.size} + {p_num} − {lay.k_eff}) / {s}⌋ + 1:  {lay.padded_size} − {lay.k_eff} "
                     "< 0, no window fits")
        return lines
    lines.append(
        f"      = ⌊({lay.size} + {p_num} − {lay.k_eff}) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1"
        f" = {numerator // s} + 1 = {lay.out_size}"
    )
    if lay.skipped:
        lines.append(f"stride {s} > kernel {lay.k_eff}: the cells between windows are skipped (yellow, striped /).")
    if lay.dropped:
        n = len(lay.dropped)
        rows = f"{n} row{'s' if n > 1 else ''} and column{'s' if n > 1 else ''}"
        lines.append(f"{numerator} / {s} leaves {numerator % s}: the floor drops the last {rows} (red-orange, crossed ×).")
    return lines


def cell_categories(layout: OutputSizeLayout) -> np.ndarray:
    """The padded square grid as categories ``INPUT``/``PAD``/``DROP``/``DROP_PAD``/``SKIP``.

    >>> cell_categories(output_size_layout(2, 2, padding=1))[0].tolist()
    [1, 1, 1, 1]
    """
    n = layout.padded_size
    before, after = layout.padding
    is_pad_1d = np.ones(n, dtype=bool)
    is_pad_1d[before : n - after] = False
    is_drop_1d = np.zeros(n, dtype=bool)
    is_drop_1d[list(layout.dropped)] = True
    is_skip_1d = np.zeros(n, dtype=bool)
    is_skip_1d[list(layout.skipped)] = True
    is_pad = is_pad_1d[:, None] | is_pad_1d[None, :]
    is_drop = is_drop_1d[:, None] | is_drop_1d[None, :]
    cats = np.where(is_pad, PAD, INPUT)
    cats = np.where(is_drop, np.where(is_pad, DROP_PAD, DROP), cats)
    return np.where((is_skip_1d[:, None] | is_skip_1d[None, :]) & ~is_drop, SKIP, cats)
