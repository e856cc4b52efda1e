r"""Output sizes along one axis and for an image, as the lessons compute them by hand.

Along one axis of size :math:`H`, with kernel :math:`K`, stride :math:`S`,
padding :math:`P` on each side and dilation :math:`D`:

.. math::

    K_{\text{eff}} = K + (K - 1)(D - 1), \qquad
    H_{\text{out}} = \left\lfloor \frac{H + 2P - K_{\text{eff}}}{S} \right\rfloor + 1

The one-axis functions take ``padding`` as one int (or ``"valid"``/``"same"``);
different padding before and after is ``pads=(before, after)``. The image
functions take ``padding`` as a layer does, where a pair is ``(ph, pw)``.
Every one of them resolves its arguments with :class:`~cnnlib.shapes.Geometry2D`.
A transposed convolution's sizes are in :mod:`cnnlib.shapes.transpose_sizes`.
"""
from __future__ import annotations

import numbers

from .._checks import as_pair, check_positive_int
from .geometry import Geometry2D, effective_kernel_size, output_length


def _is_zero(padding) -> bool:
    return isinstance(padding, numbers.Integral) and not isinstance(padding, bool) and padding == 0


def _axis_pads(padding, pads, kernel: int, stride: int, dilation: int, who: str) -> tuple[int, int]:
    """``(before, after)`` for one axis from ``padding`` (an int, "valid", "same") or ``pads``."""
    if pads is not None:
        if not _is_zero(padding):
            raise TypeError(f"{who} takes padding or pads, not both; got padding={padding!r} and pads={pads!r}. "
                            "Hint: pads=(before, after) alone.")
        return as_pair(pads, "pads (before, after)", minimum=0)
    if isinstance(padding, str):
        return Geometry2D.conv(kernel, stride, padding, dilation).pads[0]
    if isinstance(padding, (tuple, list)):
        raise TypeError(
            f"{who} works along one axis, so padding is one int, 'valid' or 'same'; got {padding!r}. "
            f"Hint: for different padding before and after write pads=(before, after), e.g. "
            f"{who}(7, 3, pads=(0, 1)); for an image with (ph, pw) use conv_output_shape."
        )
    p = check_positive_int(padding, "padding", minimum=0)
    return p, p


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding=0, dilation: int = 1, *,
                     pads=None) -> int:
    r"""Output length along one axis: :math:`\lfloor (H + 2P - K_{eff})/S \rfloor + 1`.

    Args:
        size: input length ``H``.
        kernel_size: ``K``.
        stride: ``S`` (default 1).
        padding: ``P`` on each side, ``"valid"`` or ``"same"`` (default 0).
        dilation: ``D`` (default 1).
        pads: ``(before, after)`` for different padding on the two sides,
            instead of ``padding`` (default None).

    Raises ``ValueError`` when no window fits (kernel larger than the padded
    input) or an argument is out of range.

    >>> conv_output_size(32, 3)
    30
    >>> conv_output_size(7, 3, stride=2, padding=1)
    4
    >>> conv_output_size(4, 2, pads=(0, 1))
    4
    """
    h = check_positive_int(size, "size")
    k = check_positive_int(kernel_size, "kernel_size")
    s = check_positive_int(stride, "stride")
    d = check_positive_int(dilation, "dilation")
    return output_length(h, k, s, _axis_pads(padding, pads, k, s, d, "conv_output_size"), d)


