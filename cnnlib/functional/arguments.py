"""The public arguments of the spatial ops, checked once and resolved to arrays and a ``Geometry2D``.

A user calls ``conv2d_forward(x, W, stride=2, padding="same")``; a layer
calls ``conv2d_forward(x, W, b, geometry=self.geometry)`` with the geometry
it resolved in ``__init__``. Either way the op gets checked arrays, one
``Geometry2D`` and the output size, and works on clean values from there on.
"""
from __future__ import annotations

import numpy as np

from .._checks import check_conv_weights, check_nchw
from ..shapes import Geometry2D


def _given(geometry, kernel_hw, settings: tuple, defaults: tuple, who: str) -> Geometry2D:
    """``geometry`` after checking it is a ``Geometry2D`` for ``kernel_hw`` and nothing else was given."""
    if not isinstance(geometry, Geometry2D):
        raise TypeError(f"{who} geometry must be a cnnlib.shapes.Geometry2D, got {type(geometry).__name__}. "
                        "Hint: Geometry2D.conv(kernel_size, stride, padding, dilation), or leave geometry out.")
    if any(s is not d for s, d in zip(settings, defaults)):
        raise TypeError(f"{who} takes a geometry or the settings it is made of, not both. "
                        "Hint: leave out stride, padding and dilation when you pass geometry.")
    if kernel_hw is not None and geometry.kernel_size != kernel_hw:
        raise ValueError(f"{who} got a geometry for a {geometry.kernel_size} kernel but the kernel is {kernel_hw}. "
                         "Hint: build the geometry from W.shape[2:].")
    return geometry


def conv_arguments(x, W, b, stride, padding, dilation, geometry, who: str):
    """Checked ``(x, W, b, geometry, (H_out, W_out))`` of a conv call."""
    x = check_nchw(x, "x", who)
    W, b = check_conv_weights(x, W, b, who)
    if geometry is None:
        geometry = Geometry2D.conv(W.shape[2:], stride, padding, dilation)
    else:
        geometry = _given(geometry, W.shape[2:], (stride, padding, dilation), (1, 0, 1), who)
    return x, W, b, geometry, geometry.output_hw(x.shape[2:])


def pool_arguments(x, kernel_size, stride, padding, geometry, who: str) -> tuple[np.ndarray, Geometry2D, tuple]:
    """Checked ``(x, geometry, (H_out, W_out))`` of a pooling call; ``stride=None`` means the window."""
    x = check_nchw(x, "x", who)
    if geometry is None:
        geometry = Geometry2D.pool(kernel_size, stride, padding, who=who)
    else:
        geometry = _given(geometry, None, (kernel_size, stride, padding), (None, None, 0), who)
    return x, geometry, geometry.output_hw(x.shape[2:])
