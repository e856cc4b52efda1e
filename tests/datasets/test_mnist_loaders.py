"""load_fashion_mnist / load_mnist on the real Fashion-MNIST files, wherever the loader finds them.

`make test` provides Fashion-MNIST in one of the places the loader looks ($CNNLIB_DATA, the cache, Debian's
package directory); it cannot provide MNIST, so nothing here needs MNIST's files.
"""
import numpy as np
import pytest

from cnnlib.datasets import FASHION_MNIST, FASHION_MNIST_CLASSES, MNIST, MNIST_CLASSES, load_fashion_mnist, load_mnist
from cnnlib.datasets.mnist import find_local

FASHION_DIR = find_local(FASHION_MNIST)  # looked up before the tests isolate the environment (conftest.py)


@pytest.fixture
def fashion_dir():
    if FASHION_DIR is None:
        pytest.skip("Fashion-MNIST not found where the loader looks; `make test` fetches it")
    return FASHION_DIR


@pytest.mark.parametrize("split, n", [("train", 60_000), ("test", 10_000)])
def test_real_fashion_mnist(fashion_dir, split, n):
    x, y = load_fashion_mnist(split, data_dir=fashion_dir, download=False)
    assert x.shape == (n, 1, 28, 28) and x.dtype == np.float32
    assert x.min() == 0.0 and x.max() == 1.0
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.bincount(y, minlength=10).tolist() == [n // 10] * 10, "the classes are balanced"


def test_real_fashion_mnist_unnormalized(fashion_dir):
    x, y = load_fashion_mnist("test", data_dir=fashion_dir, download=False, normalize=False)
    assert x.dtype == np.uint8 and x.max() == 255
    assert FASHION_MNIST_CLASSES[y[0]] == "Ankle boot", "the first test image is an ankle boot"


def test_class_names_and_pins():
    assert len(FASHION_MNIST_CLASSES) == 10 and FASHION_MNIST_CLASSES[0] == "T-shirt/top"
    assert MNIST_CLASSES == tuple("0123456789")
    for spec in (FASHION_MNIST, MNIST):
        assert sorted(spec.files) == sorted(n for pair in spec.splits.values() for n in pair)
        assert all(len(digest) == 64 for _, digest in spec.files.values())


def test_no_mnist_offline_names_the_cache_and_the_mirror_variable(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"(?s)MNIST \(test\) not found.*xdg/cnnlib/mnist  \(cache\).*download=True"):
        load_mnist("test", download=False)
