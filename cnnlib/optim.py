r"""Optimizers: they own the update ``param -= ...``; layers only compute gradients.

In order of increasing complexity, following ``torch.optim`` exactly (so a
model trained here and in PyTorch from the same start follows the same path):

* ``SGD``: :math:`g \leftarrow g + \lambda p`; with momentum
  :math:`b \leftarrow \mu b + g` (:math:`b = g` on the first step), :math:`g \leftarrow b`;
  then :math:`p \leftarrow p - \eta g`.
* ``Adam``: :math:`g \leftarrow g + \lambda p`,
  :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`, :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`,
  :math:`p \leftarrow p - \eta\, \frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}`.

Parameters are updated in place, so ``layer.params['W']`` keeps pointing at
the same array.
"""
from __future__ import annotations

import math

import numpy as np

from ._checks import check_gradient, check_real, check_real_pair
from .layers.base import Layer


def collect_params(model) -> list[tuple[Layer, str]]:
    """Return ``(layer, name)`` for every parameter of ``model``.

    ``model`` is anything with a ``layers`` attribute (e.g. ``Sequential``),
    a list/tuple of layers (which may themselves have ``layers``), or a
    single ``Layer``. Each layer is visited once.

    >>> from cnnlib.layers import Dense
    >>> [(type(l).__name__, k) for l, k in collect_params([Dense(2, 3)])]
    [('Dense', 'W'), ('Dense', 'b')]
    """
    found: list[tuple[Layer, str]] = []
    seen: set[int] = set()

    def visit(obj) -> None:
        if isinstance(obj, Layer) and not hasattr(obj, "layers"):
            if id(obj) not in seen:
                seen.add(id(obj))
                found.extend((obj, name) for name in obj.params)
        elif hasattr(obj, "layers"):
            visit(list(obj.layers))
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                visit(item)
        else:
            raise TypeError(
                f"Optimizers take a model with a .layers attribute, a list of layers or a Layer, "
                f"got {type(obj).__name__}. Hint: SGD(model, lr=0.01) with model = Sequential([...])."
            )

    visit(model)
    return found


