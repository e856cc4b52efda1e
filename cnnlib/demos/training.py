r"""The maths of lesson 08 (training by hand): learning-rate sweeps, activations through depth, BCE, early stopping.

* :func:`lr_sweep`: the same small network trained from the same start with
  the same batches at every learning rate of a log grid; each loss curve is
  kept up to the step where it blew up (inf, NaN, or above ``limit``);
* :func:`activation_stats`: the standard deviation of the activations of a
  deep ``Dense`` + ``ReLU`` stack, layer by layer, for a weight scale: He's
  :math:`\mathcal{N}(0, 2/\text{fan\_in})` keeps it, half of it shrinks it by
  about 2× per layer, twice it grows it by about 2× per layer;
* :func:`bce_naive` / :func:`bce_stable`: binary cross-entropy from a logit, as
  ``-log(sigmoid(z))`` and as the softplus form that never overflows;
* :func:`early_stopping`: the epoch with the best validation loss, and where a
  patience rule stops.

>>> float(bce_stable(np.array([40.0]), np.array([0.0]))[0])    # -log(1 - sigmoid(40)) = softplus(40)
40.0
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import as_float_array, check_finite, check_positive_int, check_real, is_real_number, make_rng
from ..layers import Dense, ReLU
from ..losses import CrossEntropy
from ..model import Sequential
from ..optim import SGD

#: The learning rates of the lesson's slider: 10^-3 to 10^1 in steps of 10^0.25 (17 stops).
LR_EXPONENTS = np.round(np.arange(-3.0, 1.0 + 1e-9, 0.25), 2)
DIVERGE_LIMIT = 100.0  # a cross-entropy above this has blown up (it starts near ln 10 ≈ 2.3; the sweep's at 2.57)


@dataclass(frozen=True)
class LRSweep:
    """Loss curves of one problem at many learning rates.

    ``losses[i, s]`` is the mean training loss over the whole training set
    after ``s`` steps at ``lrs[i]`` (NaN once the run diverged);
    ``diverged_at[i]`` is the first step whose loss was not finite or above
    ``limit`` (-1: never); ``reason[i]`` says which (``""``, ``"inf"``,
    ``"nan"`` or ``"too large"``).
    """

    lrs: np.ndarray
    losses: np.ndarray
    diverged_at: np.ndarray
    reason: tuple
    limit: float
    batch_size: int

    @property
    def steps(self) -> int:
        """Training steps per run."""
        return self.losses.shape[1] - 1

    def index(self, lr: float) -> int:
        """The index of the learning rate of the sweep nearest to ``lr`` (on a log scale)."""
        lr = check_real(lr, "lr", low=0, low_open=True, hint="the learning rate is a positive number.")
        return int(np.argmin(np.abs(np.log(self.lrs) - np.log(lr))))

    def final_loss(self) -> np.ndarray:
        """The last loss of every run (NaN for the runs that diverged)."""
        return self.losses[:, -1]

    def best(self) -> int:
        """The index of the learning rate with the lowest final loss."""
        return int(np.nanargmin(self.final_loss()))


def _as_batch(x, y):
    x = as_float_array(x, "x")
    y = np.asarray(y)
    if x.ndim < 2 or len(x) != len(y) or len(x) == 0:
        raise ValueError(f"lr_sweep needs x (N, features...) and y (N,) with the same N > 0, got shapes {x.shape} "
                         f"and {y.shape}. Hint: pass images and their labels, e.g. x[:1000], y[:1000].")
    return x.reshape(len(x), -1).astype(np.float64), y  # (N, features)


def small_mlp(in_features: int, hidden: int, classes: int, seed: int = 0) -> Sequential:
    """``Dense(in_features, hidden)``, ``ReLU``, ``Dense(hidden, classes)`` in float64, seeded."""
    return Sequential([Dense(in_features, hidden, dtype=np.float64, seed=seed), ReLU(),
                       Dense(hidden, classes, dtype=np.float64, seed=seed + 1)])


def lr_sweep(x, y, lrs=None, *, steps: int = 60, batch_size: int = 100, hidden: int = 32, seed: int = 0,
             limit: float = DIVERGE_LIMIT) -> LRSweep:
    """Train :func:`small_mlp` with plain SGD at every learning rate in ``lrs``; record the loss after every step.

    Every run starts from the same weights and sees the same batches (the
    data in order, ``batch_size`` at a time, wrapping around), so only the
    learning rate differs. The loss is measured on all of ``x`` (not on the
    noisy batch). A run stops at the first step whose loss is inf, NaN or
    above ``limit``: it has diverged, and its remaining entries are NaN.

    Args:
        x: inputs ``(N, ...)``, flattened to ``(N, features)``; y: integer labels ``(N,)``.
        lrs: the learning rates (default ``10 ** LR_EXPONENTS``, 0.001 to 10).
        steps: SGD steps per run (default 60).
        batch_size: samples per step (default 100).
        hidden: width of the hidden layer (default 32).
        seed: seeds the weights (default 0).
        limit: a loss above this counts as diverged (default 100).
    """
    x, y = _as_batch(x, y)
    lrs = 10.0 ** LR_EXPONENTS if lrs is None else np.asarray(lrs, dtype=float)
    if lrs.ndim != 1 or lrs.size == 0 or not np.all(lrs > 0):
        raise ValueError(f"lrs must be a 1-D list of positive learning rates, got {lrs!r}. Hint: np.logspace(-3, 1, 9).")
    steps, batch_size = check_positive_int(steps, "steps"), check_positive_int(batch_size, "batch_size")
    if not (is_real_number(limit) and limit > 0):  # inf is allowed: no cap, only inf and NaN count as diverged
        error = ValueError if is_real_number(limit) else TypeError
        raise error(f"limit must be a positive number (or np.inf), got {limit!r}. Hint: the loss above "
                    f"which a run counts as diverged, e.g. limit={DIVERGE_LIMIT:g}.")
    classes = int(y.max()) + 1
    losses = np.full((lrs.size, steps + 1), np.nan)
    diverged_at = np.full(lrs.size, -1)
    reasons = []
    loss_fn = CrossEntropy()
    starts = [(s * batch_size) % len(x) for s in range(steps)]
    for i, lr in enumerate(lrs):
        model = small_mlp(x.shape[1], hidden, classes, seed)
        opt = SGD(model, lr=float(lr))
        reason = ""
        for s in range(steps + 1):
            value, reason = _measured(model, loss_fn, x, y, limit)
            if reason:
                diverged_at[i] = s
                break
            losses[i, s] = value
            if s == steps:
                break
            idx = np.arange(starts[s], starts[s] + batch_size) % len(x)  # the same batches for every lr
            with np.errstate(over="ignore", invalid="ignore"):
                out = model.forward(x[idx])
                try:
                    loss_fn.forward(out, y[idx])
                except RuntimeError:  # the batch's loss overflowed: the next measurement says so
                    continue
                model.backward(loss_fn.backward())
                opt.step()
        reasons.append(reason)
    return LRSweep(lrs, losses, diverged_at, tuple(reasons), float(limit), batch_size)


def _measured(model, loss_fn, x, y, limit) -> tuple[float, str]:
    """The model's mean loss on ``(x, y)`` and ``""``, or ``(nan, why)`` if it has diverged."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = model.forward(x)
        if np.isnan(out).any():
            return np.nan, "nan"
        if not np.isfinite(out).all():
            return np.nan, "inf"
        try:
            value = loss_fn.forward(out, y)
        except RuntimeError:  # CrossEntropy refuses to return inf
            return np.nan, "inf"
    return (value, "") if value <= limit else (np.nan, "too large")


