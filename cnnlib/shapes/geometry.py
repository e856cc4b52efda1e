r"""``Geometry2D``: the kernel, stride, padding and dilation of a sliding window, parsed once.

Every conv and pooling op and layer reads its window settings through this
one class. ``Geometry2D.conv`` and ``Geometry2D.pool`` check the user's
arguments (ints, pairs, ``"valid"``/``"same"``, per-side padding) and resolve
them to ints; the frozen result is what layers keep and what the ops pass
down, so nothing is parsed twice. Pairs are ``(height, width)``; ``pads`` is
per side, ``((top, bottom), (left, right))``.

Along one axis of size :math:`H`, with kernel :math:`K`, stride :math:`S`,
dilation :math:`D` and padding :math:`P_b` before and :math:`P_a` after:

.. math::

    K_{\text{eff}} = K + (K - 1)(D - 1), \qquad
    H_{\text{out}} = \left\lfloor \frac{H + P_b + P_a - K_{\text{eff}}}{S} \right\rfloor + 1
"""
from __future__ import annotations

from dataclasses import dataclass

from .._checks import as_pair, check_positive_int

PADDING_STRINGS = ("valid", "same")


def effective_kernel_size(kernel_size: int, dilation: int = 1) -> int:
    """Span of a dilated kernel along one axis: ``K + (K-1)(D-1)``.

    >>> effective_kernel_size(3, dilation=2)
    5
    """
    k = check_positive_int(kernel_size, "kernel_size")
    d = check_positive_int(dilation, "dilation")
    return k + (k - 1) * (d - 1)


