"""The ``Layer`` base class and the contract every layer keeps."""
from __future__ import annotations

import numpy as np

from .._checks import check_bool


class Layer:
    """Base class of all layers; its docstring is the contract a new layer keeps.

    **Forward and backward.** ``forward(x)`` returns the output and keeps in
    ``self._cache`` what ``backward`` needs, from the last call only.
    ``backward(dout)`` checks ``dout`` against the last output's shape
    (``cnnlib._checks.check_dout``), *overwrites* ``grads[k]`` for every key
    ``k`` of ``params`` with an array of that parameter's shape, and returns
    ``dx`` shaped like ``x``, or None when ``requires_input_grad`` is False. It
    never updates ``params``: the optimizer does.

    **State.** ``params`` maps names (``"W"``, ``"b"``, ``"gamma"``, ``"beta"``)
    to learnable arrays, ``grads`` their gradients under the same keys.
    Buffers are arrays that are saved but not trained (batch norm's running
    statistics): a layer lists their attribute names in ``buffer_names`` and
    updates them in place. ``training`` switches train/eval behaviour.

    **Saving and loading** (``Sequential.save`` / ``Sequential.load``) need:

    * each constructor argument stored under an attribute of the same name
      (``self.kernel_size = ...`` for ``kernel_size``), holding ints, floats,
      bools, strings, tuples or a dtype;
    * a ``repr`` that rebuilds the same layer: ``extra_repr`` lists every
      non-default argument (``load`` compares the saved and rebuilt repr);
    * ``state_shapes(**config)``, a classmethod giving the shapes of the
      params and buffers ``cls(**config)`` would create, without creating
      them (``load`` checks a file against it before allocating anything).

    **Geometry.** A layer declares how output pixels depend on input pixels,
    for the receptive-field tool (``cnnlib.shapes.receptive_field``) and the
    lessons: a forward sliding window (conv, pooling) sets ``self.geometry``
    to its :class:`cnnlib.shapes.Geometry2D`; a layer whose output pixel
    ``(i, j)`` depends on input pixel ``(i, j)`` only sets ``pointwise = True``.
    A layer that declares neither (``Flatten``, ``Dense``, or any other
    mapping, such as a transposed convolution) stops a receptive field with an
    error: it is never mistaken for a forward conv.

    **A new layer** implements ``forward``, ``backward`` and ``output_shape``
    (one sample's output shape for one sample's input shape, no batch axis,
    by arithmetic only: ``summary`` uses it), ``multiply_adds`` when it
    multiplies inputs by weights, plus ``state_shapes`` and
    ``extra_repr`` when it has params or non-default arguments, and declares
    its geometry. Its op goes in ``cnnlib.functional`` (a loop version and a
    fast one), its checks in ``cnnlib._checks``, its name in
    ``cnnlib/layers/__init__.py``, and its tests beside the others in
    ``tests/layers`` and ``tests/functional``; nothing else needs to change.
    """

    buffer_names: tuple[str, ...] = ()
    geometry = None  # a cnnlib.shapes.Geometry2D for a forward sliding window
    pointwise: bool = False

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

    def multiply_adds(self, input_shape: tuple[int, ...]) -> int:
        """Multiply-adds of one sample's forward pass for one sample's ``input_shape`` (no batch axis).

        Counts each weight times an input value, added up: what convolutions and dense layers
        compute, and what PyTorch's ``FlopCounterMode`` counts as 2 FLOPs (biases not counted).
        Element-wise layers (activations, batch norm), pooling and reshapes count 0.
        """
        self.output_shape(input_shape)  # checks input_shape and names the layer that cannot take it
        return 0

    @classmethod
    def state_shapes(cls, **config) -> dict[str, tuple]:
        """Shapes of the params and buffers ``cls(**config)`` would create, without creating them.

        ``Sequential.load`` compares them with a file's arrays before it builds
        a layer, so a damaged or crafted file cannot make it allocate huge
        arrays. A layer with params or buffers must override this.
        """
        return {}

    def named_buffers(self) -> list[tuple[str, np.ndarray]]:
        """``(name, array)`` for each buffer named in ``buffer_names``: state that is saved but not trained."""
        return [(name, getattr(self, name)) for name in self.buffer_names]

    # -- helpers shared by subclasses ----------------------------------------
    def named_layers(self) -> list[tuple[str, "Layer"]]:
        """``(path, layer)`` for the layers directly inside this one (``Residual``'s block); none for a plain layer."""
        return []

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


def check_each_layer_once(named, container: str, outer: Layer | None = None) -> None:
    """Refuse a layer object that appears twice in ``named`` (``(path, layer)`` pairs), at any depth.

    ``outer``, the container itself when it is a layer (``Residual``), may not appear inside it either.

    A layer caches its last forward for backward, so a second appearance, even inside a nested ``Residual``,
    would overwrite the first one's cache and silently give wrong gradients.
    """
    seen: dict[int, str] = {} if outer is None else {id(outer): f"the {container} itself"}

    def walk(pairs):
        for path, layer in pairs:
            if id(layer) in seen:
                raise ValueError(
                    f"{container} {path} is the same {type(layer).__name__} object as {seen[id(layer)]}. A layer "
                    "caches its last forward for backward, so it can appear only once (nested blocks included). "
                    "Hint: create a new instance."
                )
            seen[id(layer)] = path
            walk([(f"{path}.{inner}", sub) for inner, sub in layer.named_layers()])

    walk(list(named))
