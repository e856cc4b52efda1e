"""Bad input, class 4: model files that are damaged, crafted or cannot be written.

``Sequential.load``/``load_weights``/``checkpoint.read`` raise a ``ValueError``
that names the file and what is wrong with it (a missing path is a
``FileNotFoundError`` naming it). Every size, key and dtype is checked from the
file's headers before an array is read or a layer is built, so a crafted file
cannot make loading allocate gigabytes. ``save`` writes files other users can
read (``0o666`` less the umask, as ``open()`` would) and names the path when it
cannot write there.
"""
import io
import json
import os
import stat
import tracemalloc
import zipfile

import numpy as np
import pytest

from cnnlib import Sequential, checkpoint
from cnnlib.checkpoint import ARCH_KEY
from cnnlib.layers import BatchNorm1D, Dense, Flatten, ReLU


def _model():
    return Sequential([Flatten(), Dense(12, 8, seed=0), BatchNorm1D(8), ReLU(), Dense(8, 3, seed=1)])


def _arrays(path):
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def _meta(arrays):
    return json.loads(str(arrays[ARCH_KEY]))


def _write(path, arrays, meta=None):
    if meta is not None:
        arrays = {**arrays, ARCH_KEY: np.array(json.dumps(meta))}
    np.savez(path, **arrays)
    return path


@pytest.fixture
def saved(tmp_path):
    return _model().save(tmp_path / "net.npz")


def _both(path):
    """Both ways in: rebuilding from the file, and loading into a model built in code."""
    return [lambda: Sequential.load(path), lambda: _model().load_weights(path), lambda: checkpoint.read(path)]


def _refused(path, pattern, error=ValueError):
    for load in _both(path):
        with pytest.raises(error, match=pattern) as info:
            load()
        assert str(path) in str(info.value), f"the message names the file: {info.value}"


# -- files that are not (complete) model files ----------------------------------------------------------
def test_a_path_that_does_not_exist(tmp_path):
    _refused(tmp_path / "nope.npz", r"No model file at .*nope\.npz", FileNotFoundError)


def test_a_directory(tmp_path):
    (tmp_path / "dir.npz").mkdir()
    _refused(tmp_path / "dir.npz", r"is a directory, not a model file")


def test_an_empty_file(tmp_path):
    (tmp_path / "empty.npz").write_bytes(b"")
    _refused(tmp_path / "empty.npz", r"is empty \(0 bytes\).*save the model again")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.99])
def test_a_truncated_file(saved, keep):
    data = saved.read_bytes()
    saved.write_bytes(data[: int(len(data) * keep)])
    _refused(saved, r"is truncated or damaged.*save the model again")


def test_damaged_compressed_data(saved):
    data = bytearray(saved.read_bytes())
    with zipfile.ZipFile(saved) as z:
        info = z.getinfo("1.W.npy")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)  # the member's compressed bytes
    for i in range(start + 20, start + 60):
        data[i] ^= 0xFF
    saved.write_bytes(bytes(data))
    _refused(saved, r"damaged: array '1\.W' cannot be read")


@pytest.mark.parametrize("content, pattern", [
    (b"hello, I am a text file\n", r"not an \.npz model file: it starts with b'hello"),
    (None, r"a single \.npy array, not an \.npz model file"),
])
def test_files_that_are_not_zip_files(tmp_path, content, pattern):
    path = tmp_path / "other.npz"
    if content is None:
        np.save(path, np.zeros(3))
        os.replace(str(path) + ".npy", path)
    else:
        path.write_bytes(content)
    _refused(path, pattern)


def test_a_zip_member_that_is_not_an_array(saved):
    with zipfile.ZipFile(saved, "a") as z:
        z.writestr("notes.txt", "hello")
    _refused(saved, r"holds 'notes\.txt', which is not a numpy array")


# -- the architecture record -----------------------------------------------------------------------------
def test_malformed_json(saved, tmp_path):
    arrays = _arrays(saved)
    arrays[ARCH_KEY] = np.array('{"format": "cnnlib.Sequential/1", "layers": [')
    _refused(_write(tmp_path / "bad.npz", arrays), r"architecture record is not valid JSON")


