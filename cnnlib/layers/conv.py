r"""The 2-D convolution layer."""
from __future__ import annotations

import numbers

import numpy as np

from .._checks import (as_float_array, as_pair, check_bool, check_dtype_arg, check_impl, check_init,
                       check_layer_dout, check_ndim, check_positive_int, check_sample_shape, make_rng)
from ..functional.conv import conv2d_backward, conv2d_forward
from ..functional.conv_naive import conv2d_backward_naive, conv2d_forward_naive
from ..shapes import Geometry2D
from .base import Layer
from .init import init_params

_IMPLS = {"fast": (conv2d_forward, conv2d_backward), "naive": (conv2d_forward_naive, conv2d_backward_naive)}



def _plain(padding):
    """``padding`` (checked by ``Geometry2D.conv``) in plain Python: a string, an int, or tuples of ints."""
    if isinstance(padding, str):
        return padding
    if isinstance(padding, numbers.Integral):
        return int(padding)
    return tuple(_plain(p) for p in padding)

class Conv2D(Layer):
    r"""2-D convolution (cross-correlation) of ``C_in`` channels with ``C_out`` learned filters.

    ``W`` is He-initialised, :math:`W \sim \mathcal{N}(0, 2/\text{fan\_in})` with
    :math:`\text{fan\_in} = C_{in} K_H K_W`; ``b`` starts at zero (``init="uniform"``
    draws both as PyTorch does; see ``cnnlib.layers.init``).

    Args:
        in_channels: ``C_in``, channels of the input.
        out_channels: ``C_out``, number of filters.
        kernel_size: int or ``(KH, KW)``.
        stride: int or ``(sh, sw)`` (default 1).
        padding: int, ``(ph, pw)``, ``"valid"``, ``"same"`` or
            ``((top, bottom), (left, right))`` (default 0). ``"same"`` needs
            stride 1; when the total padding ``K_eff - 1`` is odd (even kernel)
            the extra row/column goes at the bottom/right, as in PyTorch.
        dilation: int or ``(dh, dw)`` (default 1).
        bias: learn a bias per filter (default True).
        impl: ``"fast"`` (im2col + matmul, default) or ``"naive"`` (loops).
        dtype: float32 (default) or float64 for gradient checks.
        seed: seed of ``np.random.default_rng`` for ``W`` (default None).
        init: ``"he"`` (default) or ``"uniform"`` (PyTorch's default).

    ``self.geometry`` holds kernel, stride, padding per side and dilation as one
    checked :class:`~cnnlib.shapes.Geometry2D`, resolved here and passed to every forward.

    Shape:
        input ``(N, C_in, H, W)``, output ``(N, C_out, H_out, W_out)`` with
        ``H_out = (H + top + bottom - dh*(KH-1) - 1) // sh + 1``;
        ``W`` is ``(C_out, C_in, KH, KW)``, ``b`` is ``(C_out,)``.

    >>> conv = Conv2D(1, 32, 3, seed=0)
    >>> conv(np.zeros((2, 1, 28, 28))).shape
    (2, 32, 26, 26)
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, bias: bool = True, impl: str = "fast", dtype=np.float32, seed=None,
                 init: str = "he") -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        geometry = Geometry2D.conv(kernel_size, stride, padding, dilation)
        self.geometry = geometry  # checked and resolved once; every forward passes it down as it is
        self.kernel_size, self.stride, self.dilation = geometry.kernel_size, geometry.stride, geometry.dilation
        self.padding = _plain(padding)  # as given (a list or np.int64 as plain ints), for repr and save/load
        self.bias = check_bool(bias, "bias", "Conv2D(..., bias=False) leaves the bias out (e.g. before batch norm).")
        self.impl = check_impl(impl, "Conv2D")
        self.dtype = check_dtype_arg(dtype)
        self.init = check_init(init, "Conv2D")
        KH, KW = self.kernel_size
        W, b = init_params(make_rng(seed), (self.out_channels, self.in_channels, KH, KW),
                           self.out_channels if self.bias else None, self.in_channels * KH * KW, init, self.dtype)
        self.params["W"] = W
        if self.bias:
            self.params["b"] = b

    @classmethod
    def state_shapes(cls, in_channels, out_channels, kernel_size, bias=True, **config) -> dict[str, tuple]:
        """``W`` is ``(C_out, C_in, KH, KW)``, ``b`` ``(C_out,)``."""
        KH, KW = as_pair(kernel_size, "kernel_size")
        return {"W": (out_channels, in_channels, KH, KW), **({"b": (out_channels,)} if bias else {})}

    @property
    def pads(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """The padding per side, ``((top, bottom), (left, right))``."""
        return self.geometry.pads

    def _check_channels(self, C: int, shape) -> None:
        if C != self.in_channels:
            raise ValueError(
                f"Conv2D(in_channels={self.in_channels}) got an input with {C} channels (shape {shape}). "
                "Hint: in_channels must equal the previous layer's output channels (axis 1 of NCHW data); "
                "images stored NHWC need x.transpose(0, 3, 1, 2)."
            )

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Convolve ``x`` with every filter; cache what backward needs."""
        x = as_float_array(x, "x")
        check_ndim(x, 4, "Conv2D", "(N, C, H, W)")
        self._check_channels(x.shape[1], x.shape)
        forward, _ = _IMPLS[self.impl]
        out, cache = forward(x, self.params["W"], self.params.get("b"), geometry=self.geometry)
        self._cache = (cache, out.shape)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Fill ``grads['W']`` (and ``'b'``); return ``dx`` unless ``requires_input_grad`` is False."""
        cache, out_shape = self._get_cache()
        dout = check_layer_dout(dout, out_shape, self)
        _, backward = _IMPLS[self.impl]
        dx, dW, db = backward(dout, cache, need_dx=self.requires_input_grad)
        self.grads["W"] = dW
        if self.bias:
            self.grads["b"] = db
        return dx

    def output_shape(self, input_shape):
        """``(C_out, H_out, W_out)`` for one sample's ``(C_in, H, W)``."""
        shape = check_sample_shape(input_shape, "Conv2D")
        if len(shape) != 3:
            raise ValueError(
                f"Conv2D.output_shape() expects one sample's shape (C, H, W), got {input_shape!r}. "
                "Hint: leave out the batch axis, e.g. (1, 28, 28) not (64, 1, 28, 28)."
            )
        self._check_channels(shape[0], shape)
        return (self.out_channels, *self.geometry.output_hw(shape[1:]))

    def multiply_adds(self, input_shape) -> int:
        """Every output value is one window of ``C_in*KH*KW`` inputs times a filter's weights.

        >>> Conv2D(1, 32, 3).multiply_adds((1, 28, 28))  # 32*26*26 outputs, 9 each
        194688
        """
        C_out, H_out, W_out = self.output_shape(input_shape)
        KH, KW = self.kernel_size
        return C_out * H_out * W_out * self.in_channels * KH * KW

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={_fmt(self.kernel_size)}"
        if self.stride != (1, 1):
            s += f", stride={_fmt(self.stride)}"
        if isinstance(self.padding, str) or self.padding != 0:
            s += f", padding={self.padding!r}"
        if self.dilation != (1, 1):
            s += f", dilation={_fmt(self.dilation)}"
        if not self.bias:
            s += ", bias=False"
        if self.impl != "fast":
            s += f", impl={self.impl!r}"
        if self.init != "he":
            s += f", init={self.init!r}"
        if self.dtype != np.float32:
            s += f", dtype={self.dtype}"
        return s


def _fmt(pair: tuple[int, int]):
    """``3`` for ``(3, 3)``, the pair otherwise."""
    return pair[0] if pair[0] == pair[1] else pair
