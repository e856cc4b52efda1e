import numpy as np
import pytest

from cnnlib.layers import BatchNorm2D, Conv2D, Dropout
from cnnlib.models import cifar_cnn, fashion_mnist_cnn


def param_counts(model):
    return [layer.num_params() for layer in model.layers if layer.num_params()]


def test_cifar_cnn_matches_the_keras_reference_counts_and_shapes():
    model = cifar_cnn()
    assert param_counts(model) == [896, 18_496, 36_928, 65_600, 650]
    s = model.summary((3, 32, 32))
    assert [shape for _, shape, _ in s.rows] == [
        (32, 30, 30), (32, 30, 30), (32, 15, 15), (64, 13, 13), (64, 13, 13), (64, 6, 6), (64, 4, 4), (64, 4, 4),
        (1024,), (64,), (64,), (10,)]
    assert model(np.zeros((2, 3, 32, 32), dtype=np.float32)).shape == (2, 10)


def test_fashion_mnist_cnn_variants():
    plain = fashion_mnist_cnn()
    assert param_counts(plain) == [320, 18_496, 204_928, 1_290]
    bn = fashion_mnist_cnn(batchnorm=True, dropout=0.3)
    kinds = [type(layer).__name__ for layer in bn.layers]
    assert kinds == ["Conv2D", "BatchNorm2D", "ReLU", "MaxPool2D", "Conv2D", "BatchNorm2D", "ReLU", "MaxPool2D",
                     "Flatten", "Dropout", "Dense", "ReLU", "Dropout", "Dense"]
    assert not any(layer.bias for layer in bn.layers if isinstance(layer, Conv2D))  # BN's beta replaces it
    assert bn.output_shape((1, 28, 28)) == (10,)
    assert [layer.p for layer in bn.layers if isinstance(layer, Dropout)] == [0.3, 0.3]
    assert sum(isinstance(layer, BatchNorm2D) for layer in bn.layers) == 2


def test_seed_makes_the_weights_reproducible():
    a, b, c = fashion_mnist_cnn(seed=1), fashion_mnist_cnn(seed=1), fashion_mnist_cnn(seed=2)
    np.testing.assert_array_equal(a.layers[0].params["W"], b.layers[0].params["W"])
    assert not np.array_equal(a.layers[0].params["W"], c.layers[0].params["W"])
    # The same weights with or without BatchNorm/dropout: a fair comparison.
    np.testing.assert_array_equal(a.layers[-1].params["W"], fashion_mnist_cnn(True, 0.5, seed=1).layers[-1].params["W"])


def test_hidden_dropout_alone():
    model = fashion_mnist_cnn(hidden_dropout=0.5)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("Dropout") == 1 and kinds[-2] == "Dropout" and model.layers[-2].p == 0.5
    both = fashion_mnist_cnn(dropout=0.2, hidden_dropout=0.4)
    assert [layer.p for layer in both.layers if isinstance(layer, Dropout)] == [0.2, 0.4]
    with pytest.raises(ValueError, match=r"dropout must be a probability in \[0, 1\), got -0.1"):
        fashion_mnist_cnn(hidden_dropout=-0.1)


def test_bad_dropout_is_explained():
    with pytest.raises(ValueError, match=r"dropout must be a probability in \[0, 1\), got 1.5"):
        fashion_mnist_cnn(dropout=1.5)
