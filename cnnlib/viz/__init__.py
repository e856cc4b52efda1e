"""Figures for the lessons: each draws what it is given (a result of :mod:`cnnlib.demos`, or arrays).

Every function returns a :class:`matplotlib.figure.Figure` (pyplot is never
used), so a lesson cell shows it with :func:`show` and a widget turns it into
a PNG. One module per concept, as in :mod:`cnnlib.demos`:

>>> from cnnlib.demos import pool_windows
>>> draw_pool_windows(pool_windows([[1, 3], [4, 6]], 2))[:4]  # a number grid: an SVG document
'<svg'

``python -m cnnlib.viz.make_images images`` redraws ``images/``.
"""
from .activations import draw_activations, draw_gradient_through_depth
from .backprop import draw_backward_cell, draw_backward_pass
from .batchnorm import draw_batchnorm
from .building_blocks import draw_depth_gradients, draw_stack_vs_single, draw_timeline
from .conv_transpose import draw_overlap, draw_stamps, draw_transpose_size
from .explain import draw_explanation, draw_mirrored_bars, draw_shift_response
from .feature_maps import draw_layer_channels, draw_layer_channels_svg
from .filter_result import draw_filter_result
from .filters import draw_feature_maps, draw_filter_channels, draw_images, draw_rgb_filter
from .grids import draw_grid
from .output_size import draw_output_size
from .pooling import draw_pool_backward, draw_pool_explorer, draw_pool_windows
from .receptive_field import draw_receptive_field
from .sliding_window import draw_conv_step, sliding_window_animation
from .speed import draw_profile, draw_timings
from .display import figure_to_png, show
from .training import (draw_augmented, draw_class_balance, draw_confused_examples, draw_confusion_matrix,
                       draw_filters, draw_samples, draw_training_curves)
from .translation import draw_shift_comparison

__all__ = [
    "draw_explanation", "draw_mirrored_bars", "draw_shift_response",
    "draw_depth_gradients", "draw_stack_vs_single", "draw_timeline",
    "draw_overlap", "draw_stamps", "draw_transpose_size",
    "draw_activations", "draw_gradient_through_depth", "draw_backward_cell", "draw_backward_pass", "draw_batchnorm",
    "draw_layer_channels", "draw_layer_channels_svg", "draw_feature_maps", "draw_filter_channels",
    "draw_filter_result", "draw_images",
    "draw_rgb_filter", "draw_grid", "draw_output_size", "draw_pool_backward", "draw_pool_explorer",
    "draw_pool_windows", "draw_receptive_field", "draw_conv_step", "sliding_window_animation", "draw_profile",
    "draw_timings",
    "figure_to_png", "show", "draw_augmented", "draw_class_balance", "draw_confused_examples",
    "draw_confusion_matrix", "draw_filters", "draw_samples", "draw_training_curves", "draw_shift_comparison",
]
