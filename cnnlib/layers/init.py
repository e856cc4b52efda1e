r"""How Conv2D and Dense draw their starting weights.

Two schemes, both scaled by :math:`\text{fan\_in}` (the inputs each output
adds up: ``C_in*KH*KW`` for a conv, ``in_features`` for a dense layer):

* ``"he"`` (the default): :math:`W \sim \mathcal{N}(0, 2/\text{fan\_in})`, biases 0.
  He et al. (2015): through a ReLU, which zeroes half of the values, this
  keeps the variance of the activations the same from layer to layer.
* ``"uniform"``: :math:`W, b \sim \mathcal{U}(-1/\sqrt{\text{fan\_in}}, 1/\sqrt{\text{fan\_in}})`,
  PyTorch's default for ``nn.Conv2d`` and ``nn.Linear``. Its standard
  deviation is :math:`1/\sqrt{3\,\text{fan\_in}}`, about 2.4 times smaller
  than He's, so the first outputs (and the first logits) start smaller.

``W`` is always drawn first from ``np.random.default_rng(seed)``, so a seeded
layer gets the same weights whatever its ``bias`` setting.
"""
from __future__ import annotations

import numpy as np


def init_params(rng: np.random.Generator, w_shape: tuple, n_bias: int | None, fan_in: int, init: str, dtype):
    """``(W, b)`` for a layer: ``b`` is None when ``n_bias`` is None; ``init`` is one of ``cnnlib._checks.INITS``."""
    if init == "he":
        W = rng.standard_normal(w_shape) * np.sqrt(2.0 / fan_in)
        b = None if n_bias is None else np.zeros(n_bias)
    else:  # "uniform"
        bound = 1.0 / np.sqrt(fan_in)
        W = rng.uniform(-bound, bound, w_shape)
        b = None if n_bias is None else rng.uniform(-bound, bound, n_bias)
    return W.astype(dtype), (None if b is None else b.astype(dtype))
