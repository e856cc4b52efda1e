"""Interactive widgets for the lessons, built with ipywidgets.

Each widget has a plain *view* function of its slider values that returns
the figure and the arrays it drew (tests and static renderings call it
directly), and a builder that wires sliders to it:

* :func:`sliding_window_view` / :func:`sliding_window_widget`: the step-by-step sliding window;
* :func:`output_size_view` / :func:`output_size_widget`: input size, kernel, stride, padding, dilation;
* :func:`filter_view` / :func:`filter_widget`: a classic 3×3 kernel on a photograph.

Every builder returns an ``ipywidgets.VBox`` with three extra attributes, for
tests and browser checks: ``controls`` (a dict of its sliders, menus and
boxes by name), ``panel`` (a :class:`~cnnlib.widgets.panel.FigurePanel`: the
figure as ``panel.image``, a PNG ``ipywidgets.Image``, and the text under it
as ``panel.message``) and ``cache`` (the PNGs already rendered, by setting).
"""
from .filters import FilterView, filter_view, filter_widget
from .output_size import OutputSizeView, output_size_view, output_size_widget
from .sliding_window import SlidingWindowView, sliding_window_view, sliding_window_widget

__all__ = [
    "FilterView",
    "filter_view",
    "filter_widget",
    "OutputSizeView",
    "output_size_view",
    "output_size_widget",
    "SlidingWindowView",
    "sliding_window_view",
    "sliding_window_widget",
]

# Lessons 08-09: the feature-map explorer and the receptive-field widget.
from .feature_maps import FeatureMapView, feature_map_view, feature_map_widget
from .receptive_field import ReceptiveFieldView, receptive_field_view, receptive_field_widget

__all__ += [
    "FeatureMapView", "feature_map_view", "feature_map_widget",
    "ReceptiveFieldView", "receptive_field_view", "receptive_field_widget",
]

# Lessons 04-06: pooling, batch norm, the backward pass.
from .backprop import BackpropPassView, BackpropView, backprop_pass_view, backprop_view, backprop_widget
from .batchnorm import BatchNormView, batchnorm_view, batchnorm_widget
from .pooling import PoolingView, ShiftView, pooling_view, pooling_widget, shift_view, shift_widget

__all__ += [
    "BackpropView",
    "BackpropPassView",
    "backprop_view",
    "backprop_pass_view",
    "backprop_widget",
    "BatchNormView",
    "batchnorm_view",
    "batchnorm_widget",
    "PoolingView",
    "ShiftView",
    "pooling_view",
    "pooling_widget",
    "shift_view",
    "shift_widget",
]
