"""Lesson 12 checkers: a 1×1 conv's parameters, the field of stacked 3×3 convs, the shortcut a block needs.

Wrong answers are matched against the classic slips: a 1×1 conv counted as a
3×3 one or without its biases; receptive fields added (``n·K``) or multiplied
(``K**n``) instead of growing by ``K − 1`` per layer; an identity shortcut on a
block that changes the shape, a projection without the block's stride.
Every wrong answer carries staged hints (``result.hint(1)``, ``(2)``, ``(3)``).
"""
from __future__ import annotations

from ..layers import AvgPool2D, BatchNorm2D, Conv2D, Layer, ReLU, Residual
from ..shapes import conv_output_size
from .feedback import STUCK, Feedback, not_answered, whole_answer


def check_pointwise_params(answer, in_channels: int, out_channels: int, bias: bool = True) -> Feedback:
    """Check the parameter count of ``Conv2D(in_channels, out_channels, 1)``.

    >>> bool(check_pointwise_params(2_080, 64, 32))
    True
    """
    c_in, c_out = in_channels, out_channels
    biases = c_out if bias else 0
    right = c_in * c_out + biases
    formula = f"C_out·C_in·1·1 + C_out = {c_out}·{c_in} + {biases} = {right:,}" if bias else \
        f"C_out·C_in·1·1 = {c_out}·{c_in} = {right:,}"
    hints = ("A 1×1 conv is a Dense layer applied at every pixel: C_in inputs, C_out outputs.",
             "Count it like Dense(C_in, C_out): one weight per (input channel, output channel) pair, "
             + ("plus one bias per output channel." if bias else "and no bias here."),
             f"The answer: {formula}.")
    if answer is None:
        return not_answered(f"your count for Conv2D({in_channels}, {out_channels}, 1)", hints=hints)
    got = whole_answer(answer, "a parameter count", hints=hints)
    if isinstance(got, Feedback):  # a number with a fraction
        return got
    if got == right:
        return Feedback(True, f"{formula}: the same count as Dense({c_in}, {c_out}), whatever the image size.")
    slips = [
        (c_in * c_out if bias else None, "you forgot the biases: one per output channel, so add C_out."),
        (9 * c_in * c_out + biases, "that is a 3×3 conv: a 1×1 kernel has one weight per input channel, not 9."),
        (c_in * c_out + c_in if bias else None, "one bias per output channel (per filter), not per input channel."),
        (2 * c_in * c_out if bias else None, "one bias per filter, not one per weight."),
        (c_in + biases, "that is one filter: the layer has C_out filters of C_in weights each."),
    ]
    for guess, why in slips:
        if guess is not None and got == guess:
            return Feedback(False, f"you answered {got:,} for Conv2D({c_in}, {c_out}, 1); {why}" + STUCK, hints=hints)
    return Feedback(False, f"you answered {got:,} for Conv2D({c_in}, {c_out}, 1)." + STUCK, hints=hints)


