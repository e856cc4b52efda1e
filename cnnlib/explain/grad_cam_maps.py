r"""Grad-CAM (Selvaraju et al. 2017): which regions of a layer's feature maps the class score leans on.

For the activations :math:`A` ``(C, h, w)`` of a spatial layer and the score
:math:`z_t` (the logit of class ``t``), each channel ``k`` gets a weight, the mean
of the score's gradient over its map, and the map is the rectified weighted sum:

.. math::

    \alpha_k = \frac{1}{hw} \sum_{i,j} \frac{\partial z_t}{\partial A_{kij}}, \qquad
    L = \mathrm{ReLU}\Big(\sum_k \alpha_k A_k\Big)

It localises through the channels: a channel that fires on both halves of
the image lights both halves, even if the score reads only one of them
(saliency shows pixel-level dependence). The map has the layer's resolution
``(h, w)``; it is upsampled bilinearly to the image and scaled to [0, 1] for display.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import as_float_array, as_pair
from ._model import as_images, as_targets, check_int, classifier_layers, inspecting, one_hot, run_backward, run_forward


@dataclass(frozen=True)
class GradCAMMap:
    r"""What :func:`grad_cam` returns; for a batch every field has a leading ``N`` axis.

    Attributes:
        heatmap: ``(H, W)``, ``cam`` upsampled bilinearly to the image and
            divided by its maximum, so it lies in [0, 1] (all zeros if ``cam`` is).
        cam: ``(h, w)``, the raw map :math:`\mathrm{ReLU}(\sum_k \alpha_k A_k)` at the layer's resolution.
        weights: ``(C,)``, the channel weights :math:`\alpha_k`.
        activation: ``(C, h, w)``, the layer's output :math:`A`.
        gradient: ``(C, h, w)``, :math:`\partial z_t / \partial A`.
        score: the target's logit :math:`z_t` (a float, or ``(N,)``).
        layer: the layer's index in ``model.layers``.
    """

    heatmap: np.ndarray
    cam: np.ndarray
    weights: np.ndarray
    activation: np.ndarray
    gradient: np.ndarray
    score: float | np.ndarray
    layer: int


def _bilinear_matrix(n_in: int, n_out: int) -> np.ndarray:
    """``(n_out, n_in)`` interpolation weights along one axis, pixel centres aligned (``align_corners=False``).

    Output pixel ``o`` samples the input at ``(o + 0.5) * n_in / n_out - 0.5``
    (clamped at 0), between its two neighbours, as ``torch.nn.functional.interpolate`` does.
    """
    src = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)  # (n_out,)
    lo = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = src - lo
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.arange(n_out), lo), 1.0 - frac)
    np.add.at(m, (np.arange(n_out), hi), frac)
    return m


def upsample_bilinear(maps, size) -> np.ndarray:
    """Resize the last two axes of ``maps`` to ``size`` ``(H, W)`` by bilinear interpolation.

    The same numbers as ``torch.nn.functional.interpolate(maps, size, mode="bilinear",
    align_corners=False)``: pixel centres line up, so a 2x2 map becomes four blocks
    blended at their borders. Each output is a convex mix of inputs, so the
    range of the values never grows.

    Shape: ``(..., h, w)`` -> ``(..., H, W)``; ``size`` is ``(H, W)`` or one int for both.

    >>> upsample_bilinear(np.array([[0.0, 1.0]]), (1, 4))
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    maps = as_float_array(maps, "maps")  # integer maps would be cut to integers by the matmuls
    if maps.ndim < 2 or 0 in maps.shape[-2:]:
        raise ValueError(f"upsample_bilinear expects maps (..., h, w) with h, w >= 1, got shape {maps.shape}. "
                         "Hint: one map is (h, w), a batch (N, h, w).")
    H, W = as_pair(size, "size")  # an int is a square size, as in torch.nn.functional.interpolate
    rows = _bilinear_matrix(maps.shape[-2], H).astype(maps.dtype, copy=False)  # (H, h)
    cols = _bilinear_matrix(maps.shape[-1], W).astype(maps.dtype, copy=False)  # (W, w)
    return rows @ maps @ cols.T  # (H, h) @ (..., h, w) @ (w, W) -> (..., H, W)


