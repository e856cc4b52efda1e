r"""The building blocks of modern CNNs, measured with cnnlib's own layers (lesson 12).

Every count here comes from building the layers and reading ``summary()`` /
``num_params()``; the formulas are written beside them so a test (and a
student) can compare:

* a 1×1 convolution is a ``Dense`` applied at every pixel (:func:`pointwise_conv_as_dense`);
* ``n`` stacked 3×3 convs see as far as one :math:`(2n+1)\times(2n+1)` conv with
  :math:`9nC^2` instead of :math:`(2n+1)^2C^2` weights (:func:`stack_vs_single`);
* global average pooling instead of ``Flatten`` + ``Dense`` (:func:`gap_vs_flatten`);
* a stride-2 conv instead of conv + 2×2 max pool (:func:`strided_vs_pool`);
* the gradient's size through a deep stack with and without skips (:func:`depth_gradients`,
  :func:`depth_gradients_at` for several depths);
* LeNet → VGG → ResNet, with the idea each added (:func:`architecture_timeline`).

>>> s = stack_vs_single(3, channels=4)
>>> s.stack_params, s.single_params, s.stack_rf, s.single_rf
(432, 784, 7, 7)
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_bool, check_init, check_positive_int, check_positive_ints
from ..layers import (AvgPool2D, BatchNorm2D, Conv2D, Dense, Flatten, GlobalAvgPool2D, MaxPool2D, ReLU,
                      Residual, Tanh)
from ..model import Sequential
from ..shapes import receptive_field
from ..summary import Summary


@dataclass(frozen=True)
class PointwiseCheck:
    """A 1×1 conv and the ``Dense`` with the same weights, applied to the same ``x``."""

    x: np.ndarray  # (N, C_in, H, W)
    conv_out: np.ndarray  # (N, C_out, H, W)
    dense_out: np.ndarray  # (N, C_out, H, W): Dense on every pixel's C_in values
    max_abs_diff: float
    summary: Summary


def pointwise_conv_as_dense(in_channels: int = 3, out_channels: int = 2, size: int = 4, batch: int = 2,
                            seed: int = 0) -> PointwiseCheck:
    """Run ``Conv2D(C_in, C_out, 1)`` and ``Dense(C_in, C_out)`` (its weights, transposed) on every pixel."""
    in_channels, out_channels, size, batch = check_positive_ints(in_channels=in_channels, out_channels=out_channels, size=size,
                                                     batch=batch)
    rng = np.random.default_rng(check_positive_int(seed, "seed", minimum=0))
    x = rng.standard_normal((batch, in_channels, size, size))
    conv = Conv2D(in_channels, out_channels, 1, dtype=np.float64, seed=seed)
    conv.params["b"][...] = rng.standard_normal(out_channels)  # a non-zero bias, so it is checked too
    dense = Dense(in_channels, out_channels, dtype=np.float64)
    dense.params["W"][...] = conv.params["W"][:, :, 0, 0].T  # (C_out, C_in, 1, 1) -> (C_in, C_out)
    dense.params["b"][...] = conv.params["b"]
    pixels = x.transpose(0, 2, 3, 1).reshape(-1, in_channels)  # (N*H*W, C_in): one row per pixel
    dense_out = dense(pixels).reshape(batch, size, size, out_channels).transpose(0, 3, 1, 2)  # (N, C_out, H, W)
    conv_out = conv(x)
    return PointwiseCheck(x, conv_out, dense_out, float(np.max(np.abs(conv_out - dense_out))),
                          Sequential([conv]).summary((in_channels, size, size)))


@dataclass(frozen=True)
class KernelStack:
    """``n`` stacked 3×3 convs (each + ReLU) against one ``(2n+1)×(2n+1)`` conv, ``C`` channels in and out."""

    n_stacked: int
    channels: int
    kernel_size: int  # the single conv's, 2n + 1
    bias: bool
    stack_summary: Summary
    single_summary: Summary
    stack_params: int  # read from summary()
    single_params: int
    stack_formula: int  # n·9·C² (+ n·C biases)
    single_formula: int  # (2n+1)²·C² (+ C biases)
    stack_rf: int  # receptive field side, from cnnlib.shapes.receptive_field
    single_rf: int


@lru_cache(maxsize=64)
def stack_vs_single(n_stacked: int = 2, channels: int = 16, bias: bool = False, size: int = 32) -> KernelStack:
    """Build both (``padding`` keeps the size) and compare parameters and receptive fields."""
    n_stacked, channels, size = check_positive_ints(n_stacked=n_stacked, channels=channels, size=size)
    bias = check_bool(bias, "bias", "write bias=True to count the biases too.")
    n, C, k = n_stacked, channels, 2 * n_stacked + 1
    stack = Sequential([layer for i in range(n)
                        for layer in (Conv2D(C, C, 3, padding=1, bias=bias, seed=i), ReLU())])
    single = Sequential([Conv2D(C, C, k, padding=n, bias=bias, seed=0), ReLU()])
    stack_summary, single_summary = stack.summary((C, size, size)), single.summary((C, size, size))
    return KernelStack(
        n, C, k, bias, stack_summary, single_summary, stack_summary.total_params, single_summary.total_params,
        n * 9 * C * C + (n * C if bias else 0), k * k * C * C + (C if bias else 0),
        receptive_field(stack.layers)[-1].size[0], receptive_field(single.layers)[-1].size[0])


@dataclass(frozen=True)
class HeadComparison:
    """Two heads on a ``C × H × W`` feature map: ``Flatten`` + ``Dense`` and ``GlobalAvgPool2D`` + ``Dense``."""

    flatten_summary: Summary
    gap_summary: Summary
    flatten_params: int  # C·H·W·classes + classes
    gap_params: int  # C·classes + classes
    other_size: int  # a larger feature map side, to try both heads on
    flatten_error: str  # what Flatten + Dense says about it
    gap_shape_other: tuple  # GAP + Dense's output shape for it: the same


def gap_vs_flatten(channels: int = 64, size: int = 7, classes: int = 10) -> HeadComparison:
    """Parameters of the two heads, and what each does with a feature map twice as large."""
    C, size, classes = check_positive_ints(channels=channels, size=size, classes=classes)
    flat = Sequential([Flatten(), Dense(C * size * size, classes, seed=0)])
    gap = Sequential([GlobalAvgPool2D(), Dense(C, classes, seed=0)])
    other = 2 * size
    try:
        flat.summary((C, other, other))
        error = ""
    except ValueError as exc:
        error = str(exc)
    fs, gs = flat.summary((C, size, size)), gap.summary((C, size, size))
    return HeadComparison(fs, gs, fs.total_params, gs.total_params, other, error,
                          gap.summary((C, other, other)).output_shape)


@dataclass(frozen=True)
class Downsampling:
    """Halving the size: ``Conv2D`` 3×3 + ``MaxPool2D(2)`` against one ``Conv2D`` 3×3 with stride 2."""

    pool_summary: Summary
    strided_summary: Summary
    pool_params: int
    strided_params: int
    pool_macs: int  # multiply-adds of the conv, per image
    strided_macs: int


def strided_vs_pool(in_channels: int = 32, out_channels: int = 64, size: int = 28) -> Downsampling:
    """Both halve ``size`` (``padding=1``); the strided conv computes 4× fewer outputs for the same weights."""
    in_channels, out_channels, size = check_positive_ints(in_channels=in_channels, out_channels=out_channels, size=size)
    pool = Sequential([Conv2D(in_channels, out_channels, 3, padding=1, seed=0), ReLU(), MaxPool2D(2)])
    strided = Sequential([Conv2D(in_channels, out_channels, 3, stride=2, padding=1, seed=0), ReLU()])
    shape = (in_channels, size, size)
    ps, ss = pool.summary(shape), strided.summary(shape)
    # The conv's work: a 3×3×C_in window per output value; the pool and ReLU multiply nothing.
    return Downsampling(ps, ss, ps.total_params, ss.total_params, pool.multiply_adds(shape),
                        strided.multiply_adds(shape))


@dataclass(frozen=True)
class DepthGradients:
    """``||dL/dx_l||`` at the input of every block ``l = 0..depth`` (``depth`` = the top), relative to the top.

    ``plain[l]`` for ``depth`` blocks of Conv 3×3 (+ BatchNorm2D) + ReLU; ``residual[l]`` for the same
    layers (same weights), each block wrapped in ``Residual`` (identity shortcut).
    """

    depth: int
    batchnorm: bool
    init: str
    plain: np.ndarray  # (depth + 1,)
    residual: np.ndarray  # (depth + 1,)


def _gradient_norms(depths, residual, batchnorm, init, channels, size, batch, seed) -> dict[int, np.ndarray]:
    """``{d: norms}`` for networks of the first ``d`` blocks: one forward pass serves every depth."""
    rng = np.random.default_rng(seed)
    blocks = []
    for d in range(max(depths)):
        layers = [Conv2D(channels, channels, 3, padding=1, dtype=np.float64, seed=seed * 1000 + d, init=init)]
        layers += [BatchNorm2D(channels, dtype=np.float64)] if batchnorm else []
        blocks.append(Residual(layers + [ReLU()]) if residual else Sequential(layers + [ReLU()]))
    h = rng.standard_normal((batch, channels, size, size))
    for block in blocks:  # block d's output does not depend on later blocks: each caches it for backward
        h = block.forward(h)
    upstream = rng.standard_normal(h.shape)  # dL/d(out) for the loss L = sum(g · out), g random, at every depth
    result = {}
    for depth in depths:
        grad = upstream
        norms = [np.linalg.norm(grad)]
        for block in blocks[depth - 1::-1]:
            grad = block.backward(grad)
            norms.append(np.linalg.norm(grad))
        norms = np.array(norms[::-1])  # norms[l]: at the input of block l; norms[depth]: the top
        result[depth] = norms / norms[-1]
    return result


def depth_gradients_at(depths: tuple[int, ...], batchnorm: bool = True, init: str = "he", channels: int = 8,
                       size: int = 8, batch: int = 4, seed: int = 0) -> dict[int, DepthGradients]:
    """:func:`depth_gradients` for several depths at once (what a depth slider needs), by depth.

    Block ``d`` has the same weights at every depth, so one forward pass through the deepest network
    gives every shallower one's activations; only the backward passes are run per depth.
    """
    if (not isinstance(depths, (tuple, list)) or not depths
            or any(isinstance(d, (bool, np.bool_)) or not isinstance(d, numbers.Integral) or d < 1 for d in depths)):
        raise ValueError(f"depths must be whole numbers of blocks >= 1, got {depths!r}. Hint: e.g. (10, 20, 30).")
    batchnorm = check_bool(batchnorm, "batchnorm", "write batchnorm=False for Conv → ReLU blocks.")
    sizes = check_positive_ints(channels=channels, size=size, batch=batch)
    # Checked before the cache: as a cache key True equals 1 and "he" would reach a cached result unchecked.
    return _depth_gradients_at(tuple(int(d) for d in depths), batchnorm, check_init(init, "depth_gradients"), *sizes,
                               check_positive_int(seed, "seed", minimum=0))


@lru_cache(maxsize=16)
def _depth_gradients_at(depths, batchnorm, init, channels, size, batch, seed) -> dict[int, DepthGradients]:
    """:func:`depth_gradients_at` on checked arguments, cached (a slider revisits the same settings)."""
    args = (batchnorm, init, channels, size, batch, seed)
    plain, res = _gradient_norms(depths, False, *args), _gradient_norms(depths, True, *args)
    return {d: DepthGradients(d, batchnorm, init, plain[d], res[d]) for d in depths}


def depth_gradients(depth: int = 30, batchnorm: bool = True, init: str = "he", channels: int = 8, size: int = 8,
                    batch: int = 4, seed: int = 0) -> DepthGradients:
    """One forward and backward pass through ``depth`` blocks, plain and residual (seeded, float64).

    Args:
        depth: number of blocks.
        batchnorm: Conv → BatchNorm2D → ReLU blocks (training mode: batch statistics) instead of Conv → ReLU.
        init: the convs' initialisation, ``"he"`` or ``"uniform"`` (PyTorch's default).
        channels, size, batch: the activations are ``(batch, channels, size, size)``.
    """
    return depth_gradients_at((depth,), batchnorm, init, channels, size, batch, seed)[depth]


@dataclass(frozen=True)
class Milestone:
    """One architecture on the timeline: the idea it added, its size and where the count comes from."""

    name: str
    year: int
    reference: str
    params: int
    counted: str  # "cnnlib summary()", "quoted from the paper" or "the usual count"
    ideas: tuple[str, ...]


def lenet5() -> Sequential:
    """LeNet-5 (LeCun et al. 1998) in cnnlib: 5×5 convs, tanh, 2×2 average pooling, three dense layers.

    Every C3 map sees all 6 S2 maps here (the paper connects each to a subset), so 61,706 parameters, not 60,000.
    """
    return Sequential([
        Conv2D(1, 6, 5, padding=2, seed=0), Tanh(), AvgPool2D(2),
        Conv2D(6, 16, 5, seed=1), Tanh(), AvgPool2D(2),
        Flatten(), Dense(16 * 5 * 5, 120, seed=2), Tanh(), Dense(120, 84, seed=3), Tanh(), Dense(84, 10, seed=4),
    ])


VGG16_CONVS = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")


def vgg16_param_count(classes: int = 1000) -> int:
    """VGG-16's parameters on 224×224×3 from cnnlib's layer shapes (``state_shapes``: nothing allocated)."""
    (classes,) = check_positive_ints(classes=classes)
    shapes, c_in = [], 3
    for c in VGG16_CONVS:
        if c != "M":
            shapes.append(Conv2D.state_shapes(c_in, c, 3))
            c_in = c
    for n_in, n_out in ((512 * 7 * 7, 4096), (4096, 4096), (4096, classes)):
        shapes.append(Dense.state_shapes(n_in, n_out))
    return int(sum(np.prod(s) for layer in shapes for s in layer.values()))


def architecture_timeline() -> list[Milestone]:
    """LeNet-5 (counted by cnnlib), VGG-16 (quoted from its paper) and ResNet-50 (the usual count), oldest first.

    The ResNet paper gives ResNet-50's multiply-adds, not its parameters; 25.6M is the count everyone quotes
    (torchvision's ``resnet50``: 25,557,032).
    """
    lenet = lenet5().summary((1, 28, 28)).total_params
    return [
        Milestone("LeNet-5", 1998, "LeCun et al. 1998", lenet, "cnnlib summary()",
                  ("conv + pool + dense", "shared weights", "trained by backprop")),
        Milestone("VGG-16", 2014, "Simonyan & Zisserman 2014", 138_000_000, "quoted from the paper",
                  ("only 3×3 convs", "deep: 16 weight layers", "channels double as size halves")),
        Milestone("ResNet-50", 2015, "He et al. 2015", 25_600_000, "the usual count",
                  ("skip connections", "batch norm, 1×1 bottlenecks", "global average pooling")),
    ]
