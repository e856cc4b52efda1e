"""The sliding window, one position at a time: every step of a 2-D cross-correlation.

The output comes from :func:`cnnlib.functional.conv2d` (:func:`correlate`) and the patches from
:func:`cnnlib.functional.sliding_windows`, so the steps show what the library
computes; each step adds the element-wise products a student sums by hand.

>>> sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
>>> step_equation(sw.steps[1], sw.kernel)
'out[0, 1] = 2·1 + 3·0 + 1·(-1) + 2·1 = 3'
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..functional import conv2d, sliding_windows
from ..shapes import resolve_padding
from .formatting import format_value, paren

#: The worked example of the theory notes: a 4×4 input and a 2×2 kernel.
SEED_INPUT = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float)
SEED_KERNEL = np.array([[1, 0], [-1, 1]], dtype=float)


def correlate(a, k, stride: int = 1, padding=0) -> np.ndarray:
    """2-D cross-correlation of ``a`` with ``k``: cnnlib's ``conv2d`` on one channel (``stride``, ``padding`` as there).

    >>> correlate([[1, 2], [3, 4]], [[1, 1]]).tolist()
    [[3.0], [7.0]]
    """
    a = np.asarray(a, dtype=np.float64)[None, None]  # (1, 1, H, W)
    k = np.asarray(k, dtype=np.float64)[None, None]  # (1, 1, KH, KW)
    return conv2d(a, k, stride=stride, padding=padding)[0, 0]


@dataclass(frozen=True)
class ConvStep:
    """One window position: output cell ``(row, col)``, patch corner ``(top, left)`` in the padded input."""

    index: int
    row: int
    col: int
    top: int
    left: int
    patch: np.ndarray
    products: np.ndarray
    value: float


@dataclass(frozen=True)
class SlidingWindow:
    """Every step of ``out = x ⋆ kernel`` (cross-correlation) in row-major order."""

    x: np.ndarray
    kernel: np.ndarray
    stride: int
    padding: tuple  # ((top, bottom), (left, right))
    padded: np.ndarray
    output: np.ndarray
    steps: list

    def partial_output(self, index: int) -> np.ndarray:
        """The output after steps ``0..index``; cells not computed yet are NaN."""
        out = np.full(self.output.shape, np.nan)
        done = np.arange(out.size) <= index  # row-major, as the steps
        out.ravel()[done] = self.output.ravel()[done]
        return out


def sliding_window_steps(x, kernel, stride: int = 1, padding=0) -> SlidingWindow:
    """List every window position of the 2-D cross-correlation of ``x`` with ``kernel``.

    Args:
        x: 2-D input ``(H, W)``.
        kernel: 2-D kernel ``(KH, KW)``.
        stride: step between window positions (default 1).
        padding: zeros on each side: an int, ``"valid"``, ``"same"`` or ``((top, bottom), (left, right))``.

    Shape:
        ``output``: ``(H_out, W_out)`` with ``H_out = floor((H + 2P - KH)/S) + 1``.

    >>> sliding_window_steps(SEED_INPUT, SEED_KERNEL).output[0]
    array([2., 3., 4.])
    """
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            f"sliding_window_steps expects a 2-D input and a 2-D kernel, got shapes {x.shape} and {kernel.shape}. "
            "Hint: show one channel at a time."
        )
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and isinstance(padding[0], (tuple, list)):
        pads = (tuple(padding[0]), tuple(padding[1]))
    else:
        pads = resolve_padding(padding, kernel.shape, stride)
    padded = np.pad(x, pads)
    output = correlate(padded, kernel, stride)  # (H_out, W_out), from conv2d
    windows = sliding_windows(padded[None, None], *kernel.shape, stride=stride)[0, 0]  # (H_out, W_out, KH, KW)
    steps = [ConvStep(k, i, j, i * stride, j * stride, windows[i, j], windows[i, j] * kernel, float(output[i, j]))
             for k, (i, j) in enumerate(np.ndindex(output.shape))]
    return SlidingWindow(x, kernel, stride, pads, padded, output, steps)


def step_equation(step: ConvStep, kernel, max_terms: int = 9) -> str:
    """``out[i, j] = 1·1 + 2·0 + … = value``: the sum written out (shortened for big kernels)."""
    lhs = f"out[{step.row}, {step.col}]"
    if step.patch.size > max_terms:
        return f"{lhs} = sum of {step.patch.size} products = {format_value(step.value)}"
    terms = [f"{format_value(p)}·{paren(k)}" for p, k in zip(step.patch.ravel(), np.ravel(kernel))]
    return f"{lhs} = " + " + ".join(terms) + f" = {format_value(step.value)}"
