r"""Lesson 13's equivariance against invariance: shift an image, watch the feature maps move and the logits stay.

* :func:`shift_right`: move images right by a few pixels (black comes in).
* :func:`shift_response`: shift one image 0, 1, 2, … pixels and measure how far
  each chosen layer's feature maps move (the offset that best aligns them with
  the unshifted maps, :func:`best_alignment`) and how much the logits change.
* :func:`shift_statistics`: over many images, how often the prediction survives
  each shift.

>>> shift_right(np.array([[1.0, 2.0, 3.0]]), 2).tolist()
[[0.0, 0.0, 1.0]]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Sequential
from .explain import probabilities


def shift_right(images, shift: int) -> np.ndarray:
    """Images ``(..., H, W)`` moved ``shift`` pixels to the right; the columns that come in are 0 (black).

    Fashion-MNIST's background is 0, so an object that does not touch the right edge moves without change.

    >>> shift_right(np.array([[1.0, 2.0, 3.0]]), 1).tolist()
    [[0.0, 1.0, 2.0]]
    """
    images = np.asarray(images)
    out = np.zeros_like(images)
    out[..., shift:] = images[..., :images.shape[-1] - shift]
    return out


def layer_maps(model, x, layer: int) -> np.ndarray:
    """The output of ``model.layers[layer]`` for a batch ``x`` ``(N, C, H, W)``, in eval mode: ``(N, C', h, w)``."""
    return Sequential(model.layers[:layer + 1]).predict(x)


def best_alignment(before, after, max_offset: int) -> tuple[int, float]:
    """The offset ``d`` (columns, ``|d| <= max_offset``) that best aligns ``after`` with ``before`` moved by ``d``.

    The score of an offset is the normalized cross-correlation of the two stacks
    of maps ``(C, h, w)`` over their overlap, :math:`\\sum ab / \\sqrt{\\sum a^2 \\sum b^2}`
    (1 when ``after`` is ``before`` moved by exactly ``d``). Returns ``d`` and the
    relative difference that remains over the overlap after aligning,
    :math:`\\|b - a\\| / \\|a\\|`.

    >>> m = np.zeros((1, 1, 6)); m[0, 0, 1] = 1.0
    >>> best_alignment(m, np.roll(m, 2, axis=-1), 3)
    (2, 0.0)
    """
    before, after = np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64)
    w = before.shape[-1]
    best, best_score, rest = 0, -np.inf, np.inf
    for d in range(-max_offset, max_offset + 1):
        a = before[..., :w - d] if d >= 0 else before[..., -d:]  # (C, h, w - |d|)
        b = after[..., d:] if d >= 0 else after[..., :w + d]
        norm = np.sqrt(np.sum(a * a) * np.sum(b * b))
        score = np.sum(a * b) / norm if norm > 0 else 0.0
        if score > best_score + 1e-12:
            best, best_score = d, score
            rest = float(np.linalg.norm(b - a) / max(np.linalg.norm(a), 1e-12))
    return best, rest


@dataclass(frozen=True)
class ShiftResponse:
    """How a layer's maps and the logits respond when one image moves right by each of ``shifts`` pixels.

    Attributes:
        image ``(H, W)``; shifts ``(S,)``: the image shifts in pixels; layers ``(L,)``: the layers measured;
        strides ``(L,)``: image pixels per map pixel at each layer (1 before any pooling);
        measured ``(L, S)``: how far the maps moved, in image pixels (the best-aligning offset × stride);
        map_change ``(L, S)``: ``‖F(shifted) − F(x)‖ / ‖F(x)‖``, the maps compared in place;
        aligned_change ``(L, S)``: the same after moving the maps back by the measured offset;
        logit_change ``(S,)``: ``‖z(shifted) − z(x)‖ / ‖z(x)‖``; probability ``(S,)``: of the class
        predicted at shift 0; predicted ``(S,)``: the predicted class at each shift.
    """

    image: np.ndarray
    shifts: np.ndarray
    layers: tuple
    strides: np.ndarray
    measured: np.ndarray
    map_change: np.ndarray
    aligned_change: np.ndarray
    logit_change: np.ndarray
    probability: np.ndarray
    predicted: np.ndarray


def shift_response(model, image, shifts=(0, 1, 2, 3, 4), layers=(2, 5, 7)) -> ShiftResponse:
    """Equivariance of the feature maps against invariance of the logits, measured on ``image`` ``(C, H, W)``.

    Every shifted copy goes through the model once per layer in eval mode; the
    default layers of ``fashion_mnist_resnet`` are the ReLUs at 28×28 (stride 1),
    14×14 (after the pool, stride 2) and 7×7 (stride 4).
    """
    x = np.asarray(image, dtype=np.float32)
    shifts = np.asarray(shifts, dtype=np.int64)
    batch = np.stack([shift_right(x, int(s)) for s in shifts])  # (S, C, H, W)
    logits = model.predict(batch)  # (S, K)
    p = probabilities(model, batch)  # (S, K)
    W = x.shape[-1]
    strides, measured, change, aligned = [], [], [], []
    for layer in layers:
        maps = layer_maps(model, batch, layer)  # (S, C', h, w)
        stride = W // maps.shape[-1]
        max_offset = int(np.ceil(shifts.max() / stride)) + 1
        strides.append(stride)
        rows = [best_alignment(maps[0], m, max_offset) for m in maps]
        measured.append([d * stride for d, _ in rows])
        aligned.append([rest for _, rest in rows])
        change.append([np.linalg.norm(m - maps[0]) / np.linalg.norm(maps[0]) for m in maps])
    predicted = p.argmax(axis=1)
    logit_change = np.linalg.norm(logits - logits[0], axis=1) / np.linalg.norm(logits[0])
    return ShiftResponse(x[0], shifts, tuple(layers), np.array(strides), np.array(measured, dtype=float),
                         np.array(change), np.array(aligned), logit_change, p[:, predicted[0]], predicted)


@dataclass(frozen=True)
class ShiftStatistics:
    """Over many images: how often the prediction survives a shift, and how much the probability moves.

    Attributes: shifts ``(S,)``; same_prediction ``(S,)``: the fraction of images predicted as at shift 0;
    accuracy ``(S,)`` (if labels were given, else NaN); mean_probability_change ``(S,)``: the mean absolute
    change of the probability of each image's class at shift 0.
    """

    shifts: np.ndarray
    same_prediction: np.ndarray
    accuracy: np.ndarray
    mean_probability_change: np.ndarray


def shift_statistics(model, images, labels=None, shifts=(0, 1, 2, 3, 4)) -> ShiftStatistics:
    """:class:`ShiftStatistics` of a batch ``images`` ``(N, C, H, W)`` shifted right by each of ``shifts``."""
    images = np.asarray(images, dtype=np.float32)
    shifts = np.asarray(shifts, dtype=np.int64)
    p0 = probabilities(model, images)  # (N, K)
    pred0 = p0.argmax(axis=1)
    rows = np.arange(len(images))
    same, acc, dp = [], [], []
    for s in shifts:
        p = probabilities(model, shift_right(images, int(s)))  # (N, K)
        same.append(np.mean(p.argmax(axis=1) == pred0))
        acc.append(np.mean(p.argmax(axis=1) == labels) if labels is not None else np.nan)
        dp.append(np.mean(np.abs(p[rows, pred0] - p0[rows, pred0])))
    return ShiftStatistics(shifts, np.array(same), np.array(acc), np.array(dp))
