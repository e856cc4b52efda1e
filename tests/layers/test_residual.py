"""Residual: y = block(x) + shortcut(x) by hand, both gradient paths, optimizer, modes, save/load, summary, errors."""
import json
import tracemalloc

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.checkpoint import ARCH_KEY
from cnnlib.gradcheck import check_layer
from cnnlib.layers import BatchNorm2D, Conv2D, Dense, Dropout, GlobalAvgPool2D, ReLU, Residual
from cnnlib.losses import CrossEntropy
from cnnlib.optim import SGD, Adam

RNG = np.random.default_rng(0)


def basic_block(C, seed=0, dtype=np.float32):
    """ResNet's basic block without the final ReLU: Conv-BN-ReLU-Conv-BN."""
    return [Conv2D(C, C, 3, padding=1, bias=False, seed=seed, dtype=dtype), BatchNorm2D(C, dtype=dtype), ReLU(),
            Conv2D(C, C, 3, padding=1, bias=False, seed=seed + 1, dtype=dtype), BatchNorm2D(C, dtype=dtype)]


def down_block(C_in, C_out, seed=0, dtype=np.float32):
    """A block that halves the size and changes the channels, with its 1x1 projection shortcut."""
    block = [Conv2D(C_in, C_out, 3, stride=2, padding=1, bias=False, seed=seed, dtype=dtype),
             BatchNorm2D(C_out, dtype=dtype), ReLU(),
             Conv2D(C_out, C_out, 3, padding=1, bias=False, seed=seed + 1, dtype=dtype),
             BatchNorm2D(C_out, dtype=dtype)]
    shortcut = Sequential([Conv2D(C_in, C_out, 1, stride=2, bias=False, seed=seed + 2, dtype=dtype),
                           BatchNorm2D(C_out, dtype=dtype)])
    return Residual(block, shortcut)


# -- by hand ------------------------------------------------------------------------------------------
def test_identity_shortcut_by_hand_forward_and_both_gradient_paths():
    res = Residual(ReLU())
    x = np.array([[-1.0, 2.0, -3.0, 4.0]])
    np.testing.assert_array_equal(res(x), [[-1.0, 4.0, -3.0, 8.0]])  # relu(x) + x
    dx = res.backward(np.array([[1.0, 1.0, 1.0, 1.0]]))
    np.testing.assert_array_equal(dx, [[1.0, 2.0, 1.0, 2.0]])  # identity path 1, plus 1 where the ReLU was open


def test_projection_shortcut_by_hand():
    block = Dense(2, 3, bias=False, dtype=np.float64)
    block.params["W"][...] = [[1, 0, 1], [0, 1, 1]]  # Dense's W is (in_features, out_features)
    proj = Dense(2, 3, bias=False, dtype=np.float64)
    proj.params["W"][...] = [[2, 0, 0], [0, 2, 0]]
    res = Residual(block, proj)
    np.testing.assert_array_equal(res(np.array([[1.0, 10.0]])), [[1 + 2, 10 + 20, 11 + 0]])
    dx = res.backward(np.array([[1.0, 0.0, 1.0]]))
    np.testing.assert_array_equal(dx, [[(1 + 1) + 2, (0 + 1) + 0]])  # W_block @ dout + W_proj @ dout
    np.testing.assert_array_equal(res.grads["block.0.W"], [[1, 0, 1], [10, 0, 10]])  # x.T @ dout
    np.testing.assert_array_equal(res.grads["shortcut.0.W"], [[1, 0, 1], [10, 0, 10]])
    assert res.grads["shortcut.0.W"] is proj.grads["W"]


# -- gradient checks ------------------------------------------------------------------------------------
@pytest.mark.parametrize("training", [True, False])
def test_gradient_check_basic_block_identity(training):
    res = Residual(basic_block(2, dtype=np.float64)).train(training)
    report = check_layer(res, RNG.standard_normal((3, 2, 4, 4)))
    assert set(report.entries) == {"x", "block.0.W", "block.1.gamma", "block.1.beta", "block.3.W", "block.4.gamma",
                                   "block.4.beta"}
    assert report.passed(1e-6), str(report)


def test_gradient_check_projection_shortcut_and_nested_residual():
    res = down_block(2, 3, dtype=np.float64)
    report = check_layer(res, RNG.standard_normal((2, 2, 6, 6)))
    assert {"shortcut.0.W", "shortcut.1.gamma"} <= set(report.entries) and report.passed(1e-6), str(report)
    nested = Residual([Conv2D(2, 2, 3, padding=1, dtype=np.float64, seed=0), ReLU(),
                       Residual([Conv2D(2, 2, 1, dtype=np.float64, seed=1)])])
    report = check_layer(nested, RNG.standard_normal((2, 2, 5, 5)))
    assert set(report.entries) == {"x", "block.0.W", "block.0.b", "block.2.block.0.W", "block.2.block.0.b"}
    assert report.passed(1e-6), str(report)


