r"""Activation functions and their derivatives, and what saturation does to gradients in a deep stack.

The curves come from cnnlib's own layers: ``forward`` gives :math:`f(x)` and
``backward`` of a ``dout`` of ones gives :math:`f'(x)` (the chain rule with
an upstream gradient of 1). :func:`gradient_through_depth` pushes a gradient
back through a stack of ``Dense`` + activation layers and records its size
at every layer: with sigmoid it shrinks by at least 4× per layer, because
:math:`\sigma'(x) \le 1/4`.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..layers import Dense, LeakyReLU, ReLU, Sigmoid, Tanh
from .style import LABEL_SIZE, TITLE_SIZE, new_figure

#: name -> (layer factory, label)
ACTIVATIONS = {
    "relu": (ReLU, "ReLU"),
    "sigmoid": (Sigmoid, "sigmoid"),
    "tanh": (Tanh, "tanh"),
    "leaky_relu": (lambda: LeakyReLU(0.1), "leaky ReLU (slope 0.1)"),
}
SATURATED = 0.05  # where the derivative is below this, we call the unit saturated
_FUNC_COLOR, _GRAD_COLOR, _SAT_COLOR = "#1f77b4", "#d62728", "#f5c26b"


def activation_curve(name: str, x) -> tuple[np.ndarray, np.ndarray]:
    """``(f(x), f'(x))`` for the activation ``name``, computed by the cnnlib layer's forward and backward."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}. Hint: choose one of {', '.join(ACTIVATIONS)}.")
    layer = ACTIVATIONS[name][0]()
    x = np.asarray(x, dtype=np.float64)[None]  # (1, n): a batch of one row
    y = layer.forward(x)
    dydx = layer.backward(np.ones_like(y))  # chain rule with dout = 1: the derivative itself
    return y[0], dydx[0]


def saturated_ranges(x, grad, threshold: float = SATURATED) -> list[tuple[float, float]]:
    """The ``(start, end)`` intervals of ``x`` where ``grad < threshold``."""
    x, low = np.asarray(x), np.asarray(grad) < threshold
    ranges, start = [], None
    for xi, flag in zip(x, low):
        if flag and start is None:
            start = xi
        if not flag and start is not None:
            ranges.append((float(start), float(prev)))
            start = None
        prev = xi
    if start is not None:
        ranges.append((float(start), float(x[-1])))
    return ranges


def draw_activations(names=tuple(ACTIVATIONS), x_max: float = 6.0) -> Figure:
    """One panel per activation: the function (blue), its derivative (red, dashed), saturated zones shaded."""
    x = np.linspace(-x_max, x_max, 481)
    fig = new_figure(3.6 * len(names), 3.8)
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names):
        y, dy = activation_curve(name, x)
        label = ACTIVATIONS[name][1]
        if name in ("sigmoid", "tanh"):
            for a, b in saturated_ranges(x, dy):
                ax.axvspan(a, b, color=_SAT_COLOR, alpha=0.35, linewidth=0)
        ax.plot(x, y, color=_FUNC_COLOR, linewidth=2.5, label="f(x)")
        ax.plot(x, dy, color=_GRAD_COLOR, linewidth=2, linestyle="--", label="f′(x)")
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.axvline(0, color="#888888", linewidth=0.8)
        ax.set_title(label, fontsize=TITLE_SIZE)
        ax.set_xlabel("x", fontsize=LABEL_SIZE)
        ax.tick_params(labelsize=LABEL_SIZE - 2)
        ax.grid(alpha=0.3)
        ax.set_ylim(-1.2 if name in ("tanh", "leaky_relu") else -0.2, 1.6 if name != "relu" else 3.2)
        if name == "sigmoid":
            ax.annotate("max slope 0.25", xy=(0, 0.25), xytext=(1.2, 0.9), fontsize=LABEL_SIZE - 1,
                        arrowprops={"arrowstyle": "->", "color": "#444444"})
    axes[0].legend(fontsize=LABEL_SIZE - 1, loc="upper left")
    if any(n in ("sigmoid", "tanh") for n in names):
        fig.suptitle(f"shaded: saturated, f′(x) < {SATURATED}: almost no gradient gets through",
                     fontsize=LABEL_SIZE + 1)
    return fig


def gradient_through_depth(activation: str, depth: int = 10, width: int = 64, batch: int = 32,
                           seed: int = 0) -> np.ndarray:
    """Size of the gradient reaching each layer of ``depth`` × (Dense → activation), from the top down.

    Returns ``norms`` with ``norms[d]`` the root-mean-square of ``dL/dx`` at
    the input of block ``d`` (0 = the first block) for an upstream gradient of
    ones at the top. ``Dense`` layers are He-initialised (cnnlib's default).
    """
    rng = np.random.default_rng(seed)
    blocks = [(Dense(width, width, dtype=np.float64, seed=seed + d), ACTIVATIONS[activation][0]())
              for d in range(depth)]
    h = rng.standard_normal((batch, width))
    for dense, act in blocks:
        h = act.forward(dense.forward(h))
    grad = np.ones_like(h)
    norms = np.zeros(depth)
    for d in range(depth - 1, -1, -1):
        dense, act = blocks[d]
        grad = dense.backward(act.backward(grad))
        norms[d] = np.sqrt(np.mean(grad ** 2))
    return norms


def draw_gradient_through_depth(activations=("sigmoid", "relu"), depth: int = 10) -> Figure:
    """Gradient size at every layer of a ``depth``-layer stack, one line per activation, log scale."""
    fig = new_figure(6.8, 4.0)
    ax = fig.add_subplot()
    colors = {"sigmoid": "#d62728", "relu": "#1f77b4", "tanh": "#9467bd", "leaky_relu": "#2ca02c"}
    for name in activations:
        norms = gradient_through_depth(name, depth)
        ax.semilogy(np.arange(1, depth + 1), norms, "o-", color=colors.get(name), label=ACTIVATIONS[name][1])
    ax.set_xlabel("layer (1 = closest to the input)", fontsize=LABEL_SIZE)
    ax.set_ylabel("gradient size (RMS)", fontsize=LABEL_SIZE)
    ax.set_xticks(np.arange(1, depth + 1))
    ax.tick_params(labelsize=LABEL_SIZE - 2)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=LABEL_SIZE - 1)
    ax.set_title(f"the gradient flowing back through {depth} Dense + activation layers", fontsize=LABEL_SIZE + 1)
    return fig
