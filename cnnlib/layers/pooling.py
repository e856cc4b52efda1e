r"""Max and average pooling layers (no parameters)."""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, check_impl, check_layer_dout, check_ndim, check_sample_shape
from ..functional.pooling import avgpool2d_backward, avgpool2d_forward, maxpool2d_backward, maxpool2d_forward
from ..functional.pooling_naive import (
    avgpool2d_backward_naive,
    avgpool2d_forward_naive,
    maxpool2d_backward_naive,
    maxpool2d_forward_naive,
)
from ..shapes import Geometry2D
from .base import Layer


class _Pool2D(Layer):
    """Shared plumbing of MaxPool2D and AvgPool2D; subclasses set ``_impls``.

    ``self.geometry`` is the checked window (a :class:`~cnnlib.shapes.Geometry2D`), resolved once here.
    """

    _impls: dict = {}

    def __init__(self, kernel_size, stride=None, padding=0, impl: str = "fast") -> None:
        super().__init__()
        geometry = Geometry2D.pool(kernel_size, stride, padding, who=type(self).__name__)
        self.geometry = geometry  # checked and resolved once; every forward passes it down as it is
        self.kernel_size, self.stride = geometry.kernel_size, geometry.stride
        self.padding = geometry.pads[0][0], geometry.pads[1][0]  # (ph, pw)
        self.impl = check_impl(impl, type(self).__name__)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Pool every channel of ``x``; cache what backward needs."""
        x = as_float_array(x, "x")
        check_ndim(x, 4, type(self).__name__, "(N, C, H, W)")
        forward, _ = self._impls[self.impl]
        out, cache = forward(x, geometry=self.geometry)
        self._cache = (cache, out.shape)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Return ``dx`` (None when ``requires_input_grad`` is False); there are no grads to fill."""
        cache, out_shape = self._get_cache()
        dout = check_layer_dout(dout, out_shape, self)
        if not self.requires_input_grad:
            return None
        _, backward = self._impls[self.impl]
        return backward(dout, cache)

    def output_shape(self, input_shape):
        """``(C, H_out, W_out)`` for one sample's ``(C, H, W)``."""
        shape = check_sample_shape(input_shape, type(self).__name__)
        if len(shape) != 3:
            raise ValueError(
                f"{type(self).__name__}.output_shape() expects one sample's shape (C, H, W), got {input_shape!r}. "
                "Hint: leave out the batch axis."
            )
        return (shape[0], *self.geometry.output_hw(shape[1:]))

    def extra_repr(self) -> str:
        s = f"kernel_size={_fmt(self.kernel_size)}"
        if self.stride != self.kernel_size:
            s += f", stride={_fmt(self.stride)}"
        if self.padding != (0, 0):
            s += f", padding={_fmt(self.padding)}"
        if self.impl != "fast":
            s += f", impl={self.impl!r}"
        return s


class MaxPool2D(_Pool2D):
    r"""Max pooling: the largest value of every ``KH x KW`` window, per channel.

    Padding is ``-inf`` (it never wins). Backward sends each window's
    gradient to one element, the first maximum in row-major order within the
    window (as PyTorch on CPU); overlapping windows add up.

    Args:
        kernel_size: int or ``(KH, KW)``.
        stride: int or ``(sh, sw)``; defaults to ``kernel_size``.
        padding: int or ``(ph, pw)``, at most ``kernel_size // 2`` (default 0).
        impl: ``"fast"`` (default) or ``"naive"`` (loops).

    Shape:
        input ``(N, C, H, W)``, output ``(N, C, H_out, W_out)`` with
        ``H_out = (H + 2*ph - KH) // sh + 1``.

    >>> MaxPool2D(2)(np.zeros((2, 32, 26, 26))).shape
    (2, 32, 13, 13)
    """

    _impls = {"fast": (maxpool2d_forward, maxpool2d_backward),
              "naive": (maxpool2d_forward_naive, maxpool2d_backward_naive)}


class AvgPool2D(_Pool2D):
    r"""Average pooling: the mean of every ``KH x KW`` window, per channel.

    Padding is zeros, and they count in the divisor ``KH*KW`` (PyTorch's
    ``count_include_pad=True``). Backward shares each window's gradient
    equally among its ``KH*KW`` pixels.

    Args:
        kernel_size: int or ``(KH, KW)``.
        stride: int or ``(sh, sw)``; defaults to ``kernel_size``.
        padding: int or ``(ph, pw)``, at most ``kernel_size // 2`` (default 0).
        impl: ``"fast"`` (default) or ``"naive"`` (loops).

    Shape:
        input ``(N, C, H, W)``, output ``(N, C, H_out, W_out)`` with
        ``H_out = (H + 2*ph - KH) // sh + 1``.

    >>> AvgPool2D(2)(np.ones((1, 1, 4, 4)))[0, 0]
    array([[1., 1.],
           [1., 1.]])
    """

    _impls = {"fast": (avgpool2d_forward, avgpool2d_backward),
              "naive": (avgpool2d_forward_naive, avgpool2d_backward_naive)}


def _fmt(pair: tuple[int, int]):
    """``2`` for ``(2, 2)``, the pair otherwise."""
    return pair[0] if pair[0] == pair[1] else pair
