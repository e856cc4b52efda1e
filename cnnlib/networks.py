"""The networks of the course, built from cnnlib layers.

* :func:`fashion_mnist_cnn`: the 28×28×1 network of the implementation outline ("Implementing CNNs from Scratch")
  (Conv 32 → pool → Conv 64 → pool → Dense 128 → Dense 10), optionally with
  batch normalization after each convolution (and after ``Dense(1600, 128)``)
  and dropout before the classifier.
* :func:`cifar_cnn`: the theory material's 32×32×3 network, the model of
  TensorFlow's CNN tutorial (Conv 32 → pool → Conv 64 → pool → Conv 64 →
  Dense 64 → Dense 10).
* :func:`fashion_mnist_resnet`: a small residual network for 28×28×1 images
  (stem conv → pool → residual blocks at 14×14 and 7×7, optionally 4×4 →
  global average pool → Dense 10), sized to train in class.

All end in logits: train them with ``CrossEntropy``, which applies the
softmax itself, and take ``softmax`` of the output when you want probabilities.
"""
from __future__ import annotations

from pathlib import Path

from ._checks import check_bool, check_fraction, check_positive_int, make_rng
from .layers import (BatchNorm1D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, GlobalAvgPool2D, MaxPool2D, ReLU,
                     Residual)
from .model import Sequential


#: The weights ``fashion_mnist_resnet(pretrained=True)`` loads: the benchmark's final run (10 epochs on all
#: 60,000 Fashion-MNIST training images; 0.9220 on the 10,000 test images), written by
#: ``benchmarks/resnet_fashion_mnist.py --framework cnnlib --threads 1 --label-smoothing 0.1 --save-weights``.
PRETRAINED_RESNET = Path(__file__).parent / "weights" / "fashion_mnist_resnet.npz"
PRETRAINED_RESNET_TEST_ACCURACY = 0.9220


def _seeds(seed, n: int) -> list:
    """``n`` layer seeds drawn from ``seed`` (all None when ``seed`` is None)."""
    rng = make_rng(seed)
    if seed is None:
        return [None] * n
    return [int(s) for s in rng.integers(0, 2**31 - 1, size=n)]


def _check_dropout(p) -> float:
    return check_fraction(p, "dropout", hint="0 turns dropout off; 0.3 is usual.")


def fashion_mnist_cnn(batchnorm: bool = False, dropout: float = 0.0, *, dense_batchnorm: bool = False,
                      hidden_dropout: float | None = None, in_channels: int = 1, num_classes: int = 10, seed=0,
                      init: str = "he") -> Sequential:
    """The 28×28 network of the implementation outline, ready to train.

    Args:
        batchnorm: put ``BatchNorm2D`` between each convolution and its ReLU
            (the convolutions then have no bias: BN's ``beta`` replaces it).
        dense_batchnorm: put ``BatchNorm1D(128)`` between ``Dense(1600, 128)`` and
            its ReLU (that Dense then has no bias).
        dropout: probability of the ``Dropout`` on the flattened conv features
            (default 0: no dropout layer there).
        hidden_dropout: probability of the ``Dropout`` between ``Dense(1600, 128)``'s
            ReLU and the last ``Dense`` (default None: the same as ``dropout``).
        in_channels: image channels (default 1, grayscale).
        num_classes: outputs of the last layer (default 10).
        seed: seeds every layer's initializer (and the dropout masks); None for fresh randomness.
        init: the weights' starting distribution, ``"he"`` (default) or ``"uniform"``
            (PyTorch's default); see ``cnnlib.layers.init``.

    Shape:
        input ``(N, in_channels, 28, 28)``, output logits ``(N, num_classes)``:
        28 → conv 3×3 → 26 → pool 2 → 13 → conv 3×3 → 11 → pool 2 → 5, and
        ``64·5·5 = 1600`` features into ``Dense(1600, 128)``.

    >>> fashion_mnist_cnn().summary((1, 28, 28)).total_params
    225034
    """
    batchnorm = check_bool(batchnorm, "batchnorm", "fashion_mnist_cnn(batchnorm=True).")
    dense_batchnorm = check_bool(dense_batchnorm, "dense_batchnorm", "fashion_mnist_cnn(dense_batchnorm=True).")
    dropout = _check_dropout(dropout)
    hidden_dropout = dropout if hidden_dropout is None else _check_dropout(hidden_dropout)
    s = _seeds(seed, 6)
    layers = [Conv2D(in_channels, 32, 3, bias=not batchnorm, seed=s[0], init=init)]
    layers += [BatchNorm2D(32)] if batchnorm else []
    layers += [ReLU(), MaxPool2D(2), Conv2D(32, 64, 3, bias=not batchnorm, seed=s[1], init=init)]
    layers += [BatchNorm2D(64)] if batchnorm else []
    layers += [ReLU(), MaxPool2D(2), Flatten()]
    layers += [Dropout(dropout, seed=s[4])] if dropout else []
    layers += [Dense(64 * 5 * 5, 128, bias=not dense_batchnorm, seed=s[2], init=init)]
    layers += [BatchNorm1D(128)] if dense_batchnorm else []
    layers += [ReLU()]
    layers += [Dropout(hidden_dropout, seed=s[5])] if hidden_dropout else []
    layers += [Dense(128, num_classes, seed=s[3], init=init)]
    return Sequential(layers)


