"""Shape arithmetic for convolution and pooling, in three parts.

* :mod:`cnnlib.shapes.geometry`: :class:`Geometry2D`, the one parser of
  kernel, stride, padding and dilation, which every op and layer uses, and
  the one-axis arithmetic under it (``output_length``, ``same_padding``,
  ``effective_kernel_size``);
* :mod:`cnnlib.shapes.sizes`: output sizes as the lessons compute them
  (``conv_output_size``, ``conv_output_shape``, ``resolve_padding``,
  ``keras_same_padding``, ...), and :mod:`cnnlib.shapes.transpose_sizes` those of
  a transposed convolution (``conv_transpose_output_size``, ...);
* :mod:`cnnlib.shapes.receptive_fields`: how much of the input a unit sees
  after a stack of layers (``receptive_field``, ``receptive_field_region``).

A pair means ``(height, width)`` everywhere: ``padding=(1, 2)`` is 1 row on
top and bottom, 2 columns left and right. Padding per side is
``((top, bottom), (left, right))``, and along one axis ``pads=(before, after)``.

Everything is imported from here: ``from cnnlib.shapes import conv_output_size``.
"""
from .geometry import PADDING_STRINGS, Geometry2D, effective_kernel_size, output_length, same_padding
from .receptive_fields import ReceptiveField, receptive_field, receptive_field_region
from .sizes import (conv_output_shape, conv_output_size, explain_conv_output_size, keras_same_padding,
                    pool_output_size, resolve_padding)
from .transpose_sizes import conv_transpose_geometry, conv_transpose_output_hw, conv_transpose_output_size

__all__ = [
    "PADDING_STRINGS", "Geometry2D", "ReceptiveField", "conv_output_shape", "conv_output_size",
    "conv_transpose_geometry", "conv_transpose_output_hw", "conv_transpose_output_size",
    "effective_kernel_size", "explain_conv_output_size", "keras_same_padding", "output_length", "pool_output_size",
    "receptive_field", "receptive_field_region", "resolve_padding", "same_padding",
]
