"""Classification metrics: accuracy, the confusion matrix and the pairs it mixes up most."""
from __future__ import annotations

import numpy as np

from ._checks import check_finite, check_labels, check_numeric, check_positive_int, check_target_rows


def accuracy(out: np.ndarray, y: np.ndarray, who: str = "accuracy") -> float | None:
    """Fraction of rows whose largest output is the right class, or ``None`` if not classification.

    ``out`` of shape ``(N, K)`` with ``K >= 2`` is classification: ``y`` must
    then hold integer labels in ``[0, K)`` ``(N,)`` or rows shaped like ``out``
    (one-hot or probabilities), else a ``ValueError``/``TypeError`` (``who``
    names the caller in it).
    """
    out, y = check_numeric(out, "out"), np.atleast_1d(np.asarray(y))
    if out.ndim != 2 or out.shape[1] < 2:
        return None
    if len(out) == 0:
        raise ValueError(f"{who}: out has no samples (shape {out.shape}); the accuracy of nothing is undefined. "
                         "Hint: pass at least one sample.")
    check_finite(out, "model outputs (their largest entry means nothing then)", who,
                 "the model diverged; train again with a lower learning rate.")
    if len(y) != len(out):
        raise ValueError(f"{who}: out has {len(out)} samples but y has {len(y)} (shapes {out.shape} and "
                         f"{y.shape}). Hint: pass the labels of the same samples.")
    if y.ndim == 1:
        labels = check_labels(y, out.shape[1], who)
    elif y.shape == out.shape:
        y = check_numeric(y, "y")  # one-hot or probability rows: a row of strings or NaNs has no right class
        check_target_rows(y, who)
        labels = y.argmax(axis=1)
    else:
        raise ValueError(
            f"{who}: y has shape {y.shape}, but the model puts out {out.shape[1]} class scores per sample "
            f"(shape {out.shape}); expected integer labels ({len(out)},) or one-hot rows {out.shape}. "
            "Hint: y.ravel() turns (N, 1) labels into (N,)."
        )
    return float(np.mean(out.argmax(axis=1) == labels))


def _labels(a, name: str) -> np.ndarray:
    a = np.asarray(a)
    if a.ndim != 1 or (a.size and a.dtype.kind not in "iu"):
        raise ValueError(
            f"{name} must be a 1-D array of integer class labels, got shape {a.shape} of {a.dtype}. "
            "Hint: turn model outputs (N, K) into labels with out.argmax(axis=1)."
        )
    if a.size and a.dtype.kind == "u" and a.max() > np.iinfo(np.int64).max:
        raise ValueError(f"{name} holds a label too large for a class index, {a.max()}. Hint: labels are 0..K-1.")
    return a.astype(np.int64)  # an empty list is float64 to numpy; uint64 and int64 do not mix


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Count how often class ``i`` (row) was predicted as class ``j`` (column).

    Args:
        y_true: true labels ``(N,)``.
        y_pred: predicted labels ``(N,)``, e.g. ``model.predict(x).argmax(axis=1)``.
        num_classes: ``K`` (default: largest label + 1).

    Shape:
        ``(K, K)`` int64; row sums are the class counts, the diagonal the
        correct predictions, so ``cm.trace() / cm.sum()`` is the accuracy.

    >>> confusion_matrix([0, 1, 1], [0, 1, 0])
    array([[1, 0],
           [1, 1]])
    """
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {len(y_true)} and {len(y_pred)}.")
    if num_classes is None:
        num_classes = int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1
    K = check_positive_int(num_classes, "num_classes")
    if K > 10_000:
        raise ValueError(f"confusion_matrix: {K} classes would make a {K}×{K} matrix. Hint: labels are 0..K-1 "
                         "class numbers; pass num_classes=K, or check that y holds labels, not pixel values or ids.")
    if y_true.size and (min(y_true.min(), y_pred.min()) < 0 or max(y_true.max(), y_pred.max()) >= K):
        raise ValueError(f"labels must lie in [0, {K}), got values from {min(y_true.min(), y_pred.min())} "
                         f"to {max(y_true.max(), y_pred.max())}. Hint: pass the right num_classes.")
    return np.bincount(y_true * K + y_pred, minlength=K * K).reshape(K, K).astype(np.int64)  # (K, K)


def most_confused_pairs(cm, k: int = 5) -> list[tuple[int, int, int]]:
    """The ``k`` largest off-diagonal entries as ``(true, predicted, count)``, largest first.

    Ties keep row-major order, so the result is deterministic. ``cm`` may hold
    counts or fractions (a normalised matrix); the third value is then a fraction.

    >>> most_confused_pairs(np.array([[5, 2], [4, 9]]), k=1)
    [(1, 0, 4)]
    """
    cm = check_numeric(cm, "cm")
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square (K, K) confusion matrix, got shape {cm.shape}.")
    check_finite(cm, "confusion matrix", "most_confused_pairs",
                 "pass the counts from confusion_matrix(y_true, y_pred).")
    if (cm < 0).any():
        raise ValueError(f"cm must hold counts (or fractions) >= 0, got a smallest entry of {cm.min()}. "
                         "Hint: pass the counts from confusion_matrix(y_true, y_pred).")
    k = check_positive_int(k, "k")
    off = cm.astype(np.float64)  # not int: a normalised matrix holds fractions
    np.fill_diagonal(off, -1)  # never pick a correct prediction
    order = np.argsort(-off.ravel(), kind="stable")[:k]
    count = int if cm.dtype.kind in "biu" else float
    return [(int(i), int(j), count(cm[i, j])) for i, j in zip(*np.unravel_index(order, cm.shape)) if off[i, j] > 0]