# -- a layer like the others: params, optimizer, modes, Sequential --------------------------------------------
def test_params_are_the_inner_layers_arrays_and_the_optimizer_updates_them():
    res = Residual(basic_block(4), shortcut=[Conv2D(4, 4, 1, seed=9)])
    conv = res.block[0]
    assert res.params["block.0.W"] is conv.params["W"]
    assert res.num_params() == 2 * (4 * 4 * 9) + 2 * 2 * 4 + (4 * 4 + 4)
    model = Sequential([res, GlobalAvgPool2D(), Dense(4, 3, seed=1)])
    opt = SGD(model, lr=0.1)
    assert len(opt.param_refs) == len(res.params) + 2
    x = RNG.standard_normal((8, 4, 5, 5)).astype(np.float32)
    loss = CrossEntropy()
    loss.forward(model(x), np.arange(8) % 3)
    model.backward(loss.backward())
    before = conv.params["W"].copy()
    opt.step()
    np.testing.assert_allclose(conv.params["W"], before - 0.1 * conv.grads["W"], rtol=1e-6)
    assert res.grads["block.0.W"] is conv.grads["W"]
    opt.zero_grad()
    assert not conv.grads["W"].any() and not res.grads["block.0.W"].any()


def test_train_and_eval_reach_the_layers_inside_and_fit_restores_them():
    res = Residual(basic_block(2), shortcut=[Conv2D(2, 2, 1), BatchNorm2D(2)])
    model = Sequential([res, Dropout(0.1)])
    model.eval()
    assert not res.training and all(not layer.training for _, layer in res.named_layers())
    model.train()
    assert all(layer.training for _, layer in res.named_layers())
    x = RNG.standard_normal((4, 2, 4, 4)).astype(np.float32)
    bn = res.block[1]
    res(x)
    moved = bn.running_mean.copy()
    res.eval()(x)
    np.testing.assert_array_equal(bn.running_mean, moved)  # eval: batch norm uses, and keeps, its running stats


def test_a_small_residual_network_learns():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1, 6, 6)).astype(np.float32)
    y = (x[:, 0, :3].mean(axis=(1, 2)) > x[:, 0, 3:].mean(axis=(1, 2))).astype(int)  # top half brighter?
    model = Sequential([Conv2D(1, 4, 3, padding=1, seed=0), ReLU(), Residual(basic_block(4, seed=1)), ReLU(),
                        down_block(4, 8, seed=3), ReLU(), GlobalAvgPool2D(), Dense(8, 2, seed=6)])
    history = model.fit(x, y, loss=CrossEntropy(), optimizer=Adam(model, lr=1e-2), epochs=8, batch_size=16,
                        progress=False)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]


# -- save / load, summary, repr ---------------------------------------------------------------------------
def _net(seed=0):
    return Sequential([Conv2D(1, 4, 3, padding=1, seed=seed), Residual(basic_block(4, seed=seed + 1)), ReLU(),
                       down_block(4, 8, seed=seed + 3), Residual([ReLU(), Residual(Conv2D(8, 8, 1, seed=seed + 6))]),
                       GlobalAvgPool2D(), Dense(8, 3, seed=seed + 7)])


def _trained(seed=0):
    model = _net(seed)
    for _ in range(2):
        model(RNG.standard_normal((4, 1, 8, 8)) * 2 + 1)  # moves batch norm's running statistics
    return model


def test_save_load_round_trip_nested_with_buffers(tmp_path):
    src = _trained()
    path = src.save(tmp_path / "resnet")
    with np.load(path, allow_pickle=False) as f:
        assert {"1.block.0.W", "1.block.1.running_var", "3.shortcut.0.W", "3.shortcut.1.running_mean",
                "4.block.1.block.0.W"} <= set(f.files)
    loaded = Sequential.load(path)
    assert repr(loaded) == repr(src)
    assert loaded[1].block[1].running_mean is loaded[1].named_buffers()[0][1]
    np.testing.assert_array_equal(loaded[3].shortcut[1].running_mean, src[3].shortcut[1].running_mean)
    x = RNG.standard_normal((3, 1, 8, 8)).astype(np.float32)
    np.testing.assert_array_equal(loaded.predict(x), src.predict(x))
    other = _net(seed=10)
    W = other[1].block[0].params["W"]
    other.load_weights(path)
    assert other[1].block[0].params["W"] is W, "loaded in place, into the inner layer's own array"
    np.testing.assert_array_equal(other.predict(x), src.predict(x))


