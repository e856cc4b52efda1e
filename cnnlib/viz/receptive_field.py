"""Draw the receptive field of one unit: which cells of every earlier layer, and of the input, it sees."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._checks import as_pair
from ..shapes import ReceptiveField, receptive_field, receptive_field_region
from .style import DPI, HIGHLIGHT, LABEL_SIZE, TITLE_SIZE

UNIT_COLOR = "#d62728"  # the chosen unit
SEEN_COLOR = "#9ecae1"  # cells the unit depends on
PANEL = 2.6  # inches per panel, whatever the grid size


@dataclass(frozen=True)
class ReceptiveFieldLayout:
    """Where the unit ``(i, j)`` after spatial layer ``layer`` looks, stage by stage.

    ``names[0]`` is ``"input"`` and ``names[s]`` the ``s``-th conv/pool layer;
    ``sizes[s]`` is that stage's ``(H, W)``; ``regions[s]`` is
    ``((top, bottom), (left, right))`` (end exclusive, clipped to the grid) for
    the stages before the unit's own, and the unit itself at ``regions[layer]``.
    ``rf`` is the unit's receptive field on the input (:class:`~cnnlib.shapes.ReceptiveField`).
    """

    names: tuple[str, ...]
    sizes: tuple[tuple[int, int], ...]
    regions: tuple[tuple[tuple[int, int], tuple[int, int]], ...]
    layer: int
    unit: tuple[int, int]
    rf: ReceptiveField


def receptive_field_layout(layers, input_size, layer: int, i: int, j: int) -> ReceptiveFieldLayout:
    """Compute the regions drawn by :func:`draw_receptive_field`.

    Args:
        layers: the network's layers up to (not including) ``Flatten``; pointwise ones are skipped.
        input_size: the input ``(H, W)``.
        layer: which conv/pool layer the unit is in, counting from 1.
        i, j: the unit's row and column in that layer's output.
    """
    rows = receptive_field(layers, input_size)
    steps = [lyr for lyr in layers if hasattr(lyr, "kernel_size") or isinstance(lyr, (tuple, list))]
    if not 1 <= layer <= len(rows):
        raise ValueError(f"layer must be between 1 and {len(rows)} (the conv and pooling layers), got {layer}.")
    H, W = rows[layer - 1].output_size
    if not (0 <= i < H and 0 <= j < W):
        raise ValueError(f"unit ({i}, {j}) is outside layer {layer}'s {H}×{W} output. "
                         f"Hint: rows and columns run from 0 to {H - 1} and {W - 1}.")
    sizes = [as_pair(input_size, "input_size")] + [r.output_size for r in rows]
    regions = []
    for s in range(layer):  # stage s sees the unit through steps s .. layer-1
        rf = receptive_field(steps[s:layer])[-1]
        regions.append(receptive_field_region(rf, i, j, sizes[s]))
    regions.append(((i, i + 1), (j, j + 1)))
    names = ("input",) + tuple(r.name for r in rows)
    return ReceptiveFieldLayout(names, tuple(sizes), tuple(regions), layer, (i, j), rows[layer - 1])


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
    input is its receptive field. Later layers are drawn faded.
    """
    n = len(layout.sizes)
    left, gap, top, bottom = 0.2, 0.35, 1.3, 0.35
    fig_w = left + n * PANEL + (n - 1) * gap + 0.2
    fig_h = top + PANEL + bottom
    fig = Figure(figsize=(fig_w, fig_h), dpi=DPI)
    for s, (name, (H, W)) in enumerate(zip(layout.names, layout.sizes)):
        scale = PANEL / max(H, W)
        w_in, h_in = W * scale, H * scale
        x0 = left + s * (PANEL + gap) + (PANEL - w_in) / 2
        ax = fig.add_axes((x0 / fig_w, (bottom + (PANEL - h_in) / 2) / fig_h, w_in / fig_w, h_in / fig_h))
        cells = np.zeros((H, W))
        if s <= layout.layer:
            (t, b), (l, r) = layout.regions[s]
            cells[t:b, l:r] = 1.0 if s < layout.layer else 2.0
        if s == 0 and image is not None:
            ax.imshow(np.asarray(image, dtype=float), interpolation="nearest", vmin=0, vmax=1,
                      cmap="gray" if np.ndim(image) == 2 else None)
            mask = np.ones((H, W, 4)) * np.array([1, 1, 1, 0.0])
            mask[cells == 0, 3] = 0.6  # fade what the unit cannot see
            ax.imshow(mask, interpolation="nearest")
        else:
            rgba = np.ones((H, W, 4))
            rgba[cells == 1, :3] = _rgb(SEEN_COLOR)
            rgba[cells == 2, :3] = _rgb(UNIT_COLOR)
            if s > layout.layer:
                rgba[..., 3] = 0.35
            ax.imshow(rgba, interpolation="nearest")
        _grid(ax, H, W)
        if s < layout.layer:
            _outline(ax, layout.regions[s], HIGHLIGHT if s == 0 else "#08519c")
        elif s == layout.layer:
            _outline(ax, layout.regions[s], UNIT_COLOR)
        (t, b), (l, r) = layout.regions[s] if s <= layout.layer else ((0, 0), (0, 0))
        seen = f"\nsees {b - t}×{r - l}" if s < layout.layer else ("\nthe unit" if s == layout.layer else "")
        ax.set_title(f"{name}\n{H}×{W}{seen}", fontsize=LABEL_SIZE - 1, color="#999999" if s > layout.layer else "black")
    rf = layout.rf
    fig.suptitle(f"unit {layout.unit} after layer {layout.layer} sees a window of {rf.size[0]}×{rf.size[1]} input pixels "
                 f"(jump {rf.jump[0]} pixels between neighbouring units)", fontsize=TITLE_SIZE, fontweight="bold",
                 y=1 - 0.12 / fig_h, va="top")
    return fig


def _rgb(color: str):
    from matplotlib.colors import to_rgb

    return to_rgb(color)
