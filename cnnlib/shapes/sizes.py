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


# -- transposed convolution -------------------------------------------------------------------
def conv_transpose_geometry(kernel_size, stride=1, padding=0, output_padding=0, dilation=1, *,
                            who: str = "conv_transpose") -> tuple[Geometry2D, tuple[int, int]]:
    """Check a transposed convolution's arguments (PyTorch's ``ConvTranspose2d`` rules).

    Returns ``(geometry, (oph, opw))``: the :class:`Geometry2D` of the
    convolution this one transposes (its kernel, stride, padding and dilation)
    and the ``output_padding`` pair. ``padding`` is an int or ``(ph, pw)``;
    ``output_padding`` must be smaller than the stride or the dilation along
    each axis. ``who`` names the op or layer in errors.

    >>> geometry, output_padding = conv_transpose_geometry(3, stride=2, padding=1, output_padding=1)
    >>> geometry.pads, output_padding
    (((1, 1), (1, 1)), (1, 1))
    """
    if isinstance(padding, str) or (isinstance(padding, (tuple, list)) and any(isinstance(p, (tuple, list))
                                                                              for p in padding)):
        raise TypeError(
            f"{who} padding must be an int or a pair (ph, pw), got {padding!r}. Hint: as in PyTorch's "
            "ConvTranspose2d, a transposed convolution takes numeric padding only; it removes ph rows from the "
            "top and bottom of the output (and output_padding adds rows at the bottom)."
        )
    pad_hw = as_pair(padding, "padding", minimum=0)
    geometry = Geometry2D.conv(kernel_size, stride, pad_hw, dilation)
    return geometry, _output_padding(output_padding, geometry, who, (stride, dilation))


def _output_padding(output_padding, geometry: Geometry2D, who: str, given=None) -> tuple[int, int]:
    """``output_padding`` as a pair, each smaller than the stride or the dilation along its axis (PyTorch's rule).

    ``given``: the ``(stride, dilation)`` as the user wrote them, for the message (default: the geometry's pairs).
    """
    stride, dilation = given or (geometry.stride, geometry.dilation)
    out_pad = as_pair(output_padding, "output_padding", minimum=0)
    for op, s, d, axis in zip(out_pad, geometry.stride, geometry.dilation, ("height", "width")):
        if op >= s and op >= d:
            raise ValueError(
                f"{who}: output_padding must be smaller than either the stride or the dilation along the {axis}, "
                f"got output_padding={output_padding!r} with stride={stride!r} and dilation={dilation!r}. Hint: output_padding only picks one of the stride's possible output sizes "
                "(PyTorch's rule), so keep it below the stride (0 at stride 1)."
            )
    return out_pad


def conv_transpose_length(size: int, kernel: int, stride: int, pads: tuple[int, int], output_padding: int,
                          dilation: int) -> int:
    r"""Transposed-conv output length along one axis from checked ints; ``ValueError`` if it is not positive.

    :math:`H_{out} = (H - 1) S - P_b - P_a + D (K - 1) + P_{out} + 1`

    >>> conv_transpose_length(2, 2, 2, (0, 0), 0, 1)
    4
    """
    out = (size - 1) * stride - pads[0] - pads[1] + dilation * (kernel - 1) + output_padding + 1
    if out < 1:
        raise ValueError(
            f"No valid output: a transposed convolution of an input of length {size} with kernel {kernel}, "
            f"stride {stride}, padding {pads[0]} and dilation {dilation} gives (H-1)*S - 2P + D*(K-1) + "
            f"output_padding + 1 = ({size}-1)*{stride} - {pads[0] + pads[1]} + {dilation}*({kernel}-1) + "
            f"{output_padding} + 1 = {out}. Hint: the padding removes rows from the output; use a smaller padding "
            "or a larger kernel_size or stride."
        )
    return out


def conv_transpose_output_hw(in_hw, geometry: Geometry2D, output_padding) -> tuple[int, int]:
    """``(H_out, W_out)`` of a transposed convolution for an ``(H, W)`` input and ``geometry`` (a ``Geometry2D``)."""
    if not isinstance(geometry, Geometry2D):
        raise TypeError(f"geometry must be a Geometry2D, got {geometry!r}. Hint: the first value "
                        "conv_transpose_geometry(kernel_size, stride, ...) returns.")
    in_hw = as_pair(in_hw, "in_hw")
    output_padding = _output_padding(output_padding, geometry, "conv_transpose_output_hw")
    return tuple(conv_transpose_length(in_hw[a], geometry.kernel_size[a], geometry.stride[a], geometry.pads[a],
                                       output_padding[a], geometry.dilation[a]) for a in (0, 1))


def conv_transpose_output_size(size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    r"""Output size of a transposed convolution (``ConvTranspose2D``), as in PyTorch.

    .. math::

        H_{out} = (H - 1) S - 2P + D (K - 1) + P_{out} + 1

    The inverse of :func:`conv_output_size`: a convolution with the same
    ``K, S, P, D`` maps ``H_out`` back to ``H`` (whenever ``P_out < S``). At a
    stride ``S > 1`` up to ``S`` input sizes give the same conv output, and
    ``output_padding`` picks which one comes back. (PyTorch also allows
    ``P_out < D`` at a larger dilation; the size is then not one a convolution
    maps back to ``H``.)

    Args:
        size: input length ``H``, or ``(H, W)``.
        kernel_size: ``K``, an int or (with a pair ``size``) ``(KH, KW)``.
        stride: ``S`` (default 1).
        padding: ``P``, rows removed from each side of the output (default 0).
        output_padding: ``P_out``, rows added after (bottom/right) (default 0).
        dilation: ``D`` (default 1).

    Returns an int for an int ``size``, an ``(H_out, W_out)`` pair for a pair.

    >>> conv_transpose_output_size(2, 2, stride=2)
    4
    >>> conv_transpose_output_size(4, 3, stride=2, padding=1, output_padding=1)  # conv_output_size(8, 3, 2, 1) == 4
    8
    >>> conv_transpose_output_size((7, 7), (4, 3), stride=2)
    (16, 15)
    """
    args = dict(kernel_size=kernel_size, stride=stride, padding=padding, output_padding=output_padding,
                dilation=dilation)
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise TypeError(f"size must be an int or a pair (H, W), got {size!r}. Hint: size=7 or size=(7, 9).")
        hw = check_positive_int(size[0], "H"), check_positive_int(size[1], "W")
    else:
        hw = (check_positive_int(size, "size"),) * 2
        pairs = [k for k, v in args.items() if isinstance(v, (tuple, list))]
        if pairs:
            raise TypeError(
                f"conv_transpose_output_size got an int size={size!r} but a pair for {', '.join(pairs)} "
                f"({', '.join(f'{k}={args[k]!r}' for k in pairs)}). Hint: one axis takes ints; for (h, w) pairs "
                f"pass size=(H, W) too."
            )
    geometry, out_pad = conv_transpose_geometry(**args, who="conv_transpose_output_size")
    out = conv_transpose_output_hw(hw, geometry, out_pad)
    return out if isinstance(size, (tuple, list)) else out[0]