def test_an_architecture_record_that_is_not_text(saved, tmp_path):
    arrays = _arrays(saved)
    arrays[ARCH_KEY] = np.zeros(3)
    _refused(_write(tmp_path / "bad.npz", arrays), r"architecture record must be a JSON string, got a float64 array")


@pytest.mark.parametrize("edit, pattern", [
    (lambda m: m.pop("layers"), r"malformed architecture record: no 'layers' list"),
    (lambda m: m["layers"][1].pop("type"), r"malformed architecture record: layer 1 has no 'type'"),
    (lambda m: m["layers"][1].update(params=[12, 8]), r"layer 1 'params' must map names to shapes"),
    (lambda m: m["layers"][1]["params"].update(W=[12, -8]), r"layer 1 'params' must map names to shapes.*\[12, -8\]"),
    (lambda m: m["layers"][1].update(config=[1, 2]), r"layer 1 'config' must be an object or null"),
    (lambda m: m["layers"].append("Dense"), r"layer 5 must be an object"),
])
def test_malformed_architecture_records(saved, tmp_path, edit, pattern):
    arrays = _arrays(saved)
    meta = _meta(arrays)
    edit(meta)
    _refused(_write(tmp_path / "bad.npz", arrays, meta), pattern)


def test_an_unknown_layer_class(saved, tmp_path):
    arrays = _arrays(saved)
    meta = _meta(arrays)
    meta["layers"][3]["type"] = "os.system"
    path = _write(tmp_path / "bad.npz", arrays, meta)
    with pytest.raises(ValueError, match=r"layer 3 \(os\.system\) of .*bad\.npz.*not a cnnlib\.layers class"):
        Sequential.load(path)


@pytest.mark.parametrize("config, pattern", [
    ({"in_features": 12}, r"missing a required argument: 'out_features'"),
    ({"in_features": 12, "out_features": 8, "colour": "red"}, r"unexpected keyword argument 'colour'"),
    ({"in_features": 12, "out_features": "8"}, r"makes params/buffers \{'W': \(12, '8'\).*damaged or crafted"),
    ({"in_features": 12, "out_features": 8.0}, r"out_features must be an integer, got 8\.0"),
])
def test_missing_or_unknown_constructor_arguments(saved, tmp_path, config, pattern):
    arrays = _arrays(saved)
    meta = _meta(arrays)
    meta["layers"][1]["config"] = config
    path = _write(tmp_path / "bad.npz", arrays, meta)
    with pytest.raises(ValueError, match=r"Cannot rebuild layer 1 \(Dense\) of .*bad\.npz.*" + pattern):
        Sequential.load(path)


# -- arrays: keys, shapes, sizes, dtypes, values -------------------------------------------------------------
def test_a_missing_array(saved, tmp_path):
    arrays = _arrays(saved)
    del arrays["4.b"]
    _refused(_write(tmp_path / "bad.npz", arrays), r"damaged: array '4\.b' is missing")


def test_an_extra_array(saved, tmp_path):
    arrays = _arrays(saved)
    arrays["7.W"] = np.zeros(3, np.float32)
    _refused(_write(tmp_path / "bad.npz", arrays), r"holds array\(s\) \['7\.W'\] that no layer .* declares")


def test_an_array_whose_shape_is_not_the_declared_one(saved, tmp_path):
    arrays = _arrays(saved)
    arrays["1.W"] = np.zeros((12, 9), np.float32)
    _refused(_write(tmp_path / "bad.npz", arrays), r"array '1\.W' has shape \(12, 9\), but the architecture "
                                                   r"record declares \(12, 8\)")


@pytest.mark.parametrize("dtype", [np.int64, np.complex64, np.bool_, "U3"])
def test_arrays_of_the_wrong_dtype(saved, tmp_path, dtype):
    arrays = _arrays(saved)
    arrays["1.W"] = np.zeros((12, 8), dtype=dtype)
    _refused(_write(tmp_path / "bad.npz", arrays), r"array '1\.W' has dtype .*; expected float32 or float64")


