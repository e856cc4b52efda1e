"""Downloading for real from a small HTTP server on 127.0.0.1: checks, atomic writes, caching, lookup order."""
import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest
from toy_mirror import IMAGES, LABELS, N, idx_bytes

from cnnlib.datasets import DatasetSpec, load_idx_dataset
from cnnlib.datasets import mnist as mnist_module
from cnnlib.datasets.download import download


def _files_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()) if path.exists() else []


def test_download_checks_caches_and_reuses(tmp_path, toy, server):
    server.files.update(toy["gz"])
    spec = toy["spec"]([server.url])
    x, y = load_idx_dataset(spec, "train", progress=False)
    assert x.shape == (N, 1, 4, 4) and x.dtype == np.float32
    np.testing.assert_allclose(x[:, 0], toy["images"] / 255.0, rtol=1e-6)
    assert y.dtype == np.int64 and list(y[:4]) == [0, 1, 2, 0]
    cache = tmp_path / "xdg" / "cnnlib" / "toy"
    assert _files_under(cache) == [f"{IMAGES}.gz", f"{LABELS}.gz"]
    assert sorted(server.requests) == [f"{IMAGES}.gz", f"{LABELS}.gz"]
    x2, _ = load_idx_dataset(spec, "train", normalize=False, progress=False)
    assert len(server.requests) == 2, "the second load reads the cache"
    assert x2.dtype == np.uint8 and np.array_equal(x2[:, 0], toy["images"])


def test_a_corrupted_file_is_rejected_and_not_cached(tmp_path, toy, server):
    server.files.update(toy["gz"])
    server.files[f"{LABELS}.gz"] = gzip.compress(toy["raw"][LABELS][:-1] + b"\x00")  # the last label, 2, becomes 0
    with pytest.raises(FileNotFoundError, match=r"(?s)Download failed:.*not the official Toy file train-labels"):
        load_idx_dataset(toy["spec"]([server.url]), progress=False)
    assert _files_under(tmp_path / "xdg") == [f"cnnlib/toy/{IMAGES}.gz"], "only the good file is kept"


def test_the_next_mirror_is_tried_after_a_bad_one(tmp_path, toy, server):
    server.files.update(toy["gz"])
    server.files[f"{IMAGES}.gz"] = b"<html>502 Bad Gateway</html>"
    good = f"http://127.0.0.1:{server.server_address[1]}/"
    # The first mirror serves an HTML page for the images; the second is unreachable; no third.
    with pytest.raises(FileNotFoundError, match=r"(?s)train-images-idx3-ubyte\.gz: the downloaded file is not the "
                                                r"official Toy file .*It was not kept\.\n  http://127\.0\.0\.1:9/"):
        load_idx_dataset(toy["spec"]([good, "http://127.0.0.1:9/"]), progress=False)
    server.files[f"{IMAGES}.gz"] = toy["gz"][f"{IMAGES}.gz"]
    x, _ = load_idx_dataset(toy["spec"](["http://127.0.0.1:9/", good]), progress=False)
    assert x.shape == (N, 1, 4, 4)


def test_a_dropped_connection_leaves_no_file(tmp_path, toy, server):
    server.files.update(toy["gz"])
    server.modes[f"{IMAGES}.gz"] = "drop"
    with pytest.raises(FileNotFoundError, match=r"(?s)Download failed:.*train-images-idx3-ubyte\.gz: .*(closed after|IncompleteRead)"):
        load_idx_dataset(toy["spec"]([server.url]), progress=False)
    assert _files_under(tmp_path / "xdg") == [], "no half file, no .part file"


def test_download_removes_the_part_file_on_ctrl_c(tmp_path, toy, server):
    server.files.update(toy["gz"])

    class Interrupted:
        def update(self, piece):
            pass

        def finish(self):
            assert [p.name.endswith(".part") for p in (tmp_path / "out").iterdir()] == [True]
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        download(server.url + f"{IMAGES}.gz", tmp_path / "out" / "x.gz", check=Interrupted(), progress=False)
    assert _files_under(tmp_path / "out") == []


def test_a_progress_bar_while_downloading(toy, server, capsys):
    server.files.update(toy["gz"])
    load_idx_dataset(toy["spec"]([server.url]), progress=True)
    assert f"{IMAGES}.gz" in capsys.readouterr().err


def test_mirror_argument_and_environment_variable(tmp_path, toy, server, monkeypatch):
    server.files.update(toy["gz"])
    unreachable = toy["spec"](["http://127.0.0.1:9/"])
    load_idx_dataset(unreachable, data_dir=tmp_path / "a", mirror=server.url, progress=False)
    monkeypatch.setenv("CNNLIB_MIRROR", server.url)
    load_idx_dataset(unreachable, data_dir=tmp_path / "b", progress=False)
    assert len(server.requests) == 4


def test_downloads_go_to_data_dir_then_cnnlib_data_then_cache(tmp_path, toy, server, monkeypatch):
    server.files.update(toy["gz"])
    spec = toy["spec"]([server.url])
    load_idx_dataset(spec, data_dir=tmp_path / "mine", progress=False)
    assert _files_under(tmp_path / "mine") == [f"{IMAGES}.gz", f"{LABELS}.gz"]
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "shared"))
    load_idx_dataset(spec, progress=False)
    assert _files_under(tmp_path / "shared") == [f"toy/{IMAGES}.gz", f"toy/{LABELS}.gz"]
    assert _files_under(tmp_path / "xdg") == []