def test_the_architecture_record_nests_the_inner_layers(tmp_path):
    path = _net().save(tmp_path / "resnet")
    with np.load(path, allow_pickle=False) as f:
        meta = json.loads(str(f[ARCH_KEY]))
    rec = meta["layers"][3]
    assert rec["type"] == "Residual" and rec["params"]["shortcut.0.W"] == [8, 4, 1, 1]
    assert [r["type"] for r in rec["config"]["block"]["layers"]] == ["Conv2D", "BatchNorm2D", "ReLU", "Conv2D",
                                                                   "BatchNorm2D"]
    assert [r["type"] for r in rec["config"]["shortcut"]["layers"]] == ["Conv2D", "BatchNorm2D"]
    assert meta["layers"][1]["config"]["shortcut"] is None


def test_a_crafted_inner_record_is_refused_before_building_it(tmp_path):
    path = Sequential([Residual(Dense(3, 2, seed=0))]).save(tmp_path / "res")
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    meta = json.loads(str(arrays[ARCH_KEY]))
    inner = meta["layers"][0]["config"]["block"]["layers"][0]
    inner["config"].update(in_features=100_000, out_features=200_000)  # 74.5 GiB of float32
    inner["params"]["W"] = [200_000, 100_000]
    arrays[ARCH_KEY] = np.array(json.dumps(meta))
    np.savez(tmp_path / "bad.npz", **arrays)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"layer 0 \(Residual\).*inner layers declare arrays "
                                             r"\[\(200000, 100000\)\] that the file does not hold"):
            Sequential.load(tmp_path / "bad.npz")
        assert tracemalloc.get_traced_memory()[1] < 50e6, "nothing huge was allocated"
    finally:
        tracemalloc.stop()
    meta["layers"][0]["config"]["block"]["layers"] = [{"type": "Dense"}]
    arrays[ARCH_KEY] = np.array(json.dumps(meta))
    np.savez(tmp_path / "bad2.npz", **arrays)
    with pytest.raises(ValueError, match=r"malformed architecture record: layer 0\.block\.0 has no 'repr'"):
        Sequential.load(tmp_path / "bad2.npz")


def test_summary_shows_the_block_indented_and_the_shortcut():
    s = _net().summary((1, 8, 8))
    assert [row[:2] for row in s.rows[1:5]] == [("Residual", (4, 8, 8)), ("ReLU", (4, 8, 8)),
                                               ("Residual", (8, 4, 4)), ("Residual", (8, 4, 4))]
    assert s.rows[3][2] == 8 * 4 * 9 + 8 * 8 * 9 + 8 * 4 + 3 * 2 * 8 == 944  # three convs, three batch norms
    assert s.inner_rows[3][-2:] == [("shortcut.0", "Conv2D", (8, 4, 4), 32), ("shortcut.1", "BatchNorm2D",
                                                                              (8, 4, 4), 16)]
    assert s.inner_rows[1][-1] == ("shortcut", "identity", (4, 8, 8), 0)
    assert s.inner_rows[4] == [("block.0", "ReLU", (8, 4, 4), 0), ("block.1", "Residual", (8, 4, 4), 72),
                               ("block.1.block.0", "Conv2D", (8, 4, 4), 72),
                               ("block.1.shortcut", "identity", (8, 4, 4), 0), ("shortcut", "identity", (8, 4, 4), 0)]
    assert s.total_params == _net().num_params() == sum(n for *_, n in s.rows)
    text = str(s)
    assert "\n     block.0: Conv2D" in text and "\n     shortcut: identity" in text
    assert "\n       block.1.block.0: Conv2D" in text
    assert "<td style='text-align:left; white-space:pre'>  block.0: Conv2D</td>" in s._repr_html_()


def test_repr_lists_the_inner_layers():
    assert repr(Residual(basic_block(4))) == (
        "Residual(\n"
        "  (block.0): Conv2D(4, 4, kernel_size=3, padding=1, bias=False)\n"
        "  (block.1): BatchNorm2D(4)\n"
        "  (block.2): ReLU()\n"
        "  (block.3): Conv2D(4, 4, kernel_size=3, padding=1, bias=False)\n"
        "  (block.4): BatchNorm2D(4)\n"
        "  (shortcut): identity\n"
        ")")
    model = Sequential([Residual(ReLU(), shortcut=Conv2D(2, 2, 1))])
    assert repr(model) == ("Sequential(\n  (0): Residual(\n    (block.0): ReLU()\n"
                           "    (shortcut.0): Conv2D(2, 2, kernel_size=1)\n  )\n)")


