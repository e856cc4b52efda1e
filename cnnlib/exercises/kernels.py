"""Lesson 03 checker: write the 3×3 kernel that moves a picture one pixel.

A kernel with one weight, 1, away from the centre copies a neighbour: with padding 1, ``Conv2D`` computes
``out[i, j] = Σ_a Σ_b k[a, b] · x[i + a − 1, j + b − 1]``, so the weight at ``(a, b)`` makes every output
pixel show the input pixel ``(a − 1, b − 1)`` away from it, and the picture moves the other way. The checker
runs the student's kernel through :func:`cnnlib.functional.conv2d` on a random image and compares the map
with the moved image, then names what the kernel does instead: the mirrored kernel (a convolution's flip,
which ``Conv2D`` does not do), another direction, a weight other than 1, several pixels mixed.
"""
from __future__ import annotations

import numpy as np

from ..functional import conv2d
from .feedback import STUCK, Feedback, grid, grid_answer, not_answered, num

#: How each direction moves the picture, ``(rows down, columns right)``.
MOVES = {"right": (0, 1), "left": (0, -1), "down": (1, 0), "up": (-1, 0)}


def shift_kernel(direction: str) -> np.ndarray:
    """The 3×3 kernel that moves a picture one pixel in ``direction`` under ``Conv2D(..., padding=1)``.

    Output pixel ``(i, j)`` must show input pixel ``(i − down, j − right)``: the 1 sits at
    ``(1 − down, 1 − right)``.

    >>> shift_kernel("right")
    array([[0., 0., 0.],
           [1., 0., 0.],
           [0., 0., 0.]])
    """
    down, right = _move(direction)
    kernel = np.zeros((3, 3))
    kernel[1 - down, 1 - right] = 1.0
    return kernel


def _move(direction) -> tuple[int, int]:
    if not isinstance(direction, str) or direction not in MOVES:
        raise ValueError(f"direction must be one of {', '.join(map(repr, MOVES))}, got {direction!r}. "
                         "Hint: the way the picture should move, e.g. direction='right'.")
    return MOVES[direction]


def _moved(image: np.ndarray, down: int, right: int) -> np.ndarray:
    """``image`` moved ``down`` rows and ``right`` columns (each -1, 0 or 1), black (0) where it uncovers."""
    padded = np.pad(image, 1)
    H, W = image.shape
    return padded[1 - down:1 - down + H, 1 - right:1 - right + W]


def _pixel(dr: int, dc: int) -> str:
    """``"x[i, j − 1]"``: the input pixel ``dr`` rows and ``dc`` columns away from output pixel ``(i, j)``."""
    def index(name, d):
        return name if d == 0 else f"{name} {'+' if d > 0 else '−'} {abs(d)}"
    return f"x[{index('i', dr)}, {index('j', dc)}]"


def _describe_move(down: int, right: int) -> str:
    """``"one pixel to the left"``, ``"one pixel up and to the right"``, ``"nowhere"``."""
    vertical = {1: "down", -1: "up", 0: ""}[down]
    horizontal = {1: "to the right", -1: "to the left", 0: ""}[right]
    if not vertical and not horizontal:
        return "nowhere"
    return "one pixel " + " and ".join(p for p in (vertical, horizontal) if p)


def check_shift_kernel(answer, direction: str = "right") -> Feedback:
    """Check a 3×3 kernel meant to move a picture one pixel in ``direction`` (``Conv2D`` with padding 1).

    >>> bool(check_shift_kernel([[0, 0, 0], [1, 0, 0], [0, 0, 0]]))
    True
    """
    down, right = _move(direction)
    solution = shift_kernel(direction)
    a, b = 1 - down, 1 - right
    target = _pixel(-down, -right)  # the pixel each output pixel must show
    hints = ("With padding 1, Conv2D computes out[i, j] = Σ_a Σ_b k[a, b] · x[i + a − 1, j + b − 1], and it does "
             f"not flip the kernel. To move the picture {_describe_move(down, right)}, every output pixel "
             f"out[i, j] must show the input pixel {target}.",
             f"Which entry k[a, b] multiplies {target}? Solve x[i + a − 1, j + b − 1] = {target} for a and b. "
             "That entry is 1, every other is 0.",
             f"The answer: {grid(solution)}, the 1 at k[{a}, {b}].")
    if answer is None:
        return not_answered("your 3×3 kernel (a list of 3 rows of 3 numbers)", hints=hints)
    k = grid_answer(answer, "kernel", (3, 3))

    def wrong(message: str) -> Feedback:
        return Feedback(False, message + STUCK, hints=hints)

    if k.shape != (3, 3):
        return wrong(f"your kernel is {k.shape[0]}×{k.shape[1]}; this exercise asks for a 3×3 kernel, which "
                     "padding 1 keeps at the picture's size.")
    image = np.random.default_rng(3).random((7, 6))
    got = conv2d(image[None, None], k[None, None], padding=1)[0, 0]  # (1, 1, 7, 6) -> (7, 6)
    if np.allclose(got, _moved(image, down, right)):
        return Feedback(True, f"the weight 1 at k[{a}, {b}] makes out[i, j] = {target}: the picture moves "
                              f"{_describe_move(down, right)}, and the uncovered edge reads the zero padding "
                              "(black).")
    nonzero = np.argwhere(~np.isclose(k, 0))  # what np.allclose above counts as 0 (a stray 1e-9) is 0 here too
    if len(nonzero) == 0:
        return wrong("all weights are 0, so every output pixel is 0: a black picture. One weight must copy a "
                     "neighbour.")
    if len(nonzero) > 1:
        where = ", ".join(f"k[{r}, {c}]" for r, c in nonzero)
        return wrong(f"your kernel has {len(nonzero)} weights that are not 0 ({where}), so every output pixel "
                     f"mixes {len(nonzero)} input pixels (the weights sum to {k.sum():.10g}). A moved picture "
                     "copies exactly one pixel: one weight 1, all others 0.")
    (r, c), = nonzero
    weight = k[r, c]
    moves = _describe_move(1 - r, 1 - c)
    if (r, c) == (a, b):
        return wrong(f"the weight at k[{r}, {c}] is in the right place, but it is {num(weight)}: every output "
                     f"pixel is {num(weight)} × its neighbour, so the moved picture's brightness is multiplied by "
                     f"{num(weight)}. Copying needs the weight 1: weights that sum to 1 keep the brightness.")
    scaled = "" if np.isclose(weight, 1) else f" (its brightness also multiplied by {num(weight)})"
    if (r, c) == (2 - a, 2 - b):
        return wrong(f"your kernel moves the picture {moves}, the opposite way{scaled}: it is the mirrored "
                     f"kernel. Conv2D does not flip the kernel (a cross-correlation): the weight at k[{r}, {c}] "
                     f"reads {_pixel(r - 1, c - 1)}, so each output pixel shows that "
                     "neighbour. A true convolution flips the kernel first, which is why some books draw the "
                     "mirrored one.")
    if (r, c) == (1, 1):
        return wrong(f"the weight at the centre, k[1, 1], copies every pixel to where it was: the picture does "
                     f"not move{scaled}. Move the weight off the centre.")
    return wrong(f"the weight at k[{r}, {c}] makes out[i, j] = {_pixel(r - 1, c - 1)}: "
                 f"the picture moves {moves}{scaled}, not {_describe_move(down, right)}.")
