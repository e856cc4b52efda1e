"""Checks of arrays and shapes: dtype, number of axes, NaN/inf, image batches, gradients and caches.

Each raises ``ValueError``/``TypeError`` (``RuntimeError`` for a gradient an
optimizer cannot use) naming who was called, what it received, what it
expected and how to fix it.
"""
from __future__ import annotations

import numbers

import numpy as np


def check_numeric(x, name: str = "x") -> np.ndarray:
    """Return ``x`` as an ndarray of bools, ints or floats, dtype unchanged; anything else is a ``TypeError``."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be a numeric array, could not convert {type(x).__name__}: {exc}") from exc
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a numeric array, got dtype {arr.dtype} (kind {arr.dtype.kind!r}). "
            "Hint: convert with np.asarray(x, dtype=np.float32)."
        )
    return arr


def as_float_array(x, name: str = "x", *, dtype=np.float32) -> np.ndarray:
    """Return ``x`` as a floating ndarray.

    Floating arrays keep their dtype (float64 stays float64 for gradient
    checks); ints and bools become ``dtype``. Anything non-numeric is a
    ``TypeError``.
    """
    arr = check_numeric(x, name)
    return arr if arr.dtype.kind == "f" else arr.astype(dtype)


def check_ndim(x: np.ndarray, ndim: int, name: str, layout: str) -> None:
    """Raise ``ValueError`` unless ``x.ndim == ndim``; ``layout`` names the axes."""
    if x.ndim != ndim:
        hint = ""
        if ndim == 4 and x.ndim == 3:
            hint = " Hint: for a single image add a batch axis with x[None]."
        elif ndim == 4 and x.ndim == 2:
            hint = " Hint: for one grayscale image use x[None, None]."
        elif ndim == 2 and x.ndim == 4:
            hint = " Hint: put Flatten() before it, or use BatchNorm2D for (N, C, H, W) maps."
        else:
            hint = f" Hint: the axes are {layout}; check the shape of what the previous layer or your data gives."
        raise ValueError(
            f"{name} expects a {ndim}-D input {layout}, got shape {tuple(x.shape)} ({x.ndim}-D).{hint}"
        )


def at_least_float32(x: np.ndarray) -> np.ndarray:
    """``x`` as float32 if it is half precision, else ``x`` itself (no copy).

    Ops that add up many numbers call this first: a float16 sum overflows past
    65504 even when the answer (a mean, a variance, a probability) fits.
    """
    return x.astype(np.float32) if x.dtype.kind == "f" and x.dtype.itemsize < 4 else x


def check_finite(a: np.ndarray, what: str, who: str, hint: str, error: type = ValueError) -> None:
    """Raise ``error`` (``ValueError``: bad data; ``RuntimeError``: a computation went wrong) if the array ``a``
    holds NaN or inf: how many, and the first index.

    The common case costs one sum: if it is finite, so is every entry.
    """
    if a.dtype.kind != "f" or a.size == 0:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(a)):
            return
    bad = ~np.isfinite(a)
    if bad.any():  # the sum may also have overflowed on finite values
        kind = "NaN" if np.isnan(a).any() else "inf"
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise error(
            f"{who} got {kind} in the {what}: {int(bad.sum())} of {a.size} entries are not finite "
            f"(first at index {first}). Hint: {hint}"
        )


def check_nchw(x, name: str, who: str) -> np.ndarray:
    """Return ``x`` as a 4-D floating array ``(N, C, H, W)`` with ``C, H, W >= 1``."""
    x = as_float_array(x, name)
    check_ndim(x, 4, who, "(N, C, H, W)")
    if min(x.shape[1:]) < 1:
        raise ValueError(
            f"{who} got {name} of shape {x.shape} with an empty channel or spatial axis; C, H and W must be >= 1 "
            "(only the batch axis N may be 0). Hint: check the slicing or cropping that made the input."
        )
    return x


def check_conv_weights(x: np.ndarray, W, b, who: str):
    """Return ``(W, b)`` as float arrays: ``W`` ``(C_out, C_in, KH, KW)`` with ``C_in`` of ``x``, ``b`` ``(C_out,)``."""
    W = as_float_array(W, "W")
    if W.ndim != 4:
        raise ValueError(
            f"{who} expects the weight W with shape (C_out, C_in, KH, KW), got shape {W.shape} ({W.ndim}-D). "
            "Hint: a single 3x3 kernel for a 1-channel input is W[None, None] with shape (1, 1, 3, 3)."
        )
    C_out, C_in = W.shape[:2]
    if x.shape[1] != C_in:
        raise ValueError(
            f"{who}: x has {x.shape[1]} input channels (shape {x.shape}) but W expects C_in={C_in} "
            f"(W has shape {W.shape}). Hint: W must be (C_out, C_in, KH, KW) with C_in == x.shape[1]."
        )
    if min(W.shape) < 1:
        raise ValueError(f"{who}: W has an empty axis, shape {W.shape}. Hint: every axis of W must be >= 1.")
    if b is not None:
        b = as_float_array(b, "b")
        if b.shape != (C_out,):
            raise ValueError(
                f"{who}: the bias b must have shape (C_out,) = ({C_out},), got {b.shape}. "
                "Hint: one bias per output channel, or b=None for no bias."
            )
    return W, b


def check_dout(dout, expected_shape, who: str, forward: str) -> np.ndarray:
    """Return ``dout`` as a float array (ints become float32) after checking it has the forward output's shape.

    ``who`` is the backward that was called, ``forward`` the call whose output ``dout`` belongs to.
    """
    dout = as_float_array(dout, "dout")
    if dout.shape != tuple(expected_shape):
        raise ValueError(
            f"{who} got dout of shape {dout.shape}, expected {tuple(expected_shape)} (the shape {forward} "
            f"returned). Hint: pass the gradient of the loss with respect to the output of {forward}."
        )
    return dout


def check_layer_dout(dout, expected_shape, layer) -> np.ndarray:
    """``check_dout`` for ``layer.backward``: the errors name the layer's class."""
    name = type(layer).__name__
    return check_dout(dout, expected_shape, f"{name}.backward()", f"{name}.forward()")