def cifar_cnn(*, in_channels: int = 3, num_classes: int = 10, seed=0) -> Sequential:
    """The 32×32×3 network of the theory material (TensorFlow's CNN tutorial model).

    Args:
        in_channels: image channels (default 3, RGB).
        num_classes: outputs of the last layer (default 10).
        seed: seeds every layer's initializer; None for fresh randomness.

    Shape:
        input ``(N, 3, 32, 32)``: 32 → 30 → 15 → 13 → 6 → 4, then
        ``64·4·4 = 1024`` features, ``Dense(1024, 64)``, ``Dense(64, 10)``.
        Parameters per layer 896, 18,496, 36,928, 65,600, 650 (as Keras reports).

    >>> cifar_cnn().summary((3, 32, 32)).total_params
    122570
    """
    s = _seeds(seed, 5)
    return Sequential([
        Conv2D(in_channels, 32, 3, seed=s[0]), ReLU(), MaxPool2D(2),
        Conv2D(32, 64, 3, seed=s[1]), ReLU(), MaxPool2D(2),
        Conv2D(64, 64, 3, seed=s[2]), ReLU(),
        Flatten(), Dense(64 * 4 * 4, 64, seed=s[3]), ReLU(), Dense(64, num_classes, seed=s[4]),
    ])


def _basic_block(c_in: int, c_out: int, stride: int, seeds: list) -> list:
    """ResNet's basic block ``relu(F(x) + shortcut(x))``: two 3×3 conv + BN, a 1×1 projection if the shape changes."""
    block = [Conv2D(c_in, c_out, 3, stride=stride, padding=1, bias=False, seed=seeds[0]), BatchNorm2D(c_out), ReLU(),
             Conv2D(c_out, c_out, 3, padding=1, bias=False, seed=seeds[1]), BatchNorm2D(c_out)]
    shortcut = None
    if stride != 1 or c_in != c_out:
        shortcut = [Conv2D(c_in, c_out, 1, stride=stride, bias=False, seed=seeds[2]), BatchNorm2D(c_out)]
    return [Residual(block, shortcut), ReLU()]


