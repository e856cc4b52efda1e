"""What one unit sees: its receptive field on the input and the region it depends on in every earlier layer.

>>> lay = receptive_field_layout([(3, 1), (3, 1)], (8, 8), layer=2, i=0, j=0)
>>> lay.regions
(((0, 5), (0, 5)), ((0, 3), (0, 3)), ((0, 1), (0, 1)))
"""
from __future__ import annotations

from dataclasses import dataclass

from .._checks import as_pair
from ..shapes import ReceptiveField, receptive_field, receptive_field_region


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
    """The region unit ``(i, j)`` of conv/pool layer ``layer`` depends on, in the input and every later stage.

    Args:
        layers: the network's layers up to (not including) ``Flatten``; pointwise ones are skipped.
        input_size: the input ``(H, W)``.
        layer: which conv/pool layer the unit is in, counting from 1.
        i, j: the unit's row and column in that layer's output.
    """
    rows = receptive_field(layers, input_size)
    steps = [lyr for lyr in layers if receptive_field([lyr])]  # the spatial ones, by the calculator's own rule
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
