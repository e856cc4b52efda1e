r"""Output-size arithmetic for convolution and pooling.

For one spatial axis of size :math:`H`, kernel :math:`K`, stride :math:`S`,
padding :math:`P` on each side and dilation :math:`D`:

.. math::

    K_{\text{eff}} = K + (K - 1)(D - 1), \qquad
    H_{\text{out}} = \left\lfloor \frac{H + 2P - K_{\text{eff}}}{S} \right\rfloor + 1

These functions are what every layer uses to check its input, and what the
lessons print. Import them from :mod:`cnnlib.shapes`.
"""
from __future__ import annotations

import numbers

from .._checks import as_pair, check_positive_int

PADDING_STRINGS = ("valid", "same")


def effective_kernel_size(kernel_size: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: ``K + (K-1)(D-1)``.

    >>> effective_kernel_size(3, dilation=2)
    5
    """
    k = check_positive_int(kernel_size, "kernel_size")
    d = check_positive_int(dilation, "dilation")
    return k + (k - 1) * (d - 1)


def same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """Padding ``(before, after)`` that keeps the size at stride 1.

    The total is ``K_eff - 1``. When it is odd the extra pixel goes *after*
    (bottom/right), as PyTorch's ``padding="same"`` and TensorFlow do.

    >>> same_padding(3)
    (1, 1)
    >>> same_padding(2)
    (0, 1)
    """
    total = effective_kernel_size(kernel_size, dilation) - 1
    before = total // 2
    return before, total - before


def _check_padding_value(padding, name: str = "padding"):
    if isinstance(padding, str):
        if padding not in PADDING_STRINGS:
            raise ValueError(
                f"{name} must be an int, a pair of ints, 'valid' or 'same', got {padding!r}. "
                f"Hint: the allowed strings are {PADDING_STRINGS}."
            )
        return padding
    return as_pair(padding, name, minimum=0)


def resolve_padding(padding, kernel_size, stride=1, dilation=1) -> tuple[tuple[int, int], tuple[int, int]]:
    """Turn a layer's ``padding`` argument into ``((top, bottom), (left, right))``.

    ``padding`` is an int, an ``(h, w)`` pair, ``"valid"`` (no padding) or
    ``"same"`` (stride 1 only; extra pixel bottom/right).

    >>> resolve_padding("same", 4)
    ((1, 2), (1, 2))
    """
    padding = _check_padding_value(padding)
    kh, kw = as_pair(kernel_size, "kernel_size")
    sh, sw = as_pair(stride, "stride")
    dh, dw = as_pair(dilation, "dilation")
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        if (sh, sw) != (1, 1):
            raise ValueError(
                f"padding='same' requires stride 1, got stride={stride!r}. "
                "Hint: with a larger stride the output cannot keep the input size; "
                "use an explicit integer padding instead."
            )
        return same_padding(kh, dh), same_padding(kw, dw)
    ph, pw = padding
    return (ph, ph), (pw, pw)


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding=0, dilation: int = 1) -> int:
    r"""Output length along one axis: :math:`\lfloor (H + 2P - K_{eff})/S \rfloor + 1`.

    Args:
        size: input length ``H``.
        kernel_size: ``K``.
        stride: ``S`` (default 1).
        padding: ``P`` on each side, or ``"valid"`` / ``"same"``, or a
            ``(before, after)`` pair for asymmetric padding.
        dilation: ``D`` (default 1).

    Raises ``ValueError`` when no window fits (kernel larger than the padded
    input) or an argument is out of range.

    >>> conv_output_size(32, 3)
    30
    >>> conv_output_size(7, 3, stride=2, padding=1)
    4
    """
    h = check_positive_int(size, "size")
    k = check_positive_int(kernel_size, "kernel_size")
    s = check_positive_int(stride, "stride")
    d = check_positive_int(dilation, "dilation")
    if isinstance(padding, str):
        (before, after), _ = resolve_padding(padding, k, s, d)
    elif isinstance(padding, (tuple, list)):
        before, after = as_pair(padding, "padding", minimum=0)
    else:
        before = after = check_positive_int(padding, "padding", minimum=0)
    k_eff = effective_kernel_size(k, d)
    padded = h + before + after
    if k_eff > padded:
        what = f"kernel {k}" if d == 1 else f"dilated kernel {k} (effective size {k_eff} with dilation {d})"
        raise ValueError(
            f"No valid output: the {what} is larger than the padded input "
            f"{h} + {before} + {after} = {padded}. "
            "Hint: use a smaller kernel_size or dilation, or more padding (e.g. padding='same')."
        )
    return (padded - k_eff) // s + 1


def conv_output_shape(input_hw, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """``(H_out, W_out)`` for an ``(H, W)`` input; arguments take ints or pairs.

    >>> conv_output_shape((28, 28), 3)
    (26, 26)
    """
    if not (isinstance(input_hw, (tuple, list)) and len(input_hw) == 2):
        raise TypeError(f"input_hw must be a pair (H, W), got {input_hw!r}.")
    kh, kw = as_pair(kernel_size, "kernel_size")
    sh, sw = as_pair(stride, "stride")
    dh, dw = as_pair(dilation, "dilation")
    (pt, pb), (pl, pr) = resolve_padding(padding, (kh, kw), (sh, sw), (dh, dw))
    return (
        conv_output_size(input_hw[0], kh, sh, (pt, pb), dh),
        conv_output_size(input_hw[1], kw, sw, (pl, pr), dw),
    )


def explain_conv_output_size(size: int, kernel_size: int, stride: int = 1, padding=0, dilation: int = 1) -> str:
    """The output-size computation in words, with the numbers substituted.

    >>> print(explain_conv_output_size(7, 3, stride=2, padding=1))
    H_out = floor((H + 2P - K) / S) + 1 = floor((7 + 2*1 - 3) / 2) + 1 = floor(6 / 2) + 1 = 3 + 1 = 4
    """
    out = conv_output_size(size, kernel_size, stride, padding, dilation)  # validates
    k_eff = effective_kernel_size(kernel_size, dilation)
    if isinstance(padding, str):
        (before, after), _ = resolve_padding(padding, kernel_size, stride, dilation)
    elif isinstance(padding, (tuple, list)):
        before, after = padding
    else:
        before = after = padding
    pad_txt = f"2*{before}" if before == after else f"{before} + {after}"
    pad_sym = "2P" if before == after else "P_before + P_after"
    k_sym, k_txt = "K", f"{kernel_size}"
    lines = []
    if dilation != 1:
        lines.append(
            f"K_eff = K + (K - 1)(D - 1) = {kernel_size} + ({kernel_size} - 1)*({dilation} - 1) = {k_eff}"
        )
        k_sym, k_txt = "K_eff", f"{k_eff}"
    numerator = size + before + after - k_eff
    lines.append(
        f"H_out = floor((H + {pad_sym} - {k_sym}) / S) + 1 = floor(({size} + {pad_txt} - {k_txt}) / {stride}) + 1"
        f" = floor({numerator} / {stride}) + 1 = {numerator // stride} + 1 = {out}"
    )
    dropped = numerator % stride
    if dropped:
        lines.append(
            f"The stride does not fit exactly: the last {dropped} row(s)/column(s) of the padded input "
            "are never covered by a window (the floor drops them)."
        )
    return "\n".join(lines)


def pool_output_size(size: int, kernel_size: int, stride=None, padding: int = 0) -> int:
    """Pooling output length; ``stride`` defaults to ``kernel_size`` as in PyTorch.

    >>> pool_output_size(30, 2)
    15
    """
    if stride is None:
        stride = kernel_size
    if not isinstance(padding, numbers.Integral):
        raise TypeError(f"pooling padding must be an int, got {padding!r}.")
    return conv_output_size(size, kernel_size, stride, padding)
