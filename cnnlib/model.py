"""``Sequential``: a list of layers run forward in order and backward in reverse.

It is the front of the library: ``fit``, ``evaluate`` and ``predict`` hand the
model to :mod:`cnnlib.training_loop`, ``save`` and ``load`` to
:mod:`cnnlib.checkpoint`, ``summary`` to :mod:`cnnlib.summary`. Those work on
any object with ``layers`` and never import this module, so the imports run
one way: layers, then those three, then ``Sequential``.
"""
from __future__ import annotations

import numpy as np

from . import checkpoint, training_loop
from ._checks import check_bool
from .layers.base import Layer, check_each_layer_once
from .summary import Summary
from .training_loop import History

_PASS_THROUGH = (ValueError, TypeError)


class Sequential:
    """A stack of layers: ``forward`` runs them in order, ``backward`` in reverse.

    Args:
        layers: a list of ``Layer`` objects, each used once.

    Shape:
        whatever the first layer takes in to whatever the last layer puts out;
        ``summary(input_shape)`` shows every step.

    >>> model = Sequential([Conv2D(1, 8, 3), ReLU(), Flatten(), Dense(8 * 26 * 26, 10)])
    >>> model(np.zeros((2, 1, 28, 28))).shape
    (2, 10)
    """

    def __init__(self, layers, *extra) -> None:
        if extra or isinstance(layers, Layer):
            raise TypeError(
                "Sequential takes one list of layers, got separate arguments. "
                "Hint: wrap them in brackets: Sequential([Conv2D(1, 8, 3), ReLU(), ...])."
            )
        if not isinstance(layers, (list, tuple)):
            raise TypeError(f"layers must be a list of Layer objects, got {type(layers).__name__}.")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                hint = " Hint: to join two models use Sequential(a.layers + b.layers)." if isinstance(layer, Sequential) else ""
                if isinstance(layer, type) and issubclass(layer, Layer):
                    hint = f" Hint: create an instance, e.g. {layer.__name__}(...)."
                raise TypeError(f"layers[{i}] must be a Layer, got {layer!r} of type {type(layer).__name__}.{hint}")
        check_each_layer_once([(f"layers[{i}]", layer) for i, layer in enumerate(layers)], "Sequential")
        self.layers: list[Layer] = list(layers)
        self.history: History | None = None
        self.stop_training = False

    # -- running the layers -------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        """Run every layer in order; each caches what its backward needs."""
        for i, layer in enumerate(self.layers):
            try:
                x = layer.forward(x)
            except _PASS_THROUGH as exc:
                if type(exc) not in _PASS_THROUGH:  # a subclass may need other constructor arguments
                    raise
                raise _at_layer(exc, i, layer, "forward") from exc
        return x

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Run every layer's backward in reverse; return ``dx`` of the first layer.

        That is ``None`` when the first layer has ``requires_input_grad=False``
        (as during ``fit``).
        """
        for i in reversed(range(len(self.layers))):
            layer = self.layers[i]
            if dout is None:
                raise RuntimeError(
                    f"layer {i + 1} ({type(self.layers[i + 1]).__name__}) returned no gradient, so layer {i} "
                    f"({type(layer).__name__}) cannot run backward. Hint: only the first layer may have "
                    "requires_input_grad=False."
                )
            try:
                dout = layer.backward(dout)
            except _PASS_THROUGH as exc:
                if type(exc) not in _PASS_THROUGH:  # a subclass may need other constructor arguments
                    raise
                raise _at_layer(exc, i, layer, "backward") from exc
        return dout

    def train(self, mode: bool = True) -> "Sequential":
        """Put every layer in training mode (``mode=False`` is ``eval()``)."""
        mode = check_bool(mode, "mode", "model.train() or model.train(False); model.eval() is the same as "
                          "model.train(False).")
        for layer in self.layers:
            layer.train(mode)
        return self

    def eval(self) -> "Sequential":
        """Put every layer in evaluation mode (dropout off, batch norm uses running stats)."""
        return self.train(False)

    # -- parameters ------------------------------------------------------------
    def params(self):
        """Yield ``(layer_index, name, array)`` for every learnable array."""
        for i, layer in enumerate(self.layers):
            for name, arr in layer.params.items():
                yield i, name, arr

    def num_params(self) -> int:
        """Number of learnable scalars in all layers."""
        return sum(layer.num_params() for layer in self.layers)

    def zero_grad(self) -> None:
        """Zero every layer's gradients (backward overwrites them anyway)."""
        for layer in self.layers:
            layer.zero_grad()

    def summary(self, input_shape) -> Summary:
        """Keras-style table of output shapes and parameter counts for one sample's ``input_shape``.

        ``input_shape`` has no batch axis: ``(C, H, W)`` or ``(features,)``.
        No forward pass is run; a shape error names the layer.
        """
        return Summary(self.layers, input_shape)

    def output_shape(self, input_shape) -> tuple[int, ...]:
        """One sample's output shape for one sample's ``input_shape``."""
        return Summary(self.layers, input_shape).output_shape

    def multiply_adds(self, input_shape) -> int:
        """Multiply-adds of one sample's forward pass: each layer's ``multiply_adds`` at the shape it receives.

        >>> Sequential([Conv2D(1, 8, 3), ReLU(), Flatten(), Dense(8 * 26 * 26, 10)]).multiply_adds((1, 28, 28))
        102752
        """
        summary = Summary(self.layers, input_shape)  # checks every shape and names the layer that fails
        inputs = [summary.input_shape] + [shape for _, shape, _ in summary.rows[:-1]]  # what each layer receives
        return sum(layer.multiply_adds(shape) for layer, shape in zip(self.layers, inputs))

    # -- training ----------------------------------------------------------------
    def fit(self, x, y, *, loss, optimizer, epochs, batch_size=64, validation_data=None,
            shuffle=True, seed=0, progress=True, callbacks=None, augment=None) -> History:
        """Train on ``(x, y)`` with mini-batch gradient descent; return a ``History``.

        Args:
            x, y: inputs ``(N, ...)`` and targets (int labels ``(N,)`` or one-hot ``(N, K)``).
            loss: e.g. ``CrossEntropy()``; ``optimizer``: e.g. ``SGD(model, lr=0.1)``.
            epochs: passes over the data (0 trains nothing).
            batch_size: samples per step (default 64); the last batch may be smaller.
            validation_data: optional ``(x_val, y_val)`` scored after each epoch.
            shuffle, seed: reshuffle each epoch with ``np.random.default_rng(seed)``.
            progress: show a tqdm bar per epoch (redrawn in place in Jupyter; see ``cnnlib.progress``).
            callbacks: callables ``cb(epoch, logs)`` run after each epoch; one that
                also has ``on_batch_end(step, logs)`` hears about every batch.
                Setting ``model.stop_training = True`` stops after the epoch.
            augment: optional callable applied to every training batch, e.g.
                ``cnnlib.augment.RandomAugment()`` (random flips and shifts);
                validation data is never augmented.

        The metrics are ``loss``, ``accuracy`` (classification) and ``val_*``.
        The model's modes and its first layer's ``requires_input_grad`` are
        restored afterwards; ``model.history`` keeps the history even if
        training is interrupted. NaN or inf in ``x`` is a ``ValueError`` before
        training starts; if training diverges (the output or the loss stops
        being finite) ``fit`` stops with a ``RuntimeError`` naming the epoch and batch.

        >>> h = model.fit(x, y, loss=CrossEntropy(), optimizer=Adam(model), epochs=2, progress=False)
        >>> h.history["loss"][-1] < h.history["loss"][0]
        True
        """
        return training_loop.fit(
            self, x, y, loss=loss, optimizer=optimizer, epochs=epochs, batch_size=batch_size,
            validation_data=validation_data, shuffle=shuffle, seed=seed, progress=progress, callbacks=callbacks,
            augment=augment,
        )

    def evaluate(self, x, y, *, loss=None, batch_size=256) -> dict[str, float]:
        """``{"loss": ..., "accuracy": ...}`` over ``(x, y)`` in eval mode (loss only if given).

        For a classifier, ``y`` holds integer labels in ``[0, K)`` or rows shaped like the outputs.
        """
        return training_loop.evaluate(self, x, y, loss=loss, batch_size=batch_size)

    def predict(self, x, batch_size=256) -> np.ndarray:
        """Outputs for ``x`` in eval mode, in batches; the previous mode is restored (empty ``x``: empty result)."""
        return training_loop.predict(self, x, batch_size=batch_size)

    # -- saving ------------------------------------------------------------------
    def save(self, path):
        """Save parameters, buffers and architecture to an ``.npz`` file; return its path."""
        return checkpoint.save(self, path)

    def load_weights(self, path) -> "Sequential":
        """Load a file written by ``save`` into this model (same architecture), in place."""
        checkpoint.load_weights(self, path)
        return self

    @classmethod
    def load(cls, path) -> "Sequential":
        """Rebuild the model saved in ``path`` (cnnlib layers only) with its weights."""
        return cls(checkpoint.load_layers(path))

    # -- container protocol ----------------------------------------------------------
    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(self.layers[index])
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        if not self.layers:
            return "Sequential()"
        # A layer made of layers (Residual) prints on several lines: indent them under its number.
        lines = [f"  ({i}): " + repr(layer).replace("\n", "\n  ") for i, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"


def _at_layer(exc: Exception, i: int, layer: Layer, where: str) -> Exception:
    """The same error with the failing layer's index and type in front of the message."""
    return type(exc)(f"layer {i} ({type(layer).__name__}) {where}: {exc}")
