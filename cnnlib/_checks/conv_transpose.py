"""Checks of a transposed convolution's weights, laid out ``(C_in, C_out, KH, KW)`` as in PyTorch."""
from __future__ import annotations

import numpy as np

from .arrays import as_float_array


def check_conv_transpose_weights(x: np.ndarray, W, b, who: str):
    """Return ``(W, b)`` as float arrays: ``W`` ``(C_in, C_out, KH, KW)`` with ``C_in`` of ``x``, ``b`` ``(C_out,)``.

    A transposed convolution stores its weight the other way round from a
    convolution (input channels first), like ``torch.nn.ConvTranspose2d``.
    """
    W = as_float_array(W, "W")
    if W.ndim != 4:
        raise ValueError(
            f"{who} expects the weight W with shape (C_in, C_out, KH, KW), got shape {W.shape} ({W.ndim}-D). "
            "Hint: a transposed convolution stores input channels first, as PyTorch's ConvTranspose2d; one 2x2 "
            "kernel for 1 channel is W[None, None] with shape (1, 1, 2, 2)."
        )
    C_in, C_out = W.shape[:2]
    if x.shape[1] != C_in:
        raise ValueError(
            f"{who}: x has {x.shape[1]} channels (shape {x.shape}) but W expects C_in={C_in} "
            f"(W has shape {W.shape}). Hint: a transposed convolution's W is (C_in, C_out, KH, KW) with "
            "C_in == x.shape[1] (axis 0, not axis 1 as for Conv2D)."
        )
    if min(W.shape) < 1:
        raise ValueError(f"{who}: W has an empty axis, shape {W.shape}. Hint: every axis of W must be >= 1.")
    if b is not None:
        b = as_float_array(b, "b")
        if b.shape != (C_out,):
            raise ValueError(
                f"{who}: the bias b must have shape (C_out,) = ({C_out},), got {b.shape}. "
                "Hint: one bias per output channel (W.shape[1]), or b=None for no bias."
            )
    return W, b
