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

# Lessons 07-09: speed, training, looking inside, receptive fields.
from .feature_maps import draw_layer_channels, layer_outputs, tile_channels
from .receptive_field import draw_receptive_field, receptive_field_layout
from .speed import draw_profile, draw_timings
from .training import (draw_augmented, draw_class_balance, draw_confused_examples, draw_confusion_matrix,
                       draw_filters, draw_samples, draw_training_curves)

__all__ += [
    "draw_layer_channels", "layer_outputs", "tile_channels", "draw_receptive_field", "receptive_field_layout",
    "draw_profile", "draw_timings", "draw_augmented", "draw_class_balance", "draw_confused_examples",
    "draw_confusion_matrix", "draw_filters", "draw_samples", "draw_training_curves",
]

# Lessons 04-06: pooling, activations and batch norm, backprop.
from .activations import draw_activations, draw_gradient_through_depth
from .backprop import conv_backward_steps
from .backprop_draw import draw_backward_cell, draw_backward_pass
from .batchnorm import draw_batchnorm
from .pool_backward import draw_pool_backward
from .pool_explorer import draw_avg_pool, draw_pool_explorer
from .translation import draw_shift_comparison

__all__ += [
    "draw_activations", "draw_gradient_through_depth", "conv_backward_steps", "draw_backward_cell",
    "draw_backward_pass", "draw_batchnorm", "draw_pool_backward", "draw_avg_pool", "draw_pool_explorer",
    "draw_shift_comparison",
]
