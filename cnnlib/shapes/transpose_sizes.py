r"""Output sizes of a transposed convolution (``ConvTranspose2D``), as in PyTorch's ``ConvTranspose2d``.

Along one axis of size :math:`H`, with the kernel :math:`K`, stride :math:`S`,
padding :math:`P` and dilation :math:`D` of the convolution it transposes, and
``output_padding`` :math:`P_{out}`:

.. math::

    H_{out} = (H - 1) S - 2P + D (K - 1) + P_{out} + 1

The inverse of :mod:`cnnlib.shapes.sizes`' ``conv_output_size``. Every function
here resolves its arguments with :class:`~cnnlib.shapes.Geometry2D`.
"""
from __future__ import annotations

from .._checks import as_pair, check_positive_int
from .geometry import Geometry2D


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
            "top and bottom of the output, after output_padding has added rows at the bottom."
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
