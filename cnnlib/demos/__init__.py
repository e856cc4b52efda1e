"""The step-by-step maths the lessons show, as plain numpy functions (no plotting, no widgets).

Each module is one concept; its results are small frozen dataclasses that a
figure in :mod:`cnnlib.viz` draws and a widget in :mod:`cnnlib.widgets`
shows. Where a demo repeats an op (a sliding window, a backward pass), its
numbers come from, or are tested against, :mod:`cnnlib.functional`.

* :mod:`~cnnlib.demos.sliding_window`: every window position of a cross-correlation;
* :mod:`~cnnlib.demos.output_size`: where the windows go along one axis, what the floor drops;
* :mod:`~cnnlib.demos.filters`: classic kernels on a photo, one filter's kernels channel by channel;
* :mod:`~cnnlib.demos.pooling`: pooling windows, their picks and gradients, on a grid and on an edge map;
* :mod:`~cnnlib.demos.translation`: how much a small shift changes a map, before and after pooling;
* :mod:`~cnnlib.demos.activations`: activation curves, gradients through a deep stack;
* :mod:`~cnnlib.demos.batchnorm`: a batch before and after ``BatchNorm2D``;
* :mod:`~cnnlib.demos.im2col`: one window followed through im2col to its column and its output value;
* :mod:`~cnnlib.demos.conv_backward`: the convolution's backward pass cell by cell and as correlations;
* :mod:`~cnnlib.demos.conv_transpose`: a transposed convolution's stamps, their overlap, its output size;
* :mod:`~cnnlib.demos.feature_maps`: every layer's output for one image;
* :mod:`~cnnlib.demos.receptive_field`: the region of every layer one unit depends on;
* :mod:`~cnnlib.demos.training`: learning-rate sweeps, activations through depth, stable BCE, early stopping;
* :mod:`~cnnlib.demos.building_blocks`: 1×1 convs, stacked 3×3 convs, global pooling, strides, skips, LeNet → ResNet;
* :mod:`~cnnlib.demos.explain`: saliency by hand, three explanations of an image;
* :mod:`~cnnlib.demos.shifts`: shifted images through a network (equivariance against invariance);
* :mod:`~cnnlib.demos.formatting`: numbers written the way the lessons write them.
"""
from .activations import activation_curve, activation_curves, gradient_through_depth, gradients_through_depth
from .batchnorm import batchnorm_demo
from .building_blocks import (architecture_timeline, depth_gradients, gap_vs_flatten, lenet5,
                              pointwise_conv_as_dense, stack_vs_single, strided_vs_pool, vgg16_param_count)
from .conv_backward import cell_equations, conv_backward_steps, dilate
from .conv_transpose import (conv_transpose_layout, conv_transpose_stamps, output_padding_table, overlap_map,
                             upsample_constant)
from .explain import choose_examples, explain_image, tiny_saliency
from .shifts import shift_response, shift_statistics
from .feature_maps import layer_outputs, spatial_layers, tile_channels
from .filters import apply_kernel, edge_map, filter_channels
from .im2col import im2col_window
from .output_size import output_size_layout
from .pooling import pool_backward, pool_layout, pool_windows
from .receptive_field import receptive_field_layout
from .sliding_window import SEED_INPUT, SEED_KERNEL, sliding_window_steps
from .training import (activation_stats, bce_naive, bce_stable, early_stopping, lr_sweep, naive_sigmoid,
                       small_mlp)
from .translation import compare_shift

__all__ = [
    "choose_examples", "explain_image", "shift_response", "shift_statistics", "tiny_saliency",
    "architecture_timeline", "depth_gradients", "gap_vs_flatten", "lenet5", "pointwise_conv_as_dense",
    "stack_vs_single", "strided_vs_pool", "vgg16_param_count",
    "conv_transpose_layout", "conv_transpose_stamps", "output_padding_table", "overlap_map", "upsample_constant",
    "activation_curve", "activation_curves", "gradient_through_depth", "gradients_through_depth",
    "batchnorm_demo", "cell_equations", "conv_backward_steps", "dilate", "layer_outputs", "spatial_layers",
    "tile_channels", "im2col_window", "apply_kernel", "edge_map", "filter_channels", "output_size_layout", "pool_backward",
    "pool_layout", "pool_windows", "receptive_field_layout", "SEED_INPUT", "SEED_KERNEL", "sliding_window_steps",
    "compare_shift", "activation_stats", "bce_naive", "bce_stable", "early_stopping", "lr_sweep", "naive_sigmoid",
    "small_mlp",
]