@dataclass(frozen=True)
class ActivationStats:
    r"""The std of the activations after every ``Dense`` + ``ReLU`` layer of a deep stack.

    ``std[0]`` is the input's; ``std[l]`` is the output of layer ``l``'s ReLU.
    ``gain`` multiplies He's standard deviation :math:`\sqrt{2/\text{fan\_in}}`;
    ``variance`` is the weights' variance times fan_in (2 for He, 1 for Xavier / LeCun).
    """

    label: str
    variance: float
    std: np.ndarray

    @property
    def ratio(self) -> float:
        """The mean factor by which the std changes per layer (geometric mean)."""
        return float((self.std[-1] / self.std[0]) ** (1 / (len(self.std) - 1)))


def activation_stats(variance: float = 2.0, depth: int = 15, width: int = 256, batch: int = 512, seed: int = 0,
                     label: str | None = None) -> ActivationStats:
    r"""Push a standard-normal batch through ``depth`` layers of ``Dense(width, width)`` + ``ReLU``.

    The weights are :math:`\mathcal{N}(0, \text{variance}/\text{fan\_in})`, biases 0: ``variance=2`` is He's
    initialisation (cnnlib's default), 1 is Xavier's / LeCun's, 0.5 and 8 are He's std halved and doubled.

    >>> round(activation_stats(2.0, depth=10).ratio, 1)
    1.0
    """
    variance = check_real(variance, "variance", low=0, low_open=True, hint="2 is He's initialisation.")
    depth, width = check_positive_int(depth, "depth"), check_positive_int(width, "width")
    rng = make_rng(seed)
    h = rng.standard_normal((check_positive_int(batch, "batch"), width))  # (batch, width)
    stds = [float(h.std())]
    relu = ReLU()
    for layer in range(depth):
        dense = Dense(width, width, dtype=np.float64, seed=seed + 1 + layer)  # He: N(0, 2 / fan_in)
        dense.params["W"] *= np.sqrt(variance / 2.0)  # now N(0, variance / fan_in)
        h = relu(dense(h))
        stds.append(float(h.std()))
    return ActivationStats(label or f"variance {variance:g}/fan_in", variance, np.array(stds))


