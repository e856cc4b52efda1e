"""Lesson 01 checkers: count the parameters of a dense layer and of a convolution."""
from __future__ import annotations

from .._checks import as_pair
from .feedback import STUCK, Feedback, not_answered


def _count(answer) -> float:
    """The answer as a number; a TypeError naming it when it is not one (a list, a string like "4,864")."""
    try:
        if isinstance(answer, (bool, str, bytes)):
            raise TypeError
        return float(answer)
    except (TypeError, ValueError):
        raise TypeError(f"answer must be a whole number of parameters, e.g. 896, got {answer!r}. Hint: write "
                        "it without quotes or commas, 896 or 896.0 (Python also reads 1_000 as 1000).") from None


def _read_count(answer, hints) -> int | Feedback:
    """The answer as an int, or the feedback to give at once: not answered yet, negative, or with a fraction."""
    if answer is None:
        return not_answered("your count of the parameters", hints=hints)
    value = _count(answer)
    if value < 0:
        return Feedback(False, f"you answered {value:.12g}: a count of parameters cannot be negative." + STUCK,
                        hints=hints)
    if not value.is_integer():
        return Feedback(False, f"you answered {value:.12g}: parameters are counted in whole numbers; every weight "
                               "and every bias is one parameter." + STUCK, hints=hints)
    return int(value)


def check_conv_params(answer, in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> Feedback:
    """Check the number of learnable parameters of ``Conv2D(in_channels, out_channels, kernel_size)``.

    >>> bool(check_conv_params(896, 3, 32, 3))
    True
    """
    kh, kw = as_pair(kernel_size, "kernel_size")
    weights = out_channels * in_channels * kh * kw
    right = weights + (out_channels if bias else 0)
    formula = f"C_out·C_in·KH·KW + C_out = {out_channels}·{in_channels}·{kh}·{kw} + {out_channels} = {right}"
    if not bias:
        formula = f"C_out·C_in·KH·KW = {out_channels}·{in_channels}·{kh}·{kw} = {right}"
    bias_part = " plus one bias per filter" if bias else ""
    hints = (f"A convolution's parameters are its filters' weights{bias_part}. The image size does not enter: "
             "every position reuses the same filters.",
             "Count one filter first: it has one KH×KW kernel for every input channel. Then count the filters: "
             "one per output channel.",
             f"The answer: {formula}.")
    answer = _read_count(answer, hints)
    if isinstance(answer, Feedback):  # not answered yet, negative or fractional: say so at once
        return answer
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
            return Feedback(False, f"you answered {answer}; {why}" + STUCK, hints=hints)
    return Feedback(False, f"you answered {answer}. Count C_out filters of size KH×KW×C_in{bias_part}." + STUCK,
                    hints=hints)


def check_dense_params(answer, in_features: int, out_features: int, bias: bool = True) -> Feedback:
    """Check the number of parameters of ``Dense(in_features, out_features)``.

    >>> bool(check_dense_params(3_146_752, 32 * 32 * 3, 1024))
    True
    """
    weights = in_features * out_features
    right = weights + (out_features if bias else 0)
    formula = (f"{in_features}·{out_features} weights + {out_features} biases = {right:,}" if bias
               else f"{in_features}·{out_features} weights = {right:,}")
    bias_part = ", plus one bias per output unit" if bias else ""
    hints = (f"A dense layer connects every input to every output unit, each connection with its own weight"
             f"{bias_part}.",
             "Count the inputs (in_features: the length of the flattened input) and the output units "
             "(out_features); every (input, output) pair has one weight.",
             f"The answer: {formula}.")
    answer = _read_count(answer, hints)
    if isinstance(answer, Feedback):  # not answered yet, negative or fractional: say so at once
        return answer
    if answer == right:
        return Feedback(True, f"{formula}.")
    if bias and answer == weights:
        return Feedback(False, f"you answered {answer}; you forgot the biases: one per output unit." + STUCK,
                        hints=hints)
    return Feedback(
        False, f"you answered {answer}. Every output unit sees every input: in_features·out_features weights"
        f"{bias_part}." + STUCK, hints=hints,
    )
