"""The receptive field of one unit drawn: which cells of every earlier layer, and of the input, it sees.

:func:`draw_receptive_field` draws a :class:`~cnnlib.demos.receptive_field.ReceptiveFieldLayout`
(from :func:`~cnnlib.demos.receptive_field.receptive_field_layout`).
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..demos.receptive_field import ReceptiveFieldLayout
from .style import DPI, HIGHLIGHT, LABEL_SIZE, TITLE_SIZE

UNIT_COLOR = "#d62728"  # the chosen unit
SEEN_COLOR = "#9ecae1"  # cells the unit depends on
PANEL = 2.6  # inches per panel, whatever the grid size


def _grid(ax, H: int, W: int) -> None:
    if max(H, W) <= 32:
        ax.hlines(np.arange(-0.5, H, 1), -0.5, W - 0.5, color="#bdbdbd", linewidth=0.5)
        ax.vlines(np.arange(-0.5, W, 1), -0.5, H - 0.5, color="#bdbdbd", linewidth=0.5)
    ax.set_xlim(-0.5, W - 0.5)
    ax.set_ylim(H - 0.5, -0.5)
    ax.set_xticks([])
    ax.set_yticks([])


def _outline(ax, region, color, lw=2.5):
    (top, bottom), (left, right) = region
    ax.add_patch(Rectangle((left - 0.5, top - 0.5), right - left, bottom - top, fill=False, edgecolor=color,
                           linewidth=lw, zorder=5))


def draw_receptive_field(layout: ReceptiveFieldLayout, image=None) -> Figure:
    """One panel per stage: the input (the photo if given) and every conv/pool output.

    Blue cells: what the chosen unit (red) depends on; the green frame on the
    input is its receptive field. Later layers are drawn faded. Panels are
    titled by layer index and name (``"3 · Conv2D 3×3"``), the ``#`` of ``model.summary()``.
    """
    n = len(layout.sizes)
    left, gap, top, bottom = 0.2, 0.35, 1.3, 0.35
    fig_w = left + n * PANEL + (n - 1) * gap + 0.2
    fig_h = top + PANEL + bottom
    fig = Figure(figsize=(fig_w, fig_h), dpi=DPI)
    for s, (H, W) in enumerate(layout.sizes):
        scale = PANEL / max(H, W)
        w_in, h_in = W * scale, H * scale
        x0 = left + s * (PANEL + gap) + (PANEL - w_in) / 2
        ax = fig.add_axes((x0 / fig_w, (bottom + (PANEL - h_in) / 2) / fig_h, w_in / fig_w, h_in / fig_h))
        cells = np.zeros((H, W))
        if s <= layout.stage:
            (t, b), (l, r) = layout.regions[s]
            cells[t:b, l:r] = 1.0 if s < layout.stage else 2.0
        if s == 0 and image is not None:
            ax.imshow(np.asarray(image, dtype=float), interpolation="nearest", vmin=0, vmax=1,
                      cmap="gray" if np.ndim(image) == 2 else None)
            mask = np.ones((H, W, 4)) * np.array([1, 1, 1, 0.0])
            mask[cells == 0, 3] = 0.6  # fade what the unit cannot see
            ax.imshow(mask, interpolation="nearest")
        else:
            rgba = np.ones((H, W, 4))
            rgba[cells == 1, :3] = to_rgb(SEEN_COLOR)
            rgba[cells == 2, :3] = to_rgb(UNIT_COLOR)
            if s > layout.stage:
                rgba[..., 3] = 0.35
            ax.imshow(rgba, interpolation="nearest")
        _grid(ax, H, W)
        if s < layout.stage:
            _outline(ax, layout.regions[s], HIGHLIGHT if s == 0 else "#08519c")
        elif s == layout.stage:
            _outline(ax, layout.regions[s], UNIT_COLOR)
        (t, b), (l, r) = layout.regions[s] if s <= layout.stage else ((0, 0), (0, 0))
        seen = f"\nsees {b - t}×{r - l}" if s < layout.stage else ("\nthe unit" if s == layout.stage else "")
        ax.set_title(f"{layout.label(s)}\n{H}×{W}{seen}", fontsize=LABEL_SIZE - 1,
                     color="#999999" if s > layout.stage else "black")
    rf = layout.rf
    fig.suptitle(f"unit {layout.unit} of layer {layout.label(layout.stage)} sees a window of {rf.size[0]}×{rf.size[1]} "
                 f"input pixels (jump {rf.jump[0]} pixels between neighbouring units)", fontsize=TITLE_SIZE, fontweight="bold",
                 y=1 - 0.12 / fig_h, va="top")
    return fig

