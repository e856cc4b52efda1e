"""Redraw the figures in ``images/`` (what the lessons and README show).

Run ``python -m cnnlib.viz.make_images images`` (``make images``). Every
figure is drawn by cnnlib code from cnnlib results, with fixed seeds, so the
files only change when the drawing code does. A figure drawn as SVG (a
string) is written as ``.svg``, a matplotlib figure as ``.png``; the sliding
window is one animated SVG of all its steps.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ..demos.filters import filter_channels
from ..demos.output_size import output_size_layout
from ..demos.pooling import pool_windows
from ..demos.sliding_window import SEED_INPUT, SEED_KERNEL, sliding_window_steps
from .filters import draw_filter_channels
from .output_size import draw_output_size
from .pooling import draw_pool_windows
from .sliding_window import sliding_window_animation
from .display import figure_to_png

POOL_EXAMPLE = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [7, 2, 0, 8]])
FRAME_MS = 1200  # one step of the sliding-window animation
IMAGE_SUFFIXES = (".svg", ".png", ".gif")  # what images/ has held; a figure keeps one of them


def kernel_filter_figure():
    """A 3-channel 4×4 input and one 3×3×3 filter (seeded small integers)."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, size=(3, 4, 4))
    weights = rng.integers(-1, 2, size=(3, 3, 3))
    return draw_filter_channels(filter_channels(x, weights, bias=1.0))


def write_figure(outdir: Path, name: str, figure) -> Path:
    """Write ``figure`` as ``outdir/name.svg`` if it is SVG text, else as ``outdir/name.png``; returns the path.

    An older drawing of the same figure in another format (``name.png``,
    ``.svg`` or ``.gif``) is removed, so a link to it breaks instead of showing it.
    """
    if isinstance(figure, str):
        path = outdir / f"{name}.svg"
        path.write_text(figure, encoding="utf-8")
    else:
        path = outdir / f"{name}.png"
        path.write_bytes(figure_to_png(figure))
    for old in (outdir / f"{name}{ext}" for ext in IMAGE_SUFFIXES):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def make_images(outdir) -> list[Path]:
    """Write ``kernel_filter``, ``output_size``, ``pooling_layer`` and ``sliding_window`` (``.svg`` or ``.png``)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    figures = {
        "kernel_filter": kernel_filter_figure(),
        "output_size": draw_output_size(output_size_layout(7, 3, stride=2, padding=1)),
        "pooling_layer": draw_pool_windows(pool_windows(POOL_EXAMPLE, 2)),
        "sliding_window": sliding_window_animation(sliding_window_steps(SEED_INPUT, SEED_KERNEL), FRAME_MS),
    }
    return [write_figure(outdir, name, fig) for name, fig in figures.items()]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m cnnlib.viz.make_images OUTDIR", file=sys.stderr)
        return 2
    for path in make_images(argv[0]):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
