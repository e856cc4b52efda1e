r"""The 2-D transposed convolution layer ("deconvolution", learned upsampling)."""
from __future__ import annotations

import numpy as np

from .._checks import (as_float_array, as_pair, check_bool, check_dtype_arg, check_impl, check_init,
                       check_layer_dout, check_ndim, check_positive_int, check_sample_shape, make_rng)
from ..functional.conv_transpose import conv_transpose2d_backward, conv_transpose2d_forward
from ..functional.conv_transpose_naive import conv_transpose2d_backward_naive, conv_transpose2d_forward_naive
from ..shapes import conv_transpose_geometry, conv_transpose_output_hw
from .base import Layer
from .init import init_params

_IMPLS = {"fast": (conv_transpose2d_forward, conv_transpose2d_backward),
          "naive": (conv_transpose2d_forward_naive, conv_transpose2d_backward_naive)}


class ConvTranspose2D(Layer):
    r"""2-D transposed convolution: every input pixel stamps a learned kernel onto a larger output.

    The same arithmetic as ``torch.nn.ConvTranspose2d``: it is the backward
    of a ``Conv2D`` with respect to its input, so a ``Conv2D`` with the same
    ``kernel_size, stride, padding, dilation`` maps the output size back to
    the input size. ``output_padding`` picks among the input sizes a strided
    conv maps to the same size.

    ``W`` is He-initialised, :math:`W \sim \mathcal{N}(0, 2/\text{fan\_in})`,
    ``b`` starts at zero, as ``Conv2D`` does; ``init="uniform"`` draws both from
    :math:`\mathcal{U}(\pm 1/\sqrt{\text{fan\_in}})`, PyTorch's default. Either
    way :math:`\text{fan\_in} = C_{out} K_H K_W`, what PyTorch computes for a
    ``(C_in, C_out, KH, KW)`` weight (see ``cnnlib.layers.init``).

    Args:
        in_channels: ``C_in``, channels of the input.
        out_channels: ``C_out``, channels of the output.
        kernel_size: int or ``(KH, KW)``.
        stride: int or ``(sh, sw)``: the upsampling factor (default 1).
        padding: int or ``(ph, pw)``, cut from each side of the output (default 0).
        output_padding: int or ``(oph, opw)``, added at the bottom/right; smaller
            than the stride or the dilation (default 0).
        dilation: int or ``(dh, dw)`` (default 1).
        bias: learn a bias per output channel (default True).
        impl: ``"fast"`` (matmul + col2im, default) or ``"naive"`` (loops).
        dtype: float32 (default) or float64 for gradient checks.
        seed: seed of ``np.random.default_rng`` for ``W`` (default None).
        init: ``"he"`` (default) or ``"uniform"`` (PyTorch's default).

    ``self.conv_geometry`` is the :class:`~cnnlib.shapes.Geometry2D` of the
    convolution this layer transposes. It is not ``self.geometry``: the layer
    is not a forward sliding window, so a receptive field stops at it.

    Shape:
        input ``(N, C_in, H, W)``, output ``(N, C_out, H_out, W_out)`` with
        ``H_out = (H - 1)*sh - 2*ph + dh*(KH - 1) + oph + 1``;
        ``W`` is ``(C_in, C_out, KH, KW)`` (input channels first, as in PyTorch), ``b`` is ``(C_out,)``.

    >>> up = ConvTranspose2D(16, 8, 2, stride=2, seed=0)
    >>> up(np.zeros((1, 16, 7, 7))).shape
    (1, 8, 14, 14)
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, output_padding=0,
                 dilation=1, bias: bool = True, impl: str = "fast", dtype=np.float32, seed=None,
                 init: str = "he") -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        geometry, out_pad = conv_transpose_geometry(kernel_size, stride, padding, output_padding, dilation,
                                                    who="ConvTranspose2D")
        self.conv_geometry = geometry  # checked and resolved once
        self.kernel_size, self.stride, self.dilation = geometry.kernel_size, geometry.stride, geometry.dilation
        self.padding = geometry.pads[0][0], geometry.pads[1][0]  # (ph, pw)
        self.output_padding = out_pad
        self.bias = check_bool(bias, "bias", "ConvTranspose2D(..., bias=False) leaves the bias out "
                               "(e.g. before batch norm).")
        self.impl = check_impl(impl, "ConvTranspose2D")
        self.dtype = check_dtype_arg(dtype)
        self.init = check_init(init, "ConvTranspose2D")
        KH, KW = self.kernel_size
        W, b = init_params(make_rng(seed), (self.in_channels, self.out_channels, KH, KW),
                           self.out_channels if self.bias else None, self.out_channels * KH * KW, init, self.dtype)
        self.params["W"] = W
        if self.bias:
            self.params["b"] = b

    @classmethod
    def state_shapes(cls, in_channels, out_channels, kernel_size, bias=True, **config) -> dict[str, tuple]:
        """``W`` is ``(C_in, C_out, KH, KW)``, ``b`` ``(C_out,)``."""
        KH, KW = as_pair(kernel_size, "kernel_size")
        return {"W": (in_channels, out_channels, KH, KW), **({"b": (out_channels,)} if bias else {})}

    def _check_channels(self, C: int, shape) -> None:
        if C != self.in_channels:
            raise ValueError(
                f"ConvTranspose2D(in_channels={self.in_channels}) got an input with {C} channels (shape {shape}). "
                "Hint: in_channels must equal the previous layer's output channels (axis 1 of NCHW data)."
            )

    def _settings(self) -> tuple:
        return self.stride, self.padding, self.output_padding, self.dilation

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Stamp the kernels at every input pixel; cache what backward needs."""
        x = as_float_array(x, "x")
        check_ndim(x, 4, "ConvTranspose2D", "(N, C, H, W)")
        self._check_channels(x.shape[1], x.shape)
        forward, _ = _IMPLS[self.impl]
        out, cache = forward(x, self.params["W"], self.params.get("b"), *self._settings())
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
        shape = check_sample_shape(input_shape, "ConvTranspose2D")
        if len(shape) != 3:
            raise ValueError(
                f"ConvTranspose2D.output_shape() expects one sample's shape (C, H, W), got {input_shape!r}. "
                "Hint: leave out the batch axis, e.g. (16, 7, 7) not (64, 16, 7, 7)."
            )
        self._check_channels(shape[0], shape)
        return (self.out_channels, *conv_transpose_output_hw(shape[1:], self.conv_geometry, self.output_padding))

    def multiply_adds(self, input_shape) -> int:
        """Every input value stamps its channel's ``C_out*KH*KW`` weights onto the output: ``C_in*H*W`` stamps.

        >>> ConvTranspose2D(16, 8, 4, stride=2).multiply_adds((16, 7, 7))  # 784 stamps of 8*4*4 weights
        100352
        """
        self.output_shape(input_shape)  # checks the shape and the channels
        C_in, H, W = input_shape
        KH, KW = self.kernel_size
        return int(C_in * H * W) * self.out_channels * KH * KW

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={_fmt(self.kernel_size)}"
        for name, default in (("stride", (1, 1)), ("padding", (0, 0)), ("output_padding", (0, 0)),
                              ("dilation", (1, 1))):
            if getattr(self, name) != default:
                s += f", {name}={_fmt(getattr(self, name))}"
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
