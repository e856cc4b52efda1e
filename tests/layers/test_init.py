"""Starting weights: He normal (default) and PyTorch's uniform, checked by their statistics and against torch."""
import numpy as np
import pytest

from cnnlib.layers import Conv2D, Dense
from cnnlib.networks import fashion_mnist_cnn


@pytest.mark.parametrize("make, fan_in", [(lambda **k: Conv2D(16, 64, 3, **k), 16 * 9),
                                          (lambda **k: Dense(400, 300, **k), 400)])
def test_both_schemes_have_the_documented_spread(make, fan_in):
    he, uniform = make(seed=0), make(seed=0, init="uniform")
    assert he.params["W"].std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.05)
    assert not he.params["b"].any()  # He: biases start at zero
    bound = 1 / np.sqrt(fan_in)
    for name in ("W", "b"):
        values = uniform.params[name]
        assert values.dtype == np.float32 and np.abs(values).max() <= bound
    assert uniform.params["W"].std() == pytest.approx(bound / np.sqrt(3), rel=0.05)
    assert uniform.params["b"].std() > 0


def test_the_default_is_he_and_a_seed_fixes_the_weights():
    np.testing.assert_array_equal(Dense(5, 3, seed=2).params["W"], Dense(5, 3, seed=2, init="he").params["W"])
    np.testing.assert_array_equal(Conv2D(1, 2, 3, seed=4, init="uniform").params["W"],
                                  Conv2D(1, 2, 3, seed=4, bias=False, init="uniform").params["W"])
    assert repr(Dense(5, 3, init="uniform")) == "Dense(in_features=5, out_features=3, init='uniform')"
    assert repr(Conv2D(1, 2, 3, init="uniform")) == "Conv2D(1, 2, kernel_size=3, init='uniform')"
    kinds = {layer.init for layer in fashion_mnist_cnn(init="uniform").layers if hasattr(layer, "init")}
    assert kinds == {"uniform"}


@pytest.mark.parametrize("make", [lambda: Dense(3, 2, init="xavier"), lambda: Conv2D(1, 1, 3, init=None)])
def test_an_unknown_scheme_is_explained(make):
    with pytest.raises(ValueError, match=r"init must be one of \('he', 'uniform'\), got .*PyTorch's default"):
        make()


def test_uniform_matches_pytorchs_default_distribution():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    pairs = [(Conv2D(32, 64, 3, init="uniform", seed=0), torch.nn.Conv2d(32, 64, 3), 32 * 9),
             (Dense(400, 300, init="uniform", seed=0), torch.nn.Linear(400, 300), 400)]
    for ours, theirs, fan_in in pairs:
        bound = 1 / np.sqrt(fan_in)
        for name, tensor in (("W", theirs.weight), ("b", theirs.bias)):
            mine, torch_values = ours.params[name], tensor.detach().numpy()
            for values in (mine, torch_values):  # both fill (-bound, bound)
                assert np.abs(values).max() <= bound + 1e-7 and np.abs(values).max() > 0.9 * bound
            if name == "W":  # thousands of draws: the spreads agree
                assert mine.std() == pytest.approx(torch_values.std(), rel=0.05)
