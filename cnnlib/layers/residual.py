r"""``Residual``: a block of layers plus a skip connection, :math:`y = F(x) + \text{shortcut}(x)`."""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, check_layer_dout, check_sample_shape
from .base import Layer, check_each_layer_once

_PASS_THROUGH = (ValueError, TypeError)


def _as_layers(value, name: str) -> list[Layer]:
    """``value`` (a layer, a list of layers, or a model with ``layers`` such as ``Sequential``) as a list of layers."""
    if isinstance(value, Layer):
        layers = [value]
    elif isinstance(value, (list, tuple)) or isinstance(getattr(value, "layers", None), (list, tuple)):
        layers = list(value if isinstance(value, (list, tuple)) else value.layers)
    else:
        raise TypeError(
            f"Residual {name} must be a Layer, a list of layers or a Sequential, got {value!r} of type "
            f"{type(value).__name__}. Hint: Residual(Sequential([Conv2D(16, 16, 3, padding=1), ReLU()]))."
        )
    if not layers:
        raise ValueError(f"Residual {name} is empty, got {value!r}. Hint: give it at least one layer"
                         + ("; leave shortcut out (None) for the identity." if name == "shortcut" else "."))
    for i, layer in enumerate(layers):
        if not isinstance(layer, Layer):
            hint = f" Hint: create an instance, e.g. {layer.__name__}(...)." if isinstance(layer, type) else ""
            raise TypeError(f"Residual {name}[{i}] must be a Layer, got {layer!r} of type "
                            f"{type(layer).__name__}.{hint}")
    return layers


