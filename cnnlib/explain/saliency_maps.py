r"""Saliency (Simonyan, Vedaldi & Zisserman 2014): the gradient of a class score with respect to the pixels.

The score is the logit :math:`z_c` of the target class (before softmax: the
probability of one class also moves when the others' logits move). One
backward pass from the one-hot ``dout`` :math:`\partial z_c / \partial z`
through every layer gives :math:`\partial z_c / \partial x`, the first-order
answer to "which pixels, nudged, change the score most". The usual picture is
its largest absolute value over the channels (:func:`saliency_map`).
"""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array
from ._model import as_images, as_targets, classifier_layers, inspecting, one_hot, run_backward, run_forward


def saliency(model, x, target) -> np.ndarray:
    r"""Gradient of the target class's logit with respect to the input image(s).

    The model runs in eval mode (batch norm uses its running statistics,
    dropout is off), so each image's score depends on that image only and a
    batch gives every image's own gradient. The model's modes, caches and
    ``grads`` are restored afterwards (see :mod:`cnnlib.explain`). If the
    last layer is a ``Softmax``, the score is that layer's input (the logit).

    Args:
        model: a ``Sequential`` classifier whose output (or last layer's input
            when it ends in ``Softmax``) is ``(N, K)`` logits.
        x: one image ``(C, H, W)`` or a batch ``(N, C, H, W)``.
        target: the class index, or one per image for a batch.

    Shape:
        output shaped like ``x``: ``d z_target / d x``. For display reduce it
        with :func:`saliency_map` to ``(H, W)`` (``max_c |grad|``).

    >>> saliency(model, x[0], target=3).shape
    (1, 28, 28)
    >>> saliency(model, x[:4], target=[0, 1, 2, 3]).shape
    (4, 1, 28, 28)
    """
    layers = classifier_layers(model, "saliency")
    batch, single = as_images(x, "saliency")
    with inspecting(layers):
        logits = run_forward(layers, batch, 0, len(layers), "saliency")  # (N, K)
        t = as_targets(target, logits, single, "saliency")
        grad = run_backward(layers, one_hot(t, logits), 0, len(layers))  # (N, C, H, W)
    return grad[0] if single else grad


def saliency_map(grad) -> np.ndarray:
    r"""The usual display of a saliency: :math:`M_{ij} = \max_c |\partial z / \partial x_{cij}|`.

    Simonyan et al. take the largest absolute gradient over the colour
    channels, so a pixel counts if any of its channels matters, whatever the sign.

    Shape: ``(C, H, W)`` -> ``(H, W)``; ``(N, C, H, W)`` -> ``(N, H, W)``.

    >>> saliency_map(np.array([[[1.0, -2.0]], [[-3.0, 0.5]]]))
    array([[3., 2.]])
    """
    grad = as_float_array(grad, "grad")
    if grad.ndim not in (3, 4) or grad.shape[-3] == 0:
        raise ValueError(f"saliency_map expects a gradient (C, H, W) or (N, C, H, W), as saliency returns, "
                         f"got shape {grad.shape}. Hint: pass saliency(model, x, target) itself.")
    return np.abs(grad).max(axis=-3)  # (H, W) or (N, H, W): the channel axis is third from the end
