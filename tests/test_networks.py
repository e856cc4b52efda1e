import stat

import numpy as np
import pytest

from cnnlib.layers import BatchNorm1D, BatchNorm2D, Conv2D, Dense, Dropout, GlobalAvgPool2D, Residual
from cnnlib.losses import CrossEntropy
from cnnlib.networks import (PRETRAINED_RESNET, PRETRAINED_RESNET_TEST_ACCURACY, cifar_cnn, fashion_mnist_cnn,
                             fashion_mnist_resnet)
from cnnlib.optim import SGD


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


def test_fashion_mnist_resnet_shapes_and_parameter_count():
    model = fashion_mnist_resnet((24, 48), (1, 1), seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "BatchNorm2D", "ReLU", "MaxPool2D", "Residual", "ReLU", "Residual", "ReLU",
                     "GlobalAvgPool2D", "Dense"]
    s = model.summary((1, 28, 28))
    assert [shape for _, shape, _ in s.rows if len(shape) == 3][:4] == [(24, 28, 28)] * 3 + [(24, 14, 14)]
    assert model.output_shape((1, 28, 28)) == (10,)
    first, second = model.layers[4], model.layers[6]
    assert first.shortcut is None  # identity at 14x14
    assert [type(layer).__name__ for layer in second.shortcut] == ["Conv2D", "BatchNorm2D"]  # 1x1 projection
    assert second.shortcut[0].stride == (2, 2) and second.block[0].stride == (2, 2)
    assert second.output_shape((24, 14, 14)) == (48, 7, 7)
    # stem 9*24 + BN 48; block 2*(24*24*9 + 48); second block 24*48*9 + 96 + 48*48*9 + 96 + 24*48 + 96; Dense 48*10+10
    expected = 216 + 48 + 2 * (5184 + 48) + (10368 + 96 + 20736 + 96 + 1152 + 96) + 490
    assert model.num_params() == s.total_params == expected == 43_762
    assert fashion_mnist_resnet().num_params() == 43_762  # the default is channels (24, 48)
    assert fashion_mnist_resnet((32, 64)).num_params() == 77_290
    assert isinstance(model.layers[8], GlobalAvgPool2D) and isinstance(first, Residual)
    assert not any(layer.bias for layer in model.layers if isinstance(layer, Conv2D))  # BN's beta replaces it
    out = model(np.random.default_rng(0).random((3, 1, 28, 28), dtype=np.float32))
    assert out.shape == (3, 10) and np.isfinite(out).all()


