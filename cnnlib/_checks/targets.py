"""Checks of predictions, targets and data pairs: what the losses, metrics and training loop take in.

Each raises a ``ValueError``/``TypeError`` that names the caller (a loss,
``fit``, ``evaluate``), the value received, what was expected and how to fix
it. A loss that overflows although its inputs are finite is a ``RuntimeError``.
"""
from __future__ import annotations

import numpy as np

from .arrays import as_float_array, check_finite

DIVERGED_HINT = "this usually means training diverged; lower the learning rate, or check the input data for NaN."
BAD_DATA_HINT = "clean the data first, e.g. drop those samples or fill them in with np.nan_to_num(x)."


def check_pred(pred, loss: str, what: str, ndim: int | None = None, layout: str = "") -> np.ndarray:
    """Return a loss's predictions as a float array: ``ndim`` axes (if given), not empty, finite."""
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
    check_finite(pred, what, loss, DIVERGED_HINT)
    return pred


def check_probabilities(p: np.ndarray, loss: str, what: str, hint: str) -> None:
    """Raise ``ValueError`` unless every entry of ``p`` is in [0, 1]."""
    lo, hi = float(p.min()), float(p.max())
    if lo < 0 or hi > 1:
        raise ValueError(f"{loss} expects {what} in [0, 1], got values in [{lo:.4g}, {hi:.4g}]. Hint: {hint}")


def finite_loss_value(total, loss: str, what: str, pred: np.ndarray) -> float:
    """``float(total)``, or a ``RuntimeError`` if it overflowed although every input was finite."""
    value = float(total)
    if not np.isfinite(value):
        raise RuntimeError(
            f"{loss} became {value} although the {what} are finite: values from {float(pred.min()):.3g} to "
            f"{float(pred.max()):.3g} are too large for {pred.dtype}. Hint: {DIVERGED_HINT}"
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


def check_target_rows(t: np.ndarray, loss: str) -> None:
    """One-hot / probability rows: finite, in [0, 1], each summing to 1."""
    check_finite(t, "targets", loss, BAD_DATA_HINT)  # the targets are data, not the model's output
    check_probabilities(t, loss, "one-hot/probability targets",
                        "each row (N, K) is a distribution over the K classes; or pass integer labels (N,).")
    _check_rows_sum_to_one(t, loss, "target", "one-hot/probability rows must each sum to 1; divide soft labels by "
                           "their row sums, or pass integer labels (N,).")


def as_class_targets(target, n: int, k: int, loss: str, dtype) -> np.ndarray:
    """Return class targets as an ``(N, K)`` float matrix: one-hot rows for integer labels ``(N,)``."""
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
        check_target_rows(t, loss)
        return t.astype(dtype)
    check_labels(t, k, loss)
    onehot = np.zeros((n, k), dtype=dtype)  # (N, K)
    onehot[np.arange(n), t] = 1
    return onehot


def as_same_shape_target(target, pred: np.ndarray, loss: str) -> np.ndarray:
    """Return ``target`` as a finite float array of ``pred``'s shape and dtype."""
    t = as_float_array(target, "target")
    if t.shape != pred.shape:
        raise ValueError(
            f"{loss} needs target of the same shape as pred {pred.shape}, got {t.shape}. "
            "Hint: reshape with target.reshape(pred.shape) (e.g. (N,) labels against (N, 1) outputs)."
        )
    check_finite(t, "targets", loss, DIVERGED_HINT)
    return t.astype(pred.dtype, copy=False)


def check_xy(x, y, who: str = "evaluate", data: str = "") -> tuple[np.ndarray, np.ndarray]:
    """``x`` as a float array and ``y`` as an array: the same number of samples, at least one, all finite.

    ``who`` names the caller and ``data`` the pair (``"validation_data "``) in the errors.
    """
    x = as_float_array(x, f"{data}x")
    y = np.asarray(y)
    what = f"{who}: {data}x and y"
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"{what} must be arrays with a batch axis, got shapes {x.shape} and {y.shape}.")
    if len(x) != len(y):
        raise ValueError(
            f"{what} must have the same number of samples, got {len(x)} inputs and {len(y)} targets. "
            "Hint: x[i] and y[i] should be one sample and its label."
        )
    if len(x) == 0:
        raise ValueError(f"{what} are empty (0 samples). Hint: pass at least one sample; a mean over none is "
                         "undefined.")
    check_finite(x, f"{data}x" if data else "input x", who, BAD_DATA_HINT)
    if y.dtype.kind == "f":
        check_finite(y, f"{data}y" if data else "targets y", who, BAD_DATA_HINT)
    return x, y
