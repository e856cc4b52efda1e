"""The classic 3×3 image kernels, as float arrays ready for ``Conv2D.params["W"]``.

Applied as cross-correlation (what ``Conv2D`` computes), ``sobel_x`` is
positive where the image gets brighter to the right, ``sobel_y`` where it
gets brighter downwards. Kernels whose weights sum to 1 keep the average
brightness (identity, blurs, sharpen); edge detectors sum to 0, so flat
regions give 0; ``brighten`` (sum 2) doubles it, ``darken`` (sum 0.5) halves it.

>>> get_kernel("sobel_x")
array([[-1.,  0.,  1.],
       [-2.,  0.,  2.],
       [-1.,  0.,  1.]], dtype=float32)
"""
from __future__ import annotations

import numpy as np

from ._checks import check_dtype_arg

_KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "box_blur": [[1 / 9] * 3] * 3,
    "gaussian": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel_x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel_y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    # not classic, but the clearest demo that the weights' sum sets the brightness
    "brighten": [[0, 0, 0], [0, 2, 0], [0, 0, 0]],
    "darken": [[0, 0, 0], [0, 0.5, 0], [0, 0, 0]],
}

#: What each kernel does, one line each (the lessons print these).
DESCRIPTIONS = {
    "identity": "copies the input: a 1 in the centre, 0 elsewhere",
    "box_blur": "average of the 3×3 neighbourhood: blurs",
    "gaussian": "weighted average, centre counts most: a smoother blur",
    "sharpen": "4 × centre minus its 4 neighbours (an edge map), plus the centre: boosts edges",
    "sobel_x": "right minus left: vertical edges (brightness changing along x)",
    "sobel_y": "bottom minus top: horizontal edges (brightness changing along y)",
    "laplacian": "neighbours minus 4 × centre: edges in every direction, 0 on flat regions",
    "brighten": "a 2 in the centre: every pixel doubled, twice as bright",
    "darken": "a 0.5 in the centre: every pixel halved, half as bright",
}

#: The seven classic kernels (what :func:`kernel_bank` stacks by default).
KERNEL_NAMES = ("identity", "box_blur", "gaussian", "sharpen", "sobel_x", "sobel_y", "laplacian")
#: Every named kernel: the classic ones plus ``brighten`` (sum 2) and ``darken`` (sum 0.5), the filter widget's menu.
ALL_KERNEL_NAMES = tuple(_KERNELS)


def get_kernel(name: str, dtype=np.float32) -> np.ndarray:
    """A fresh ``(3, 3)`` array of the kernel ``name`` (one of :data:`ALL_KERNEL_NAMES`).

    >>> get_kernel("identity").sum()
    np.float32(1.0)
    """
    if name not in _KERNELS:
        raise ValueError(f"unknown kernel {name!r}. Hint: choose one of {', '.join(ALL_KERNEL_NAMES)}.")
    return np.array(_KERNELS[name], dtype=check_dtype_arg(dtype))


def kernel_bank(names=KERNEL_NAMES, dtype=np.float32) -> np.ndarray:
    """Stack kernels into conv weights ``(len(names), 1, 3, 3)``: one filter per kernel, for one input channel.

    >>> kernel_bank(["sobel_x", "sobel_y"]).shape
    (2, 1, 3, 3)
    """
    return np.stack([get_kernel(n, dtype) for n in names])[:, None]  # (C_out, 1, 3, 3)
