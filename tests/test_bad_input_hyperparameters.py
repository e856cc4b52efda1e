"""Bad input, class 6: hyperparameters and flags.

Every numeric hyperparameter must be a finite real number in its range (a
string or a bool is a ``TypeError``, NaN, inf or out of range a
``ValueError``, both naming the argument and the value received); every flag
must be ``True`` or ``False`` (``bias="False"`` would otherwise mean True). All
of them go through the same checks in ``cnnlib._checks``.
"""
from pathlib import Path

import numpy as np
import pytest

import cnnlib
from cnnlib import Sequential
from cnnlib.augment import RandomAugment, random_flip
from cnnlib.callbacks import CosineLR
from cnnlib.widgets import LivePlot
from cnnlib.functional import conv2d_backward, conv2d_backward_naive, conv2d_forward, conv2d_forward_naive
from cnnlib.layers import BatchNorm2D, Conv2D, Dense, Dropout, LeakyReLU, ReLU
from cnnlib.losses import BinaryCrossEntropy, CategoricalCrossEntropy, CrossEntropy
from cnnlib.networks import fashion_mnist_cnn
from cnnlib.optim import SGD, Adam

NAN, INF = float("nan"), float("inf")


def _params():
    return [Dense(2, 2, seed=0)]


NUMBERS = [
    # (constructor taking the bad value, name in the message, bad values that are ValueErrors)
    (lambda v: SGD(_params(), lr=v), "lr", [INF, NAN, 0, -0.1, 10**400]),
    (lambda v: SGD(_params(), lr=0.1, momentum=v), "momentum", [INF, NAN, -0.5]),
    (lambda v: SGD(_params(), lr=0.1, weight_decay=v), "weight_decay", [INF, NAN, -1]),
    (lambda v: Adam(_params(), lr=v), "lr", [INF, NAN, 0]),
    (lambda v: Adam(_params(), betas=(v, 0.999)), r"betas\[0\]", [NAN, INF, 1.0, -0.1]),
    (lambda v: Adam(_params(), betas=(0.9, v)), r"betas\[1\]", [NAN, 1.5]),
    (lambda v: Adam(_params(), eps=v), "eps", [INF, NAN, -1e-8]),
    (lambda v: LeakyReLU(v), "negative_slope", [NAN, INF, -INF]),
    (lambda v: BatchNorm2D(3, eps=v), "eps", [INF, NAN, 0, -1e-5]),
    (lambda v: BatchNorm2D(3, momentum=v), "momentum", [NAN, INF, -0.1, 1.5]),
    (lambda v: Dropout(v), "Dropout p", [NAN, INF, 1, -0.1]),
    (lambda v: CrossEntropy(label_smoothing=v), "label_smoothing", [NAN, INF, 1.0, -0.1]),
    (lambda v: CategoricalCrossEntropy(eps=v), "eps", [NAN, INF, 0, 1]),
    (lambda v: BinaryCrossEntropy(eps=v), "eps", [NAN, 0, 1.5]),
    (lambda v: random_flip(np.zeros((1, 1, 2, 2)), np.random.default_rng(0), p=v), "p", [NAN, 1.5]),
    (lambda v: fashion_mnist_cnn(dropout=v), "dropout", [NAN, 1.0]),
    (lambda v: CosineLR(SGD(_params(), lr=0.1), 10, final_lr=v), "final_lr", [NAN, INF, -0.1, 0.2]),
]


@pytest.mark.parametrize("make, name, bad", [(m, n, b) for m, n, bs in NUMBERS for b in bs])
def test_numbers_must_be_finite_and_in_range(make, name, bad):
    with pytest.raises(ValueError, match=rf"{name} must be .*, got {bad!r}"):
        make(bad)


@pytest.mark.parametrize("make, name", [(m, n) for m, n, _ in NUMBERS])
@pytest.mark.parametrize("bad", ["0.1", True, None, [0.1], np.array([0.1])])
def test_numbers_must_be_real_numbers_not_strings_or_bools(make, name, bad):
    with pytest.raises(TypeError, match=rf"{name} must be a number, got "):
        make(bad)


