"""Spatial operations as plain functions: convolution, transposed convolution, pooling and im2col.

Every op comes in two versions that tests prove equal: ``*_naive`` loops that
read like the math, and a vectorized version for training. Forward functions
return ``(out, cache)``; backward functions take ``(dout, cache)``.
"""
from .conv import conv2d, conv2d_backward, conv2d_forward
from .conv_naive import conv2d_backward_naive, conv2d_forward_naive
from .conv_transpose import conv_transpose2d, conv_transpose2d_backward, conv_transpose2d_forward
from .conv_transpose_naive import conv_transpose2d_backward_naive, conv_transpose2d_forward_naive
from .global_pool import (
    global_avgpool2d_backward,
    global_avgpool2d_backward_naive,
    global_avgpool2d_forward,
    global_avgpool2d_forward_naive,
)
from .im2col import col2im, im2col, sliding_windows
from .pooling import (
    avgpool2d,
    avgpool2d_backward,
    avgpool2d_forward,
    maxpool2d,
    maxpool2d_backward,
    maxpool2d_forward,
    maxpool2d_indices,
)
from .pooling_naive import (
    avgpool2d_backward_naive,
    avgpool2d_forward_naive,
    maxpool2d_backward_naive,
    maxpool2d_forward_naive,
)

__all__ = [
    "conv2d",
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_forward_naive",
    "conv2d_backward_naive",
    "conv_transpose2d",
    "conv_transpose2d_forward",
    "conv_transpose2d_backward",
    "conv_transpose2d_forward_naive",
    "conv_transpose2d_backward_naive",
    "im2col",
    "col2im",
    "sliding_windows",
    "maxpool2d",
    "maxpool2d_forward",
    "maxpool2d_backward",
    "maxpool2d_forward_naive",
    "maxpool2d_backward_naive",
    "maxpool2d_indices",
    "avgpool2d",
    "avgpool2d_forward",
    "avgpool2d_backward",
    "avgpool2d_forward_naive",
    "avgpool2d_backward_naive",
    "global_avgpool2d_forward",
    "global_avgpool2d_backward",
    "global_avgpool2d_forward_naive",
    "global_avgpool2d_backward_naive",
]