def test_weights_that_are_not_finite(saved, tmp_path):
    arrays = _arrays(saved)
    arrays["4.W"][1, 2] = np.nan
    _refused(_write(tmp_path / "bad.npz", arrays), r"array '4\.W' holds NaN.*training diverged before it was saved")


def test_a_config_that_disagrees_with_the_stored_shapes_is_refused_before_building_the_layer(saved, tmp_path):
    arrays = _arrays(saved)
    meta = _meta(arrays)
    meta["layers"][1]["config"].update(in_features=100_000, out_features=200_000)  # 74.5 GiB of float32
    path = _write(tmp_path / "bad.npz", arrays, meta)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"layer 1 \(Dense\) .*config .* makes params/buffers "
                                             r"\{'W': \(100000, 200000\).* file holds \{'W': \(12, 8\)"):
            Sequential.load(path)
        assert tracemalloc.get_traced_memory()[1] < 50e6, "nothing huge was allocated"
    finally:
        tracemalloc.stop()


def _npy_header(shape, dtype="<f4"):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buf.getvalue()


@pytest.mark.parametrize("shape, pattern", [
    ((100_000, 200_000), r"array '1\.W' declares shape \(100000, 200000\): more than .* numbers"),
    ((1000, 1000), r"array '1\.W' declares shape \(1000, 1000\) \(4000000 bytes of data\) but holds 64"),
])
def test_a_crafted_header_declaring_a_huge_array_is_refused_before_reading(saved, tmp_path, shape, pattern):
    """The architecture record and the .npy header agree on a shape whose data is not in the file."""
    arrays = _arrays(saved)
    meta = _meta(arrays)
    meta["layers"][1]["params"]["W"] = list(shape)
    meta["layers"][1]["config"].update(in_features=shape[0], out_features=shape[1])
    meta["layers"][2]["config"].update(num_features=shape[1])
    arrays[ARCH_KEY] = np.array(json.dumps(meta))
    path = tmp_path / "crafted.npz"
    with zipfile.ZipFile(path, "w") as z:
        for key, value in arrays.items():
            buf = io.BytesIO()
            np.save(buf, value)
            data = _npy_header(shape) + b"\0" * 64 if key == "1.W" else buf.getvalue()
            z.writestr(key + ".npy", data)
    tracemalloc.start()
    try:
        _refused(path, pattern)
        assert tracemalloc.get_traced_memory()[1] < 50e6, "nothing huge was allocated"
    finally:
        tracemalloc.stop()


def test_pickled_objects_are_still_refused(saved, tmp_path):
    arrays = _arrays(saved)
    arrays["1.W"] = np.array([object()] * 96, dtype=object).reshape(12, 8)
    path = tmp_path / "evil.npz"
    np.savez(path, **arrays)
    _refused(path, r"holds pickled objects.*allow_pickle=False")


# -- saving --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_saved_files_get_the_mode_open_would_give(tmp_path, umask):
    old = os.umask(umask)
    try:
        path = _model().save(tmp_path / "net.npz")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


def test_saving_where_one_cannot_write_names_the_path(tmp_path, monkeypatch):
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(OSError, match=r"Cannot save the model to .*a_file/net\.npz"):
        _model().save(tmp_path / "a_file" / "net.npz")

    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "locked" / "net.npz.x.part"))

    (tmp_path / "locked").mkdir()
    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # as in a directory without write permission (root ignores it)
    with pytest.raises(PermissionError, match=r"Cannot save the model to .*locked/net\.npz: .*not writable.*Hint"):
        _model().save(tmp_path / "locked" / "net.npz")
    assert list((tmp_path / "locked").iterdir()) == []


def test_a_reloaded_model_still_round_trips(saved):
    model = Sequential.load(saved)
    x = np.random.default_rng(0).standard_normal((4, 3, 2, 2))
    np.testing.assert_array_equal(model.predict(x), _model().load_weights(saved).predict(x))
    assert repr(model) == repr(_model())
