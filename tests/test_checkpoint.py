"""Sequential.save / load_weights / load: round trips, buffers, mismatches and no pickles."""
import json
import zipfile

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.checkpoint import ARCH_KEY, layer_config
from cnnlib.layers import BatchNorm1D, Dense, Dropout, Flatten, Layer, LeakyReLU, ReLU


def _model(seed=0, hidden=8, dtype=np.float32):
    return Sequential([
        Flatten(), Dense(12, hidden, seed=seed, dtype=dtype), BatchNorm1D(hidden, momentum=0.3, dtype=dtype),
        LeakyReLU(0.2), Dropout(0.25), Dense(hidden, 3, seed=seed + 1, bias=False, dtype=dtype),
    ])


def _trained(seed=0, **kw):
    """A model whose batch-norm running statistics have moved away from 0 and 1."""
    model = _model(seed, **kw)
    rng = np.random.default_rng(seed)
    for _ in range(3):
        model(rng.standard_normal((16, 3, 2, 2)) * 3 + 1)
    return model


def _state(model):
    return {f"{i}.{k}": v.copy() for i, layer in enumerate(model.layers)
            for k, v in [*layer.params.items(), ("running_mean", getattr(layer, "running_mean", None)),
                         ("running_var", getattr(layer, "running_var", None))] if v is not None}


def test_save_and_load_weights_round_trip_including_buffers(tmp_path):
    src = _trained(seed=0)
    assert not np.allclose(src[2].running_mean, 0), "the buffers moved, so the test can see them"
    path = src.save(tmp_path / "net")
    assert path == tmp_path / "net.npz" and path.exists()
    with np.load(path, allow_pickle=False) as f:
        assert {"1.W", "1.b", "2.gamma", "2.beta", "2.running_mean", "2.running_var", "5.W", ARCH_KEY} == set(f.files)
    dst = _model(seed=7)
    W_before = dst[1].params["W"]
    assert dst.load_weights(path) is dst
    for key, value in _state(src).items():
        np.testing.assert_array_equal(_state(dst)[key], value, err_msg=key)
    assert dst[1].params["W"] is W_before, "loaded in place: optimizers holding the arrays see the new values"
    x = np.random.default_rng(1).standard_normal((5, 3, 2, 2))
    np.testing.assert_array_equal(dst.predict(x), src.predict(x))


def test_load_rebuilds_the_architecture(tmp_path):
    src = _trained(seed=0, dtype=np.float64)
    model = Sequential.load(src.save(tmp_path / "net.npz"))
    assert repr(model) == repr(src)
    assert model[1].params["W"].dtype == np.float64
    x = np.random.default_rng(1).standard_normal((5, 3, 2, 2))
    np.testing.assert_array_equal(model.predict(x), src.predict(x))


def test_layer_config_reads_constructor_arguments_back():
    assert layer_config(Dense(4, 2, bias=False, dtype=np.float64)) == {
        "in_features": 4, "out_features": 2, "bias": False, "dtype": "float64", "init": "he"}
    assert layer_config(Dropout(0.3, seed=1)) == {"p": 0.3}, "the seed is not kept (a Generator is not JSON)"

    class NeedsAFunction(Layer):
        def __init__(self, fn):
            super().__init__()
            self.fn = fn

    assert layer_config(NeedsAFunction(np.tanh)) is None


def test_load_refuses_a_layer_it_cannot_rebuild(tmp_path):
    class Custom(ReLU):
        pass

    path = Sequential([Dense(2, 2), Custom()]).save(tmp_path / "custom.npz")
    with pytest.raises(ValueError, match=r"layer 1 \(Custom\).*not a cnnlib\.layers class.*load_weights"):
        Sequential.load(path)
    Sequential([Dense(2, 2), Custom()]).load_weights(path)  # the documented way still works


