"""Shared data directories: files others can read, and copies we cannot read skipped for the next one.

The tests run as root, for whom permission bits stop nothing, so an unreadable
file or directory is made by patching ``open``/``os.stat`` to raise
``PermissionError`` for it, or by a directory standing where a file should be.
"""
import builtins
import os
import stat
from pathlib import Path

import numpy as np
import pytest
from toy_mirror import IMAGES, LABELS, N

from cnnlib.datasets import load_idx_dataset, write_idx
from cnnlib.datasets.mnist import find_local


@pytest.fixture(params=[0o022, 0o002, 0o077])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _place(directory: Path, toy) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in toy["gz"].items():
        (directory / name).write_bytes(data)
    return directory


def test_downloads_are_readable_by_others(tmp_path, toy, server, umask):
    server.files.update(toy["gz"])
    load_idx_dataset(toy["spec"]([server.url]), data_dir=tmp_path / "shared" / "toy", progress=False)
    for name in toy["gz"]:
        mode = _mode(tmp_path / "shared" / "toy" / name)
        assert mode == 0o666 & ~umask, f"{name} has mode {oct(mode)} under umask {oct(umask)}"
    for d in (tmp_path / "shared", tmp_path / "shared" / "toy"):
        assert _mode(d) == 0o777 & ~umask


def test_write_idx_files_are_readable_by_others(tmp_path, umask):
    for name in ("a-idx1-ubyte", "a-idx1-ubyte.gz"):
        path = write_idx(tmp_path / name, np.arange(3, dtype=np.uint8))
        assert _mode(path) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-idx1-ubyte", "a-idx1-ubyte.gz"], "no .part file left"


@pytest.fixture
def unreadable(monkeypatch):
    """Paths under the directories added to the returned list raise PermissionError when opened or stat'ed."""
    blocked: list[Path] = []
    real_open, real_stat = builtins.open, os.stat

    def denied(path) -> bool:
        return isinstance(path, (str, os.PathLike)) and any(Path(path).is_relative_to(b) for b in blocked)

    def fake_open(file, *args, **kwargs):
        if denied(file):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    def fake_stat(path, *args, **kwargs):
        if denied(path) and Path(path) not in blocked:  # the directory itself is visible, its contents are not
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "stat", fake_stat)
    return blocked


def test_an_unreadable_shared_copy_falls_back_to_the_system_copy(tmp_path, toy, monkeypatch, unreadable):
    shared = _place(tmp_path / "shared" / "toy", toy)
    system = _place(tmp_path / "system", toy)
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "shared"))
    unreadable.append(shared)
    x, y = load_idx_dataset(toy["spec"](system_dirs=[system]), download=False)
    assert x.shape == (N, 1, 4, 4) and len(y) == N


def test_unreadable_copies_are_listed_when_nothing_works(tmp_path, toy, monkeypatch, unreadable):
    shared = _place(tmp_path / "shared" / "toy", toy)
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "shared"))
    unreadable.append(shared)
    with pytest.raises(FileNotFoundError) as info:
        load_idx_dataset(toy["spec"](), download=False)
    msg = str(info.value)
    assert f"Skipped: {shared}/{IMAGES}.gz: cannot read it (Permission denied). Hint: ask its owner" in msg, msg


def test_a_directory_in_place_of_a_file_is_skipped_with_a_note(tmp_path, toy):
    mine = _place(tmp_path / "mine", toy)
    (mine / f"{LABELS}.gz").unlink()
    (mine / f"{LABELS}.gz").mkdir()
    with pytest.raises(FileNotFoundError, match=rf"Skipped: {mine}/{LABELS}\.gz: cannot read it \(Is a directory\)"):
        load_idx_dataset(toy["spec"](), data_dir=mine, download=False)
    system = _place(tmp_path / "system", toy)
    x, _ = load_idx_dataset(toy["spec"](system_dirs=[system]), data_dir=mine, download=False)
    assert x.shape == (N, 1, 4, 4)


def test_an_unreadable_copy_in_the_download_directory_is_downloaded_again(tmp_path, toy, server, unreadable):
    # The copy in data_dir cannot be read, and neither can anything written there: every mirror is noted.
    mine = _place(tmp_path / "mine", toy)
    unreadable.append(mine)
    server.files.update(toy["gz"])
    with pytest.raises(FileNotFoundError, match=r"(?s)Download failed:\n.*cannot read it \(Permission denied\).*"
                                                r"\(downloading it again\)"):
        load_idx_dataset(toy["spec"]([server.url]), data_dir=mine, progress=False)


def test_find_local_gives_the_first_directory_with_every_file_checked(tmp_path, toy, monkeypatch, unreadable):
    spec = toy["spec"](system_dirs=[tmp_path / "system"])
    assert find_local(spec) is None
    system = _place(tmp_path / "system", toy)
    assert find_local(spec) == system
    cache = _place(tmp_path / "xdg" / "cnnlib" / "toy", toy)
    assert find_local(spec) == cache
    (cache / f"{LABELS}.gz").write_bytes(toy["gz"][f"{IMAGES}.gz"])  # the wrong file under the right name
    assert find_local(spec) == system
    unreadable.append(system)
    assert find_local(spec) is None
    assert find_local(spec, data_dir=_place(tmp_path / "mine", toy)) == tmp_path / "mine"
