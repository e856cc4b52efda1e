"""Activation functions drawn with their derivatives, and the gradient's size through a deep stack.

:func:`draw_activations` draws :func:`~cnnlib.demos.activations.activation_curves`;
:func:`draw_gradient_through_depth` draws
:func:`~cnnlib.demos.activations.gradients_through_depth`.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..demos.activations import ACTIVATIONS, SATURATED, ActivationCurve
from .palette import OKABE_ITO
from .style import LABEL_SIZE, TITLE_SIZE, new_figure

#: The function (solid), its derivative (dashed) and the saturated zones (shaded, named in the title): Okabe–Ito.
FUNC_COLOR, GRAD_COLOR, SAT_COLOR = OKABE_ITO["blue"], OKABE_ITO["vermillion"], "#f7f1a0"  # yellow, 50 %
#: One colour and one marker shape per activation in the depth figure.
DEPTH_COLORS = {"sigmoid": OKABE_ITO["vermillion"], "relu": OKABE_ITO["blue"], "tanh": OKABE_ITO["reddish purple"],
                "leaky_relu": OKABE_ITO["bluish green"]}
DEPTH_MARKERS = {"sigmoid": "o", "relu": "s", "tanh": "^", "leaky_relu": "D"}
_Y_LIMITS = {"relu": (-0.2, 3.2), "sigmoid": (-0.2, 1.6), "tanh": (-1.2, 1.6), "leaky_relu": (-1.2, 1.6)}


def draw_activations(curves: list[ActivationCurve]) -> Figure:
    """One panel per curve: the function (blue, solid), its derivative (red-orange, dashed), saturated zones shaded.

    Two panels per row, so that four curves fit a projected page (1024 px) at their natural size.
    """
    ncols = min(2, len(curves))
    nrows = -(-len(curves) // ncols)
    fig = new_figure(3.7 * ncols + 0.2, 3.3 * nrows + 0.4)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[len(curves):]:
        ax.set_axis_off()
    for ax, c in zip(axes, curves):
        for a, b in c.saturated:
            ax.axvspan(a, b, color=SAT_COLOR, linewidth=0)
        ax.plot(c.x, c.y, color=FUNC_COLOR, linewidth=2.5, label="f(x)")
        ax.plot(c.x, c.dy, color=GRAD_COLOR, linewidth=2, linestyle="--", label="f′(x)")
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.axvline(0, color="#888888", linewidth=0.8)
        ax.set_title(c.label, fontsize=TITLE_SIZE)
        ax.set_xlabel("x", fontsize=LABEL_SIZE)
        ax.tick_params(labelsize=LABEL_SIZE - 2)
        ax.grid(alpha=0.3)
        ax.set_ylim(*_Y_LIMITS[c.name])
        if c.name == "sigmoid":
            ax.annotate("max slope 0.25", xy=(0, 0.25), xytext=(1.2, 0.9), fontsize=LABEL_SIZE - 1,
                        arrowprops={"arrowstyle": "->", "color": "#444444"})
    axes[0].legend(fontsize=LABEL_SIZE - 1, loc="upper left")
    if any(c.saturated for c in curves):
        fig.suptitle(f"shaded: saturated, f′(x) < {SATURATED}: little gradient gets through",
                     fontsize=LABEL_SIZE + 1)
    return fig


def draw_gradient_through_depth(norms: dict[str, np.ndarray]) -> Figure:
    """Gradient size at every layer of a stack, one line per activation (``{name: norms}``), log scale."""
    fig = new_figure(6.8, 4.0)
    ax = fig.add_subplot()
    depth = len(next(iter(norms.values())))
    for name, values in norms.items():
        ax.semilogy(np.arange(1, depth + 1), values, color=DEPTH_COLORS.get(name), marker=DEPTH_MARKERS.get(name, "o"),
                    label=ACTIVATIONS[name][1])
    ax.set_xlabel("layer (1 = closest to the input)", fontsize=LABEL_SIZE)
    ax.set_ylabel("gradient size (RMS)", fontsize=LABEL_SIZE)
    ax.set_xticks(np.arange(1, depth + 1))
    ax.tick_params(labelsize=LABEL_SIZE - 2)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=LABEL_SIZE - 1)
    ax.set_title(f"the gradient flowing back through {depth} Dense + activation layers", fontsize=LABEL_SIZE + 1)
    return fig