@pytest.mark.parametrize(
    "other, pattern",
    [
        (lambda: _model(hidden=16), r"layer 1 Dense param W: file has \(12, 8\), model has \(12, 16\)"),
        (lambda: Sequential(_model().layers[:-1]), r"file has 6 layers, model has 5"),
        (lambda: Sequential([Flatten(), Dense(12, 8), ReLU()]), r"layer 2: file has BatchNorm1D, model has ReLU"),
        (lambda: Sequential(_model().layers[:-1] + [Dense(8, 3)]), r"layer 5 Dense: file has params \['W'\], model has \['W', 'b'\]"),
    ],
)
def test_loading_into_a_different_model_names_the_first_mismatch(tmp_path, other, pattern):
    path = _trained().save(tmp_path / "net.npz")
    model = other()
    before = _state(model)
    with pytest.raises(ValueError, match=r"Cannot load .*net\.npz into this model: " + pattern + r".*Sequential\.load"):
        model.load_weights(path)
    for key, value in before.items():
        np.testing.assert_array_equal(_state(model)[key], value, err_msg="nothing is loaded on a mismatch")


def test_pickled_objects_are_refused(tmp_path):
    path = _model().save(tmp_path / "net.npz")
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    arrays["1.W"] = np.array([object()] * 96, dtype=object).reshape(12, 8)
    evil = tmp_path / "evil.npz"
    np.savez(evil, **arrays)  # numpy pickles object arrays
    with pytest.raises(ValueError, match=r"holds pickled objects.*allow_pickle=False"):
        _model().load_weights(evil)


def test_files_that_are_not_model_files(tmp_path):
    np.savez(tmp_path / "plain.npz", W=np.zeros(3))
    with pytest.raises(ValueError, match=r"not a cnnlib model file: it has no '__architecture__' entry"):
        _model().load_weights(tmp_path / "plain.npz")
    path = _model().save(tmp_path / "net.npz")
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    del arrays["5.W"]
    np.savez(tmp_path / "damaged.npz", **arrays)
    with pytest.raises(ValueError, match=r"damaged: array '5\.W' is missing"):
        _model().load_weights(tmp_path / "damaged.npz")


def test_the_architecture_is_plain_json(tmp_path):
    path = _model().save(tmp_path / "net.npz")
    with zipfile.ZipFile(path) as z:
        assert all(name.endswith(".npy") for name in z.namelist())
    with np.load(path, allow_pickle=False) as f:
        meta = json.loads(str(f[ARCH_KEY]))
    assert [r["type"] for r in meta["layers"]] == ["Flatten", "Dense", "BatchNorm1D", "LeakyReLU", "Dropout", "Dense"]
    assert meta["layers"][1]["params"] == {"W": [12, 8], "b": [8]}
    assert meta["layers"][2]["buffers"] == {"running_mean": [8], "running_var": [8]}


def test_save_leaves_no_temporary_files(tmp_path):
    _model().save(tmp_path / "a.npz")
    _model().save(tmp_path / "a.npz")  # overwrite
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz"]


def _conv_net(c1=32):
    from cnnlib.layers import BatchNorm2D, Conv2D, MaxPool2D

    return Sequential([Conv2D(1, c1, 3, padding="same", seed=0), BatchNorm2D(c1), ReLU(), MaxPool2D(2),
                       Flatten(), Dense(c1 * 4 * 4, 10, seed=1)])


def test_conv_net_round_trip_with_batch_norm_buffers(tmp_path):
    src = _conv_net()
    x = np.random.default_rng(0).random((8, 1, 8, 8)).astype(np.float32)
    src(x)  # moves the running statistics
    path = src.save(tmp_path / "conv.npz")
    for model in (_conv_net().load_weights(path), Sequential.load(path)):
        np.testing.assert_array_equal(model[1].running_var, src[1].running_var)
        np.testing.assert_array_equal(model.predict(x), src.predict(x))


def test_loading_a_conv_net_with_other_widths_names_the_parameter(tmp_path):
    path = _conv_net(c1=16).save(tmp_path / "small.npz")
    with pytest.raises(ValueError, match=r"layer 0 Conv2D param W: file has \(16, 1, 3, 3\), model has \(32, 1, 3, 3\)"):
        _conv_net(c1=32).load_weights(path)
