"""Shape arithmetic for convolution and pooling, in two parts.

* :mod:`cnnlib.shapes.sizes`: output sizes, padding and the effective kernel
  size (``conv_output_size``, ``resolve_padding``, ...), what every layer uses
  to check its input;
* :mod:`cnnlib.shapes.receptive_fields`: how much of the input a unit sees
  after a stack of layers (``receptive_field``, ``receptive_field_region``).

Everything is imported from here: ``from cnnlib.shapes import conv_output_size``.
"""
from .receptive_fields import ReceptiveField, receptive_field, receptive_field_region
from .sizes import (
    PADDING_STRINGS,
    conv_output_shape,
    conv_output_size,
    effective_kernel_size,
    explain_conv_output_size,
    pool_output_size,
    resolve_padding,
    same_padding,
)

__all__ = [
    "PADDING_STRINGS", "ReceptiveField", "conv_output_shape", "conv_output_size", "effective_kernel_size",
    "explain_conv_output_size", "pool_output_size", "receptive_field", "receptive_field_region",
    "resolve_padding", "same_padding",
]
