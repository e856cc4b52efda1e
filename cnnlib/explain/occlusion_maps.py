r"""Occlusion (Zeiler & Fergus 2014): cover part of the image and watch the target's probability.

A ``patch`` x ``patch`` square of ``fill`` slides over the image with
``stride``, at the same positions as a pooling window (no padding), so there
are :math:`H_{out} = \lfloor (H - P)/S \rfloor + 1` rows of positions
(``cnnlib.shapes.conv_output_size``). At each position the map holds the
*drop* in the target's softmax probability (Zeiler & Fergus plot the
probability itself, high where the patch does not matter; the drop turns that
into "how much this region counts", 0 where it does not):

.. math:: \text{drop}_{ij} = p_t(x) - p_t(x \text{ with the patch at } (i, j))

Positive where hiding the region hurts the class, negative where it helps.
Unlike a gradient it measures a large change, not an infinitesimal one, at
the cost of one forward pass per position (batched here).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import as_pair, check_positive_int, check_real
from ..shapes import conv_output_size
from ._model import as_images, as_targets, classifier_layers, inspecting, run_forward, softmax


@dataclass(frozen=True)
class OcclusionMap:
    """What :func:`occlusion` returns; for a batch every field has a leading ``N`` axis.

    Attributes:
        drop: ``(H_out, W_out)``, the target's probability minus its
            probability with the patch at each position.
        heatmap: ``(H, W)``, for each pixel the mean ``drop`` of the patch
            positions that cover it; NaN where no patch reaches (when
            ``(H - patch) % stride != 0`` the last rows/columns are never covered).
        probability: the target's probability on the unoccluded image (a float, or ``(N,)``).
        patch, stride: the ``(h, w)`` pairs used.
    """

    drop: np.ndarray
    heatmap: np.ndarray
    probability: float | np.ndarray
    patch: tuple[int, int]
    stride: tuple[int, int]


def _covers(size: int, n_out: int, patch: int, stride: int) -> np.ndarray:
    """``(n_out, size)`` bools: position ``i`` of the patch covers pixels ``i*stride`` to ``i*stride + patch - 1``."""
    pixel = np.arange(size)[None, :]  # (1, size)
    start = (np.arange(n_out) * stride)[:, None]  # (n_out, 1)
    return (pixel >= start) & (pixel < start + patch)


def occlusion(model, x, target, patch, stride, fill: float = 0.0, *, batch_size: int = 128) -> OcclusionMap:
    r"""Map of the drop in the target's probability when a ``patch`` of ``fill`` hides each region.

    The occluded copies of the images go through the model ``batch_size`` at
    a time, in eval mode; the model's modes, caches and ``grads`` are restored
    afterwards (see :mod:`cnnlib.explain`). Probabilities are the softmax of
    the logits (the model's output, or its final ``Softmax`` layer's input).

    Args:
        model: a ``Sequential`` classifier with ``(N, K)`` outputs.
        x: one image ``(C, H, W)`` or a batch ``(N, C, H, W)``.
        target: the class index, or one per image for a batch.
        patch: side of the square, an int or ``(ph, pw)``; at most the image size.
        stride: step between positions, an int or ``(sh, sw)``.
        fill: the value written into the patch (default 0.0: black for
            images in [0, 1]; the data set's mean is another usual choice).
        batch_size: occluded images per forward pass (default 128).

    Shape:
        ``drop`` is ``(H_out, W_out)`` with ``H_out = (H - ph) // sh + 1``,
        ``W_out = (W - pw) // sw + 1``; ``heatmap`` is ``(H, W)``.

    >>> occ = occlusion(model, x[0], target=3, patch=7, stride=7)
    >>> occ.drop.shape, occ.heatmap.shape
    ((4, 4), (28, 28))
    """
    layers = classifier_layers(model, "occlusion")
    batch, single = as_images(x, "occlusion")
    N, C, H, W = batch.shape
    (ph, pw), (sh, sw) = as_pair(patch, "patch"), as_pair(stride, "stride")
    if ph > H or pw > W:
        raise ValueError(f"occlusion: patch {(ph, pw)} is larger than the image {(H, W)} (H, W). "
                         f"Hint: use a patch of at most {min(H, W)} pixels, e.g. patch={max(1, min(H, W) // 4)}.")
    fill = check_real(fill, "fill", hint="the value written into the patch, e.g. 0.0 or the data mean.")
    batch_size = check_positive_int(batch_size, "batch_size")
    H_out, W_out = conv_output_size(H, ph, sh), conv_output_size(W, pw, sw)
    rows, cols = _covers(H, H_out, ph, sh), _covers(W, W_out, pw, sw)  # (H_out, H), (W_out, W)
    with np.errstate(over="ignore"):
        fill_value = batch.dtype.type(fill)
    if not np.isfinite(fill_value):
        raise ValueError(f"occlusion: fill={fill!r} does not fit the images' dtype {batch.dtype} (largest "
                         f"{np.finfo(batch.dtype).max:.3g}). Hint: a value on the images' scale, e.g. 0.0 or the "
                         "data mean.")
    with inspecting(layers):
        logits = run_forward(layers, batch, 0, len(layers), "occlusion")  # (N, K)
        t = as_targets(target, logits, single, "occlusion")
        p0 = softmax(logits)[np.arange(N), t]  # (N,)
        occluded_p = np.empty(N * H_out * W_out, dtype=logits.dtype)  # one per (image, position)
        for start in range(0, len(occluded_p), batch_size):
            index = np.arange(start, min(start + batch_size, len(occluded_p)))  # (B,)
            n, position = np.divmod(index, H_out * W_out)
            i, j = np.divmod(position, W_out)  # the patch's row and column of positions
            covered = rows[i][:, :, None] & cols[j][:, None, :]  # (B, H, W)
            images = np.where(covered[:, None], fill_value, batch[n])  # (B, C, H, W)
            p = softmax(run_forward(layers, images, 0, len(layers), "occlusion"))  # (B, K)
            occluded_p[index] = p[np.arange(len(n)), t[n]]
    drop = p0[:, None, None] - occluded_p.reshape(N, H_out, W_out)  # (N, H_out, W_out)
    # Per pixel: the sum of the drops of the positions covering it over their count, both separable in (rows, cols).
    total = np.einsum("ia,nij,jb->nab", rows.astype(drop.dtype), drop, cols.astype(drop.dtype))  # (N, H, W)
    count = np.outer(rows.sum(axis=0), cols.sum(axis=0))  # (H, W)
    heatmap = np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0)
    if single:
        return OcclusionMap(drop[0], heatmap[0], float(p0[0]), (ph, pw), (sh, sw))
    return OcclusionMap(drop, heatmap, p0, (ph, pw), (sh, sw))
