"""Where does the time go? Time a function, or every layer of one training step.

Timings on a shared machine are noisy: take the median of several repeats
and compare implementations measured the same way, side by side.
"""
from __future__ import annotations

import statistics
import time
from typing import NamedTuple

from ._checks import check_positive_int


def time_call(fn, repeats: int = 5, warmup: int = 1) -> float:
    """Median seconds of ``repeats`` calls of ``fn()`` after ``warmup`` untimed calls.

    >>> time_call(lambda: sum(range(1000))) < 1
    True
    """
    repeats = check_positive_int(repeats, "repeats")
    warmup = check_positive_int(warmup, "warmup", minimum=0)
    if not callable(fn):
        raise TypeError(f"time_call needs a function to call, got {fn!r}. Hint: wrap the call in a lambda, "
                        "time_call(lambda: model.forward(x)).")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


class PartTime(NamedTuple):
    """One row of a step profile: the part's name, ``"forward"``/``"backward"``/``"update"``, median ms."""

    part: str
    phase: str
    ms: float


def profile_step(model, loss, optimizer, x, y, repeats: int = 5) -> list[PartTime]:
    """Median milliseconds of every layer's forward and backward, the loss, and the optimizer step.

    Runs ``repeats + 1`` full training steps on the batch ``(x, y)`` (the first
    one untimed) exactly as ``fit`` does, with the first layer's
    ``requires_input_grad`` off. The model is updated, as in training.

    Returns rows in execution order: forward of each layer, the loss, backward
    of each layer (last first), the update.
    """
    repeats = check_positive_int(repeats, "repeats")
    first = model.layers[0]
    needed = first.requires_input_grad
    first.requires_input_grad = False
    runs: list[list[PartTime]] = []
    try:
        model.train()
        for r in range(repeats + 1):
            rows, h = [], x
            for i, layer in enumerate(model.layers):
                t0 = time.perf_counter()
                h = layer.forward(h)
                rows.append(PartTime(f"{i} {layer!r}", "forward", 1e3 * (time.perf_counter() - t0)))
            t0 = time.perf_counter()
            loss.forward(h, y)
            d = loss.backward()
            rows.append(PartTime(type(loss).__name__, "loss", 1e3 * (time.perf_counter() - t0)))
            for i in reversed(range(len(model.layers))):
                t0 = time.perf_counter()
                d = model.layers[i].backward(d)
                rows.append(PartTime(f"{i} {model.layers[i]!r}", "backward", 1e3 * (time.perf_counter() - t0)))
            t0 = time.perf_counter()
            optimizer.step()
            rows.append(PartTime(type(optimizer).__name__, "update", 1e3 * (time.perf_counter() - t0)))
            if r:  # the first step warms caches and allocates optimizer state
                runs.append(rows)
    finally:
        first.requires_input_grad = needed
    return [PartTime(p.part, p.phase, statistics.median(run[k].ms for run in runs)) for k, p in enumerate(runs[0])]
