"""Input checks shared by the losses: finite values, prediction shapes, class and same-shape targets.

Each raises a ``ValueError``/``TypeError`` that names the loss, the value
received, what was expected and how to fix it.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_finite

_DIVERGED = "this usually means training diverged; lower the learning rate, or check the input data for NaN."


def _check_finite(a: np.ndarray, loss: str, what: str) -> None:
    check_finite(a, what, loss, _DIVERGED)


def _check_pred(pred, loss: str, what: str, ndim: int | None = None, layout: str = "") -> np.ndarray:
    pred = as_float_array(pred, what)
    if ndim is not None and pred.ndim != ndim:
        raise ValueError(
            f"{loss} expects {what} of shape {layout} ({ndim}-D), got shape {pred.shape} ({pred.ndim}-D). "
            "Hint: the model's last layer should be Dense(..., num_classes)."
        )
    if pred.size == 0:
        raise ValueError(
            f"{loss} got empty {what} of shape {pred.shape}; the mean of nothing is undefined. "
            "Hint: pass a batch of at least one sample."
        )
    _check_finite(pred, loss, what)
    return pred


def _check_probabilities(p: np.ndarray, loss: str, what: str, hint: str) -> None:
    lo, hi = float(p.min()), float(p.max())
    if lo < 0 or hi > 1:
        raise ValueError(f"{loss} expects {what} in [0, 1], got values in [{lo:.4g}, {hi:.4g}]. Hint: {hint}")


def _loss_value(total, loss: str, what: str, pred: np.ndarray) -> float:
    """``float(total)``, or a ``RuntimeError`` if it overflowed although every input was finite."""
    value = float(total)
    if not np.isfinite(value):
        raise RuntimeError(
            f"{loss} became {value} although the {what} are finite: values from {float(pred.min()):.3g} to "
            f"{float(pred.max()):.3g} are too large for {pred.dtype}. Hint: {_DIVERGED}"
        )
    return value


def check_labels(t: np.ndarray, k: int, who: str) -> np.ndarray:
    """Return the class labels ``t`` ``(N,)`` after checking they are integers in ``[0, k)``."""
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{who} labels of shape (N,) must be integer class indices, got dtype {t.dtype}. "
            "Hint: convert with y.astype(np.int64), or pass one-hot/probability rows of shape (N, K)."
        )
    bad = (t < 0) | (t >= k)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{who} got label {int(t[i])} at index {i}, but the predictions have K={k} classes, so labels "
            f"must be in [0, {k}). Hint: labels are 0-based class indices (shift 1-based labels with y - 1); "
            "check the last Dense layer's out_features equals the number of classes."
        )
    return t


def _check_rows_sum_to_one(t: np.ndarray, loss: str, what: str, hint: str) -> None:
    """Each row of ``t`` ``(N, K)`` sums to 1, to the precision of its dtype (at least 1e-6)."""
    eps = np.finfo(t.dtype).eps if t.dtype.kind == "f" else 0.0
    tol = max(1e-6, 4 * t.shape[1] * eps)  # the rounding of K additions
    sums = t.sum(axis=1, dtype=np.float64)
    bad = np.abs(sums - 1) > tol
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{loss} got {what} rows that do not sum to 1: {int(bad.sum())} of {len(t)} rows, the first is "
            f"row {i}, summing to {sums[i]:.6g} (tolerance {tol:.1g}). Hint: {hint}"
        )


def _check_target_rows(t: np.ndarray, loss: str) -> None:
    """One-hot / probability rows: finite, in [0, 1], each summing to 1."""
    _check_finite(t, loss, "targets")
    _check_probabilities(t, loss, "one-hot/probability targets",
                         "each row (N, K) is a distribution over the K classes; or pass integer labels (N,).")
    _check_rows_sum_to_one(t, loss, "target", "one-hot/probability rows must each sum to 1; divide soft labels by "
                          "their row sums, or pass integer labels (N,).")


def _class_targets(target, n: int, k: int, loss: str, dtype) -> np.ndarray:
    """Return targets as an ``(N, K)`` float matrix: one-hot rows for integer labels."""
    t = np.asarray(target)
    if t.dtype.kind not in "iubf":
        raise TypeError(
            f"{loss} targets must be numeric, got dtype {t.dtype}. "
            "Hint: integer class labels (N,) or one-hot / probability rows (N, K)."
        )
    if t.ndim not in (1, 2):
        raise ValueError(
            f"{loss} targets must be integer labels of shape (N,) or one-hot/probability rows (N, K), "
            f"got shape {t.shape}."
        )
    if t.shape[0] != n:
        raise ValueError(
            f"{loss} got predictions for N={n} samples but {t.shape[0]} targets. "
            "Hint: pass the labels of the same batch as the inputs (x[i:i+B] with y[i:i+B])."
        )
    if t.ndim == 2:
        if t.shape[1] != k:
            raise ValueError(
                f"{loss} got one-hot/probability targets with {t.shape[1]} columns but predictions with "
                f"K={k} classes. Hint: the target width must equal the last Dense layer's out_features."
            )
        _check_target_rows(t, loss)
        return t.astype(dtype)
    check_labels(t, k, loss)
    onehot = np.zeros((n, k), dtype=dtype)  # (N, K)
    onehot[np.arange(n), t] = 1
    return onehot


def _same_shape_target(target, pred: np.ndarray, loss: str) -> np.ndarray:
    t = as_float_array(target, "target")
    if t.shape != pred.shape:
        raise ValueError(
            f"{loss} needs target of the same shape as pred {pred.shape}, got {t.shape}. "
            "Hint: reshape with target.reshape(pred.shape) (e.g. (N,) labels against (N, 1) outputs)."
        )
    _check_finite(t, loss, "targets")
    return t.astype(pred.dtype, copy=False)
