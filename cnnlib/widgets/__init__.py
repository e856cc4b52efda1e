"""Interactive widgets for the lessons, built with ipywidgets on one helper, :class:`ViewWidget`.

Each widget has a plain *view* function of its settings that returns the
figure and the arrays it drew (tests and static pictures call it directly),
and a builder that returns a :class:`ViewWidget`: its controls (``controls``,
by name) above one or more :class:`FigurePanel` (``panels``; the first is
``panel``, with its PNG ``cache`` and its ``view``).

* :func:`sliding_window_view` / :func:`sliding_window_widget`: the step-by-step sliding window;
* :func:`output_size_view` / :func:`output_size_widget`: input size, kernel, stride, padding, dilation (SVG);
* :func:`filter_view` / :func:`filter_widget`: a classic 3×3 kernel on a photograph;
* :func:`pooling_view` / :func:`pooling_widget` (SVG), :func:`shift_view` / :func:`shift_widget`: pooling an edge map;
* :func:`batchnorm_view` / :func:`batchnorm_widget`: a batch before and after batch norm (SVG);
* :func:`backprop_view`, :func:`backprop_pass_view` / :func:`backprop_widget`: the backward pass (two panels);
* :func:`im2col_view` / :func:`im2col_widget`: one window, its column of im2col's matrix and its output (SVG);
* :func:`conv_transpose_size_view` / :func:`conv_transpose_size_widget`, :func:`overlap_view` /
  :func:`overlap_widget`: a transposed convolution's output size; its stamps' overlap, the checkerboard (SVG);
* :func:`feature_map_view` / :func:`feature_map_widget`: every channel of a layer;
* :func:`receptive_field_view` / :func:`receptive_field_widget`: what one unit sees (SVG);
* :func:`depth_gradient_view` / :func:`depth_gradient_widget`, :func:`stack_view` / :func:`stack_widget`,
  :func:`timeline_view`: lesson 12's gradients through depth, stacked 3×3 convs, LeNet → ResNet (SVG);
* :class:`ExplanationSet` / :func:`explain_widget`, :func:`equivariance_widget`: lesson 13's saliency,
  occlusion and Grad-CAM of test images; feature maps and logits under shifts (SVG);
* :func:`learning_rate_view` / :func:`learning_rate_widget`: loss curves on a log-scale learning-rate slider.
"""
from .backprop import BackpropPassView, BackpropView, backprop_pass_view, backprop_view, backprop_widget
from .batchnorm import BatchNormView, batchnorm_view, batchnorm_widget
from .building_blocks import (DepthGradientView, StackView, TimelineView, depth_gradient_view, depth_gradient_widget,
                              stack_view, stack_widget, timeline_view)
from .conv_transpose import (OverlapView, StampsView, TransposeSizeView, conv_transpose_size_view,
                             conv_transpose_size_widget, overlap_view, overlap_widget, stamps_view)
from .explain import (EquivarianceView, ExplanationSet, ExplanationView, equivariance_widget,
                      explain_widget)
from .feature_maps import FeatureMapView, feature_map_view, feature_map_widget
from .live_plot import LivePlot
from .learning_rate import LearningRateView, learning_rate_view, learning_rate_widget
from .filters import FilterView, KernelInput, filter_view, filter_widget
from .im2col import Im2colView, im2col_view, im2col_widget
from .output_size import OutputSizeView, output_size_view, output_size_widget
from .pooling import PoolingView, ShiftView, pooling_view, pooling_widget, shift_view, shift_widget
from .receptive_field import ReceptiveFieldView, receptive_field_view, receptive_field_widget
from .sliding_window import SlidingWindowView, sliding_window_view, sliding_window_widget
from .view_widget import FigurePanel, ViewWidget

__all__ = [
    "EquivarianceView", "ExplanationSet", "ExplanationView", "equivariance_widget", "explain_widget",
    "DepthGradientView", "StackView", "TimelineView", "depth_gradient_view", "depth_gradient_widget", "stack_view",
    "stack_widget", "timeline_view",
    "OverlapView", "StampsView", "TransposeSizeView", "conv_transpose_size_view", "conv_transpose_size_widget",
    "overlap_view", "overlap_widget", "stamps_view",
    "LivePlot",
    "BackpropPassView", "BackpropView", "backprop_pass_view", "backprop_view", "backprop_widget",
    "BatchNormView", "batchnorm_view", "batchnorm_widget",
    "FeatureMapView", "feature_map_view", "feature_map_widget",
    "LearningRateView", "learning_rate_view", "learning_rate_widget",
    "FilterView", "KernelInput", "filter_view", "filter_widget",
    "Im2colView", "im2col_view", "im2col_widget",
    "OutputSizeView", "output_size_view", "output_size_widget",
    "PoolingView", "ShiftView", "pooling_view", "pooling_widget", "shift_view", "shift_widget",
    "ReceptiveFieldView", "receptive_field_view", "receptive_field_widget",
    "SlidingWindowView", "sliding_window_view", "sliding_window_widget",
    "FigurePanel", "ViewWidget",
]
