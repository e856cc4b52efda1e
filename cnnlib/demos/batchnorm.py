r"""Batch normalization on a batch of three-channel conv activations, before and after ``BatchNorm2D``.

Each channel of the batch has its own mean and spread; the student moves all
of them with a shift and a scale. In training mode ``BatchNorm2D`` uses the
batch's own per-channel mean and variance over :math:`(N, H, W)`, so every
channel comes out with mean :math:`\beta` and standard deviation
:math:`\gamma`, whatever the shift and scale. In evaluation mode it uses the
running statistics it collected while training on unshifted batches, so a
shifted batch comes out shifted.

>>> demo = batchnorm_demo(shift=3.0, gamma=2.0)
>>> bool(abs(demo.out_mean).max() < 1e-4), demo.out_std.round(2).tolist()   # every channel: mean β, std γ
(True, [2.0, 2.0, 2.0])
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_choice, check_positive_int, check_real, make_rng
from ..layers import BatchNorm2D

BASE_MEANS = (0.0, 3.0, -2.0)  # each channel's own mean before the shift and scale
BASE_STDS = (1.0, 0.5, 2.0)
BATCH_SHAPE = (16, 3, 6, 6)  # (N, C, H, W)
MODES = ("train", "eval")
HIST_BINS = 48
HIST_RANGES = {"before": (-8.0, 8.0), "after": (-4.0, 4.0)}  # widened when the values go further


def activation_batch(shift: float = 0.0, scale: float = 1.0, seed: int = 0) -> np.ndarray:
    """A batch ``(16, 3, 6, 6)``: channel ``c`` is ``scale * N(BASE_MEANS[c], BASE_STDS[c]²) + shift``."""
    shift, scale = (check_real(v, name, hint=f"{name} is one number for every channel, e.g. {name}=1.5.")
                    for v, name in ((shift, "shift"), (scale, "scale")))
    z = make_rng(seed).standard_normal(BATCH_SHAPE)
    means = np.array(BASE_MEANS).reshape(1, 3, 1, 1)  # broadcast over (N, C, H, W)
    stds = np.array(BASE_STDS).reshape(1, 3, 1, 1)
    return (scale * (means + stds * z) + shift).astype(np.float32)


def trained_running_stats(steps: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """``(running_mean, running_var)`` of a ``BatchNorm2D(3)`` trained on ``steps`` unshifted batches."""
    return _trained_running_stats(check_positive_int(steps, "steps"))  # checked first: True would hit 1's cache


@lru_cache(maxsize=1)
def _trained_running_stats(steps: int) -> tuple[np.ndarray, np.ndarray]:
    layer = BatchNorm2D(3)
    for step in range(steps):
        layer.forward(activation_batch(seed=100 + step))
    return layer.running_mean.copy(), layer.running_var.copy()


def channel_histograms(values, lo: float, hi: float, bins: int = HIST_BINS) -> tuple[np.ndarray, list[np.ndarray]]:
    """``(edges, counts)``: one histogram per channel of ``(N, C, H, W)`` values on common bins.

    The bins span ``[lo, hi]``, widened to the values' own range if they go further.
    """
    values = np.asarray(values)
    edges = np.linspace(min(lo, float(values.min())), max(hi, float(values.max())), bins + 1)
    return edges, [np.histogram(values[:, c], bins=edges)[0] for c in range(values.shape[1])]


@dataclass(frozen=True)
class BatchNormDemo:
    """Input, output, the per-channel statistics ``BatchNorm2D`` used (``used_*``) in ``mode``, and histograms.

    ``histograms["before"]`` and ``["after"]`` are ``(edges, counts)`` of :func:`channel_histograms`.
    """

    mode: str
    x: np.ndarray
    out: np.ndarray
    batch_mean: np.ndarray  # (C,) over (N, H, W)
    batch_var: np.ndarray
    used_mean: np.ndarray
    used_var: np.ndarray
    gamma: float
    beta: float
    histograms: dict

    @property
    def out_mean(self) -> np.ndarray:
        return self.out.mean(axis=(0, 2, 3))

    @property
    def out_std(self) -> np.ndarray:
        return self.out.std(axis=(0, 2, 3))


def batchnorm_demo(shift: float = 0.0, scale: float = 1.0, gamma: float = 1.0, beta: float = 0.0,
                   mode: str = "train") -> BatchNormDemo:
    """Normalise :func:`activation_batch` with cnnlib's ``BatchNorm2D`` (``gamma``, ``beta`` for every channel)."""
    mode = check_choice(mode, MODES, "mode", "'train' normalises with the batch's statistics, 'eval' with the "
                        "running ones.")
    shift, scale, gamma, beta = (check_real(v, name, hint=f"{name} is one number for every channel, e.g. {name}=1.5.")
                                 for v, name in ((shift, "shift"), (scale, "scale"), (gamma, "gamma"), (beta, "beta")))
    x = activation_batch(shift, scale)
    layer = BatchNorm2D(3)
    layer.params["gamma"][:] = gamma
    layer.params["beta"][:] = beta
    running_mean, running_var = trained_running_stats()
    layer.running_mean[:] = running_mean
    layer.running_var[:] = running_var
    batch_mean, batch_var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    if mode == "eval":
        layer.eval()
        used_mean, used_var = running_mean, running_var
    else:
        used_mean, used_var = batch_mean, batch_var
    out = layer.forward(x)
    histograms = {"before": channel_histograms(x, *HIST_RANGES["before"]),
                  "after": channel_histograms(out, *HIST_RANGES["after"])}
    return BatchNormDemo(mode, x, out, batch_mean, batch_var, used_mean, used_var, float(gamma), float(beta),
                         histograms)