def test_fashion_mnist_resnet_deeper_stages_and_seeds():
    deeper = fashion_mnist_resnet((8, 16), (2, 2), seed=1)
    assert [type(layer).__name__ for layer in deeper.layers].count("Residual") == 4
    assert deeper.layers[10].shortcut is None  # the second 7x7 block keeps the shape: identity
    assert deeper.output_shape((1, 28, 28)) == (10,)
    a, b, c = (fashion_mnist_resnet((8, 16), seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a.layers[6].params["block.0.W"], b.layers[6].params["block.0.W"])
    assert not np.array_equal(a.layers[6].params["block.0.W"], c.layers[6].params["block.0.W"])
    with pytest.raises(TypeError, match=r"channels must be a pair .* or a triple .*, got 32. Hint: channels=\(24, 48\)"):
        fashion_mnist_resnet(32)
    with pytest.raises(TypeError, match=r"blocks must be a pair .* got \(1, 1, 1, 1\)"):
        fashion_mnist_resnet((8, 16, 32), (1, 1, 1, 1))
    with pytest.raises(ValueError, match=r"blocks\[1\] must be >= 1, got 0"):
        fashion_mnist_resnet(blocks=(1, 0))
    with pytest.raises(ValueError, match=r"blocks needs one count per stage of channels=\(8, 16, 32\), got "
                                         r"blocks=\(1, 1\). Hint: blocks=\(1, 1, 1\)"):
        fashion_mnist_resnet((8, 16, 32))


def test_fashion_mnist_resnet_third_stage_at_4x4():
    model = fashion_mnist_resnet((24, 48, 96), (1, 1, 1), seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "BatchNorm2D", "ReLU", "MaxPool2D"] + ["Residual", "ReLU"] * 3 + \
        ["GlobalAvgPool2D", "Dense"]
    third = model.layers[8]
    assert third.block[0].stride == (2, 2) and [type(x).__name__ for x in third.shortcut] == ["Conv2D", "BatchNorm2D"]
    assert third.output_shape((48, 7, 7)) == (96, 4, 4)  # (7 + 2*1 - 3) // 2 + 1 = 4
    # the two-stage network, plus a 4x4 block 48 -> 96 (3x3 convs, BNs, 1x1 projection + BN), Dense 96 -> 10
    two_stage = 43_762 - (48 * 10 + 10)
    third_block = 48 * 96 * 9 + 2 * 96 + 96 * 96 * 9 + 2 * 96 + 48 * 96 + 2 * 96
    assert model.num_params() == two_stage + third_block + 96 * 10 + 10 == 173_842
    out = model(np.random.default_rng(0).random((2, 1, 28, 28), dtype=np.float32))
    assert out.shape == (2, 10) and np.isfinite(out).all()
    # the first two stages draw the same seeds as the two-stage network: adding a stage changes no weight
    two = fashion_mnist_resnet((24, 48), (1, 1), seed=0)
    np.testing.assert_array_equal(model.layers[6].params["block.0.W"], two.layers[6].params["block.0.W"])


def test_fashion_mnist_resnet_one_step_reduces_the_loss():
    rng = np.random.default_rng(0)
    x, y = rng.random((16, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 16)
    model = fashion_mnist_resnet((8, 16), seed=0).train()
    loss, opt = CrossEntropy(), SGD(model, lr=0.05, momentum=0.9)
    before = float(loss.forward(model.forward(x), y))
    model.backward(loss.backward())
    grads = [layer.grads for layer in model.layers if layer.params]
    assert all(set(g) == set(layer.params) for g, layer in zip(grads, (m for m in model.layers if m.params)))
    opt.step()
    after = float(loss.forward(model.forward(x), y))
    assert after < before - 0.02, (before, after)  # 2.460 -> 2.416 with these seeds


def test_pretrained_resnet_scores_what_the_benchmark_table_says(fashion_test_set):
    model = fashion_mnist_resnet(pretrained=True)
    x, y = fashion_test_set
    # 0.9220 in benchmarks/resnet_fashion_mnist.md; another CPU's BLAS may round a few borderline images apart
    assert model.evaluate(x, y)["accuracy"] == pytest.approx(PRETRAINED_RESNET_TEST_ACCURACY, abs=2e-3)


def test_pretrained_resnet_is_trained_shipped_and_readable():
    trained, fresh = fashion_mnist_resnet(pretrained=True), fashion_mnist_resnet()
    assert [type(layer) for layer in trained.layers] == [type(layer) for layer in fresh.layers]
    stem = trained.layers[1]  # BatchNorm2D: running statistics moved away from (0, 1) during training
    assert not np.allclose(stem.running_mean, 0) and not np.allclose(stem.running_var, 1)
    assert not np.allclose(trained.layers[0].params["W"], fresh.layers[0].params["W"])
    assert fashion_mnist_resnet(seed=5, pretrained=True).layers[0].params["W"].tobytes() == \
        trained.layers[0].params["W"].tobytes()  # the seed does not matter: every array is loaded
    assert PRETRAINED_RESNET.stat().st_mode & stat.S_IROTH, "other users (a class on one hub) must read it"
    # tests/test_packaging.py checks that pyproject.toml puts the file in the wheel


def test_pretrained_resnet_refuses_other_networks_and_non_bools():
    with pytest.raises(ValueError, match=r"pretrained=True has weights only for .*channels': \(24, 48\).*got "
                                         r".*channels': \(16, 32\).*Hint: .*--save-weights"):
        fashion_mnist_resnet(channels=(16, 32), pretrained=True)
    with pytest.raises(ValueError, match=r"got .*num_classes': 5"):
        fashion_mnist_resnet(num_classes=5, pretrained=True)
    with pytest.raises(TypeError, match=r"pretrained must be True or False, got 'yes'"):
        fashion_mnist_resnet(pretrained="yes")


def test_resnet_names_its_own_arguments_in_errors():
    """Not Dense's out_features: the argument the student passed, with a hint."""
    from cnnlib.networks import fashion_mnist_resnet

    with pytest.raises(ValueError, match=r"num_classes must be >= 1, got 0\. Hint: use num_classes=1"):
        fashion_mnist_resnet(num_classes=0)
    with pytest.raises(TypeError, match=r"num_classes must be an integer, got 10\.0 .*Hint: write num_classes=10"):
        fashion_mnist_resnet(num_classes=10.0)
    with pytest.raises(TypeError, match=r"in_channels must be an integer, got '3'"):
        fashion_mnist_resnet(in_channels="3")
