"""load_fashion_mnist / load_mnist on the real files (Debian's dataset-fashion-mnist) when installed."""
from pathlib import Path

import numpy as np
import pytest

from cnnlib.datasets import FASHION_MNIST, FASHION_MNIST_CLASSES, MNIST, MNIST_CLASSES, load_fashion_mnist, load_mnist

DEBIAN = Path("/usr/share/datasets/fashion-mnist")
needs_debian = pytest.mark.skipif(not DEBIAN.exists(), reason="Debian package dataset-fashion-mnist not installed")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CNNLIB_DATA", raising=False)
    monkeypatch.delenv("CNNLIB_MIRROR", raising=False)


@needs_debian
@pytest.mark.parametrize("split, n", [("train", 60_000), ("test", 10_000)])
def test_real_fashion_mnist_from_the_system_copy(split, n):
    x, y = load_fashion_mnist(split, download=False)
    assert x.shape == (n, 1, 28, 28) and x.dtype == np.float32
    assert x.min() == 0.0 and x.max() == 1.0
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.bincount(y, minlength=10).tolist() == [n // 10] * 10, "the classes are balanced"


@needs_debian
def test_real_fashion_mnist_unnormalized_from_a_data_dir():
    x, y = load_fashion_mnist("test", data_dir=DEBIAN, download=False, normalize=False)
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
