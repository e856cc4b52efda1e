r"""Activation functions and their derivatives, and what saturation does to gradients in a deep stack.

The curves come from cnnlib's own layers: ``forward`` gives :math:`f(x)` and
``backward`` of a ``dout`` of ones gives :math:`f'(x)` (the chain rule with
an upstream gradient of 1). :func:`gradient_through_depth` pushes a gradient
back through a stack of ``Dense`` + activation layers and records its size
at every layer: with sigmoid each layer multiplies it by :math:`\sigma'(x) \le 1/4`
(the weights can make up part of that, so the measured shrink per layer is a little less).

>>> activation_curve("sigmoid", [0.0])
(array([0.5]), array([0.25]))
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_choice, check_positive_int, check_real
from ..layers import Dense, LeakyReLU, ReLU, Sigmoid, Tanh

#: name -> (layer factory, label)
ACTIVATIONS = {
    "relu": (ReLU, "ReLU"),
    "sigmoid": (Sigmoid, "sigmoid"),
    "tanh": (Tanh, "tanh"),
    "leaky_relu": (lambda: LeakyReLU(0.1), "leaky ReLU (slope 0.1)"),
}
SATURATED = 0.05  # where the derivative is below this, we call the unit saturated
SATURATING = ("sigmoid", "tanh")  # the activations whose flat tails matter


def _check_name(name: str) -> None:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}. Hint: choose one of {', '.join(ACTIVATIONS)}.")


def activation_curve(name: str, x) -> tuple[np.ndarray, np.ndarray]:
    """``(f(x), f'(x))`` for the activation ``name``, computed by the cnnlib layer's forward and backward."""
    _check_name(name)
    layer = ACTIVATIONS[name][0]()
    x = np.asarray(x, dtype=np.float64)[None]  # (1, n): a batch of one row
    y = layer.forward(x)
    dydx = layer.backward(np.ones_like(y))  # chain rule with dout = 1: the derivative itself
    return y[0], dydx[0]


def saturated_ranges(x, grad, threshold: float = SATURATED) -> list[tuple[float, float]]:
    """The ``(start, end)`` intervals of ``x`` where ``grad < threshold``.

    >>> saturated_ranges([0, 1, 2, 3], [0.0, 1.0, 0.0, 0.0])
    [(0.0, 0.0), (2.0, 3.0)]
    """
    x, low = np.asarray(x, dtype=float), np.asarray(grad) < threshold
    edges = np.flatnonzero(np.diff(np.concatenate([[0], low.astype(int), [0]])))  # where runs start and stop
    return [(float(x[a]), float(x[b - 1])) for a, b in zip(edges[::2], edges[1::2])]


@dataclass(frozen=True)
class ActivationCurve:
    """One activation on a grid of ``x``: ``f(x)``, ``f'(x)`` and where it saturates (sigmoid and tanh only)."""

    name: str
    label: str
    x: np.ndarray
    y: np.ndarray
    dy: np.ndarray
    saturated: list


def activation_curves(names=tuple(ACTIVATIONS), x_max: float = 6.0, n: int = 481) -> list[ActivationCurve]:
    """:func:`activation_curve` of every activation in ``names`` on ``n`` points of ``[-x_max, x_max]``."""
    x_max = check_real(x_max, "x_max", low=0, low_open=True, hint="6 shows where sigmoid and tanh saturate.")
    x = np.linspace(-x_max, x_max, check_positive_int(n, "n", minimum=2))
    curves = []
    for name in names:
        y, dy = activation_curve(name, x)
        saturated = saturated_ranges(x, dy) if name in SATURATING else []
        curves.append(ActivationCurve(name, ACTIVATIONS[name][1], x, y, dy, saturated))
    return curves


def gradient_through_depth(activation: str, depth: int = 10, width: int = 64, batch: int = 32,
                           seed: int = 0, *, gain: float = 2.0, wrt: str = "x") -> np.ndarray:
    """Size of the gradient reaching each layer of ``depth`` × (Dense → activation), from the top down.

    Returns ``norms`` with ``norms[d]`` the root-mean-square of ``dL/dx`` at
    the input of block ``d`` (0 = the first block) for an upstream gradient of
    ones at the top; with ``wrt="W"``, of ``dL/dW`` of block ``d``'s ``Dense``.
    The ``Dense`` weights have variance ``gain / fan_in``: 2 is He
    initialisation (cnnlib's default), 1 LeCun's (the same draws, scaled).

    >>> g = gradient_through_depth("relu", depth=3)
    >>> g.shape
    (3,)
    """
    _check_name(activation)
    depth, width, batch = (check_positive_int(v, name) for v, name in ((depth, "depth"), (width, "width"),
                                                                       (batch, "batch")))
    gain = check_real(gain, "gain", low=0, low_open=True,
                      hint="the weights' variance is gain / fan_in: 2 for He initialisation, 1 for LeCun's.")
    wrt = check_choice(wrt, ("x", "W"), "wrt", "'x' measures dL/dx at each block's input, 'W' each Dense's dL/dW.")
    rng = np.random.default_rng(seed)
    blocks = [(Dense(width, width, dtype=np.float64, seed=seed + d), ACTIVATIONS[activation][0]())
              for d in range(depth)]
    for dense, _ in blocks:
        dense.params["W"] *= np.sqrt(gain / 2.0)  # He's draws have variance 2 / fan_in
    h = rng.standard_normal((batch, width))
    for dense, act in blocks:
        h = act.forward(dense.forward(h))
    grad = np.ones_like(h)
    norms = np.zeros(depth)
    for d in range(depth - 1, -1, -1):
        dense, act = blocks[d]
        grad = dense.backward(act.backward(grad))
        measured = grad if wrt == "x" else dense.grads["W"]
        norms[d] = np.sqrt(np.mean(measured ** 2))
    return norms


def gradients_through_depth(activations=("sigmoid", "relu"), depth: int = 10) -> dict[str, np.ndarray]:
    """:func:`gradient_through_depth` for each activation, by name (what the depth figure draws)."""
    return {name: gradient_through_depth(name, depth) for name in activations}