def check_stacked_receptive_field(answer, n_layers: int, kernel_size: int = 3) -> Feedback:
    """Check the receptive field (side, in input pixels) of ``n_layers`` stacked stride-1 ``kernel_size`` convs.

    >>> bool(check_stacked_receptive_field(7, 3))
    True
    """
    n, k = n_layers, kernel_size
    right = n * (k - 1) + 1
    hints = (f"Each stride-1 {k}×{k} conv widens what a unit sees by K − 1 = {k - 1} pixels: {k // 2} on each side.",
             f"Start from one pixel (r = 1) and add K − 1 = {k - 1} per layer: r = 1 + n·(K − 1).",
             f"The answer: 1 + {n}·{k - 1} = {right}, the same as one {right}×{right} conv.")
    if answer is None:
        return not_answered(f"the receptive field of {n} stacked {k}×{k} convs (one number: its side)", hints=hints)
    got = whole_answer(answer, "input pixels along one side", hints=hints)
    if isinstance(got, Feedback):  # a number with a fraction
        return got
    if got == right:
        return Feedback(True, f"r = 1 + n·(K − 1) = 1 + {n}·{k - 1} = {right}: {n} stacked {k}×{k} convs see "
                              "as far "
                              f"as one {right}×{right} conv.")
    slips = [
        (n * k, f"you added the kernel sizes: neighbouring windows overlap by K − 1 pixels, so each layer adds "
                f"only K − 1 = {k - 1}."),
        (k ** n, "you multiplied the kernel sizes: that would be a stride equal to the kernel; at stride 1 the "
                 "field grows by K − 1 per layer, not by a factor."),
        (n * (k - 1), "almost: you forgot the pixel you started from (r₀ = 1)."),
        (n * (k - 1) - 1, "you subtracted one too many: r = 1 + n·(K − 1)."),
    ]
    for guess, why in slips:
        if got == guess and guess != right:
            return Feedback(False, f"you answered {got} for {n} stacked {k}×{k} convs; {why}" + STUCK, hints=hints)
    return Feedback(False, f"you answered {got} for {n} stacked {k}×{k} convs." + STUCK, hints=hints)


def residual_block(in_channels: int, out_channels: int, stride: int = 1) -> list[Layer]:
    """ResNet's basic block body: conv 3×3 (stride) → BN → ReLU → conv 3×3 → BN."""
    return [Conv2D(in_channels, out_channels, 3, stride=stride, padding=1, bias=False, seed=0),
            BatchNorm2D(out_channels), ReLU(),
            Conv2D(out_channels, out_channels, 3, padding=1, bias=False, seed=1), BatchNorm2D(out_channels)]


def _layers(shortcut) -> list:
    """The layers of a shortcut answer (a layer, a list of layers or a Sequential); [] for anything else."""
    if isinstance(shortcut, Layer):
        return [shortcut]
    layers = getattr(shortcut, "layers", shortcut)
    return list(layers) if isinstance(layers, (list, tuple)) else []


def _convs(shortcut) -> list[Conv2D]:
    return [layer for layer in _layers(shortcut) if isinstance(layer, Conv2D)]


