r"""Receptive fields: which input pixels one unit after a stack of conv and pooling layers sees.

Layer by layer, the field grows by ``(K_eff - 1)`` times the product of the
strides so far (see :func:`receptive_field`). Lesson 10 prints the table and
its widget highlights the region of one unit. Import these from
:mod:`cnnlib.shapes`.
"""
from __future__ import annotations

from typing import NamedTuple

from .._checks import as_pair, check_positive_int
from .geometry import Geometry2D


class ReceptiveField(NamedTuple):
    """How much of the input one unit after a layer sees; pairs are ``(height, width)``.

    ``size``: the side of the input window that can change the unit (the receptive field).
    ``jump``: input pixels between neighbouring units (the product of the strides so far).
    ``start``: input row/column of the top-left pixel seen by unit ``(0, 0)``; negative
    when the window reaches into the padding.
    ``output_size``: the layer's ``(H_out, W_out)``, or None when no input size was given.
    ``index``: the layer's position in the ``layers`` given to :func:`receptive_field`, so for
    ``model.layers[:k]`` its ``model.layers`` index, the ``#`` column of ``model.summary()``.
    """

    name: str
    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    size: tuple[int, int]
    jump: tuple[int, int]
    start: tuple[int, int]
    output_size: tuple[int, int] | None
    index: int | None = None


def _spatial_step(layer) -> tuple[str, Geometry2D] | None:
    """``(name, geometry)`` of a layer or a spec tuple; None for a pointwise layer.

    A layer takes part through what it declares (see ``cnnlib.layers.Layer``):
    a ``geometry`` (its forward sliding window), or ``pointwise = True`` (output
    pixel (i, j) sees input pixel (i, j) only). Anything else has no spatial
    layout the receptive field can follow.
    """
    if isinstance(layer, (tuple, list)):
        if not 2 <= len(layer) <= 4:
            raise TypeError(
                f"a receptive-field step must be (kernel_size, stride[, padding[, dilation]]), got {layer!r}. "
                "Hint: e.g. (3, 1) for a 3×3 conv, (2, 2) for a 2×2 max pool."
            )
        kernel, stride, padding, dilation = tuple(layer) + (0, 1)[len(layer) - 2:]
        g = Geometry2D.conv(kernel, stride, padding, dilation)
        return f"{g.kernel_size[0]}×{g.kernel_size[1]} stride {g.stride[0]}", g
    name = type(layer).__name__
    g = getattr(layer, "geometry", None)
    if isinstance(g, Geometry2D):
        stride = f" stride {g.stride[0]}" if g.stride != (1, 1) else ""
        return f"{name} {g.kernel_size[0]}×{g.kernel_size[1]}{stride}", g
    if getattr(layer, "pointwise", False):
        return None  # ReLU, BatchNorm, Dropout: one input pixel per output pixel
    raise ValueError(
        f"{name} has no spatial layout a receptive field can follow (it declares no sliding-window geometry and "
        "is not pointwise): after Flatten or Dense every output sees the whole input, so a receptive field stops "
        "at the last conv or pooling layer. Hint: pass only the layers before Flatten, e.g. model.layers[:5]."
    )


def receptive_field(layers, input_size=None) -> list[ReceptiveField]:
    r"""The receptive field after each conv/pooling layer of a stack.

    With :math:`r_0 = 1, j_0 = 1, s_0 = 0` and, for each layer, the effective
    kernel :math:`K_{eff}`, stride :math:`S` and top/left padding :math:`P`:

    .. math::

        r_l = r_{l-1} + (K_{eff} - 1)\, j_{l-1}, \qquad j_l = j_{l-1} S, \qquad
        s_l = s_{l-1} - P\, j_{l-1}

    Unit ``(i, j)`` after layer ``l`` sees input rows
    ``s_l + i*j_l ... s_l + i*j_l + r_l - 1`` (see :func:`receptive_field_region`).

    Args:
        layers: cnnlib layers (those with a ``geometry``: ``Conv2D``, ``MaxPool2D``,
            ``AvgPool2D``; pointwise layers such as ``ReLU`` are skipped) or tuples
            ``(kernel_size, stride[, padding[, dilation]])``.
        input_size: optional input ``(H, W)`` (or one int) to also compute each output size.

    Returns one :class:`ReceptiveField` per spatial layer; its ``index`` is the layer's position in ``layers``.

    >>> [rf.size[0] for rf in receptive_field([(3, 1), (2, 2), (3, 1), (2, 2), (3, 1)])]
    [3, 4, 8, 10, 18]
    """
    if input_size is not None:
        hw = as_pair(input_size, "input_size")
    if isinstance(layers, str) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a list of cnnlib layers or (kernel_size, stride) tuples, got {layers!r}. "
                        "Hint: receptive_field(model.layers[:5]) or receptive_field([(3, 1), (2, 2)]).")
    rows = []
    size, jump, start = [1, 1], [1, 1], [0, 0]
    for index, layer in enumerate(layers):
        step = _spatial_step(layer)
        if step is None:
            continue
        name, g = step
        span = g.span()
        for a in range(2):
            size[a] += (span[a] - 1) * jump[a]
            start[a] -= g.pads[a][0] * jump[a]
            jump[a] *= g.stride[a]
        out = None
        if input_size is not None:
            hw = out = g.output_hw(hw)
        rows.append(ReceptiveField(name, g.kernel_size, g.stride, tuple(size), tuple(jump), tuple(start), out, index))
    return rows


def receptive_field_region(rf: ReceptiveField, i: int, j: int, input_size=None):
    """The input rows and columns unit ``(i, j)`` sees: ``((top, bottom), (left, right))``, end exclusive.

    With ``input_size`` the region is clipped to the image (padding is not
    part of the image).

    >>> rf = receptive_field([(3, 1), (2, 2)])[-1]
    >>> receptive_field_region(rf, 1, 2)
    ((2, 6), (4, 8))
    """
    if not isinstance(rf, ReceptiveField):
        raise TypeError(f"rf must be a ReceptiveField, got {rf!r}. Hint: one row of receptive_field(layers), "
                        "e.g. receptive_field(layers)[-1].")
    i, j = (check_positive_int(v, name, minimum=0) for v, name in ((i, "i"), (j, "j")))
    if rf.output_size is not None and not (i < rf.output_size[0] and j < rf.output_size[1]):
        raise ValueError(f"unit ({i}, {j}) does not exist: layer {rf.name} outputs {rf.output_size[0]}×"
                         f"{rf.output_size[1]}. Hint: i in 0..{rf.output_size[0] - 1}, j in 0..{rf.output_size[1] - 1}.")
    coords = []
    for a, idx in enumerate((i, j)):
        lo = rf.start[a] + idx * rf.jump[a]
        hi = lo + rf.size[a]
        if input_size is not None:
            limit = as_pair(input_size, "input_size")[a]
            lo, hi = max(lo, 0), min(hi, limit)
            if lo >= hi:
                raise ValueError(f"unit ({i}, {j}) of layer {rf.name} sees nothing of a {limit}-pixel input "
                                 f"along axis {a}: it lies past the image. Hint: pick a unit inside the layer's "
                                 "output (receptive_field(layers, input_size) gives its output_size).")
        coords.append((lo, hi))
    return tuple(coords)
