"""Redraw the figures in ``images/`` (what the lessons and README show).

Run ``python -m cnnlib.viz.make_images images`` (``make images``). Every
figure is drawn by cnnlib code from cnnlib results, with fixed seeds, so the
files only change when the drawing code does.
"""
from __future__ import annotations

import io
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
from .sliding_window import draw_conv_step
from .style import figure_to_png

POOL_EXAMPLE = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [7, 2, 0, 8]])
GIF_FRAME_MS = 1200


def kernel_filter_figure():
    """A 3-channel 4×4 input and one 3×3×3 filter (seeded small integers)."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, size=(3, 4, 4))
    weights = rng.integers(-1, 2, size=(3, 3, 3))
    return draw_filter_channels(filter_channels(x, weights, bias=1.0))


def write_gif(path: Path, frames_png: list[bytes], frame_ms: int = GIF_FRAME_MS) -> None:
    """Save PNG frames as a looping GIF with Pillow (a matplotlib dependency)."""
    from PIL import Image

    frames = [Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64) for png in frames_png]  # small file
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=frame_ms, loop=0, optimize=False)


def make_images(outdir) -> list[Path]:
    """Write ``kernel_filter.png``, ``output_size.png``, ``pooling_layer.png`` and ``sliding_window.gif``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    pngs = {
        "kernel_filter.png": kernel_filter_figure(),
        "output_size.png": draw_output_size(output_size_layout(7, 3, stride=2, padding=1)),
        "pooling_layer.png": draw_pool_windows(pool_windows(POOL_EXAMPLE, 2)),
    }
    for name, fig in pngs.items():
        path = outdir / name
        path.write_bytes(figure_to_png(fig))
        written.append(path)
    sw = sliding_window_steps(SEED_INPUT, SEED_KERNEL)
    gif = outdir / "sliding_window.gif"
    write_gif(gif, [figure_to_png(draw_conv_step(sw, i)) for i in range(len(sw.steps))])
    written.append(gif)
    return written


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
