"""The sliding window, one position at a time: the data and the figure.

:func:`sliding_window_steps` lists every window position of a 2-D
cross-correlation (patch, element-wise products, sum); :func:`draw_conv_step`
draws one of them: the input with the patch outlined, the kernel, the
products and the output filled up to that position.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..shapes import conv_output_size, resolve_padding
from .grids import draw_grid, format_value, padding_mask, update_grid
from .style import GRID_HEADROOM, LABEL_SIZE, TITLE_SIZE, grid_row_figure, set_labels, signed_norm

#: The worked example of the theory notes: a 4×4 input and a 2×2 kernel.
SEED_INPUT = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float)
SEED_KERNEL = np.array([[1, 0], [-1, 1]], dtype=float)


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
        for step in self.steps[: index + 1]:
            out[step.row, step.col] = step.value
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
    kh, kw = kernel.shape
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and isinstance(padding[0], (tuple, list)):
        pads = (tuple(padding[0]), tuple(padding[1]))
    else:
        pads = resolve_padding(padding, (kh, kw), stride)
    (pt, pb), (pl, pr) = pads
    h_out = conv_output_size(x.shape[0], kh, stride, (pt, pb))
    w_out = conv_output_size(x.shape[1], kw, stride, (pl, pr))
    padded = np.pad(x, ((pt, pb), (pl, pr)))
    output = np.empty((h_out, w_out))
    steps = []
    for i in range(h_out):
        for j in range(w_out):
            top, left = i * stride, j * stride
            patch = padded[top : top + kh, left : left + kw]
            products = patch * kernel
            output[i, j] = products.sum()
            steps.append(ConvStep(len(steps), i, j, top, left, patch, products, float(output[i, j])))
    return SlidingWindow(x, kernel, stride, pads, padded, output, steps)


def step_equation(step: ConvStep, kernel, max_terms: int = 9) -> str:
    """``out[i, j] = 1·1 + 2·0 + … = value``: the sum written out (shortened for big kernels)."""
    lhs = f"out[{step.row}, {step.col}]"
    if step.patch.size > max_terms:
        return f"{lhs} = sum of {step.patch.size} products = {format_value(step.value)}"
    terms = [f"{format_value(p)}·{_paren(k)}" for p, k in zip(step.patch.ravel(), np.ravel(kernel))]
    return f"{lhs} = " + " + ".join(terms) + f" = {format_value(step.value)}"


def _paren(v) -> str:
    text = format_value(v)
    return f"({text})" if text.startswith("-") else text


def draw_conv_step(sw: SlidingWindow, index: int):
    """Draw step ``index`` of ``sw``: input with patch, kernel, products, output so far.

    Returns a new figure. ``index`` runs over ``0 .. len(sw.steps) - 1``.
    """
    return ConvStepFigure(sw).update(index)


class ConvStepFigure:
    """The step figure of ``sw``, built once; :meth:`update` moves it to another step.

    Only the window, the products, the output and the texts change between
    steps, so updating them in place and redrawing is about twice as fast as
    building a new figure: what keeps the step widget's Play button smooth.
    """

    def __init__(self, sw: SlidingWindow) -> None:
        self.sw = sw
        kh, kw = sw.kernel.shape
        h_out, w_out = sw.output.shape
        fig, axes = grid_row_figure(
            [sw.padded.shape, sw.kernel.shape, sw.kernel.shape, sw.output.shape], top=1.0, bottom=1.3, min_width=10
        )
        (pt, _), (pl, _) = sw.padding
        self.padded_input = bool(padding_mask(sw.padded.shape, sw.padding).any())
        draw_grid(
            axes[0], sw.padded, title="input x" + (" (zero-padded)" if self.padded_input else ""),
            highlight=(0, 0, kh, kw), padding_mask=padding_mask(sw.padded.shape, sw.padding),
            row_offset=-pt, col_offset=-pl,
        )
        draw_grid(axes[1], sw.kernel, title="kernel k", xlabel=None, ylabel=None)
        all_products = np.stack([s.products for s in sw.steps])  # one colour scale for every step
        draw_grid(axes[2], sw.steps[0].products, title="patch ⊙ k", xlabel=None, ylabel=None,
                  norm=signed_norm(all_products, headroom=GRID_HEADROOM))
        for ax in axes[1:3]:  # no tick labels: fewer texts to draw keeps the widget fast
            ax.set_xticks([])
            ax.set_yticks([])
        set_labels(axes[2], "sum", None, fontsize=TITLE_SIZE)
        draw_grid(axes[3], sw.partial_output(0), title=f"output {h_out}×{w_out}", highlight=(0, 0, 1, 1),
                  norm=signed_norm(sw.output, headroom=GRID_HEADROOM), xlabel=None, ylabel=None)
        self.fig, self.axes = fig, axes
        self._window, self._cell = axes[0].patches[-1], axes[3].patches[-1]
        self._title = fig.suptitle("", fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.15 / fig.get_figheight())
        self._caption = fig.text(0.5, 0.12 / fig.get_figheight(), "", ha="center", va="bottom", fontsize=LABEL_SIZE)
        self.index = None

    def update(self, index: int):
        """Show step ``index`` (0-based); returns the figure."""
        sw = self.sw
        if not 0 <= index < len(sw.steps):
            raise ValueError(f"step index must be in 0..{len(sw.steps) - 1}, got {index}.")
        step = sw.steps[index]
        self._window.set_xy((step.left - 0.5, step.top - 0.5))
        self._cell.set_xy((step.col - 0.5, step.row - 0.5))
        update_grid(self.axes[2], step.products)
        update_grid(self.axes[3], sw.partial_output(index))
        self.axes[2].set_xlabel(f"sum = {format_value(step.value)}")
        self._title.set_text(f"step {index + 1} of {len(sw.steps)}:   {step_equation(step, sw.kernel)}")
        self._caption.set_text(
            f"stride {sw.stride}: the window's top-left corner is at (row, col) = "
            f"({step.row}·{sw.stride}, {step.col}·{sw.stride}) = ({step.top}, {step.left}) of the "
            + ("padded input" if self.padded_input else "input")
        )
        self.index = index
        return self.fig
