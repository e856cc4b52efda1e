"""What the three explanations share: the model's layers up to the logits, run one by one in eval mode.

``Sequential.forward`` runs every layer and ``backward`` goes all the way back
to the input. Saliency needs exactly that, but Grad-CAM needs the output of
one inner layer and the gradient of the score with respect to it, so the
explanations run ``model.layers`` one by one from outside (``run_forward``,
``run_backward``), inside ``inspecting``, which puts the model in eval mode
and afterwards puts back everything a forward/backward overwrites.
"""
from __future__ import annotations

import numbers
from contextlib import contextmanager

import numpy as np

from .._checks import as_float_array, check_finite
from ..layers.activations import Softmax
from ..layers.base import Layer

_PASS_THROUGH = (ValueError, TypeError)


def classifier_layers(model, who: str) -> list[Layer]:
    """The layers that compute the logits: ``model.layers`` without a final ``Softmax``.

    cnnlib classifiers end in ``Dense`` (``CrossEntropy`` fuses the softmax into
    the loss), so their output already is the logits. A model that ends in a
    ``Softmax`` layer is run up to that layer's input, which is the logits.
    """
    layers = getattr(model, "layers", None)
    if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Layer) for layer in layers):
        raise TypeError(
            f"{who} expects a model with a list of cnnlib layers in model.layers (a Sequential), got "
            f"{type(model).__name__}. Hint: build it with Sequential([Conv2D(...), ReLU(), ..., Dense(..., 10)])."
        )
    layers = list(layers)
    if layers and isinstance(layers[-1], Softmax):
        layers = layers[:-1]  # the score is the softmax's input: the logit
    if not layers:
        raise ValueError(f"{who} got a model with no layers before the output. Hint: explain a trained classifier.")
    return layers


def as_images(x, who: str) -> tuple[np.ndarray, bool]:
    """``x`` as a float batch ``(N, C, H, W)``, and whether it was one image ``(C, H, W)``."""
    x = as_float_array(x, "x")
    if x.ndim not in (3, 4):
        hint = " Hint: for one grayscale image (H, W) use x[None]." if x.ndim == 2 else ""
        raise ValueError(f"{who} expects one image (C, H, W) or a batch (N, C, H, W), got shape {x.shape} "
                         f"({x.ndim}-D).{hint}")
    single = x.ndim == 3
    batch = x[None] if single else x  # (N, C, H, W)
    if batch.shape[0] == 0 or min(batch.shape[1:]) < 1:
        raise ValueError(f"{who} got x of shape {x.shape} with an empty axis; it needs at least one image with "
                         "C, H, W >= 1. Hint: check the slicing that made x.")
    check_finite(batch, "images x", who, "clean the image first, e.g. np.nan_to_num(x).")
    return batch, single


def as_targets(target, logits: np.ndarray, single: bool, who: str) -> np.ndarray:
    """The class index of each image, ``(N,)`` ints in ``[0, K)``; one int is used for every image."""
    if logits.ndim != 2:
        raise ValueError(
            f"{who} needs class scores of shape (N, K) from the model, but it outputs shape {logits.shape}. "
            "Hint: explain a classifier whose last layer is Dense(..., num_classes) (optionally then Softmax)."
        )
    n, k = logits.shape
    t = np.asarray(target)
    if t.size == 0 and t.ndim == 1:
        raise ValueError(f"{who}: target is empty, got {target!r}; expected one int, or {n} ints (one per "
                         "image). Hint: target=3 explains the score of class 3 for every image.")
    if t.dtype == object and np.ndim(target) == 0 and isinstance(target, int):  # beyond int64: out of range
        raise ValueError(f"{who}: target {target} is not a class of this model, which has K={k} classes; "
                         f"expected an index in [0, {k}). Hint: classes are numbered from 0.")
    if t.dtype.kind not in "iu" or isinstance(target, (bool, np.bool_)):
        raise TypeError(f"{who}: target must be an integer class index (or one per image), got {target!r}. "
                        f"Hint: target=3 explains the score of class 3 of {k}.")
    if t.ndim == 0:
        t = np.full(n, int(t))
    elif single or t.shape != (n,):
        expected = "one int for the image" if single else f"one int, or {n} ints (one per image)"
        raise ValueError(f"{who}: target must be {expected}, got shape {t.shape}. "
                         "Hint: a batch of N images takes target=c or target=[c_0, ..., c_(N-1)].")
    bad = (t < 0) | (t >= k)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        where = "" if single or np.ndim(target) == 0 else f" (image {i})"
        raise ValueError(f"{who}: target {int(t[i])}{where} is not a class of this model, which has K={k} classes; "
                         f"expected an index in [0, {k}). Hint: classes are numbered from 0.")
    return t.astype(np.int64)


