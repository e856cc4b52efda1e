"""Fixtures shared by the unit tests."""
import pytest

from cnnlib.datasets import load_fashion_mnist


@pytest.fixture(scope="session")
def fashion_test_set():
    """Fashion-MNIST's 10,000 test images and labels; a skip (a failure under make test) when they are not installed."""
    try:
        return load_fashion_mnist("test", download=False, progress=False)
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST not found where the loader looks; `make test` fetches it")