def _suggestion(layers, spatial: list[int]) -> str:
    """``", here layer i"``: the last spatial layer with weights (a conv, a residual block), then past the
    pointwise layers after it (batch norm, ReLU)."""
    convs = [i for i in spatial if layers[i].params and not layers[i].pointwise]
    if not convs:
        return ""
    i = convs[-1]
    while i + 1 in spatial and layers[i + 1].pointwise:
        i += 1
    return f", here layer {i}"


def grad_cam(model, x, target, layer) -> GradCAMMap:
    r"""Grad-CAM of class ``target`` at ``model.layers[layer]`` (a conv layer or its activation).

    The layers run one by one in eval mode: forward to the end keeping the
    output :math:`A` of ``layer``, then backward from the one-hot gradient of
    the target's logit down to ``layer + 1``, whose ``dx`` is
    :math:`\partial z_t / \partial A`. The model's modes, caches and ``grads``
    are restored afterwards (see :mod:`cnnlib.explain`). The paper uses the
    last convolutional layer's rectified output (the ``ReLU`` after the last
    ``Conv2D``): deep enough to know the class, still a map.

    Args:
        model: a ``Sequential`` classifier with ``(N, K)`` logits.
        x: one image ``(C, H, W)`` or a batch ``(N, C, H, W)``.
        target: the class index, or one per image for a batch.
        layer: index in ``model.layers`` (the ``#`` of ``model.summary()``) of a
            layer whose output is a stack of maps ``(N, C, h, w)``.

    Shape:
        ``heatmap`` ``(H, W)``, ``cam`` ``(h, w)``, ``weights`` ``(C,)``; with a
        leading ``N`` for a batch. See :class:`GradCAMMap`.

    >>> cam = grad_cam(model, x[0], target=3, layer=1)  # the ReLU after the Conv2D
    >>> cam.cam.shape, cam.heatmap.shape, cam.weights.shape
    ((26, 26), (28, 28), (32,))
    """
    layers = classifier_layers(model, "grad_cam")
    layer = check_int(layer, "layer", "grad_cam", "the index in model.layers of a conv layer or its activation.")
    batch, single = as_images(x, "grad_cam")
    with inspecting(layers):
        outputs, h = [], batch
        for i in range(len(layers)):
            h = run_forward(layers, h, i, i + 1, "grad_cam")
            outputs.append(h)
        spatial = [i for i, out in enumerate(outputs) if out.ndim == 4]
        if not 0 <= layer < len(layers) or layer not in spatial:
            what = (f"layer {layer} ({type(layers[layer]).__name__}) outputs shape {outputs[layer].shape}, not maps"
                    if 0 <= layer < len(layers) else
                    f"layer {layer} is not an index of the {len(layers)} layers before the logits")
            raise ValueError(f"grad_cam: {what}. Expected a spatial layer (output (N, C, h, w)); this model's are "
                             f"{spatial}. Hint: the usual choice is the rectified output of the last conv layer"
                             f"{_suggestion(layers, spatial)}.")
        t = as_targets(target, h, single, "grad_cam")
        A = outputs[layer]  # (N, C, h, w)
        dA = run_backward(layers, one_hot(t, h), layer + 1, len(layers))  # (N, C, h, w)
        score = h[np.arange(len(t)), t]  # (N,)
    weights = dA.mean(axis=(2, 3))  # (N, C): alpha_k, the gradient averaged over each map
    cam = np.maximum(np.einsum("nc,ncij->nij", weights, A), 0)  # (N, h, w)
    up = upsample_bilinear(cam, batch.shape[2:])  # (N, H, W)
    peak = up.max(axis=(1, 2), keepdims=True)  # (N, 1, 1)
    heatmap = np.divide(up, peak, out=np.zeros_like(up), where=peak > 0)
    if single:
        return GradCAMMap(heatmap[0], cam[0], weights[0], A[0], dA[0], float(score[0]), layer)
    return GradCAMMap(heatmap, cam, weights, A, dA, score, layer)