def check_int(value, name: str, who: str, hint: str) -> int:
    """``value`` as an int (not a bool), or a ``TypeError``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{who}: {name} must be an int, got {value!r} of type {type(value).__name__}. Hint: {hint}")
    return int(value)


def one_hot(t: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """``d score / d logits`` for the score ``logits[n, t[n]]`` of every image: one-hot rows ``(N, K)``."""
    dout = np.zeros_like(logits)
    dout[np.arange(len(t)), t] = 1
    return dout


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``(N, K)`` logits, shifted by the row maximum so ``exp`` cannot overflow."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))  # (N, K)
    return e / e.sum(axis=1, keepdims=True)


def run_forward(layers, h: np.ndarray, start: int, stop: int, who: str) -> np.ndarray:
    """Run ``layers[start:stop]`` forward on ``h``; an error names the layer as ``Sequential`` does.

    When that reaches the logits (``stop == len(layers)``) they must be finite: a NaN score would give an
    explanation of NaNs, or of zeros, without a word.
    """
    for i in range(start, stop):
        try:
            h = layers[i].forward(h)
        except _PASS_THROUGH as exc:
            if type(exc) not in _PASS_THROUGH:
                raise
            raise type(exc)(f"layer {i} ({type(layers[i]).__name__}) forward: {exc}") from exc
    if stop == len(layers):
        check_finite(h, "model's logits, so there is no score to explain", who,
                     "check the image's scale (the training data's, e.g. 0..1) and that the weights are finite; "
                     "model.predict refuses the same input.", RuntimeError)
    return h


def run_backward(layers, dout: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Run ``layers[start:stop]`` backward in reverse; return the gradient at the input of ``layers[start]``."""
    for i in reversed(range(start, stop)):
        dout = layers[i].backward(dout)
    return dout


def _every_layer(layers) -> list[Layer]:
    """The layers and every layer inside them (a block's attributes that are layers or lists of layers)."""
    found, seen, todo = [], set(), list(layers)
    while todo:
        layer = todo.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        found.append(layer)
        for value in vars(layer).values():
            inner = getattr(value, "layers", value)  # a Sequential inside a block holds its layers in .layers
            if isinstance(inner, Layer):
                todo.append(inner)
            elif isinstance(inner, (list, tuple)):
                todo.extend(v for v in inner if isinstance(v, Layer))
    return found


@contextmanager
def inspecting(layers):
    """Eval mode and input gradients on for the block; afterwards every layer is as it was.

    Restored for each layer (and the layers inside a block): its mode, its
    ``requires_input_grad``, its forward cache and its ``grads`` (the same
    dict, refilled), so an explanation run between two training steps changes
    nothing the next ``backward`` or optimizer step reads. In eval mode batch
    norm updates no running statistics and dropout draws no random numbers.
    """
    every = _every_layer(layers)
    saved = [(layer, layer.training, layer.requires_input_grad, layer._cache, layer.grads, dict(layer.grads))
             for layer in every]
    try:
        for layer in layers:
            layer.train(False)
        for layer in every:
            layer.requires_input_grad = True
        yield
    finally:
        for layer, training, needs_dx, cache, grads, grads_before in saved:
            layer.training, layer.requires_input_grad, layer._cache = training, needs_dx, cache
            layer.grads = grads  # the same dict an optimizer may hold, with the same arrays in it
            grads.clear()
            grads.update(grads_before)