class Residual(Layer):
    r"""A residual block: ``y = block(x) + shortcut(x)``, the skip connection of ResNet.

    The block's layers run in order on ``x``; the shortcut is the identity
    (``x`` itself) by default, or a projection that makes ``x`` the block's
    shape when the block changes the channels or the size, e.g. a 1x1
    ``Conv2D`` with the block's stride followed by ``BatchNorm2D``. Backward
    sends ``dout`` down both paths and adds the two gradients: through the
    identity it reaches ``x`` unchanged, however deep the network.

    The inner layers keep their own ``params`` and ``grads``; ``Residual``
    shows them under prefixed names (``"block.0.W"``, ``"shortcut.1.gamma"``),
    the same arrays, so optimizers, ``gradcheck``, ``summary`` and
    ``save``/``load`` treat it as one layer. ``train()``/``eval()`` reach the
    inner layers (batch norm inside the block).

    Args:
        block: a ``Layer``, a list of layers or a ``Sequential`` (its layers are used).
        shortcut: None (default: identity), or a layer, list of layers or ``Sequential``.

    Shape:
        input ``(N, C, H, W)`` (or any shape the block takes); output the
        block's output shape, which the shortcut's output must equal.

    >>> from cnnlib.layers import BatchNorm2D, Conv2D, ReLU
    >>> block = [Conv2D(8, 8, 3, padding=1), BatchNorm2D(8), ReLU(), Conv2D(8, 8, 3, padding=1), BatchNorm2D(8)]
    >>> Residual(block)(np.zeros((2, 8, 6, 6))).shape
    (2, 8, 6, 6)
    """

    def __init__(self, block, shortcut=None) -> None:
        super().__init__()
        self.block = _as_layers(block, "block")
        self.shortcut = None if shortcut is None else _as_layers(shortcut, "shortcut")
        check_each_layer_once(self.named_layers(), "Residual", outer=self)  # at any depth
        self._collect()

    def named_layers(self) -> list[tuple[str, Layer]]:
        """``(path, layer)`` for the block's and the shortcut's layers, ``("block.0", ...)`` first."""
        return [(f"block.{i}", layer) for i, layer in enumerate(self.block)] + [
            (f"shortcut.{i}", layer) for i, layer in enumerate(self.shortcut or [])]

    def _collect(self) -> None:
        """``params`` and ``grads``: the inner layers' arrays under ``"<path>.<name>"``."""
        named = self.named_layers()
        self.params = {f"{path}.{k}": v for path, layer in named for k, v in layer.params.items()}
        self.grads = {f"{path}.{k}": v for path, layer in named for k, v in layer.grads.items()}

    def named_buffers(self) -> list[tuple[str, np.ndarray]]:
        """The inner layers' buffers (batch norm's running statistics) under ``"<path>.<name>"``."""
        return [(f"{path}.{k}", v) for path, layer in self.named_layers() for k, v in layer.named_buffers()]

    @classmethod
    def state_shapes(cls, block, shortcut=None, **config) -> dict[str, tuple]:
        """Shapes of the inner layers' params and buffers, under ``Residual``'s names."""
        named = [(f"block.{i}", layer) for i, layer in enumerate(_as_layers(block, "block"))]
        if shortcut is not None:
            named += [(f"shortcut.{i}", layer) for i, layer in enumerate(_as_layers(shortcut, "shortcut"))]
        return {f"{path}.{k}": tuple(v.shape) for path, layer in named
                for k, v in [*layer.params.items(), *layer.named_buffers()]}

    # -- forward and backward ------------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        """``block(x) + shortcut(x)``; every inner layer caches what its backward needs."""
        x = as_float_array(x, "x")
        self._collect()  # an inner layer's params may have been replaced since the last call
        out = _run(self.block, x, "block", "forward")
        skip = x if self.shortcut is None else _run(self.shortcut, x, "shortcut", "forward")
        self._check_same(out.shape, skip.shape, x.shape)
        self._cache = out.shape
        return out + skip

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Backward through the block and the shortcut; ``dx`` is the sum of the two paths' gradients."""
        out_shape = self._get_cache()
        dout = check_layer_dout(dout, out_shape, self)
        dx_block = _run(self.block[::-1], dout, "block", "backward", len(self.block))
        dx_skip = dout if self.shortcut is None else _run(self.shortcut[::-1], dout, "shortcut", "backward",
                                                          len(self.shortcut))
        self._collect()  # backward put new gradient arrays into the inner layers' grads
        if not self.requires_input_grad:
            return None
        return dx_block + dx_skip

    def _check_same(self, block_shape, skip_shape, in_shape) -> None:
        if tuple(block_shape) != tuple(skip_shape):
            what = "identity shortcut (x itself)" if self.shortcut is None else "shortcut"
            raise ValueError(
                f"Residual: the block's output has shape {tuple(block_shape)} but the {what} gives "
                f"{tuple(skip_shape)} (input shape {tuple(in_shape)}); they must be equal to be added. Hint: use a "
                "projection shortcut that maps x to the block's shape, e.g. Residual(block, shortcut=[Conv2D(C_in, "
                "C_out, 1, stride=S, bias=False), BatchNorm2D(C_out)]) with the block's stride S."
            )

    # -- modes, gradients, shapes -------------------------------------------------------
    def train(self, mode: bool = True) -> "Residual":
        """Put the residual block and every inner layer in training mode (``mode=False`` is ``eval()``)."""
        super().train(mode)
        for _, layer in self.named_layers():
            layer.train(self.training)
        return self

    def zero_grad(self) -> None:
        """Set every inner layer's gradients to zero."""
        for _, layer in self.named_layers():
            layer.zero_grad()
        self._collect()

    def output_shape(self, input_shape):
        """The block's output shape for one sample's ``input_shape``, after checking the shortcut agrees."""
        shape = check_sample_shape(input_shape, "Residual")
        out = self._shapes(self.block, shape, "block")[-1][2]
        skip = shape if self.shortcut is None else self._shapes(self.shortcut, shape, "shortcut")[-1][2]
        self._check_same(out, skip, shape)
        return out

    def multiply_adds(self, input_shape) -> int:
        """The block's and the shortcut's multiply-adds; the sum of the two paths is an addition, not counted."""
        self.output_shape(input_shape)  # checks the shape, and that the two paths agree
        return sum(_multiply_adds(layers, tuple(input_shape)) for layers in (self.block, self.shortcut or []))

    def summary_rows(self, input_shape) -> list[tuple[str, str, tuple, int]]:
        """``(path, layer type, output shape, params)`` of every inner layer, for ``summary()``.

        Nested blocks come right after their ``Residual`` with longer paths
        (``"block.1.block.0"``); an identity shortcut is the row ``("shortcut", "identity", shape, 0)``.
        """
        shape = check_sample_shape(input_shape, "Residual")
        rows = self._shapes(self.block, shape, "block")
        if self.shortcut is None:
            rows.append(("shortcut", "identity", shape, 0))
        else:
            rows += self._shapes(self.shortcut, shape, "shortcut")
        return rows

    @staticmethod
    def _shapes(layers, shape, name: str) -> list[tuple[str, str, tuple, int]]:
        rows = []
        for i, layer in enumerate(layers):
            path = f"{name}.{i}"
            try:
                out = tuple(layer.output_shape(shape))
                inner = layer.summary_rows(shape) if isinstance(layer, Residual) else []
            except _PASS_THROUGH as exc:
                if type(exc) not in _PASS_THROUGH:
                    raise
                raise type(exc)(f"{path} ({type(layer).__name__}) cannot take input shape {shape}: {exc}") from exc
            rows.append((path, type(layer).__name__, out, layer.num_params()))
            rows += [(f"{path}.{p}", n, s, k) for p, n, s, k in inner]
            shape = out
        return rows

    def __repr__(self) -> str:
        lines = [f"  ({path}): " + repr(layer).replace("\n", "\n  ") for path, layer in self.named_layers()]
        if self.shortcut is None:
            lines.append("  (shortcut): identity")
        return "Residual(\n" + "\n".join(lines) + "\n)"


def _multiply_adds(layers, shape) -> int:
    """Multiply-adds of ``layers`` in a row, each given the shape the one before it outputs."""
    total = 0
    for layer in layers:
        total += layer.multiply_adds(shape)
        shape = tuple(layer.output_shape(shape))
    return total


def _run(layers, value, name: str, step: str, count: int = 0):
    """Pass ``value`` through ``layers`` calling ``step`` (forward, or backward on the reversed list).

    Errors name the inner layer by its path, as ``Sequential`` names its layers.
    """
    for k, layer in enumerate(layers):
        index = count - 1 - k if step == "backward" else k
        if value is None:
            raise RuntimeError(
                f"Residual {name}.{index + 1} returned no gradient, so {name}.{index} ({type(layer).__name__}) "
                "cannot run backward. Hint: leave requires_input_grad True for the layers inside a Residual."
            )
        try:
            value = getattr(layer, step)(value)
        except _PASS_THROUGH as exc:
            if type(exc) not in _PASS_THROUGH:  # a subclass may need other constructor arguments
                raise
            raise type(exc)(f"{name}.{index} ({type(layer).__name__}) {step}: {exc}") from exc
    if value is None:
        raise RuntimeError(f"Residual {name}.0 returned no gradient. Hint: leave requires_input_grad True for "
                           "the layers inside a Residual.")
    return value
