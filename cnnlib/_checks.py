"""Argument and array checks shared by every layer.

Each check raises ``ValueError`` or ``TypeError`` with three things in the
message: the value received, the value expected and a hint to fix it.
"""
from __future__ import annotations

import math
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


def check_real(value, name: str, *, low: float = -math.inf, high: float = math.inf, low_open: bool = False,
               high_open: bool = False, noun: str = "a number", hint: str = "") -> float:
    """Return ``value`` as a float after checking it is a finite real number in the given range.

    Bools, strings and arrays are a ``TypeError``; NaN, inf and values out of
    range a ``ValueError``. ``low_open``/``high_open`` exclude the bounds.

    >>> check_real(0.1, "lr", low=0, low_open=True)
    0.1
    """
    tail = f" Hint: {hint}" if hint else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} of type {type(value).__name__}.{tail}")
    try:
        v = float(value)
    except OverflowError:  # an int beyond float range
        v = math.inf
    in_range = math.isfinite(v) and (v > low if low_open else v >= low) and (v < high if high_open else v <= high)
    if not in_range:
        if math.isfinite(low) and math.isfinite(high):
            where = f"{noun} in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        elif math.isfinite(low):
            where = f"a finite number {'>' if low_open else '>='} {low:g}"
        elif math.isfinite(high):
            where = f"a finite number {'<' if high_open else '<='} {high:g}"
        else:
            where = "a finite number"
        raise ValueError(f"{name} must be {where}, got {value!r}.{tail}")
    return v


def check_fraction(value, name: str, *, include_one: bool = False, noun: str = "probability", hint: str = "") -> float:
    """Return ``value`` as a float after checking it is a real number in [0, 1) (or [0, 1] with ``include_one``)."""
    return check_real(value, name, low=0.0, high=1.0, high_open=not include_one, noun=f"a {noun}", hint=hint)


def check_choice(value, choices: tuple, what: str, hint: str) -> str:
    """Return ``value`` after checking it is one of the strings ``choices``; ``what`` names it in the error."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{what} must be one of {choices}, got {value!r}. Hint: {hint}")
    return value


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
        raise ValueError(
            f"{name} expects a {ndim}-D input {layout}, got shape {tuple(x.shape)} ({x.ndim}-D).{hint}"
        )


def check_dtype_arg(dtype) -> np.dtype:
    """Return ``np.dtype(dtype)`` if it is float32 or float64."""
    try:
        dt = None if dtype is None else np.dtype(dtype)  # np.dtype(None) would be float64
    except TypeError:
        dt = None
    if dt is None or dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be np.float32 or np.float64, got {dtype!r}. "
                        "Hint: float32 to train, float64 for gradient checks.")
    return dt


def at_least_float32(x: np.ndarray) -> np.ndarray:
    """``x`` as float32 if it is half precision, else ``x`` itself (no copy).

    Ops that add up many numbers call this first: a float16 sum overflows past
    65504 even when the answer (a mean, a variance, a probability) fits.
    """
    return x.astype(np.float32) if x.dtype.kind == "f" and x.dtype.itemsize < 4 else x


def check_finite(a: np.ndarray, what: str, who: str, hint: str) -> None:
    """Raise ``ValueError`` if the array ``a`` holds NaN or inf: how many, and the first index.

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
        raise ValueError(
            f"{who} got {kind} in the {what}: {int(bad.sum())} of {a.size} entries are not finite "
            f"(first at index {first}). Hint: {hint}"
        )


def make_rng(seed, name: str = "seed") -> np.random.Generator:
    """``np.random.default_rng(seed)`` after checking ``seed`` is None, an int >= 0 or a numpy generator."""
    if isinstance(seed, (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)) or seed is None:
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{name} must be None or a non-negative integer, got {seed!r} of type {type(seed).__name__}. "
            f"Hint: {name}=0 makes the run repeatable; None draws fresh randomness."
        )
    if seed < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {seed}. Hint: {name}=0 makes the run repeatable.")
    return np.random.default_rng(int(seed))
