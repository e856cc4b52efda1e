r"""Flatten, Dense (fully connected) and Dropout: the classifier head of a CNN."""
from __future__ import annotations

import numpy as np

from .._checks import (as_float_array, check_bool, check_dtype_arg, check_fraction, check_init, check_layer_dout,
                       check_positive_int, check_sample_shape, make_rng)
from .base import Layer
from .init import init_params


class Flatten(Layer):
    r"""Flatten every axis but the batch axis: :math:`(N, *) \to (N, \prod *)`.

    Backward reshapes ``dout`` back to the input's shape.

    Shape: input :math:`(N, C, H, W)`, output :math:`(N, C \cdot H \cdot W)`.

    >>> Flatten()(np.zeros((2, 64, 4, 4))).shape
    (2, 1024)
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return ``x`` reshaped to ``(N, features)``."""
        x = as_float_array(x, "x")
        if x.ndim < 2:
            raise ValueError(
                f"Flatten expects a batch (N, ...) of at least 2-D, got shape {x.shape}. "
                "Hint: the first axis is the batch; for one sample add it with x[None]."
            )
        self._cache = x.shape
        return x.reshape(x.shape[0], _features(x.shape))  # (N, C*H*W); -1 cannot be worked out when N = 0

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Return ``dout`` reshaped to the input's shape."""
        in_shape = self._get_cache()
        dout = check_layer_dout(dout, (in_shape[0], _features(in_shape)), self)
        if not self.requires_input_grad:
            return None
        return dout.reshape(in_shape)  # (N, C, H, W)

    def output_shape(self, input_shape):
        """``(prod(input_shape),)``."""
        shape = check_sample_shape(input_shape, "Flatten")
        if len(shape) == 0:
            raise ValueError("Flatten.output_shape() got (); one sample needs at least one axis.")
        return (int(np.prod(shape)),)


def _features(shape: tuple[int, ...]) -> int:
    """Number of features per sample of a batch of ``shape``: the product of every axis but the first."""
    return int(np.prod(shape[1:], dtype=np.int64))


