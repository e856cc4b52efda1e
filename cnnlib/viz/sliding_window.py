"""The sliding window drawn, one step at a time: input with the patch, kernel, products, output so far.

:class:`ConvStepFigure` draws the steps of a
:class:`~cnnlib.demos.sliding_window.SlidingWindow` (from
:func:`~cnnlib.demos.sliding_window.sliding_window_steps`); it is a
``Figure`` built once that :meth:`~ConvStepFigure.update` moves to another step.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..demos.formatting import format_value
from ..demos.sliding_window import SlidingWindow, step_equation
from .grids import draw_grid, padding_mask, update_grid
from .style import DPI, GRID_HEADROOM, LABEL_SIZE, TITLE_SIZE, grid_row_layout, set_labels, signed_norm


def draw_conv_step(sw: SlidingWindow, index: int) -> ConvStepFigure:
    """Draw step ``index`` of ``sw``: input with patch, kernel, products, output so far.

    Returns a new figure. ``index`` runs over ``0 .. len(sw.steps) - 1``.
    """
    return ConvStepFigure(sw).update(index)


class ConvStepFigure(Figure):
    """The step figure of ``sw``, built once; :meth:`update` moves it to another step.

    Only the window, the products, the output and the texts change between
    steps, so updating them in place and redrawing is about twice as fast as
    building a new figure: what keeps the step widget's Play button smooth.
    """

    def __init__(self, sw: SlidingWindow) -> None:
        self.sw = sw
        kh, kw = sw.kernel.shape
        h_out, w_out = sw.output.shape
        fig_w, fig_h, boxes = grid_row_layout([sw.padded.shape, sw.kernel.shape, sw.kernel.shape, sw.output.shape],
                                              top=1.0, bottom=1.3, min_width=10)
        super().__init__(figsize=(fig_w, fig_h), dpi=DPI)
        axes = [self.add_axes(box) for box in boxes]
        (pt, _), (pl, _) = sw.padding
        mask = padding_mask(sw.padded.shape, sw.padding)
        self.padded_input = bool(mask.any())
        draw_grid(axes[0], sw.padded, title="input x" + (" (zero-padded)" if self.padded_input else ""),
                  highlight=(0, 0, kh, kw), padding_mask=mask, row_offset=-pt, col_offset=-pl)
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
        self.grids = axes
        self._window, self._cell = axes[0].patches[-1], axes[3].patches[-1]
        self._title = self.suptitle("", fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.15 / fig_h)
        self._caption = self.text(0.5, 0.12 / fig_h, "", ha="center", va="bottom", fontsize=LABEL_SIZE)
        self.index = None

    def update(self, index: int) -> ConvStepFigure:
        """Show step ``index`` (0-based); returns the figure."""
        sw = self.sw
        if not 0 <= index < len(sw.steps):
            raise ValueError(f"step index must be in 0..{len(sw.steps) - 1}, got {index}.")
        step = sw.steps[index]
        self._window.set_xy((step.left - 0.5, step.top - 0.5))
        self._cell.set_xy((step.col - 0.5, step.row - 0.5))
        update_grid(self.grids[2], step.products)
        update_grid(self.grids[3], sw.partial_output(index))
        self.grids[2].set_xlabel(f"sum = {format_value(step.value)}")
        self._title.set_text(f"step {index + 1} of {len(sw.steps)}:   {step_equation(step, sw.kernel)}")
        self._caption.set_text(
            f"stride {sw.stride}: the window's top-left corner is at (row, col) = "
            f"({step.row}·{sw.stride}, {step.col}·{sw.stride}) = ({step.top}, {step.left}) of the "
            + ("padded input" if self.padded_input else "input")
        )
        self.index = index
        return self
