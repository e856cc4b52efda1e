"""Checks of single arguments: ints, pairs, bools, real numbers, choices, dtypes and seeds.

Each check returns the value in its clean form (an int, a pair, a float) or
raises ``ValueError``/``TypeError`` with the value received, the value
expected and a hint to fix it.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

IMPLS = ("fast", "naive")
INITS = ("he", "uniform")


def as_pair(value, name: str, *, minimum: int = 1) -> tuple[int, int]:
    """Return ``value`` as an ``(h, w)`` pair of ints, each ``>= minimum``.

    >>> as_pair(3, "kernel_size")
    (3, 3)
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r} (a bool). "
                        f"Hint: write {name}={int(value)} or {name}=({int(value)}, {int(value)}).")
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
        whole = is_real_number(value) and float(value).is_integer()
        hint = f"write {name}={int(value)}" if whole else f"a whole number such as {name}={max(minimum, 1)}"
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}. Hint: {hint}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}. Hint: use {name}={minimum} or more.")
    return int(value)


def check_positive_ints(*, minimum: int = 1, **named) -> list[int]:
    """Each named value checked by :func:`check_positive_int`, in order: ``n, k = check_positive_ints(n=n, k=k)``.

    >>> check_positive_ints(size=5, stride=2)
    [5, 2]
    """
    return [check_positive_int(value, name, minimum=minimum) for name, value in named.items()]


def check_bool(value, name: str, hint: str) -> bool:
    """Return ``value`` as a bool after checking it is ``True`` or ``False`` (not 1, not "yes")."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}. Hint: {hint}")
    return bool(value)


def is_real_number(value) -> bool:
    """True for one real number (int, float, numpy scalar), False for bools, strings, arrays and the rest."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_real(value, name: str, *, low: float = -math.inf, high: float = math.inf, low_open: bool = False,
               high_open: bool = False, noun: str = "a number", hint: str = "") -> float:
    """Return ``value`` as a float after checking it is a finite real number in the given range.

    Bools, strings and arrays are a ``TypeError``; NaN, inf and values out of
    range a ``ValueError``. ``low_open``/``high_open`` exclude the bounds.

    >>> check_real(0.1, "lr", low=0, low_open=True)
    0.1
    """
    tail = f" Hint: {hint}" if hint else ""
    if not is_real_number(value):
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


def check_real_pair(value, name: str, pair: str, hint: str, **limits) -> tuple[float, float]:
    """Return ``value`` as a pair of floats, each checked by ``check_real(..., **limits)``.

    ``pair`` spells the expected form in the error, e.g. ``"(beta1, beta2)"``.

    >>> check_real_pair((0.9, 0.999), "betas", "(beta1, beta2)", "betas=(0.9, 0.999).", low=0, high=1)
    (0.9, 0.999)
    """
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise TypeError(f"{name} must be a pair {pair}, got {value!r}. Hint: {hint}")
    return tuple(check_real(v, f"{name}[{i}]", hint=hint, **limits) for i, v in enumerate(value))


def check_fraction(value, name: str, *, include_one: bool = False, noun: str = "probability", hint: str = "") -> float:
    """Return ``value`` as a float after checking it is a real number in [0, 1) (or [0, 1] with ``include_one``)."""
    return check_real(value, name, low=0.0, high=1.0, high_open=not include_one, noun=f"a {noun}", hint=hint)


def check_choice(value, choices: tuple, what: str, hint: str) -> str:
    """Return ``value`` after checking it is one of the strings ``choices``; ``what`` names it in the error."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{what} must be one of {choices}, got {value!r}. Hint: {hint}")
    return value


def check_impl(impl, who: str) -> str:
    """Return ``impl`` after checking it is ``"fast"`` or ``"naive"``."""
    return check_choice(impl, IMPLS, f"{who} impl", "'naive' runs the readable loops, 'fast' the vectorized version.")


def check_init(init, layer: str) -> str:
    """Return ``init`` after checking it names a weight initialisation of ``INITS``."""
    return check_choice(init, INITS, f"{layer}: init", "'he' (the default) suits ReLU networks; 'uniform' is "
                        "PyTorch's default.")


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
