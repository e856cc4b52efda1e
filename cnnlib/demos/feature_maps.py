"""Look inside a network: every layer's output for one image, and its channels tiled into one mosaic.

>>> tile_channels(np.zeros((4, 2, 2))).shape
(5, 5)
"""
from __future__ import annotations

import math
from collections import OrderedDict
from typing import Callable

import numpy as np

from ..training_loop import mode


def layer_outputs(model, image) -> list[np.ndarray]:
    """What every layer of ``model`` outputs for one ``image`` ``(C, H, W)``, in eval mode.

    Returns one array per layer, without the batch axis: ``outs[i]`` is the
    output of ``model.layers[i]``. The model's training/eval modes are restored.

    >>> outs = layer_outputs(model, x[0])
    >>> outs[0].shape      # the first Conv2D's 32 feature maps
    (32, 26, 26)
    """
    h = np.asarray(image)[None]  # (1, C, H, W): a batch of one
    outs = []
    with mode(model, False):
        for layer in model.layers:
            h = layer.forward(h)
            outs.append(h[0])
    return outs


def layer_outputs_cache(model, images, maxsize: int = 64, block: int = 8) -> Callable[[int], list]:
    """``outputs(index)``: :func:`layer_outputs` of ``images[index]``, kept for the last ``maxsize`` images.

    A widget that moves between images and layers runs the forward pass once
    per image: changing the layer, or coming back to an image, costs nothing.
    A miss runs the ``block`` images around ``index`` as one batch (images
    ``index // block * block`` on): the next moves of a slider are then free,
    and a batch of 8 costs little more than one image. The model must not
    change while the cache is in use (build it after training).

    >>> outputs = layer_outputs_cache(model, x)
    >>> outputs(0) is outputs(0)
    True
    """
    for name, value in (("maxsize", maxsize), ("block", block)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}. Hint: the defaults are 64 and 8.")
    kept: OrderedDict = OrderedDict()

    def outputs(index: int) -> list:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(images):
            raise ValueError(f"index must be an int in 0..{len(images) - 1} (one of the {len(images)} images), "
                             f"got {index!r}.")
        if index not in kept:
            start = index // block * block
            batch = np.asarray(images[start:start + block])  # (B, C, H, W)
            with mode(model, False):
                h, per_layer = batch, []
                for layer in model.layers:
                    h = layer.forward(h)
                    per_layer.append(h)
            for k in range(len(batch)):
                kept[start + k] = [out[k] for out in per_layer]
                kept.move_to_end(start + k)
            while len(kept) > max(maxsize, block):
                kept.popitem(last=False)  # the least recently used image
        kept.move_to_end(index)
        return kept[index]

    return outputs


def spatial_layers(model, input_shape) -> list[int]:
    """Indices of the layers whose output is still an image stack ``(C, H, W)`` (before ``Flatten``).

    >>> spatial_layers(model, (1, 28, 28))
    [0, 1, 2]
    """
    shape, found = tuple(input_shape), []
    for i, layer in enumerate(model.layers):
        shape = tuple(layer.output_shape(shape))
        if len(shape) == 3:
            found.append(i)
    return found


def spatial_layer_labels(model, input_shape) -> list[tuple[str, int]]:
    """``(label, index)`` for each layer before ``Flatten``: ``"index · name → C×H×W"``, as a layer menu shows it.

    The index is the layer's position in ``model.layers``, the ``#`` column of ``model.summary()``.

    >>> spatial_layer_labels(model, (1, 28, 28))[:2]
    [('0 · Conv2D → 32×26×26', 0), ('1 · ReLU → 32×26×26', 1)]
    """
    shape, labels = tuple(input_shape), []
    for i, layer in enumerate(model.layers):
        shape = tuple(layer.output_shape(shape))
        if len(shape) == 3:
            labels.append((f"{i} · {type(layer).__name__} → {shape[0]}×{shape[1]}×{shape[2]}", i))
    return labels


def tile_channels(maps, ncols: int | None = None, gap: int = 1) -> np.ndarray:
    """Tile ``(C, H, W)`` maps into one ``(rows*(H+gap)-gap, cols*(W+gap)-gap)`` array, NaN in the gaps.

    Channel ``c`` lands in tile row ``c // ncols``, column ``c % ncols``
    (default ``ncols``: about square).
    """
    maps = np.asarray(maps, dtype=float)
    if maps.ndim != 3:
        raise ValueError(f"tile_channels expects (C, H, W) maps, got shape {maps.shape}.")
    C, H, W = maps.shape
    ncols = ncols or math.ceil(math.sqrt(C))
    nrows = math.ceil(C / ncols)
    out = np.full((nrows * (H + gap) - gap, ncols * (W + gap) - gap), np.nan)
    for c in range(C):
        r, k = divmod(c, ncols)
        out[r * (H + gap): r * (H + gap) + H, k * (W + gap): k * (W + gap) + W] = maps[c]
    return out
