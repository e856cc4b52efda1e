"""The ``Layer`` base class: the forward/backward contract every layer keeps."""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, check_bool


class Layer:
    """Base class of all layers.

    A layer keeps learnable arrays in ``params`` and, after ``backward``,
    their gradients in ``grads`` under the same keys. ``forward(x)`` caches
    what ``backward`` needs from the last call only; ``backward(dout)``
    returns ``dx`` and *overwrites* ``grads``; it never updates ``params``
    (the optimizer does).

    Subclasses implement ``forward``, ``backward`` and ``output_shape``; those
    with params or buffers also implement ``state_shapes`` (for
    ``Sequential.load``). They may override ``extra_repr`` to show their
    non-default arguments.
    """

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training: bool = True
        # Sequential turns this off for the first layer: nothing upstream
        # needs the gradient of the data, and skipping it saves time.
        # Layers that honour it return None from backward when it is False.
        self.requires_input_grad: bool = True
        self._cache = None

    # -- the contract -------------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        """Compute the output for ``x`` and cache what backward needs."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Return ``dx`` for upstream gradient ``dout``; overwrite ``grads``."""
        raise NotImplementedError(f"{type(self).__name__} must implement backward")

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one sample's output for one sample's ``input_shape`` (no batch axis)."""
        return tuple(input_shape)

    @classmethod
    def state_shapes(cls, **config) -> dict[str, tuple]:
        """Shapes of the params and buffers ``cls(**config)`` would create, without creating them.

        ``Sequential.load`` compares them with a file's arrays before it builds
        a layer, so a damaged or crafted file cannot make it allocate huge
        arrays. A layer with params or buffers must override this.
        """
        return {}

    # -- helpers shared by subclasses ----------------------------------------
    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def _get_cache(self):
        """Return the cache of the last forward, or raise ``RuntimeError``."""
        if self._cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before forward(). "
                "Hint: run layer.forward(x) (or layer(x)) first; backward uses what forward cached."
            )
        return self._cache

    def _check_dout(self, dout, expected_shape: tuple[int, ...]) -> np.ndarray:
        """Return ``dout`` as a float array (ints become float32) after checking it has the output's shape."""
        dout = as_float_array(dout, "dout")
        if dout.shape != tuple(expected_shape):
            raise ValueError(
                f"{type(self).__name__}.backward() got dout of shape {dout.shape}, expected "
                f"{tuple(expected_shape)} (the shape forward() returned). "
                "Hint: pass the gradient of the loss with respect to this layer's output."
            )
        return dout

    def train(self, mode: bool = True) -> "Layer":
        """Put the layer in training mode (``mode=False`` is ``eval()``)."""
        self.training = check_bool(mode, "mode", "layer.train() or layer.train(False); layer.eval() is the same "
                                   "as layer.train(False).")
        return self

    def eval(self) -> "Layer":
        """Put the layer in evaluation mode (dropout off, batch norm uses running stats)."""
        return self.train(False)

    def num_params(self) -> int:
        """Number of learnable scalars in ``params``."""
        return int(sum(p.size for p in self.params.values()))

    def zero_grad(self) -> None:
        """Set every gradient to zero (backward overwrites them anyway)."""
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def extra_repr(self) -> str:
        """Text inside the parentheses of ``repr``; subclasses list their non-default args."""
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"
