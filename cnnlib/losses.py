r"""Loss functions: a scalar to minimise and its gradient with respect to the predictions.

Every loss has ``forward(pred, target)`` (also ``loss(pred, target)``),
which returns the mean loss as a Python float and caches what ``backward``
needs, and ``backward()``, which returns ``d loss / d pred`` with ``pred``'s
shape and dtype. Losses have no parameters.

For classification train on logits with ``CrossEntropy``: it fuses the
softmax and the log, so :math:`\log \text{softmax}(z) = z - \max z - \log\sum e^{z - \max z}`
stays finite for any logits, and its gradient is simply
:math:`(\text{softmax}(z) - y)/N`.
"""
from __future__ import annotations

import numpy as np

from ._checks import (as_class_targets, as_same_shape_target, at_least_float32, check_bool, check_fraction,
                      check_pred, check_probabilities, check_real, finite_loss_value)
from .layers.activations import stable_sigmoid


class Loss:
    """Base class: ``forward`` caches, ``backward`` reads the cache."""

    def __init__(self) -> None:
        self._cache = None

    def __call__(self, pred, target) -> float:
        return self.forward(pred, target)

    def forward(self, pred, target) -> float:
        """Return the mean loss and cache what backward needs."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def backward(self) -> np.ndarray:
        """Return ``d loss / d pred`` for the last forward."""
        raise NotImplementedError(f"{type(self).__name__} must implement backward")

    def _get_cache(self):
        """The cache of the last forward, or a ``RuntimeError``."""
        if self._cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before forward(). "
                "Hint: compute loss = loss_fn(pred, target) first; backward uses what forward cached."
            )
        return self._cache

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


# -- losses ---------------------------------------------------------------------------
class CrossEntropy(Loss):
    r"""Softmax cross-entropy from logits: :math:`-\frac1N \sum_n \sum_k y_{nk} \log \text{softmax}(z_n)_k`.

    Targets are integer labels ``(N,)`` or one-hot / probability rows ``(N, K)``.
    Backward: :math:`(\text{softmax}(z) - y)/N`. Same as ``torch.nn.CrossEntropyLoss``.

    Args:
        label_smoothing: :math:`\varepsilon` in [0, 1) (default 0). The target row
            becomes :math:`(1-\varepsilon)\,y + \varepsilon/K`: with 0.1 and 10 classes
            the network is asked for 0.91 on the right class and 0.01 on the others,
            which stops it growing its logits without bound on images it already gets right.
            The same formula as PyTorch's ``label_smoothing``.

    Shape: pred (logits) :math:`(N, K)`, target :math:`(N,)` or :math:`(N, K)`; output a float.

    >>> round(CrossEntropy()(np.array([[0.0, 0.0]]), np.array([1])), 6)  # ln 2
    0.693147
    """

    def __init__(self, label_smoothing: float = 0.0) -> None:
        super().__init__()
        self.label_smoothing = check_fraction(label_smoothing, "label_smoothing", noun="number",
                                              hint="0 turns it off; 0.1 is usual.")

    def forward(self, pred, target) -> float:
        """Mean cross-entropy of the logits ``pred`` against ``target``."""
        name = type(self).__name__
        pred = check_pred(pred, name, "logits", ndim=2, layout="(N, K)")
        z = at_least_float32(pred)  # float16 sums overflow past 65504
        n, k = z.shape
        y = as_class_targets(target, n, k, name, z.dtype)  # (N, K)
        if self.label_smoothing:
            y = (1 - self.label_smoothing) * y + self.label_smoothing / k  # (N, K), rows still sum to 1
        with np.errstate(over="ignore", invalid="ignore"):  # only logits near the float limit overflow: reported below
            shifted = z - z.max(axis=1, keepdims=True)  # (N, K), row max 0: exp cannot overflow
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log softmax, (N, K)
            total = -np.sum(y * log_p) / n
        self._cache = (np.exp(log_p), y, n, pred.dtype)
        return finite_loss_value(total, name, "logits", pred)

    def backward(self) -> np.ndarray:
        """``(softmax(pred) - y) / N``."""
        p, y, n, dtype = self._get_cache()
        return ((p - y) / n).astype(dtype, copy=False)

    def extra_repr(self) -> str:
        return f"label_smoothing={self.label_smoothing}" if self.label_smoothing else ""


class CategoricalCrossEntropy(Loss):
    r"""Cross-entropy from probabilities (e.g. ``Softmax`` outputs): :math:`-\frac1N \sum y \log \text{clip}(p)`.

    ``p`` is clipped to :math:`[\epsilon, 1]` so ``log`` stays finite; backward
    is :math:`-y / \text{clip}(p) / N` (seed 002's ``categorical_cross_entropy``).
    Prefer ``CrossEntropy`` on logits: it is exact where this one clips.

    Args:
        eps: lower clip of the probabilities (default 1e-12).

    Shape: pred :math:`(N, K)` in [0, 1], target :math:`(N,)` labels or :math:`(N, K)`; output a float.

    >>> round(CategoricalCrossEntropy()(np.array([[0.5, 0.5]]), np.array([0])), 6)
    0.693147
    """

    def __init__(self, eps: float = 1e-12) -> None:
        super().__init__()
        self.eps = _check_eps(eps)

    def forward(self, pred, target) -> float:
        """Mean cross-entropy of the probabilities ``pred`` against ``target``."""
        name = type(self).__name__
        pred = check_pred(pred, name, "probabilities", ndim=2, layout="(N, K)")
        check_probabilities(pred, name, "probabilities",
                             "pass Softmax outputs; for raw logits use CrossEntropy, which applies the softmax.")
        p = at_least_float32(pred)  # float16 sums overflow past 65504
        n, k = p.shape
        y = as_class_targets(target, n, k, name, p.dtype)  # (N, K)
        p = np.clip(p, self.eps, 1.0)
        self._cache = (p, y, n, pred.dtype)
        return finite_loss_value(-np.sum(y * np.log(p)) / n, name, "probabilities", pred)

    def backward(self) -> np.ndarray:
        """``-y / clip(p) / N``."""
        p, y, n, dtype = self._get_cache()
        return (-y / p / n).astype(dtype, copy=False)

    def extra_repr(self) -> str:
        return "" if self.eps == 1e-12 else f"eps={self.eps}"


class BinaryCrossEntropy(Loss):
    r"""Binary cross-entropy, averaged over every entry: :math:`-\text{mean}(y \log p + (1-y)\log(1-p))`.

    With ``from_logits=True`` ``pred`` holds logits :math:`z` and the loss is
    the stable :math:`\text{mean}(\max(z,0) - z y + \log(1 + e^{-|z|}))`
    (``torch.nn.BCEWithLogitsLoss``), with gradient :math:`(\sigma(z) - y)/M`.
    Otherwise ``pred`` holds probabilities, clipped by ``eps`` inside the logs;
    the gradient is :math:`(-y/p + (1-y)/(1-p))/M`. ``M`` is ``pred.size``.

    Args:
        from_logits: ``pred`` are logits, not probabilities (default False).
        eps: clip inside the logs of probabilities (default 1e-12).

    Shape: pred any shape, target the same shape with values in [0, 1]; output a float.

    >>> round(BinaryCrossEntropy(from_logits=True)(np.array([0.0]), np.array([1.0])), 6)
    0.693147
    """

    def __init__(self, from_logits: bool = False, eps: float = 1e-12) -> None:
        super().__init__()
        self.from_logits = check_bool(from_logits, "from_logits",
                                      "BinaryCrossEntropy(from_logits=True) when pred holds raw scores.")
        self.eps = _check_eps(eps)

    def forward(self, pred, target) -> float:
        """Mean binary cross-entropy of ``pred`` against ``target``."""
        name = type(self).__name__
        what = "logits" if self.from_logits else "probabilities"
        pred = check_pred(pred, name, what)
        if not self.from_logits:
            check_probabilities(pred, name, "probabilities",
                                 "pass Sigmoid outputs, or use BinaryCrossEntropy(from_logits=True) for raw scores.")
        z = at_least_float32(pred)  # float16 sums overflow past 65504
        y = as_same_shape_target(target, z, name)
        check_probabilities(y, name, "targets", "targets are 0/1 labels or probabilities.")
        if self.from_logits:
            losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
            self._cache = ("logits", stable_sigmoid(z), y, pred.dtype)
        else:
            p, q = np.maximum(z, self.eps), np.maximum(1 - z, self.eps)  # p and 1 - p, clipped
            losses = -(y * np.log(p) + (1 - y) * np.log(q))
            self._cache = ("probabilities", (p, q), y, pred.dtype)
        return finite_loss_value(np.mean(losses), name, what, pred)

    def backward(self) -> np.ndarray:
        """``(sigmoid(z) - y)/M`` from logits, ``(-y/p + (1-y)/(1-p))/M`` from probabilities."""
        kind, saved, y, dtype = self._get_cache()
        if kind == "logits":
            return ((saved - y) / y.size).astype(dtype, copy=False)
        p, q = saved
        return ((-y / p + (1 - y) / q) / y.size).astype(dtype, copy=False)

    def extra_repr(self) -> str:
        parts = ["from_logits=True"] if self.from_logits else []
        if self.eps != 1e-12:
            parts.append(f"eps={self.eps}")
        return ", ".join(parts)


class MSE(Loss):
    r"""Mean squared error :math:`\text{mean}((pred - target)^2)`; backward :math:`2(pred - target)/M`.

    Shape: pred any shape, target the same shape; output a float. ``M`` is ``pred.size``.

    >>> MSE()(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
    5.0
    """

    def forward(self, pred, target) -> float:
        """Mean of the squared differences."""
        name = type(self).__name__
        pred = check_pred(pred, name, "pred")
        p = at_least_float32(pred)  # a float16 square overflows past 255
        with np.errstate(over="ignore", invalid="ignore"):  # reported by _loss_value
            diff = p - as_same_shape_target(target, p, name)
            total = np.mean(diff * diff)
        self._cache = (diff, pred.dtype)
        return finite_loss_value(total, name, "pred", pred)

    def backward(self) -> np.ndarray:
        """``2 (pred - target) / M``."""
        diff, dtype = self._get_cache()
        return (2 * diff / diff.size).astype(dtype, copy=False)


def _check_eps(eps) -> float:
    return check_real(eps, "eps", low=0, high=1, low_open=True, high_open=True, hint="1e-12 is usual.")