def check_shortcut(answer, in_channels: int, out_channels: int, stride: int = 1, size: int = 8) -> Feedback:
    """Check the shortcut chosen for :func:`residual_block` ``(in_channels → out_channels, stride)``.

    ``answer`` is ``"identity"``, or the projection: a layer, a list of layers or a ``Sequential``.

    >>> bool(check_shortcut("identity", 16, 16))
    True
    >>> bool(check_shortcut([Conv2D(16, 32, 1, stride=2, bias=False), BatchNorm2D(32)], 16, 32, stride=2))
    True
    """
    c_in, c_out, s = in_channels, out_channels, stride
    setting = f"a block {c_in} → {c_out} channels, stride {s}"
    in_shape = (c_in, size, size)
    side = conv_output_size(size, 3, s, 1)  # the block's first conv sets the size, the second keeps it
    block_shape = (c_out, side, side)
    needs_projection = (c_in, size, size) != block_shape
    projection = f"[Conv2D({c_in}, {c_out}, 1, stride={s}, bias=False), BatchNorm2D({c_out})]"
    hints = (f"The block maps x {in_shape} to {block_shape}; y = block(x) + shortcut(x) adds two arrays, so "
             "the shortcut must give the block's shape.",
             "Same shape: the identity (free, and the gradient passes unchanged). Different channels or size: a "
             "1×1 conv with the block's stride (then batch norm), the cheapest map to that shape.",
             f"The answer: my_shortcut = {projection if needs_projection else repr('identity')}.")
    if answer is None:
        return not_answered(f"\"identity\" or your projection shortcut for {setting}", hints=hints)
    if isinstance(answer, str):
        if answer.strip().lower() != "identity":
            return Feedback(False, f"you answered {answer!r}: write \"identity\", or the projection itself as "
                                   "layers, e.g. [Conv2D(...), BatchNorm2D(...)]." + STUCK, hints=hints)
        if not needs_projection:
            return Feedback(True, f"{setting} keeps the shape {in_shape}, so x itself is added: no parameters, "
                                  "and the gradient reaches x unchanged.")
        what = "channels" if c_in != c_out else "size"
        what = "channels and size" if c_in != c_out and s != 1 else what
        return Feedback(False, f"the block changes the {what}: {in_shape} → {block_shape}, so x cannot be "
                               "added to its output as it is." + STUCK, hints=hints)
    try:
        Residual(residual_block(c_in, c_out, s), shortcut=answer).output_shape(in_shape)
    except (ValueError, TypeError) as exc:
        convs = _convs(answer) if not isinstance(answer, str) else []
        if convs and convs[0].stride != (s, s) and s != 1:
            why = f"the projection must use the block's stride {s}, or its output keeps the input's size."
        elif convs and convs[0].in_channels != c_in:
            why = f"the projection reads x, which has {c_in} channels: Conv2D({c_in}, {c_out}, 1, ...)."
        else:
            why = str(exc)
        return Feedback(False, f"that shortcut does not fit {setting}: {why}" + STUCK, hints=hints)
    if not needs_projection:
        return Feedback(False, f"that works, but {setting} keeps the shape: the identity adds nothing to learn and "
                               "passes the gradient unchanged; a projection here only costs parameters." + STUCK,
                        hints=hints)
    nonlinear = [type(layer).__name__ for layer in _layers(answer)
                 if not isinstance(layer, (Conv2D, BatchNorm2D, AvgPool2D))]  # average pooling is linear too
    if nonlinear:
        return Feedback(False, f"the shapes fit, but {nonlinear[0]} makes the shortcut non-linear. ResNet's projection "
                               "is linear (a 1×1 conv, then batch norm): it only changes x's shape, so the shortcut "
                               "carries x, and its gradient, past the block with nothing switched off or dropped." + STUCK,
                        hints=hints)
    convs = _convs(answer)
    if convs and convs[0].kernel_size != (1, 1):
        k = convs[0].kernel_size[0]
        return Feedback(False, f"the shapes fit, but a {k}×{k} projection has {k * k}× the weights of a 1×1 one; "
                               "the shortcut only needs to match the shape, so ResNet uses 1×1." + STUCK,
                        hints=hints)
    pools = [layer for layer in _layers(answer) if isinstance(layer, AvgPool2D)]
    if convs and convs[0].kernel_size == (1, 1) and pools and all(
            p.kernel_size[0] >= p.stride[0] and p.kernel_size[1] >= p.stride[1] for p in pools):
        layers = _layers(answer)
        if layers.index(pools[0]) < layers.index(convs[0]):
            return Feedback(True, f"{setting} maps {in_shape} → {block_shape}; average pooling, then a 1×1 conv, "
                                  "gives x that shape: the shortcut of ResNet-D (T. He et al. 2019, \"Bag of Tricks\"), "
                                  f"which sees every pixel where a 1×1 conv with stride {s} (ResNet's) skips all but "
                                  f"one in {s * s}.")
        return Feedback(True, f"{setting} maps {in_shape} → {block_shape}; a 1×1 conv, then average pooling, gives x "
                              "that shape and sees every pixel. A 1×1 conv and an average commute (both are linear), "
                              "so ResNet-D (T. He et al. 2019, \"Bag of Tricks\") pools first: its conv then runs on "
                              f"{s * s}× fewer pixels.")
    if pools or not convs:
        steps = " → ".join(type(layer).__name__ for layer in _layers(answer))
        return Feedback(True, f"{setting} maps {in_shape} → {block_shape}; {steps} gives x that shape, and linearly. "
                              f"(ResNet's own: a 1×1 conv with stride {s}, then batch norm.)")
    return Feedback(True, f"{setting} maps {in_shape} → {block_shape}; a 1×1 conv with stride {s} gives x "
                          "that shape "
                          f"with {c_in * c_out:,} weights.")
