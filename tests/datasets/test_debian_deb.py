"""extract_deb_dataset on .deb files built here (ar + tar in Python): what is taken, what is refused."""
import bz2
import gzip
import io
import lzma
import os
import stat
import sys
import tarfile

import pytest
from toy_mirror import IMAGES, LABELS, N

from cnnlib.datasets import load_idx_dataset
from cnnlib.datasets.debian import ar_members, extract_deb_dataset

PREFIX = "./usr/share/datasets/toy"
COMPRESS = {"": lambda b: b, ".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


def _tar(entries) -> bytes:
    """A tar of ``(name, bytes)`` regular files, ``(name, None)`` directories and ``(name, "->target")`` symlinks."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.mode = 0o644
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif isinstance(data, str):
                info.type, info.linkname = tarfile.SYMTYPE, data[2:]
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _ar(members) -> bytes:
    out = [b"!<arch>\n"]
    for name, data in members:
        out.append(f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode())
        out.append(data + (b"\n" if len(data) % 2 else b""))
    return b"".join(out)


def _deb(tmp_path, entries, suffix=".xz", name="toy.deb"):
    data = COMPRESS.get(suffix, lambda b: b)(_tar(entries))
    control = lzma.compress(_tar([("./control", b"Package: toy-data\n")]))
    path = tmp_path / name
    path.write_bytes(_ar([("debian-binary", b"2.0\n"), ("control.tar.xz", control), (f"data.tar{suffix}", data)]))
    return path


def _package(toy, extra=()):
    """The entries of a realistic package: directories, the data files, documentation."""
    return [*[(d, None) for d in ("./", "./usr/", "./usr/share/", "./usr/share/datasets/", PREFIX + "/")],
            *[(f"{PREFIX}/{n}", d) for n, d in toy["gz"].items()],
            ("./usr/share/doc/toy-data/copyright", b"public domain\n"), *extra]


@pytest.fixture
def spec(toy):
    return toy["spec"](system_dirs=["/usr/share/datasets/toy"])


@pytest.mark.parametrize("suffix", ["", ".gz", ".bz2", ".xz"])
def test_the_data_files_are_unpacked_checked_and_readable(tmp_path, toy, spec, suffix):
    deb = _deb(tmp_path, _package(toy), suffix)
    paths = extract_deb_dataset(deb, tmp_path / "out", spec)
    assert [p.name for p in paths] == [f"{IMAGES}.gz", f"{LABELS}.gz"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{IMAGES}.gz", f"{LABELS}.gz"], "no docs, no .part"
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o666 & ~_umask() for p in paths)
    x, _ = load_idx_dataset(spec, data_dir=tmp_path / "out", download=False)
    assert x.shape == (N, 1, 4, 4)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_ar_members_are_listed_with_their_offsets(tmp_path):
    path = tmp_path / "a.ar"
    path.write_bytes(_ar([("odd", b"abc"), ("even/", b"wxyz")]))  # GNU ar ends names with "/"
    with open(path, "rb") as f:
        assert ar_members(f) == [("odd", 68, 3), ("even", 132, 4)]


@pytest.mark.parametrize("entry, pattern", [
    ((PREFIX + "/../../../../../tmp/evil", b"x"), r"unsafe: its data holds '\./usr/share/datasets/toy/\.\./\.\..*"
                                                 r"a path outside the package's tree"),
    (("/etc/evil", b"x"), r"unsafe: its data holds '/etc/evil'"),
])
def test_path_traversal_is_refused(tmp_path, toy, spec, entry, pattern):
    with pytest.raises(ValueError, match=pattern):
        extract_deb_dataset(_deb(tmp_path, [entry, *_package(toy)]), tmp_path / "out", spec)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_link_in_place_of_a_data_file_is_refused(tmp_path, toy, spec):
    entries = [e for e in _package(toy) if not e[0].endswith(f"{LABELS}.gz")]
    entries.append((f"{PREFIX}/{LABELS}.gz", "->/etc/passwd"))
    with pytest.raises(ValueError, match=rf"unsafe: usr/share/datasets/toy/{LABELS}\.gz is a link, not a regular file"):
        extract_deb_dataset(_deb(tmp_path, entries), tmp_path / "out", spec)


def test_a_wrong_file_is_not_kept(tmp_path, toy, spec):
    entries = [(n, toy["gz"][f"{IMAGES}.gz"] if n.endswith(f"{LABELS}.gz") else d) for n, d in _package(toy)]
    with pytest.raises(ValueError, match=rf"usr/share/datasets/toy/{LABELS}\.gz in .*toy\.deb (is not the official "
                                         r"Toy file|decompresses to more than)"):
        extract_deb_dataset(_deb(tmp_path, entries), tmp_path / "out", spec)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{IMAGES}.gz"], "only the good file"


def test_an_oversized_member_is_refused_before_it_is_read(tmp_path, toy, spec):
    entries = [(n, bytes(3 * 2**20) if n.endswith(f"{LABELS}.gz") else d) for n, d in _package(toy)]
    with pytest.raises(ValueError, match=r"holds 3,145,728 bytes, far more than the 20 of Toy's train-labels"):
        extract_deb_dataset(_deb(tmp_path, entries), tmp_path / "out", spec)


def test_a_missing_file_is_named(tmp_path, toy, spec):
    entries = [e for e in _package(toy) if not e[0].endswith(f"{LABELS}.gz")]
    with pytest.raises(ValueError, match=rf"lacks \['{LABELS}'\] under /usr/share/datasets/toy/ .*install toy-data"):
        extract_deb_dataset(_deb(tmp_path, entries), tmp_path / "out", spec)


def test_zstd_without_a_decompressor_is_a_clear_error(tmp_path, toy, spec, monkeypatch):
    monkeypatch.setitem(sys.modules, "zstandard", None)  # import raises ImportError, as when not installed
    monkeypatch.setitem(sys.modules, "compression", None)
    with pytest.raises(ValueError, match=r"holds data\.tar\.zst \(zstd-compressed\), which Python .* cannot decompress "
                                         r"without a package\. Hint: pip install zstandard, or .*dpkg-deb -x"):
        extract_deb_dataset(_deb(tmp_path, _package(toy), ".zst"), tmp_path / "out", spec)


@pytest.mark.parametrize("damage, pattern", [
    (lambda b: b"<html>404</html>", r"is not a Debian package: it does not start with b'!<arch>\\n'"),
    (lambda b: b[:80], r"is damaged: a bad ar member header at byte 72"),  # 8 + 60 + len("2.0\n")
    (lambda b: b[:-200], r"is damaged: data\.tar\.xz cannot be read"),
    (lambda b: b.replace(b"data.tar.xz", b"data.tar.lz"), r"holds data\.tar\.lz, an unknown compression"),
    (lambda b: b.replace(b"data.tar.xz", b"tada.tar.xz"), r"has no data\.tar member \(it has \['debian-binary', "
                                                          r"'control\.tar\.xz', 'tada\.tar\.xz'\]\)"),
])
def test_damaged_packages_are_clear_errors(tmp_path, toy, spec, damage, pattern):
    deb = _deb(tmp_path, _package(toy))
    deb.write_bytes(damage(deb.read_bytes()))
    with pytest.raises(ValueError, match=pattern):
        extract_deb_dataset(deb, tmp_path / "out", spec)