def conv_output_shape(input_hw, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """``(H_out, W_out)`` for an ``(H, W)`` input; the arguments are ``Conv2D``'s.

    ``padding`` is an int, ``(ph, pw)``, ``"valid"``, ``"same"`` or ``((top, bottom), (left, right))``.

    >>> conv_output_shape((28, 28), 3)
    (26, 26)
    >>> conv_output_shape((28, 28), 3, padding=(1, 0))
    (28, 26)
    """
    if not (isinstance(input_hw, (tuple, list)) and len(input_hw) == 2):
        raise TypeError(f"input_hw must be a pair (H, W), got {input_hw!r}.")
    hw = check_positive_int(input_hw[0], "H"), check_positive_int(input_hw[1], "W")
    return Geometry2D.conv(kernel_size, stride, padding, dilation).output_hw(hw)


def resolve_padding(padding, kernel_size, stride=1, dilation=1) -> tuple[tuple[int, int], tuple[int, int]]:
    """Turn a layer's ``padding`` argument into ``((top, bottom), (left, right))``.

    ``padding`` is an int, an ``(ph, pw)`` pair, ``"valid"`` (no padding),
    ``"same"`` (stride 1 only, as in PyTorch; extra pixel bottom/right) or already per side.
    For Keras' ``'same'`` at a stride > 1 see :func:`keras_same_padding`.

    >>> resolve_padding("same", 4)
    ((1, 2), (1, 2))
    """
    return Geometry2D.conv(kernel_size, stride, padding, dilation).pads


def keras_same_padding(size: int, kernel_size: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    r"""Keras/TensorFlow's ``padding='same'`` along one axis, at any stride: ``(before, after)``.

    TensorFlow makes the output :math:`H_{out} = \lceil H / S \rceil` and pads
    :math:`P_{total} = \max((H_{out} - 1) S + K_{eff} - H,\ 0)`, the odd extra
    pixel *after* (bottom/right). At stride 1 that is :func:`same_padding`'s
    ``K_eff - 1``, whatever ``H``; at a larger stride it depends on ``H``, which
    is why PyTorch's (and cnnlib's) ``padding='same'`` refuses a stride > 1.
    Pass the result on: ``conv_output_size(H, K, S, pads=...)``, or per side to
    ``Conv2D(..., stride=S, padding=((top, bottom), (left, right)))``.

    Args:
        size: input length ``H``.
        kernel_size: ``K``.
        stride: ``S`` (default 1).
        dilation: ``D`` (default 1); the kernel spans ``K_eff = D(K - 1) + 1``.

    >>> keras_same_padding(7, 3, stride=2)  # ceil(7/2) = 4 outputs: (4-1)*2 + 3 - 7 = 2
    (1, 1)
    >>> keras_same_padding(8, 3, stride=2)  # ceil(8/2) = 4 outputs: (4-1)*2 + 3 - 8 = 1
    (0, 1)
    """
    h = check_positive_int(size, "size")
    s = check_positive_int(stride, "stride")
    k_eff = effective_kernel_size(kernel_size, dilation)  # checks kernel_size and dilation
    h_out = -(-h // s)  # ceil(H / S)
    total = max((h_out - 1) * s + k_eff - h, 0)
    before = total // 2
    return before, total - before


def explain_conv_output_size(size: int, kernel_size: int, stride: int = 1, padding=0, dilation: int = 1, *,
                             pads=None) -> str:
    """The output-size computation in words, with the numbers substituted (arguments as ``conv_output_size``).

    >>> print(explain_conv_output_size(7, 3, stride=2, padding=1))
    H_out = floor((H + 2P - K) / S) + 1 = floor((7 + 2*1 - 3) / 2) + 1 = floor(6 / 2) + 1 = 3 + 1 = 4
    """
    out = conv_output_size(size, kernel_size, stride, padding, dilation, pads=pads)  # validates
    before, after = _axis_pads(padding, pads, kernel_size, stride, dilation, "explain_conv_output_size")
    k_eff = effective_kernel_size(kernel_size, dilation)
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
            f"The stride does not fit exactly: the last {dropped} row(s)/column(s) of the padded input\n"
            "are never covered by a window (the floor drops them)."
        )
    return "\n".join(lines)


def pool_output_size(size: int, kernel_size: int, stride=None, padding: int = 0) -> int:
    """Pooling output length along one axis; ``stride`` defaults to ``kernel_size`` as in PyTorch.

    >>> pool_output_size(30, 2)
    15
    """
    if not isinstance(padding, numbers.Integral) or isinstance(padding, bool):
        raise TypeError(f"pooling padding must be an int, got {padding!r}. Hint: e.g. padding=0 or padding=1.")
    Geometry2D.pool(kernel_size, stride, padding, who="pool_output_size")  # PyTorch's rules: padding <= K // 2
    return conv_output_size(size, kernel_size, kernel_size if stride is None else stride, padding)
