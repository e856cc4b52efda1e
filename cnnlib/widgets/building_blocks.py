"""Lesson 12's widgets: the gradient through a deep stack with and without skips; stacked 3×3 against one big conv.

>>> view = depth_gradient_view(depth=10)
>>> view.gradients.residual.shape
(11,)
>>> stack_view(n_stacked=3, channels=8).stack.stack_params
1728
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from .._checks import check_positive_int
from ..demos.building_blocks import (DepthGradients, KernelStack, Milestone, architecture_timeline, depth_gradients,
                                     depth_gradients_at, stack_vs_single)
from ..viz.building_blocks import (MAX_STACKED, draw_depth_gradients, draw_stack_vs_single, draw_timeline,
                                   times_text)
from .view_widget import ViewWidget, sliders

MAX_DEPTH = 40
DEPTHS = (10, 20, 30, 40)  # the slider's stops: computed together, once per setting of the other controls
INITS = (("He (cnnlib's default)", "he"), ("uniform (PyTorch's default)", "uniform"))
CHANNELS = (16, 32, 64, 128)


@dataclass(frozen=True)
class DepthGradientView:
    """What the depth widget drew: the SVG, the gradient sizes it plotted and the sentence under it."""

    svg: str
    gradients: DepthGradients
    message: str


def depth_gradient_view(depth: int = 30, batchnorm: bool = True, init: str = "he") -> DepthGradientView:
    """``‖dL/dx_l‖`` through ``depth`` blocks, plain and residual (SVG); the numbers are cached per setting."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be 1 to {MAX_DEPTH} blocks, got {depth!r}.")
    if depth in DEPTHS:
        g = depth_gradients_at(DEPTHS, batchnorm, init)[depth]
    else:
        g = depth_gradients(depth, batchnorm, init)
    plain, res = g.plain[0], g.residual[0]
    message = (f"At the input the gradient is {times_text(plain)}× its size at the top without skips, "
               f"{times_text(res)}× with them.")
    if res > 20:
        message += (" Without batch norm the skips add the block's output to x at every block: the signal and the "
                    "gradient grow instead (ResNet puts batch norm in every block).")
    return DepthGradientView(draw_depth_gradients(g), g, message)


def depth_gradient_widget(depth: int = 30, batchnorm: bool = True, init: str = "he") -> ViewWidget:
    """A depth slider (10 to 40 blocks), a batch-norm checkbox and an init menu driving :func:`depth_gradient_view`.

    All four depths of a setting come from one forward pass (:func:`~cnnlib.demos.building_blocks.depth_gradients_at`),
    computed the first time the setting is shown: moving the depth slider then only redraws the SVG.
    """
    style = {"description_width": "90px"}
    step = DEPTHS[1] - DEPTHS[0]
    controls = sliders({"depth": (DEPTHS[0], DEPTHS[-1], step)}, {"depth": depth}, {"depth": "blocks"},
                       width="320px", style=style)
    controls["batchnorm"] = widgets.Checkbox(value=batchnorm, description="batch norm", style=style)
    controls["init"] = widgets.Dropdown(options=INITS, value=init, description="init", style=style)
    return ViewWidget(controls, [depth_gradient_view], layout=widgets.HBox(list(controls.values())))


@dataclass(frozen=True)
class StackView:
    """What the stacked-convs widget drew: the SVG, the two models' counts and the sentence under it."""

    svg: str
    stack: KernelStack
    message: str


def stack_view(n_stacked: int = 3, channels: int = 64, bias: bool = False) -> StackView:
    """``n_stacked`` 3×3 convs against one ``(2n+1)×(2n+1)`` conv on ``channels`` channels (SVG)."""
    if not 1 <= n_stacked <= MAX_STACKED:
        raise ValueError(f"n_stacked must be 1 to {MAX_STACKED}, got {n_stacked!r}.")
    s = stack_vs_single(n_stacked, channels, bias)
    saved = s.single_params - s.stack_params
    message = (f"Both see {s.stack_rf}×{s.stack_rf} input pixels; the stack needs {s.stack_params:,} parameters, "
               f"the single {s.kernel_size}×{s.kernel_size} conv {s.single_params:,} ({saved:,} more).")
    return StackView(draw_stack_vs_single(s), s, message)


def stack_widget(n_stacked: int = 3, channels: int = 64) -> ViewWidget:
    """A slider (how many 3×3 convs) and a channel menu driving :func:`stack_view`."""
    if check_positive_int(channels, "channels") not in CHANNELS:
        raise ValueError(f"channels must be one of the menu's {CHANNELS}, got {channels!r}. "
                         f"Hint: for another count, call stack_view({n_stacked!r}, channels=...) directly.")
    style = {"description_width": "120px"}
    controls = sliders({"n_stacked": (1, MAX_STACKED)}, {"n_stacked": n_stacked}, {"n_stacked": "3×3 convs"},
                       width="320px", style=style)
    controls["channels"] = widgets.Dropdown(options=CHANNELS, value=channels, description="channels C", style=style)
    return ViewWidget(controls, [stack_view], layout=widgets.HBox(list(controls.values())))


@dataclass(frozen=True)
class TimelineView:
    """The LeNet → VGG → ResNet timeline (no controls: a lesson shows it with ``show``)."""

    svg: str
    milestones: list[Milestone]


def timeline_view() -> TimelineView:
    """LeNet-5 (counted by cnnlib), VGG-16 and ResNet-50 (quoted), with the ideas each added (SVG)."""
    milestones = architecture_timeline()
    return TimelineView(draw_timeline(milestones), milestones)
