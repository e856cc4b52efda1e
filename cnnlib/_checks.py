"""Argument and array checks shared by every layer.

Each check raises ``ValueError`` or ``TypeError`` with three things in the
message: the value received, the value expected and a hint to fix it.
"""
from __future__ import annotations

import numbers

import numpy as np


def as_pair(value, name: str, *, minimum: int = 1) -> tuple[int, int]:
    """Return ``value`` as an ``(h, w)`` pair of ints, each ``>= minimum``.

    >>> as_pair(3, "kernel_size")
    (3, 3)
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r} (a bool).")
    if isinstance(value, numbers.Integral):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
        isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in value
    ):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(
            f"{name} must be an int or a pair of ints (h, w), got {value!r} "
            f"of type {type(value).__name__}. Hint: write {name}=3 or {name}=(3, 3)."
        )
    if min(pair) < minimum:
        raise ValueError(
            f"{name} must be >= {minimum} in each direction, got {value!r}. "
            f"Hint: use a {'positive' if minimum >= 1 else 'non-negative'} integer."
        )
    return pair


def check_positive_int(value, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int after checking it is an integer ``>= minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    return int(value)


def check_bool(value, name: str, hint: str) -> bool:
    """Return ``value`` as a bool after checking it is ``True`` or ``False`` (not 1, not "yes")."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}. Hint: {hint}")
    return bool(value)


def check_fraction(value, name: str, *, include_one: bool = False, noun: str = "probability", hint: str = "") -> float:
    """Return ``value`` as a float after checking it is a real number in [0, 1) (or [0, 1] with ``include_one``)."""
    real = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if not (real and 0 <= value and (value <= 1 if include_one else value < 1)):
        interval = "[0, 1]" if include_one else "[0, 1)"
        raise ValueError(f"{name} must be a {noun} in {interval}, got {value!r}." + (f" Hint: {hint}" if hint else ""))
    return float(value)


def check_choice(value, choices: tuple, what: str, hint: str) -> str:
    """Return ``value`` after checking it is one of the strings ``choices``; ``what`` names it in the error."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{what} must be one of {choices}, got {value!r}. Hint: {hint}")
    return value


def as_float_array(x, name: str = "x", *, dtype=np.float32) -> np.ndarray:
    """Return ``x`` as a floating ndarray.

    Floating arrays keep their dtype (float64 stays float64 for gradient
    checks); ints and bools become ``dtype``. Anything non-numeric is a
    ``TypeError``.
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be a numeric array, could not convert {type(x).__name__}: {exc}") from exc
    if arr.dtype.kind == "f":
        return arr
    if arr.dtype.kind in "iub":
        return arr.astype(dtype)
    raise TypeError(
        f"{name} must be a numeric array, got dtype {arr.dtype} (kind {arr.dtype.kind!r}). "
        "Hint: convert with np.asarray(x, dtype=np.float32)."
    )


def check_ndim(x: np.ndarray, ndim: int, name: str, layout: str) -> None:
    """Raise ``ValueError`` unless ``x.ndim == ndim``; ``layout`` names the axes."""
    if x.ndim != ndim:
        hint = ""
        if ndim == 4 and x.ndim == 3:
            hint = " Hint: for a single image add a batch axis with x[None]."
        elif ndim == 4 and x.ndim == 2:
            hint = " Hint: for one grayscale image use x[None, None]."
        raise ValueError(
            f"{name} expects a {ndim}-D input {layout}, got shape {tuple(x.shape)} ({x.ndim}-D).{hint}"
        )


def check_dtype_arg(dtype) -> np.dtype:
    """Return ``np.dtype(dtype)`` if it is float32 or float64."""
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be np.float32 or np.float64, got {dt}.")
    return dt
