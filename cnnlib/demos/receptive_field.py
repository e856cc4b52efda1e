"""What one unit sees: its receptive field on the input and the region it depends on in every earlier layer.

Layers are numbered by their index in the list given (for ``model.layers[:k]``
the ``#`` column of ``model.summary()``); only conv and pooling layers have a
receptive field of their own, so only their indices can be chosen.

>>> lay = receptive_field_layout([(3, 1), (3, 1)], (8, 8), layer=1, i=0, j=0)
>>> lay.regions
(((0, 5), (0, 5)), ((0, 3), (0, 3)), ((0, 1), (0, 1)))
"""
from __future__ import annotations

from dataclasses import dataclass

from .._checks import as_pair
from ..shapes import ReceptiveField, receptive_field, receptive_field_region


@dataclass(frozen=True)
class ReceptiveFieldLayout:
    """Where the unit ``(i, j)`` after layer ``layer`` looks, stage by stage.

    The stages are the input and the conv/pool layers: ``names[0]`` is
    ``"input"``, ``names[s]`` the ``s``-th conv/pool layer and ``indices[s]``
    its index in ``layers`` (``indices[0]`` is None); ``sizes[s]`` is that
    stage's ``(H, W)``; ``regions[s]`` is ``((top, bottom), (left, right))``
    (end exclusive, clipped to the grid) for the stages before the unit's own,
    and the unit itself at ``regions[stage]``. ``layer`` is the unit's layer
    index, ``stage`` its stage (``indices[stage] == layer``). ``rf`` is the
    unit's receptive field on the input (:class:`~cnnlib.shapes.ReceptiveField`).
    """

    names: tuple[str, ...]
    sizes: tuple[tuple[int, int], ...]
    regions: tuple[tuple[tuple[int, int], tuple[int, int]], ...]
    layer: int
    unit: tuple[int, int]
    rf: ReceptiveField
    indices: tuple[int | None, ...]
    stage: int

    def label(self, s: int) -> str:
        """Stage ``s`` as the lessons write it: ``"input"`` or ``"3 · Conv2D 3×3"`` (index · name)."""
        return "input" if s == 0 else f"{self.indices[s]} · {self.names[s]}"


def spatial_layer_indices(layers) -> list[int]:
    """Indices in ``layers`` of the conv and pooling layers: those with a receptive field of their own.

    >>> spatial_layer_indices([(3, 1), (2, 2)])
    [0, 1]
    """
    return [rf.index for rf in receptive_field(layers)]


def receptive_field_layout(layers, input_size, layer: int, i: int, j: int) -> ReceptiveFieldLayout:
    """The region unit ``(i, j)`` of layer ``layer`` depends on, in the input and every conv/pool stage up to it.

    Args:
        layers: the network's layers up to (not including) ``Flatten``; pointwise ones are skipped.
        input_size: the input ``(H, W)``.
        layer: the index in ``layers`` of a conv or pooling layer (for ``model.layers[:k]``, the ``#``
            column of ``model.summary()``).
        i, j: the unit's row and column in that layer's output.
    """
    layers = list(layers)
    rows = receptive_field(layers, input_size)
    indices = [rf.index for rf in rows]
    if layer not in indices:
        what = ""
        if isinstance(layer, int) and 0 <= layer < len(layers) and not isinstance(layers[layer], (tuple, list)):
            what = f" is {type(layers[layer]).__name__}, which slides no window"
        raise ValueError(f"layer {layer!r}{what}: a receptive field is defined for the conv and pooling layers only, "
                         f"choose one of {indices}. Hint: layers are numbered by their index in model.layers, "
                         "the # column of model.summary().")
    stage = indices.index(layer) + 1
    H, W = rows[stage - 1].output_size
    if not (0 <= i < H and 0 <= j < W):
        raise ValueError(f"unit ({i}, {j}) is outside layer {layer}'s {H}×{W} output. "
                         f"Hint: rows and columns run from 0 to {H - 1} and {W - 1}.")
    steps = [layers[k] for k in indices]
    sizes = [as_pair(input_size, "input_size")] + [r.output_size for r in rows]
    regions = []
    for s in range(stage):  # stage s sees the unit through steps s .. stage-1
        rf = receptive_field(steps[s:stage])[-1]
        regions.append(receptive_field_region(rf, i, j, sizes[s]))
    regions.append(((i, i + 1), (j, j + 1)))
    names = ("input",) + tuple(r.name for r in rows)
    return ReceptiveFieldLayout(names, tuple(sizes), tuple(regions), layer, (i, j), rows[stage - 1],
                                (None, *indices), stage)