@pytest.mark.parametrize("make", [
    lambda: SGD(_params(), lr=np.float32(0.1), momentum=np.float64(0.9)), lambda: Adam(_params(), lr=1, eps=1),
    lambda: LeakyReLU(np.float16(0.2)), lambda: BatchNorm2D(3, eps=1e-3, momentum=np.int64(1)),
    lambda: Dropout(np.float32(0.25)), lambda: CosineLR(SGD(_params(), lr=0.1), 10, final_lr=np.float32(0.01)),
])
def test_numpy_scalars_and_ints_are_fine(make):
    make()


FLAGS = [
    (lambda v: Conv2D(1, 1, 1, bias=v), "bias"), (lambda v: Dense(1, 1, bias=v), "bias"),
    (lambda v: BinaryCrossEntropy(from_logits=v), "from_logits"), (lambda v: ReLU().train(v), "mode"),
    (lambda v: Sequential([]).train(v), "mode"), (lambda v: LivePlot(display=v), "display"),
    (lambda v: RandomAugment(flip=v), "flip"), (lambda v: fashion_mnist_cnn(batchnorm=v), "batchnorm"),
]


@pytest.mark.parametrize("make, name", FLAGS)
@pytest.mark.parametrize("bad", ["False", "True", 0, 1, None, 0.0])
def test_flags_must_be_true_or_false(make, name, bad):
    with pytest.raises(TypeError, match=rf"{name} must be True or False, got {bad!r}\. Hint: "):
        make(bad)


@pytest.mark.parametrize("make", [lambda v: Conv2D(1, 1, 1, bias=v), lambda v: ReLU().train(v)])
def test_numpy_bools_are_fine_flags(make):
    make(np.bool_(False))


@pytest.mark.parametrize("forward, backward", [(conv2d_forward, conv2d_backward),
                                               (conv2d_forward_naive, conv2d_backward_naive)])
def test_the_need_dx_flag_of_conv_backward(forward, backward):
    out, cache = forward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)))
    with pytest.raises(TypeError, match=r"need_dx must be True or False, got 'no'"):
        backward(np.ones_like(out), cache, need_dx="no")


def _fit(model, **kwargs):
    x, y = np.ones((4, 2)), np.array([0, 1, 0, 1])
    return model.fit(x, y, loss=CrossEntropy(), optimizer=SGD(model, lr=0.1), epochs=1, **{"progress": False,
                                                                                             **kwargs})


@pytest.mark.parametrize("kwargs, error, pattern", [
    (dict(shuffle="no"), TypeError, r"shuffle must be True or False, got 'no'"),
    (dict(progress=1), TypeError, r"progress must be True or False, got 1"),
    (dict(seed=-1), ValueError, r"seed must be a non-negative integer, got -1"),
    (dict(seed=1.5), TypeError, r"seed must be None or a non-negative integer, got 1\.5"),
])
def test_fit_flags_and_seed(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        _fit(Sequential([Dense(2, 2, seed=0)]), **kwargs)


@pytest.mark.parametrize("make", [lambda s: Dense(2, 2, seed=s), lambda s: Conv2D(1, 1, 1, seed=s),
                                  lambda s: Dropout(0.5, seed=s), lambda s: RandomAugment(seed=s),
                                  lambda s: fashion_mnist_cnn(seed=s)])
@pytest.mark.parametrize("bad, error", [(1.5, TypeError), ("x", TypeError), (True, TypeError), (-1, ValueError)])
def test_seeds(make, bad, error):
    with pytest.raises(error, match=r"seed must be (None or )?a non-negative integer, got .*Hint: seed=0"):
        make(bad)
    make(None), make(np.int64(3)), make(np.random.default_rng(0))


@pytest.mark.parametrize("make", [lambda d: Dense(2, 2, dtype=d), lambda d: BatchNorm2D(2, dtype=d),
                                  lambda d: Conv2D(1, 1, 1, dtype=d)])
@pytest.mark.parametrize("bad", ["foo", np.int32, np.float16, None])
def test_dtypes(make, bad):
    with pytest.raises(TypeError, match=r"dtype must be np\.float32 or np\.float64, got .*Hint"):
        make(bad)


def test_the_real_number_check_is_written_once():
    """The library's numeric arguments all go through cnnlib._checks.check_real (issue 12: it was written 6 times)."""
    root = Path(cnnlib.__file__).parent
    users = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                   if "numbers.Real" in p.read_text() and str(p.relative_to(root)) != "checkpoint.py")
    assert users == ["_checks/scalars.py"], f"real-number checks outside cnnlib/_checks/scalars.py: {users}"
