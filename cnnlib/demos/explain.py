r"""Lesson 13's maths: saliency derived by hand, the three explanations of one image (shifts: :mod:`.shifts`).

* :func:`tiny_saliency`: a 2-layer model (a 2×2 conv, ReLU, a dense layer) on
  a 3×3 image, whose saliency a student can work out on paper: each active
  hidden unit adds its dense weight times the kernel, placed where its window was.
  It is computed three ways: that loop, :func:`cnnlib.explain.saliency`, and
  central differences (:func:`cnnlib.gradcheck.numerical_gradient`).
* :func:`explain_image`: saliency, occlusion and Grad-CAM of one image and one
  class, with the model's probabilities, in one frozen result a figure draws.
* :func:`probabilities` and :func:`choose_examples`: the softmax in eval mode, and the
  lesson's right and wrong examples.

>>> demo = tiny_saliency()
>>> demo.by_hand.tolist() == demo.library.tolist()
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_positive_int
from ..explain import grad_cam, occlusion, saliency, saliency_map
from ..gradcheck import numerical_gradient
from ..layers import Conv2D, Dense, Flatten, ReLU
from ..model import Sequential

# The hand example: integers, so every product can be checked on paper.
TINY_IMAGE = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0], [2.0, 0.0, 1.0]])
TINY_KERNEL = np.array([[1.0, -1.0], [0.0, 1.0]])
TINY_DENSE = np.array([[1.0, 0.0], [2.0, 1.0], [-1.0, 1.0], [3.0, -1.0]])  # (4 hidden units, 2 classes)


@dataclass(frozen=True)
class TinySaliency:
    """The hand example: the model's numbers, its hidden units, and its saliency computed three ways.

    Attributes:
        image ``(3, 3)``, kernel ``(2, 2)``, dense ``(4, 2)`` (Dense's ``W``, ``(in, out)``);
        hidden ``(2, 2)``: the conv's outputs before the ReLU; active ``(2, 2)``: where they are > 0;
        logits ``(2,)``; target: the class explained;
        by_hand, library, numeric ``(3, 3)``: ``d logit[target] / d image`` from the loop, from
        :func:`cnnlib.explain.saliency` and from central differences; model: the ``Sequential``.
    """

    image: np.ndarray
    kernel: np.ndarray
    dense: np.ndarray
    hidden: np.ndarray
    active: np.ndarray
    logits: np.ndarray
    target: int
    by_hand: np.ndarray
    library: np.ndarray
    numeric: np.ndarray
    model: Sequential


def tiny_model(kernel=TINY_KERNEL, dense=TINY_DENSE) -> Sequential:
    """``Conv2D(1, 1, 2)`` → ReLU → Flatten → ``Dense(4, 2)``, no biases, float64, with the given weights."""
    conv = Conv2D(1, 1, 2, bias=False, dtype=np.float64)
    conv.params["W"][...] = np.asarray(kernel, dtype=float)[None, None]  # (KH, KW) -> (1, 1, KH, KW)
    fc = Dense(4, 2, bias=False, dtype=np.float64)
    fc.params["W"][...] = dense
    return Sequential([conv, ReLU(), Flatten(), fc])


def saliency_by_hand(image, kernel, dense, target: int) -> np.ndarray:
    r"""``d logit[target] / d image`` of :func:`tiny_model`, as loops: the chain rule, unit by unit.

    :math:`z_t = \sum_p D_{p,t}\,\mathrm{ReLU}(h_p)`, :math:`h_p = \sum K \odot x_{\text{window } p}`, so
    :math:`\partial z_t / \partial x = \sum_{p:\,h_p > 0} D_{p,t}\, K` placed on window ``p``.
    """
    image, kernel, dense = (np.asarray(a, dtype=float) for a in (image, kernel, dense))
    kh, kw = kernel.shape
    h_out, w_out = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    grad = np.zeros_like(image)
    for i in range(h_out):
        for j in range(w_out):
            p = i * w_out + j  # Flatten's order: row by row
            h = np.sum(kernel * image[i:i + kh, j:j + kw])
            if h > 0:  # the ReLU passes the gradient only where the unit is active
                grad[i:i + kh, j:j + kw] += dense[p, target] * kernel
    return grad


def tiny_saliency(target: int = 0) -> TinySaliency:
    """The hand example of class ``target``: its saliency by the loop, by cnnlib.explain and by central differences."""
    target = check_positive_int(target, "target", minimum=0)
    if target >= TINY_DENSE.shape[1]:
        raise ValueError(f"target must be a class of the tiny model, 0 or 1, got {target}. Hint: it has "
                         f"{TINY_DENSE.shape[1]} classes, counted from 0.")
    model = tiny_model()
    x = TINY_IMAGE[None].copy()  # (C=1, 3, 3)
    hidden = np.array([[np.sum(TINY_KERNEL * TINY_IMAGE[i:i + 2, j:j + 2]) for j in range(2)] for i in range(2)])
    logits = model.forward(x[None])[0]
    numeric = numerical_gradient(lambda: float(model.forward(x[None])[0, target]), x)[0]
    return TinySaliency(TINY_IMAGE, TINY_KERNEL, TINY_DENSE, hidden, hidden > 0, logits, target,
                        saliency_by_hand(TINY_IMAGE, TINY_KERNEL, TINY_DENSE, target),
                        saliency(model, x, target)[0], numeric, model)


def occlusion_by_hand(model, image, target: int, patch: int, stride: int, fill: float = 0.0) -> np.ndarray:
    """The occlusion map as loops: hide one ``patch`` × ``patch`` square at a time, record the drop in ``p(target)``.

    Shape: ``image`` ``(C, H, W)`` -> ``(H_out, W_out)``, ``H_out = (H − patch) // stride + 1``.
    """
    x = np.asarray(image, dtype=float)
    H, W = x.shape[-2:]
    p0 = probabilities(model, x[None])[0, target]
    drop = np.zeros(((H - patch) // stride + 1, (W - patch) // stride + 1))
    for i in range(drop.shape[0]):
        for j in range(drop.shape[1]):
            hidden = x.copy()
            hidden[:, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill
            drop[i, j] = p0 - probabilities(model, hidden[None])[0, target]
    return drop


def grad_cam_by_hand(hidden, dense, target: int) -> tuple[float, np.ndarray]:
    r"""Grad-CAM of :func:`tiny_model` at its ReLU (one channel, 2×2), as the formula reads.

    :math:`A = \mathrm{ReLU}(h)`; :math:`\partial z_t / \partial A_p = D_{p,t}`, so the channel's weight is
    the mean of the dense column, :math:`\alpha = \frac14 \sum_p D_{p,t}`, and the map is
    :math:`\mathrm{ReLU}(\alpha A)`. Returns ``(alpha, cam)``.
    """
    A = np.maximum(np.asarray(hidden, dtype=float), 0)  # (2, 2)
    dA = np.asarray(dense, dtype=float)[:, target].reshape(A.shape)  # (4,) -> (2, 2): Flatten's order
    alpha = float(dA.mean())
    return alpha, np.maximum(alpha * A, 0)


@dataclass(frozen=True)
class MirroredBars:
    """Grad-CAM's blind spot: the same bar on both halves of an image, a class that reads only the left half.

    Attributes: image ``(12, 12)``; saliency ``(12, 12)``: ``d z_0 / d x``; grad_cam ``(12, 12)``: the heatmap at
    the ReLU; reads ``(12, 12)``: 1 where the class score reads the feature maps, 0 where it ignores them.
    """

    image: np.ndarray
    saliency: np.ndarray
    grad_cam: np.ndarray
    reads: np.ndarray


def mirrored_bars() -> MirroredBars:
    """Two vertical bars at columns 2 and 9; a conv that finds vertical bars; class 0 = mean of its map's left half.

    Saliency is 0 on the right half (the score does not read it); Grad-CAM weights the whole channel by one
    number, so it lights both bars alike.
    """
    img = np.zeros((1, 12, 12))
    img[0, 2:10, 2] = img[0, 2:10, 9] = 1.0
    conv = Conv2D(1, 2, 3, padding=1, dtype=np.float64)
    line = np.array([-1.0, 2.0, -1.0])
    conv.params["W"][...] = np.stack([np.tile(line, (3, 1)), np.tile(line, (3, 1)).T])[:, None]  # (2, 1, 3, 3)
    conv.params["b"][...] = -1.0  # only a bar of the filter's own direction gets through the ReLU
    reads = np.tile(np.repeat([1.0, 0.0], 6), (12, 1))  # (12, 12): the left six columns
    dense = Dense(2 * 12 * 12, 2, dtype=np.float64)
    dense.params["W"][...] = np.kron(np.eye(2), np.ones((144, 1))) / 144  # class c = mean of channel c
    dense.params["W"][:144, 0] *= reads.ravel()  # class 0 reads channel 0's left half only
    dense.params["b"][...] = 0
    model = Sequential([conv, ReLU(), Flatten(), dense])
    return MirroredBars(img[0], saliency(model, img, 0)[0], grad_cam(model, img, 0, 1).heatmap, reads)


@dataclass(frozen=True)
class ImageExplanation:
    """Saliency, occlusion and Grad-CAM of one image for one class, and what the model says about it.

    Attributes:
        image ``(H, W)``; label: the true class (or None); target: the class explained;
        probabilities ``(K,)``: the model's softmax; predicted: its argmax;
        saliency ``(H, W)``: ``max_c |d logit / d x|``;
        occlusion ``(H, W)``: the drop in the target's probability, per pixel (NaN where no patch reached);
        occlusion_drop ``(H_out, W_out)``: the drop at each patch position; patch, stride: the occluder's;
        grad_cam ``(H, W)``: the Grad-CAM heatmap in [0, 1]; cam ``(h, w)``: before upsampling;
        cam_layer: the layer it was taken at.
    """

    image: np.ndarray
    label: int | None
    target: int
    probabilities: np.ndarray
    predicted: int
    saliency: np.ndarray
    occlusion: np.ndarray
    occlusion_drop: np.ndarray
    patch: int
    stride: int
    grad_cam: np.ndarray
    cam: np.ndarray
    cam_layer: int


def explain_image(model, image, target: int | None = None, *, label: int | None = None, cam_layer: int = 7,
                  patch: int = 7, stride: int = 3) -> ImageExplanation:
    """The three explanations of ``image`` ``(C, H, W)`` for class ``target`` (default: the predicted class).

    ``cam_layer`` is the layer Grad-CAM reads (7: the last ReLU of
    ``fashion_mnist_resnet``, 7×7 maps); the occluder is a ``patch`` × ``patch``
    black square moved by ``stride`` pixels.
    """
    x = np.asarray(image, dtype=np.float32)
    logits_p = probabilities(model, x[None])[0]
    predicted = int(np.argmax(logits_p))
    t = predicted if target is None else int(target)
    occ = occlusion(model, x, t, patch, stride)
    cam = grad_cam(model, x, t, cam_layer)
    return ImageExplanation(x[0], None if label is None else int(label), t, logits_p, predicted,
                            saliency_map(saliency(model, x, t)), occ.heatmap, occ.drop, patch, stride,
                            cam.heatmap, cam.cam, cam_layer)


def probabilities(model, x) -> np.ndarray:
    """The softmax of the logits of a batch ``x`` ``(N, C, H, W)``, in eval mode (``model.predict``): ``(N, K)``."""
    z = model.predict(x)  # (N, K)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def choose_examples(predicted, labels, n_right: int = 6, n_wrong: int = 4) -> np.ndarray:
    """Indices of the first ``n_right`` correctly and the first ``n_wrong`` wrongly classified images, in order.

    >>> choose_examples(np.array([0, 1, 2, 3]), np.array([0, 2, 2, 1]), 1, 1).tolist()
    [0, 1]
    """
    n_right = check_positive_int(n_right, "n_right", minimum=0)
    n_wrong = check_positive_int(n_wrong, "n_wrong", minimum=0)
    predicted = _class_indices(predicted, "predicted")
    labels = _class_indices(labels, "labels")
    if predicted.shape != labels.shape:
        raise ValueError(
            f"choose_examples needs one prediction per label, got {predicted.shape[0]} predictions and "
            f"{labels.shape[0]} labels. Hint: pass model outputs and labels of the same images, e.g. "
            "probabilities(model, x[:100]).argmax(axis=1) with y[:100]."
        )
    right = np.flatnonzero(predicted == labels)[:n_right]
    wrong = np.flatnonzero(predicted != labels)[:n_wrong]
    return np.sort(np.concatenate([right, wrong]))


def _class_indices(values, name: str) -> np.ndarray:
    """``values`` as a 1-D integer array of class indices ``(N,)``, or a clear error."""
    a = np.asarray(values)
    if a.ndim != 1 or a.dtype.kind not in "iu":
        got = (f"an array of shape {a.shape}, dtype {a.dtype}" if isinstance(values, np.ndarray)
               else f"{values!r:.60} ({type(values).__name__})")
        raise TypeError(
            f"choose_examples: {name} must be a 1-D array of integer class indices (N,), got {got}. Hint: turn "
            "probabilities (N, K) into classes with .argmax(axis=1)."
        )
    return a
