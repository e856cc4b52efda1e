"""Plotting for the lessons: number grids, sliding-window steps, output sizes, filters.

Every function returns a :class:`matplotlib.figure.Figure` (pyplot is never
used), so a lesson cell shows it with :func:`show` and a widget turns it into
a PNG. ``python -m cnnlib.viz.make_images images`` redraws ``images/``.
"""
from .channels import draw_filter_channels
from .conv_steps import SEED_INPUT, SEED_KERNEL, draw_conv_step, sliding_window_steps
from .filters import draw_feature_maps, draw_filter_result, draw_images, draw_rgb_filter
from .grids import draw_grid
from .output_size import draw_output_size, output_size_layout
from .pooling import draw_max_pool
from .style import figure_to_png, show

__all__ = [
    "SEED_INPUT",
    "SEED_KERNEL",
    "draw_conv_step",
    "sliding_window_steps",
    "draw_filter_channels",
    "draw_feature_maps",
    "draw_filter_result",
    "draw_images",
    "draw_rgb_filter",
    "draw_grid",
    "draw_output_size",
    "output_size_layout",
    "draw_max_pool",
    "figure_to_png",
    "show",
]