def _place(directory: Path, toy, raw=False):
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in toy["raw"].items():
        (directory / (name if raw else f"{name}.gz")).write_bytes(data if raw else gzip.compress(data))


def test_lookup_order_explicit_dir_then_env_then_cache_then_system(tmp_path, toy, server, monkeypatch):
    dirs = {"explicit": tmp_path / "explicit", "env": tmp_path / "env" / "toy",
            "cache": tmp_path / "xdg" / "cnnlib" / "toy", "system": tmp_path / "system"}
    for key, d in dirs.items():
        _place(d, toy, raw=(key == "env"))  # the env copy is gunzipped: both forms are accepted
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "env"))
    spec = toy["spec"]([server.url], system_dirs=[dirs["system"]])
    read = []
    original = mnist_module._read_checked
    monkeypatch.setattr(mnist_module, "_read_checked", lambda s, p, n: read.append(p.parent) or original(s, p, n))

    def used(**kw):
        read.clear()
        load_idx_dataset(spec, progress=False, **kw)
        return {d for d in read}

    assert used(data_dir=dirs["explicit"]) == {dirs["explicit"]}
    assert used() == {dirs["env"]}
    monkeypatch.delenv("CNNLIB_DATA")
    assert used() == {dirs["cache"]}
    for f in dirs["cache"].iterdir():
        f.unlink()
    assert used() == {dirs["system"]}
    assert server.requests == [], "nothing was downloaded"


def test_a_bad_local_copy_is_skipped_for_the_next_one(tmp_path, toy, server):
    system = tmp_path / "system"
    _place(system, toy)
    _place(tmp_path / "explicit", toy)
    (tmp_path / "explicit" / f"{LABELS}.gz").write_bytes(gzip.compress(b"\0\0\x08\x01\0\0\0\x01\x07"))
    x, _ = load_idx_dataset(toy["spec"]([server.url], system_dirs=[system]), data_dir=tmp_path / "explicit")
    assert x.shape == (N, 1, 4, 4) and server.requests == []


def test_offline_error_says_where_it_looked_and_how_to_fix_it(tmp_path, toy, monkeypatch):
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "env"))
    spec = toy["spec"](system_dirs=[tmp_path / "system"])
    with pytest.raises(FileNotFoundError) as info:
        load_idx_dataset(spec, data_dir=tmp_path / "explicit", download=False)
    msg = str(info.value)
    assert msg.startswith("Toy (train) not found. Looked for train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] in:")
    for path, why in [(tmp_path / "explicit", "data_dir argument"), (tmp_path / "env" / "toy", "$CNNLIB_DATA"),
                      (tmp_path / "xdg" / "cnnlib" / "toy", "cache"), (tmp_path / "system", "system copy")]:
        assert f"  {path}  ({why})" in msg
    assert "download=False" in msg and "install toy-data" in msg and "CNNLIB_DATA=/dir and use /dir/toy/" in msg
    with pytest.raises(FileNotFoundError, match=r"(?s)Download failed:\n  http://127\.0\.0\.1:9/train-images.*CNNLIB_MIRROR"):
        load_idx_dataset(spec, download=True, progress=False)


def test_mismatched_counts_and_bad_labels(tmp_path, toy):
    labels = idx_bytes(tmp_path, "few", np.zeros(N - 2, dtype=np.uint8))
    spec = toy["spec"]()
    files = dict(spec.files, **{LABELS: (len(labels), hashlib.sha256(labels).hexdigest())})
    d = tmp_path / "d"
    _place(d, toy)
    (d / f"{LABELS}.gz").write_bytes(gzip.compress(labels))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte has 12 images but train-labels-idx1-ubyte has 10 labels"):
        load_idx_dataset(DatasetSpec(**{**spec.__dict__, "files": files}), data_dir=d, download=False)
    bad = idx_bytes(tmp_path, "bad", np.full(N, 7, dtype=np.uint8))
    (d / f"{LABELS}.gz").write_bytes(gzip.compress(bad))
    files[LABELS] = (len(bad), hashlib.sha256(bad).hexdigest())
    with pytest.raises(ValueError, match=r"labels outside \[0, 3\): min 7, max 7"):
        load_idx_dataset(DatasetSpec(**{**spec.__dict__, "files": files}), data_dir=d, download=False)


def test_bad_split(toy):
    with pytest.raises(ValueError, match=r"split must be one of \['train'\], got 'valid'"):
        load_idx_dataset(toy["spec"](), "valid")


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"split": ["train"]}, ValueError, r"split must be one of \['train'\], got \['train'\]"),
    ({"download": "no"}, TypeError, r"download must be True or False, got 'no'\. Hint: write download=True"),
    ({"normalize": 1}, TypeError, r"normalize must be True or False, got 1"),
    ({"data_dir": 3}, TypeError, r"data_dir must be a directory path \(str or pathlib\.Path\), got 3 of type int"),
    ({"mirror": 8080}, TypeError, r"mirror must be a base URL or a list of them, such as 'http://127\.0\.0\.1:9/', "
                                  r"got 8080"),
    ({"mirror": []}, TypeError, r"mirror must be a base URL .* got \[\]"),
])
def test_bad_arguments_are_clear_errors(toy, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        load_idx_dataset(toy["spec"](), **kwargs)
