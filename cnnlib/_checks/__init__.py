"""Argument checks, all in one place, by concept.

* :mod:`.scalars`: single arguments (ints, pairs, bools, real numbers,
  choices, dtypes, seeds);
* :mod:`.arrays`: arrays and shapes (dtype, axes, NaN/inf, image batches,
  conv weights, ``dout``, caches, gradients);
* :mod:`.targets`: predictions, targets and ``(x, y)`` pairs (losses,
  metrics, the training loop).

Every check raises ``ValueError`` or ``TypeError`` with three things in the
message: the value received, the value expected and a hint to fix it. The
geometry of a window (kernel, stride, padding, dilation) is checked by
:class:`cnnlib.shapes.Geometry2D`, which uses these.
"""
from .arrays import (
    as_float_array,
    as_input_shape,
    at_least_float32,
    check_cache,
    check_conv_weights,
    check_dout,
    check_finite,
    check_gradient,
    check_layer_dout,
    check_nchw,
    check_ndim,
    check_numeric,
    check_sample_shape,
)
from .scalars import (
    IMPLS,
    INITS,
    as_pair,
    check_bool,
    check_choice,
    check_dtype_arg,
    check_fraction,
    check_impl,
    check_init,
    check_positive_int,
    check_positive_ints,
    check_real,
    check_real_pair,
    is_real_number,
    make_rng,
)
from .targets import (
    BAD_DATA_HINT,
    DIVERGED_HINT,
    as_class_targets,
    as_same_shape_target,
    check_labels,
    check_pred,
    check_probabilities,
    check_target_rows,
    check_xy,
    finite_loss_value,
)
