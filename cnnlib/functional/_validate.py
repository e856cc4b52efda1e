"""Argument checks shared by the conv and pooling functions (naive and fast).

Every function here turns user arguments into plain ints and tuples, or
raises a ``ValueError``/``TypeError`` that names what was received, what was
expected and how to fix it. The ops themselves then work on clean values.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import as_float_array, as_pair, check_choice, check_ndim
from ..shapes import conv_output_size, resolve_padding

IMPLS = ("fast", "naive")


class SpatialArgs(NamedTuple):
    """Resolved geometry of a conv or pooling call (all ints)."""

    kernel: tuple[int, int]  # (KH, KW)
    stride: tuple[int, int]  # (sh, sw)
    dilation: tuple[int, int]  # (dh, dw)
    pads: tuple[tuple[int, int], tuple[int, int]]  # ((top, bottom), (left, right))
    out_hw: tuple[int, int]  # (H_out, W_out)


def check_nchw(x, name: str, op: str) -> np.ndarray:
    """Return ``x`` as a 4-D floating array ``(N, C, H, W)``."""
    x = as_float_array(x, name)
    check_ndim(x, 4, op, "(N, C, H, W)")
    if min(x.shape[1:]) < 1:
        raise ValueError(
            f"{op} got {name} of shape {x.shape} with an empty channel or spatial axis; C, H and W must be >= 1 "
            "(only the batch axis N may be 0). Hint: check the slicing or cropping that made the input."
        )
    return x


def _is_nested_padding(padding) -> bool:
    return (
        isinstance(padding, (tuple, list))
        and len(padding) == 2
        and all(isinstance(p, (tuple, list)) for p in padding)
    )


def conv_padding(padding, kernel, stride, dilation):
    """Resolve ``padding`` to ``((top, bottom), (left, right))``.

    Accepts everything ``cnnlib.shapes.resolve_padding`` does (int, ``(h, w)``,
    ``"valid"``, ``"same"``) plus the explicit asymmetric form
    ``((top, bottom), (left, right))``.
    """
    if _is_nested_padding(padding):
        if not all(len(p) == 2 for p in padding):
            raise ValueError(
                f"asymmetric padding must be ((top, bottom), (left, right)), got {padding!r}. "
                "Hint: write padding=((0, 1), (0, 1)) for one extra row and column at the bottom/right."
            )
        top_bottom = as_pair(tuple(padding[0]), "padding (top, bottom)", minimum=0)
        left_right = as_pair(tuple(padding[1]), "padding (left, right)", minimum=0)
        return top_bottom, left_right
    return resolve_padding(padding, kernel, stride, dilation)


def _output_hw(in_hw, kernel, stride, pads, dilation) -> tuple[int, int]:
    # conv_output_size raises the shared "kernel larger than the padded input" message.
    return (
        conv_output_size(in_hw[0], kernel[0], stride[0], pads[0], dilation[0]),
        conv_output_size(in_hw[1], kernel[1], stride[1], pads[1], dilation[1]),
    )


def conv_args(x, W, b, stride, padding, dilation, op: str = "conv2d"):
    """Validate a conv call; return ``(x, W, b, SpatialArgs)``."""
    x = check_nchw(x, "x", op)
    W = as_float_array(W, "W")
    if W.ndim != 4:
        raise ValueError(
            f"{op} expects the weight W with shape (C_out, C_in, KH, KW), got shape {W.shape} ({W.ndim}-D). "
            "Hint: a single 3x3 kernel for a 1-channel input is W[None, None] with shape (1, 1, 3, 3)."
        )
    C_out, C_in, KH, KW = W.shape
    if x.shape[1] != C_in:
        raise ValueError(
            f"{op}: x has {x.shape[1]} input channels (shape {x.shape}) but W expects C_in={C_in} "
            f"(W has shape {W.shape}). Hint: W must be (C_out, C_in, KH, KW) with C_in == x.shape[1]."
        )
    if min(W.shape) < 1:
        raise ValueError(f"{op}: W has an empty axis, shape {W.shape}. Hint: every axis of W must be >= 1.")
    if b is not None:
        b = as_float_array(b, "b")
        if b.shape != (C_out,):
            raise ValueError(
                f"{op}: the bias b must have shape (C_out,) = ({C_out},), got {b.shape}. "
                "Hint: one bias per output channel, or b=None for no bias."
            )
    pads = conv_padding(padding, (KH, KW), stride, dilation)  # raw stride, so errors quote the user's value
    stride = as_pair(stride, "stride")
    dilation = as_pair(dilation, "dilation")
    out_hw = _output_hw(x.shape[2:], (KH, KW), stride, pads, dilation)
    return x, W, b, SpatialArgs((KH, KW), stride, dilation, pads, out_hw)


def pool_args(x, kernel_size, stride, padding, op: str):
    """Validate a pooling call; return ``(x, SpatialArgs)``. ``stride=None`` means the window."""
    x = check_nchw(x, "x", op)
    kernel = as_pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else as_pair(stride, "stride")
    if isinstance(padding, str):
        raise TypeError(
            f"{op} padding must be an int or a pair of ints, got the string {padding!r}. "
            "Hint: pooling takes numeric padding only, as in PyTorch (e.g. padding=1)."
        )
    pad_h, pad_w = as_pair(padding, "padding", minimum=0)
    for pad, k, axis in ((pad_h, kernel[0], "height"), (pad_w, kernel[1], "width")):
        if pad > k // 2:
            raise ValueError(
                f"{op} padding must be at most kernel_size // 2 = {k // 2} along the {axis}, got padding={padding!r} "
                f"for kernel_size={kernel_size!r}. Hint: as in PyTorch, a window may not lie mostly in the padding; "
                "use a smaller padding or a larger kernel_size."
            )
    pads = ((pad_h, pad_h), (pad_w, pad_w))
    out_hw = _output_hw(x.shape[2:], kernel, stride, pads, (1, 1))
    return x, SpatialArgs(kernel, stride, (1, 1), pads, out_hw)


def check_dout(dout, expected_shape, op: str) -> np.ndarray:
    """Return ``dout`` as a float array after checking it has the forward output's shape."""
    dout = as_float_array(dout, "dout")
    if dout.shape != tuple(expected_shape):
        raise ValueError(
            f"{op} got dout of shape {dout.shape}, expected {tuple(expected_shape)} "
            "(the shape the forward pass returned). "
            "Hint: pass the gradient of the loss with respect to the forward output."
        )
    return dout


def check_cache(cache, cache_type, op: str, forward: str):
    """Raise ``TypeError`` unless ``cache`` came from ``forward``."""
    if not isinstance(cache, cache_type):
        raise TypeError(
            f"{op} needs the cache returned by {forward}, got {type(cache).__name__}. "
            f"Hint: out, cache = {forward}(x, ...); then call {op}(dout, cache)."
        )
    return cache


def check_impl(impl, op: str) -> str:
    """Return ``impl`` after checking it is ``"fast"`` or ``"naive"``."""
    return check_choice(impl, IMPLS, f"{op} impl", "'naive' runs the readable loops, 'fast' the vectorized version.")


def pad_nchw(x: np.ndarray, pads, value: float = 0.0) -> np.ndarray:
    """Pad the two spatial axes of ``x`` by ``((top, bottom), (left, right))``."""
    (top, bottom), (left, right) = pads
    if top == bottom == left == right == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=value)