class Optimizer:
    """Base class: collects the parameters, checks the gradients, zeroes them."""

    def __init__(self, model, lr: float, weight_decay: float) -> None:
        self.lr = check_real(lr, "lr", low=0, low_open=True, hint="0.01 to 0.1 is usual for SGD, 1e-3 for Adam.")
        self.weight_decay = check_real(weight_decay, "weight_decay", low=0, hint="0 turns it off; 5e-4 is usual.")
        self.param_refs = collect_params(model)
        for layer, name in self.param_refs:
            p = layer.params[name]
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"{type(self).__name__}: {type(layer).__name__} parameter '{name}' must be a float "
                                f"array to be trained, got {getattr(p, 'dtype', type(p).__name__)}. Hint: build the "
                                "layer with dtype=np.float32 (the default) or np.float64.")
        if not self.param_refs:
            raise ValueError(
                f"{type(self).__name__} got a model with no parameters. Hint: it needs layers with "
                "weights (Dense, Conv2D, BatchNorm2D); pass the model itself, e.g. SGD(model, lr=0.01)."
            )
        self.state: list[dict] = [{} for _ in self.param_refs]

    def _grad(self, layer: Layer, name: str) -> np.ndarray:
        """The gradient of ``layer.params[name]`` plus weight decay, after checking it exists."""
        p = layer.params[name]
        g = check_gradient(layer.grads.get(name), p, f"{type(self).__name__}.step()",
                           f"{type(layer).__name__} parameter '{name}'")
        if self.weight_decay:
            g = g + self.weight_decay * p
        return g

    def step(self) -> None:
        """Update every parameter in place from its gradient (all gradients checked first: no half step)."""
        grads = [self._grad(layer, name) for layer, name in self.param_refs]
        for i, ((layer, name), g) in enumerate(zip(self.param_refs, grads)):
            self._update(layer.params[name], g, self.state[i])

    def zero_grad(self) -> None:
        """Set every gradient to zero (``backward`` overwrites them anyway)."""
        for layer in {id(layer): layer for layer, _ in self.param_refs}.values():
            layer.zero_grad()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional momentum and L2 weight decay (``torch.optim.SGD``).

    Args:
        model: a model with ``layers``, a list of layers or a layer.
        lr: learning rate :math:`\eta > 0`.
        momentum: :math:`\mu \ge 0` (default 0: plain SGD).
        weight_decay: :math:`\lambda \ge 0`, added to the gradient as :math:`\lambda p` (default 0).

    >>> from cnnlib.layers import Dense
    >>> opt = SGD([Dense(4, 2)], lr=0.1, momentum=0.9)
    """

    def __init__(self, model, lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(model, lr, weight_decay)
        self.momentum = check_real(momentum, "momentum", low=0, hint="0 is plain SGD; 0.9 is usual.")

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        if self.momentum:
            if "momentum_buffer" not in state:
                # b = g on the first step
                state["momentum_buffer"] = np.array(g, dtype=p.dtype, copy=True)
            else:
                buf = state["momentum_buffer"]
                buf *= self.momentum
                buf += g
            g = state["momentum_buffer"]
        p -= self.lr * g

    def extra_repr(self) -> str:
        s = f"lr={self.lr}"
        if self.momentum:
            s += f", momentum={self.momentum}"
        if self.weight_decay:
            s += f", weight_decay={self.weight_decay}"
        return s


class Adam(Optimizer):
    r"""Adam with bias-corrected moment estimates and L2 weight decay (``torch.optim.Adam``).

    Args:
        model: a model with ``layers``, a list of layers or a layer.
        lr: learning rate :math:`\eta > 0` (default 1e-3).
        betas: decay rates :math:`(\beta_1, \beta_2)`, each in [0, 1) (default (0.9, 0.999)).
        eps: added to the denominator (default 1e-8).
        weight_decay: :math:`\lambda \ge 0`, added to the gradient as :math:`\lambda p` (default 0).

    >>> from cnnlib.layers import Dense
    >>> opt = Adam([Dense(4, 2)], lr=1e-3)
    """

    def __init__(self, model, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(model, lr, weight_decay)
        self.betas = check_real_pair(betas, "betas", "(beta1, beta2)", "betas=(0.9, 0.999).", low=0, high=1,
                                     high_open=True)
        self.eps = check_real(eps, "eps", low=0, low_open=True,
                              hint="1e-8 is usual; it keeps the step finite where v is 0.")

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        beta1, beta2 = self.betas
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(p)  # m
            state["exp_avg_sq"] = np.zeros_like(p)  # v
            state["scratch"] = np.empty_like(p)  # reused every step: no new arrays in the hot loop
        state["step"] += 1
        t, m, v, tmp = state["step"], state["exp_avg"], state["exp_avg_sq"], state["scratch"]
        bias_correction1 = 1 - beta1 ** t
        bias_correction2 = 1 - beta2 ** t
        # The formulas of the module docstring, written in place (4x faster than with temporaries):
        m *= beta1
        m += np.multiply(g, 1 - beta1, out=tmp)  # m = beta1 m + (1 - beta1) g
        v *= beta2
        np.multiply(g, g, out=tmp)
        v += np.multiply(tmp, 1 - beta2, out=tmp)  # v = beta2 v + (1 - beta2) g^2
        denom = np.sqrt(v, out=tmp)
        denom /= math.sqrt(bias_correction2)
        denom += self.eps  # sqrt(v / bias_correction2) + eps
        step = np.divide(m, denom, out=tmp)
        step *= self.lr / bias_correction1
        p -= step

    def extra_repr(self) -> str:
        s = f"lr={self.lr}"
        if self.betas != (0.9, 0.999):
            s += f", betas={self.betas}"
        if self.eps != 1e-8:
            s += f", eps={self.eps}"
        if self.weight_decay:
            s += f", weight_decay={self.weight_decay}"
        return s
