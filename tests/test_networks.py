import numpy as np
import pytest

from cnnlib.layers import BatchNorm1D, BatchNorm2D, Conv2D, Dense, Dropout
from cnnlib.networks import cifar_cnn, fashion_mnist_cnn


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


def test_dense_batchnorm_sits_between_the_hidden_dense_and_its_relu():
    model = fashion_mnist_cnn(batchnorm=True, dense_batchnorm=True)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds[8:] == ["Flatten", "Dense", "BatchNorm1D", "ReLU", "Dense"]
    hidden, bn = model.layers[9], model.layers[10]
    assert not hidden.bias and "b" not in hidden.params  # BN's beta replaces the bias
    assert isinstance(bn, BatchNorm1D) and bn.num_features == 128
    # conv weights, BN2D gamma+beta, conv weights, BN2D, Dense(1600, 128) weights only, BN1D, last Dense
    assert param_counts(model) == [288, 64, 18_432, 128, 204_800, 256, 1_290]
    # Same starting weights as without it, so the two can be compared.
    np.testing.assert_array_equal(hidden.params["W"], fashion_mnist_cnn(batchnorm=True).layers[9].params["W"])
    model.train()
    out = model(np.random.default_rng(0).random((4, 1, 28, 28), dtype=np.float32))
    assert out.shape == (4, 10) and np.isfinite(out).all()
    assert sum(isinstance(layer, Dense) and layer.bias for layer in model.layers) == 1


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


def test_batchnorm_switches_must_be_booleans():
    with pytest.raises(TypeError, match=r"dense_batchnorm must be True or False, got 'yes'"):
        fashion_mnist_cnn(dense_batchnorm="yes")
    with pytest.raises(TypeError, match=r"batchnorm must be True or False, got 1"):
        fashion_mnist_cnn(batchnorm=1)


def test_bad_dropout_is_explained():
    with pytest.raises(ValueError, match=r"dropout must be a probability in \[0, 1\), got 1.5"):
        fashion_mnist_cnn(dropout=1.5)
