r"""Global average pooling: one number per channel, the head of modern CNNs."""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, check_impl, check_layer_dout, check_ndim, check_sample_shape
from ..functional.global_pool import (global_avgpool2d_backward, global_avgpool2d_backward_naive,
                                      global_avgpool2d_forward, global_avgpool2d_forward_naive)
from .base import Layer

_IMPLS = {"fast": (global_avgpool2d_forward, global_avgpool2d_backward),
          "naive": (global_avgpool2d_forward_naive, global_avgpool2d_backward_naive)}


class GlobalAvgPool2D(Layer):
    r"""The mean of every feature map: :math:`(N, C, H, W) \to (N, C)`, no parameters.

    It replaces ``Flatten`` + a large ``Dense`` at the end of a CNN (Network in
    Network, ResNet): a ``Dense(C, classes)`` follows, whatever the image size.
    Backward spreads each ``dout[n, c]`` evenly, ``dout[n, c] / (H*W)`` per pixel.
    Same numbers as ``x.mean((2, 3))`` in PyTorch (``nn.AdaptiveAvgPool2d(1)`` then flatten).

    Args:
        impl: ``"fast"`` (default) or ``"naive"`` (loops).

    Shape:
        input ``(N, C, H, W)``, output ``(N, C)``.

    >>> GlobalAvgPool2D()(np.ones((2, 64, 7, 7))).shape
    (2, 64)
    """

    def __init__(self, impl: str = "fast") -> None:
        super().__init__()
        self.impl = check_impl(impl, "GlobalAvgPool2D")

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Average every channel of ``x`` over its ``H*W`` pixels; cache the input's shape."""
        x = as_float_array(x, "x")
        check_ndim(x, 4, "GlobalAvgPool2D", "(N, C, H, W)")
        forward, _ = _IMPLS[self.impl]
        out, cache = forward(x)
        self._cache = (cache, out.shape, x.dtype)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Return ``dx`` (None when ``requires_input_grad`` is False); there are no grads to fill."""
        cache, out_shape, x_dtype = self._get_cache()
        dout = check_layer_dout(dout, out_shape, self)
        if not self.requires_input_grad:
            return None
        _, backward = _IMPLS[self.impl]
        return backward(dout, cache).astype(x_dtype, copy=False)

    def output_shape(self, input_shape):
        """``(C,)`` for one sample's ``(C, H, W)``."""
        shape = check_sample_shape(input_shape, "GlobalAvgPool2D")
        if len(shape) != 3:
            raise ValueError(
                f"GlobalAvgPool2D.output_shape() expects one sample's shape (C, H, W), got {input_shape!r}. "
                "Hint: leave out the batch axis; global pooling needs feature maps, so put it before Flatten/Dense."
            )
        return (shape[0],)

    def extra_repr(self) -> str:
        return "" if self.impl == "fast" else f"impl={self.impl!r}"