def check_cache(cache, cache_type, who: str, forward: str):
    """Return ``cache`` after checking it is the ``cache_type`` that ``forward`` returns."""
    if not isinstance(cache, cache_type):
        raise TypeError(
            f"{who} needs the cache returned by {forward}, got {type(cache).__name__}. "
            f"Hint: out, cache = {forward}(x, ...); then call {who}(dout, cache)."
        )
    return cache


def check_sample_shape(input_shape, layer: str) -> tuple[int, ...]:
    """Return one sample's ``input_shape`` as a tuple after checking it holds positive ints."""
    if not isinstance(input_shape, (tuple, list)):
        raise TypeError(f"{layer}.output_shape() expects one sample's shape as a tuple of ints, got {input_shape!r}. "
                        "Hint: e.g. (C, H, W) = (1, 28, 28), without the batch axis.")
    shape = tuple(input_shape)
    if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) and d > 0 for d in shape):
        raise ValueError(
            f"{layer}.output_shape() expects one sample's shape as positive ints, got {input_shape!r}. "
            "Hint: leave out the batch axis, e.g. (C, H, W) not (N, C, H, W)."
        )
    return shape


def as_input_shape(input_shape) -> tuple[int, ...]:
    """Return a model's ``input_shape`` (one int or a tuple of ints >= 1, no batch axis) as a tuple."""
    if isinstance(input_shape, numbers.Integral) and not isinstance(input_shape, bool):
        input_shape = (int(input_shape),)
    if not isinstance(input_shape, (tuple, list)) or not all(
        isinstance(d, numbers.Integral) and not isinstance(d, bool) and d >= 1 for d in input_shape
    ):
        raise TypeError(
            f"input_shape must be a tuple of positive ints, got {input_shape!r}. "
            "Hint: pass one sample's shape without the batch axis, e.g. (1, 28, 28) or (784,)."
        )
    return tuple(int(d) for d in input_shape)


def check_gradient(grad, param: np.ndarray, who: str, what: str) -> np.ndarray:
    """Return ``grad`` after checking it exists and has the shape of ``param``; ``what`` names the parameter."""
    if grad is None:
        raise RuntimeError(
            f"{who}: {what} has no gradient yet. "
            "Hint: call loss.backward() and model.backward(dout) before optimizer.step()."
        )
    if not isinstance(grad, np.ndarray) or grad.dtype.kind != "f":
        got = f"an array of {grad.dtype}" if isinstance(grad, np.ndarray) else f"a {type(grad).__name__}"
        raise TypeError(f"{who}: the gradient of {what} must be a float numpy array, got {got}. "
                        "Hint: backward must fill grads[name] with an array like the parameter (np.zeros_like(p)).")
    if np.shape(grad) != param.shape:
        raise RuntimeError(
            f"{who}: gradient of {what} has shape {np.shape(grad)} but the parameter has shape {param.shape}. "
            "Hint: backward must fill grads[name] with an array of the parameter's shape."
        )
    check_finite(grad, f"gradient of {what}", who, "a step would make the weights NaN too: training diverged; "
                 "lower the learning rate.", RuntimeError)
    return grad
