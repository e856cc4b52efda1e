"""Lesson 01 checkers: count the parameters of a dense layer and of a convolution."""
from __future__ import annotations

from .._checks import as_pair
from .feedback import Feedback, not_answered


def _count(answer) -> int:
    if isinstance(answer, bool) or not float(answer).is_integer():
        raise TypeError(f"answer must be a whole number of parameters, got {answer!r}.")
    return int(answer)


def check_conv_params(answer, in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> Feedback:
    """Check the number of learnable parameters of ``Conv2D(in_channels, out_channels, kernel_size)``.

    >>> bool(check_conv_params(896, 3, 32, 3))
    True
    """
    if answer is None:
        return not_answered("your count of the parameters")
    answer = _count(answer)
    kh, kw = as_pair(kernel_size, "kernel_size")
    weights = out_channels * in_channels * kh * kw
    right = weights + (out_channels if bias else 0)
    formula = f"C_out·C_in·KH·KW + C_out = {out_channels}·{in_channels}·{kh}·{kw} + {out_channels} = {right}"
    if not bias:
        formula = f"C_out·C_in·KH·KW = {out_channels}·{in_channels}·{kh}·{kw} = {right}"
    if answer == right:
        return Feedback(True, f"{formula}. The count does not depend on the image size: that is weight sharing.")
    mistakes = [
        (weights, "you forgot the biases: one per filter, so add C_out."),
        (out_channels * kh * kw + (out_channels if bias else 0),
         f"you forgot the depth: each filter is {kh}×{kw}×{in_channels}, one kernel per input channel."),
        (in_channels * kh * kw + 1, "that is one filter: the layer has C_out of them."),
        (weights + out_channels * in_channels, "one bias per filter, not one per kernel (per input channel)."),
    ]
    for guess, why in mistakes:
        if answer == guess:
            return Feedback(False, f"you answered {answer}; {why}")
    return Feedback(False, f"you answered {answer}. Count C_out filters of size KH×KW×C_in plus one bias each.")


def check_dense_params(answer, in_features: int, out_features: int, bias: bool = True) -> Feedback:
    """Check the number of parameters of ``Dense(in_features, out_features)``.

    >>> bool(check_dense_params(3_146_752, 32 * 32 * 3, 1024))
    True
    """
    if answer is None:
        return not_answered("your count of the parameters")
    answer = _count(answer)
    weights = in_features * out_features
    right = weights + (out_features if bias else 0)
    if answer == right:
        return Feedback(True, f"{in_features}·{out_features} weights + {out_features if bias else 0} biases = {right:,}.")
    if answer == weights:
        return Feedback(False, f"you answered {answer}; you forgot the biases: one per output unit.")
    return Feedback(
        False, f"you answered {answer}. Every output unit sees every input: in_features·out_features weights, "
        "plus one bias per output unit.",
    )