def fashion_mnist_resnet(channels=(24, 48), blocks=(1, 1), *, in_channels: int = 1, num_classes: int = 10,
                         seed=0, pretrained: bool = False) -> Sequential:
    """A small ResNet for 28×28 images: stem, residual stages at 14×14, 7×7 (and 4×4), global average pooling.

    Layers: ``Conv2D(in_channels, c0, 3, padding=1)`` + BN + ReLU at 28×28,
    ``MaxPool2D(2)`` to 14×14, ``blocks[0]`` basic blocks with ``c0`` channels
    (identity shortcuts), then one stage per further entry of ``channels``:
    ``blocks[s]`` blocks with ``channels[s]`` channels, the first with stride 2
    (14×14 → 7×7 → 4×4) and a 1×1 ``Conv2D`` + BN projection shortcut, then
    ``GlobalAvgPool2D`` and ``Dense(channels[-1], num_classes)``. A basic
    block is ``relu(bn(conv(relu(bn(conv(x))))) + shortcut(x))``; the
    convolutions have no bias (BN's ``beta`` replaces it).

    Args:
        channels: the width of each stage, ``(c0, c1)`` for 14×14 and 7×7 (default (24, 48), sized so that
            an epoch of Fashion-MNIST fits in a minute; see ``benchmarks/resnet_fashion_mnist.md``), or
            ``(c0, c1, c2)`` for a third stage at 4×4.
        blocks: basic blocks per stage, one entry per entry of ``channels``, each at least 1 (default (1, 1)).
        in_channels: image channels (default 1, grayscale).
        num_classes: outputs of the last layer (default 10).
        seed: seeds every convolution's and the Dense layer's initializer; None for fresh randomness.
        pretrained: load trained weights instead (default False): the benchmark's 10 epochs on all 60,000
            Fashion-MNIST training images, 0.9220 on the test images (``PRETRAINED_RESNET``; the recipe
            and the table are in ``benchmarks/resnet_fashion_mnist.md``). Only for the default network:
            ``channels=(24, 48)``, ``blocks=(1, 1)``, one input channel, ten classes.

    Shape:
        input ``(N, in_channels, 28, 28)``, output logits ``(N, num_classes)``:
        28 → stem (padding 1) → 28 → pool 2 → 14 → stage 1 → 14 → stride 2 →
        7 (→ stride 2 → 4) → global average pool → ``channels[-1]`` features.

    >>> fashion_mnist_resnet().summary((1, 28, 28)).total_params
    43762
    >>> fashion_mnist_resnet((8, 16, 32), (1, 1, 1)).output_shape((1, 28, 28))
    (10,)
    >>> fashion_mnist_resnet(pretrained=True).predict(np.zeros((1, 1, 28, 28), np.float32)).shape
    (1, 10)
    """
    widths, counts = _stage_list(channels, "channels", "(24, 48)"), _stage_list(blocks, "blocks", "(1, 1)")
    if len(widths) != len(counts):
        raise ValueError(f"blocks needs one count per stage of channels={tuple(widths)}, got blocks={tuple(counts)}. "
                         f"Hint: blocks={(1,) * len(widths)}.")
    in_channels = check_positive_int(in_channels, "in_channels")  # 1 for grayscale, 3 for colour
    num_classes = check_positive_int(num_classes, "num_classes")
    if check_bool(pretrained, "pretrained", "pretrained=True loads the trained weights of the default network."):
        asked = dict(channels=tuple(widths), blocks=tuple(counts), in_channels=in_channels, num_classes=num_classes)
        trained = dict(channels=(24, 48), blocks=(1, 1), in_channels=1, num_classes=10)
        if asked != trained:
            raise ValueError(
                f"pretrained=True has weights only for {trained}, got {asked}. Hint: drop the other arguments, "
                "or train your network: benchmarks/resnet_fashion_mnist.py --save-weights PATH, then "
                "Sequential.load(PATH).")
    s = iter(_seeds(seed, 2 + 3 * sum(counts)))
    c_prev = widths[0]
    layers = [Conv2D(in_channels, c_prev, 3, padding=1, bias=False, seed=next(s)), BatchNorm2D(c_prev), ReLU(),
              MaxPool2D(2)]
    for stage, (c, count) in enumerate(zip(widths, counts)):
        for i in range(count):  # every stage after the first halves the size in its first block
            layers += _basic_block(c_prev, c, 2 if stage and i == 0 else 1, [next(s), next(s), next(s)])
            c_prev = c
    layers += [GlobalAvgPool2D(), Dense(c_prev, num_classes, seed=next(s))]
    model = Sequential(layers)
    return model.load_weights(PRETRAINED_RESNET) if pretrained else model


def _stage_list(value, name: str, example: str) -> list[int]:
    """``channels`` or ``blocks`` of ``fashion_mnist_resnet``: two or three positive ints, one per stage."""
    if not (isinstance(value, (tuple, list)) and len(value) in (2, 3)):
        raise TypeError(f"{name} must be a pair (one entry per stage at 14×14 and 7×7) or a triple (and 4×4), "
                        f"got {value!r}. Hint: {name}={example}.")
    return [check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(value)]