def naive_sigmoid(z) -> np.ndarray:
    """:math:`1 / (1 + e^{-z})` written directly (``exp`` overflows to inf for z below about -709)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def bce_naive(z, y) -> np.ndarray:
    r"""Per-sample BCE :math:`-(y \log p + (1-y)\log(1-p))` with :math:`p = \sigma(z)` computed first.

    Gives inf when :math:`p` rounds to exactly 0 or 1 on the wrong side, and
    NaN when :math:`0 \cdot \log 0` appears.
    """
    z, y = _logits_and_targets(z, y, "bce_naive")
    p = naive_sigmoid(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_stable(z, y) -> np.ndarray:
    r"""Per-sample BCE from the logit: :math:`\max(z, 0) - z y + \log(1 + e^{-|z|})` (the softplus form).

    Equal to :func:`bce_naive` wherever that is finite; ``exp`` only ever sees
    :math:`-|z| \le 0`, so nothing overflows.
    """
    z, y = _logits_and_targets(z, y, "bce_stable")
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


def _logits_and_targets(z, y, who: str) -> tuple[np.ndarray, np.ndarray]:
    """Logits ``z`` and 0/1 targets ``y`` as float64 arrays of one shape, or a clear error."""
    z, y = as_float_array(z, "z", dtype=np.float64), as_float_array(y, "y", dtype=np.float64)
    if z.shape != y.shape:
        raise ValueError(f"{who} needs one target per logit, got logits of shape {z.shape} and targets of "
                         f"shape {y.shape}. Hint: z and y must have the same shape (numpy would broadcast them "
                         "into a table of every pair).")
    return z, y


@dataclass(frozen=True)
class EarlyStop:
    """Where early stopping lands on a validation curve (epochs counted from 1).

    ``best``: the epoch with the lowest validation loss (its weights are the
    ones to keep); ``stopped``: the epoch after which ``patience`` epochs in a
    row brought no improvement (the last epoch if that never happened).
    """

    best: int
    stopped: int
    best_loss: float
    patience: int


def early_stopping(val_losses, patience: int = 3) -> EarlyStop:
    """Apply early stopping with ``patience`` to a list of per-epoch validation losses.

    >>> early_stopping([0.9, 0.7, 0.6, 0.65, 0.7, 0.8, 0.9], patience=3)
    EarlyStop(best=3, stopped=6, best_loss=0.6, patience=3)
    """
    v = as_float_array(val_losses, "val_losses", dtype=np.float64)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"val_losses must be a non-empty list of per-epoch losses, got shape {v.shape}. "
                         "Hint: history.history['val_loss'] after fit(..., validation_data=...).")
    check_finite(v, "validation losses", "early_stopping", "a NaN or inf loss means that run diverged: there "
                 "is no best epoch to find. Lower the learning rate and train again, or pass the epochs before it.")
    patience = check_positive_int(patience, "patience")
    best, waited = 0, 0
    for epoch in range(1, v.size):
        if v[epoch] < v[best]:
            best, waited = epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return EarlyStop(best + 1, epoch + 1, float(v[best]), patience)
    return EarlyStop(best + 1, v.size, float(v[best]), patience)
