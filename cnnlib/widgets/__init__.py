"""Interactive widgets for the lessons, built with ipywidgets.

Each widget has a plain *view* function of its slider values that returns
the figure and the arrays it drew (tests and static renderings call it
directly), and a builder that wires sliders to it:

* :func:`sliding_window_view` / :func:`sliding_window_widget`: the step-by-step sliding window;
* :func:`output_size_view` / :func:`output_size_widget`: input size, kernel, stride, padding, dilation;
* :func:`filter_view` / :func:`filter_widget`: a classic 3×3 kernel on a photograph.
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