class Dense(Layer):
    r"""Fully connected layer :math:`out = x W + b`.

    ``W`` is He-initialised, :math:`W \sim \mathcal{N}(0, 2/\text{in\_features})`,
    which keeps the activations' variance steady through ReLU layers; ``b``
    starts at zero (``init="uniform"`` draws both as PyTorch does; see ``cnnlib.layers.init``).

    Args:
        in_features: size of each input sample.
        out_features: size of each output sample.
        bias: learn an additive bias ``b`` (default True).
        dtype: float32 (default) or float64 for gradient checks.
        seed: seed of ``np.random.default_rng`` for ``W`` (default None).
        init: ``"he"`` (default) or ``"uniform"`` (PyTorch's default).

    Shape: input :math:`(N, \text{in\_features})`, output :math:`(N, \text{out\_features})`;
    ``W`` is ``(in_features, out_features)``, ``b`` is ``(out_features,)``.
    Backward: :math:`dW = x^T dout`, :math:`db = \sum_n dout`, :math:`dx = dout\, W^T`.

    >>> Dense(1024, 10, seed=0)(np.zeros((2, 1024))).shape
    (2, 10)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 dtype=np.float32, seed=None, init: str = "he") -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        self.bias = check_bool(bias, "bias", "Dense(..., bias=False) leaves the bias out.")
        self.dtype = check_dtype_arg(dtype)
        self.init = check_init(init, "Dense")
        W, b = init_params(make_rng(seed), (self.in_features, self.out_features),
                           self.out_features if self.bias else None, self.in_features, init, self.dtype)
        self.params["W"] = W
        if self.bias:
            self.params["b"] = b

    @classmethod
    def state_shapes(cls, in_features, out_features, bias=True, **config) -> dict[str, tuple]:
        """``W`` is ``(in_features, out_features)``, ``b`` ``(out_features,)``."""
        return {"W": (in_features, out_features), **({"b": (out_features,)} if bias else {})}

    def _check_input_shape(self, shape: tuple[int, ...]) -> None:
        """Raise ``ValueError`` unless ``shape`` is ``(N, in_features)``."""
        if len(shape) != 2:
            hint = " Hint: put a Flatten() before Dense." if len(shape) > 2 else " Hint: for one sample use x[None]."
            raise ValueError(
                f"Dense expects a 2-D input (N, in_features={self.in_features}), "
                f"got shape {shape} ({len(shape)}-D).{hint}"
            )
        if shape[1] != self.in_features:
            raise ValueError(
                f"Dense expected in_features={self.in_features} but got input with {shape[1]} features; "
                "hint: check the Flatten size / summary()."
            )

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return ``x @ W + b``; cache ``x``."""
        x = as_float_array(x, "x")
        self._check_input_shape(x.shape)
        out = x @ self.params["W"]  # (N, out_features)
        if self.bias:
            out = out + self.params["b"]
        self._cache = x
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Fill ``grads['W']`` (and ``'b'``); return ``dx`` unless ``requires_input_grad`` is False."""
        x = self._get_cache()
        dout = check_layer_dout(dout, (x.shape[0], self.out_features), self)
        W = self.params["W"]
        self.grads["W"] = (x.T @ dout).astype(W.dtype, copy=False)  # (in_features, out_features)
        if self.bias:
            self.grads["b"] = dout.sum(axis=0).astype(W.dtype, copy=False)  # (out_features,)
        if not self.requires_input_grad:
            return None
        return dout @ W.T  # (N, in_features)

    def output_shape(self, input_shape):
        """``(out_features,)`` for ``(in_features,)``."""
        shape = check_sample_shape(input_shape, "Dense")
        self._check_input_shape((1, *shape))
        return (self.out_features,)

    def multiply_adds(self, input_shape) -> int:
        """Every output unit adds up every input times its weight: ``in_features*out_features``.

        >>> Dense(1600, 128).multiply_adds((1600,))
        204800
        """
        self.output_shape(input_shape)
        return self.in_features * self.out_features

    def extra_repr(self) -> str:
        s = f"in_features={self.in_features}, out_features={self.out_features}"
        if not self.bias:
            s += ", bias=False"
        if self.dtype != np.float32:
            s += f", dtype={self.dtype}"
        if self.init != "he":
            s += f", init={self.init!r}"
        return s


class Dropout(Layer):
    r"""Inverted dropout: in training zero each entry with probability ``p`` and scale the rest by :math:`1/(1-p)`.

    The scaling keeps the expected output equal to the input, so evaluation
    is the identity. The mask comes from the layer's own generator
    ``self.rng`` (``np.random.default_rng(seed)``) and is reused by backward.

    Args:
        p: probability of dropping an entry, ``0 <= p < 1`` (default 0.5).
        seed: seed of the mask generator (default None).

    Shape: any input shape; the output has the same shape.

    >>> Dropout(0.5, seed=0).eval()(np.ones((1, 4)))
    array([[1., 1., 1., 1.]])
    """

    pointwise = True

    def __init__(self, p: float = 0.5, seed=None) -> None:
        super().__init__()
        self.p = check_fraction(p, "Dropout p", hint="p is the probability of dropping an entry; p=1 would drop "
                                "everything (and divide by zero in the 1/(1-p) scaling).")
        self.rng = make_rng(seed)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Apply the mask (training) or return ``x`` unchanged (eval)."""
        x = as_float_array(x, "x")
        if not self.training or self.p == 0:
            self._cache = (None, x.shape)
            return x
        scale = 1.0 / (1.0 - self.p)
        if scale > float(np.finfo(x.dtype).max):
            raise ValueError(f"Dropout(p={self.p}) scales the entries it keeps by 1/(1 - p) = {scale:.3g}, more than "
                             f"{x.dtype} holds ({np.finfo(x.dtype).max:.3g}). Hint: pass float32 input, or use a "
                             "smaller p (0.5 is usual).")
        keep = self.rng.random(x.shape) >= self.p  # same shape as x, True with probability 1-p
        mask = keep.astype(x.dtype) * x.dtype.type(scale)
        self._cache = (mask, x.shape)
        return x * mask

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Return ``dout`` times the forward's mask (unchanged in eval)."""
        mask, shape = self._get_cache()
        dout = check_layer_dout(dout, shape, self)
        if not self.requires_input_grad:
            return None
        return dout if mask is None else dout * mask

    def output_shape(self, input_shape):
        """Same shape as the input."""
        return check_sample_shape(input_shape, "Dropout")

    def extra_repr(self) -> str:
        return f"p={self.p}"