def same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """Padding ``(before, after)`` along one axis that keeps the size at stride 1.

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


def output_length(size: int, kernel: int, stride: int, pads: tuple[int, int], dilation: int) -> int:
    """Output length along one axis from checked ints; ``pads`` is ``(before, after)``.

    Raises ``ValueError`` when no window fits (the kernel is larger than the padded input).

    >>> output_length(7, 3, 2, (1, 1), 1)
    4
    """
    size = check_positive_int(size, "size")
    kernel, stride, dilation = (check_positive_int(v, n) for v, n in ((kernel, "kernel"), (stride, "stride"),
                                                                       (dilation, "dilation")))
    return _output_length(size, kernel, stride, as_pair(pads, "pads (before, after)", minimum=0), dilation)


def _output_length(size: int, kernel: int, stride: int, pads: tuple[int, int], dilation: int) -> int:
    """:func:`output_length` for arguments already checked (a ``Geometry2D``'s fields): no checks, it is per call."""
    k_eff = kernel + (kernel - 1) * (dilation - 1)
    padded = size + pads[0] + pads[1]
    if k_eff > padded:
        what = f"kernel {kernel}" if dilation == 1 else (
            f"dilated kernel {kernel} (effective size {k_eff} with dilation {dilation})")
        short = k_eff - size  # the least padding, in all, that lets one window fit
        same = " (padding='same' does, at stride 1)" if stride == 1 else ""
        raise ValueError(
            f"No valid output: the {what} is larger than the padded input "
            f"{size} + {pads[0]} + {pads[1]} = {padded}. "
            f"Hint: use a smaller kernel_size or dilation, or pad at least {short} in all, e.g. "
            f"padding={-(-short // 2)} on each side{same}."
        )
    return (padded - k_eff) // stride + 1


def _per_side(padding):
    """``padding`` checked: one of ``PADDING_STRINGS``, or ``((top, bottom), (left, right))`` ints >= 0."""
    if isinstance(padding, str):
        if padding not in PADDING_STRINGS:
            raise ValueError(
                f"padding must be an int, a pair of ints, 'valid' or 'same', got {padding!r}. "
                f"Hint: the allowed strings are {PADDING_STRINGS}."
            )
        return padding
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and all(isinstance(p, (tuple, list)) for p in padding):
        if not all(len(p) == 2 for p in padding):
            raise ValueError(
                f"asymmetric padding must be ((top, bottom), (left, right)), got {padding!r}. "
                "Hint: write padding=((0, 1), (0, 1)) for one extra row and column at the bottom/right."
            )
        return (as_pair(tuple(padding[0]), "padding (top, bottom)", minimum=0),
                as_pair(tuple(padding[1]), "padding (left, right)", minimum=0))
    ph, pw = as_pair(padding, "padding", minimum=0)
    return (ph, ph), (pw, pw)


@dataclass(frozen=True)
class Geometry2D:
    """The resolved window of a conv or pooling op: all ints, checked once.

    Build it with :meth:`conv` or :meth:`pool` (they check the arguments);
    the fields are then plain ints a reader can trust.

    Attributes:
        kernel_size: ``(KH, KW)``.
        stride: ``(sh, sw)``.
        pads: ``((top, bottom), (left, right))``, zeros (or ``-inf`` for max pooling) added per side.
        dilation: ``(dh, dw)``, the step between kernel taps (1: no gaps).

    Shape:
        :meth:`output_hw` of an ``(H, W)`` input is ``(H_out, W_out)`` with
        ``H_out = (H + top + bottom - dh*(KH-1) - 1) // sh + 1``.

    >>> g = Geometry2D.conv(3, stride=2, padding="valid")
    >>> g.pads, g.output_hw((7, 9))
    (((0, 0), (0, 0)), (3, 4))
    """

    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    pads: tuple[tuple[int, int], tuple[int, int]]
    dilation: tuple[int, int] = (1, 1)

    def __post_init__(self) -> None:
        """Check the fields of a hand-built ``Geometry2D`` too: a stride of 0 must not reach a division."""
        for name in ("kernel_size", "stride", "dilation"):
            object.__setattr__(self, name, as_pair(getattr(self, name), name))
        pads = self.pads
        if not (isinstance(pads, (tuple, list)) and len(pads) == 2):
            raise TypeError(f"pads must be ((top, bottom), (left, right)), got {pads!r}. "
                            "Hint: build a Geometry2D with Geometry2D.conv(...) or Geometry2D.pool(...).")
        object.__setattr__(self, "pads", tuple(as_pair(p, "pads (before, after)", minimum=0) for p in pads))

    @classmethod
    def conv(cls, kernel_size, stride=1, padding=0, dilation=1) -> "Geometry2D":
        """Check a convolution's arguments, PyTorch's ``Conv2d`` conventions.

        ``padding`` is an int, ``(ph, pw)`` (the same on both sides), ``"valid"``
        (none), ``"same"`` (stride 1 only; an odd total puts the extra pixel
        bottom/right) or ``((top, bottom), (left, right))``.

        >>> Geometry2D.conv(4, padding="same").pads
        ((1, 2), (1, 2))
        """
        pads = _per_side(padding)
        kernel = as_pair(kernel_size, "kernel_size")
        stride_hw = as_pair(stride, "stride")
        dilation_hw = as_pair(dilation, "dilation")
        if pads == "same":
            if stride_hw != (1, 1):
                raise ValueError(
                    f"padding='same' requires stride 1, got stride={stride!r} (PyTorch's rule, which cnnlib "
                    "follows). Keras/TensorFlow's 'same' does take a stride: it gives H_out = ceil(H/S) with "
                    "P_total = max((H_out - 1)*S + K_eff - H, 0), the extra pixel bottom/right, so the padding "
                    "depends on the input size H, which a layer does not know when it is built. "
                    "Hint: compute it with cnnlib.shapes.keras_same_padding(H, K, S) and pass it per side, "
                    "padding=((top, bottom), (left, right)) (pads=(before, after) in conv_output_size), "
                    "or use an integer padding."
                )
            pads = same_padding(kernel[0], dilation_hw[0]), same_padding(kernel[1], dilation_hw[1])
        elif pads == "valid":
            pads = (0, 0), (0, 0)
        return cls(kernel, stride_hw, pads, dilation_hw)

    @classmethod
    def pool(cls, kernel_size, stride=None, padding=0, *, who: str = "pooling") -> "Geometry2D":
        """Check a pooling op's arguments, PyTorch's ``MaxPool2d`` conventions.

        ``stride`` defaults to the window; ``padding`` is an int or ``(ph, pw)``,
        at most ``kernel_size // 2``. ``who`` names the op or layer in errors.

        >>> Geometry2D.pool(2).stride
        (2, 2)
        """
        kernel = as_pair(kernel_size, "kernel_size")
        stride_hw = kernel if stride is None else as_pair(stride, "stride")
        if isinstance(padding, str):
            raise TypeError(
                f"{who} padding must be an int or a pair of ints, got the string {padding!r}. "
                "Hint: pooling takes numeric padding only, as in PyTorch (e.g. padding=1)."
            )
        pad_hw = as_pair(padding, "padding", minimum=0)
        for pad, k, axis in zip(pad_hw, kernel, ("height", "width")):
            if pad > k // 2:
                raise ValueError(
                    f"{who} padding must be at most kernel_size // 2 = {k // 2} along the {axis}, got "
                    f"padding={padding!r} for kernel_size={kernel_size!r}. Hint: as in PyTorch, a window may not "
                    "lie mostly in the padding; use a smaller padding or a larger kernel_size."
                )
        return cls(kernel, stride_hw, ((pad_hw[0], pad_hw[0]), (pad_hw[1], pad_hw[1])))

    def output_hw(self, in_hw) -> tuple[int, int]:
        """``(H_out, W_out)`` for an ``(H, W)`` input; ``ValueError`` if no window fits."""
        in_hw = as_pair(in_hw, "in_hw")
        (kh, kw), (sh, sw), (dh, dw) = self.kernel_size, self.stride, self.dilation
        return (_output_length(in_hw[0], kh, sh, self.pads[0], dh),
                _output_length(in_hw[1], kw, sw, self.pads[1], dw))

    def padded_hw(self, in_hw) -> tuple[int, int]:
        """``(H + top + bottom, W + left + right)``."""
        (top, bottom), (left, right) = self.pads
        return in_hw[0] + top + bottom, in_hw[1] + left + right

    def span(self) -> tuple[int, int]:
        """Rows and columns one (dilated) window covers: ``(dh*(KH-1) + 1, dw*(KW-1) + 1)``."""
        (kh, kw), (dh, dw) = self.kernel_size, self.dilation
        return dh * (kh - 1) + 1, dw * (kw - 1) + 1