# -- errors -----------------------------------------------------------------------------------------------
def test_a_shape_mismatch_names_both_shapes_and_suggests_a_projection():
    res = Residual([Conv2D(4, 8, 3, stride=2, padding=1)])
    with pytest.raises(ValueError, match=r"block's output has shape \(2, 8, 3, 3\) but the identity shortcut "
                                         r"\(x itself\) gives \(2, 4, 6, 6\).*Hint: use a projection shortcut"):
        res(np.ones((2, 4, 6, 6)))
    with pytest.raises(ValueError, match=r"layer 0 \(Residual\) cannot take input shape \(4, 6, 6\).*: Residual: "
                                         r"the block's output has shape \(8, 3, 3\) .*gives \(4, 6, 6\).*projection"):
        Sequential([res]).summary((4, 6, 6))
    bad = Residual([Conv2D(4, 8, 3, stride=2, padding=1)], shortcut=Conv2D(4, 8, 1))
    with pytest.raises(ValueError, match=r"\(2, 8, 3, 3\) but the shortcut gives \(2, 8, 6, 6\)"):
        bad(np.ones((2, 4, 6, 6)))


def test_errors_inside_the_block_name_the_inner_layer():
    model = Sequential([Residual([ReLU(), Conv2D(3, 3, 3, padding=1)])])
    with pytest.raises(ValueError, match=r"layer 0 \(Residual\) forward: block\.1 \(Conv2D\) forward: "
                                         r"Conv2D\(in_channels=3\) got an input with 2 channels"):
        model(np.ones((1, 2, 4, 4)))
    with pytest.raises(ValueError, match=r"block\.1 \(Conv2D\) cannot take input shape \(2, 4, 4\)"):
        model.summary((2, 4, 4))


@pytest.mark.parametrize("args, error, pattern", [
    ((3,), TypeError, r"Residual block must be a Layer, a list of layers or a Sequential, got 3 of type int"),
    (([],), ValueError, r"Residual block is empty, got \[\]"),
    ((ReLU(), []), ValueError, r"Residual shortcut is empty.*leave shortcut out \(None\) for the identity"),
    (([ReLU, ReLU()],), TypeError, r"Residual block\[0\] must be a Layer, got .*Hint: create an instance, e\.g\. "
                                   r"ReLU\(\.\.\.\)"),
])
def test_bad_arguments(args, error, pattern):
    with pytest.raises(error, match=pattern):
        Residual(*args)


def test_a_layer_reused_inside_a_nested_block_is_refused():
    """One Conv2D in two places, one of them inside a Residual, overwrote its own cache: wrong grads, no error."""
    conv = Conv2D(2, 2, 3, padding=1)
    with pytest.raises(ValueError, match=r"Sequential layers\[2\]\.block\.0 is the same Conv2D object as "
                                         r"layers\[0\].*nested blocks included"):
        Sequential([conv, ReLU(), Residual([conv])])
    with pytest.raises(ValueError, match=r"layers\[1\]\.block\.0 is the same Conv2D object as layers\[0\]\.block\.0"):
        Sequential([Residual([conv, ReLU()]), Residual([conv])])
    with pytest.raises(ValueError, match=r"Residual block\.1 is the same Conv2D object as block\.0\.block\.0"):
        Residual([Residual([conv]), conv])
    inner = Residual([Conv2D(2, 2, 3, padding=1)])
    Sequential([Residual([inner, ReLU()]), Residual([Conv2D(2, 2, 3, padding=1)])])  # distinct layers: fine


def test_a_layer_used_twice_and_backward_before_forward():
    relu = ReLU()
    with pytest.raises(ValueError, match=r"Residual shortcut\.0 is the same ReLU object as block\.0.*new instance"):
        Residual(relu, relu)
    res = Residual(ReLU())
    with pytest.raises(RuntimeError, match=r"Residual.backward\(\) was called before forward\(\)"):
        res.backward(np.ones((1, 2)))
    res(np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"got dout of shape \(1, 3\), expected \(1, 2\)"):
        res.backward(np.ones((1, 3)))
    res.requires_input_grad = False
    assert res.backward(np.ones((1, 2))) is None
