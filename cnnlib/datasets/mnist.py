"""MNIST and Fashion-MNIST: find the IDX files on disk, or download, check and cache them.

Where the files are looked for, in order (the first directory holding both
files of the split wins):

1. ``data_dir`` if you pass one (the files directly inside it);
2. ``$CNNLIB_DATA/<name>/`` if the environment variable is set;
3. the cache, ``~/.cache/cnnlib/<name>/`` (``$XDG_CACHE_HOME`` is honoured);
4. the system copy of a distribution package: Debian's ``dataset-fashion-mnist``
   installs ``/usr/share/datasets/fashion-mnist/``.

Each file may be gzip-compressed (``*.gz``) or not. A directory or file that
cannot be read (permissions) is skipped with a note, and the next one tried.
Otherwise the files are downloaded (base URL from ``mirror=``,
``$CNNLIB_MIRROR`` or the official mirrors) into the first of ``data_dir``,
``$CNNLIB_DATA/<name>`` and the cache, readable by other users (mode
``0o666`` less the umask). Every file, found or downloaded, must match the
SHA-256 of the official *decompressed* IDX bytes; a file that does not is
skipped (found) or not kept (downloaded). Files are gunzipped as a stream and
never past the official size, and a download is refused past
``max_download_bytes``: a small file that expands to gigabytes costs nothing.
``find_local(spec)`` names the directory the loaders would use, if any.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from .._checks import check_bool
from .download import DOWNLOAD_ERRORS, cache_dir, download
from .idx import CHUNK, Gunzip, parse_idx, read_bytes
from .specs import FASHION_MNIST, FASHION_MNIST_CLASSES, MNIST, MNIST_CLASSES, SPLITS, DatasetSpec  # noqa: F401


def search_dirs(spec: DatasetSpec, data_dir=None) -> list[tuple[Path, str]]:
    """The directories looked in, in order, each with why it is on the list."""
    dirs = []
    if data_dir is not None:
        dirs.append((Path(data_dir).expanduser(), "data_dir argument"))
    if os.environ.get("CNNLIB_DATA"):
        dirs.append((Path(os.environ["CNNLIB_DATA"]).expanduser() / spec.name, "$CNNLIB_DATA"))
    dirs.append((cache_dir(spec.name), "cache"))
    dirs.extend((Path(d), "system copy") for d in spec.system_dirs)
    return dirs


def max_download_bytes(size: int) -> int:
    """The most a download of a file of ``size`` decompressed bytes may weigh: gzip of random data is a little
    larger than the data, and nothing real comes near twice its size plus 1 MiB."""
    return 2 * size + 2**20


class OfficialFileChecker:
    """Gunzip and hash a file piece by piece, refusing it past its official size (see ``download``)."""

    def __init__(self, spec: DatasetSpec, name: str, what: str, downloaded: bool = False) -> None:
        self.spec, self.name, self.what, self.downloaded = spec, name, what, downloaded
        advice = "It was not kept." if downloaded else None
        self.gunzip, self.sha = Gunzip(spec.files[name][0], what, advice=advice), hashlib.sha256()

    def update(self, piece: bytes) -> None:
        self.sha.update(self.gunzip.feed(piece))

    def finish(self) -> None:
        self.sha.update(self.gunzip.finish())
        _compare(self.spec, self.name, self.what, self.gunzip.size, self.sha.hexdigest(), self.downloaded)


def _compare(spec, name, what, n: int, digest: str, downloaded: bool) -> None:
    size, expected = spec.files[name]
    if n != size or digest != expected:
        raise ValueError(
            f"{what} is not the official {spec.title} file {name}: {n} bytes decompressed "
            f"(expected {size}), SHA-256 {digest[:16]}... (expected {expected[:16]}...). "
            + ("It was not kept." if downloaded else "Hint: delete it; it is damaged or a different version.")
        )


def _read_checked(spec: DatasetSpec, path: Path, name: str) -> np.ndarray:
    """Read ``path`` after checking its decompressed bytes are the official ``name`` (never past its size)."""
    data = read_bytes(path, spec.files[name][0])
    _compare(spec, name, str(path), len(data), hashlib.sha256(data).hexdigest(), False)
    return parse_idx(data, str(path))


def check_file(spec: DatasetSpec, path, name: str) -> None:
    """Raise ``ValueError`` unless ``path`` (gzip or not) is the official file ``name``; reads it in pieces."""
    checker = OfficialFileChecker(spec, name, str(path))
    with open(path, "rb") as f:
        while piece := f.read(CHUNK):
            checker.update(piece)
    checker.finish()


def _unreadable(exc: OSError, path) -> str:
    return (f"{exc.filename or path}: cannot read it ({exc.strerror or exc}). "
            "Hint: ask its owner to make it readable (chmod -R a+rX), or remove it.")


def find_local(spec: DatasetSpec = FASHION_MNIST, data_dir=None) -> Path | None:
    """The first directory the loaders look in that holds every file of ``spec``, each readable and checked.

    ``None`` if there is none (nothing is downloaded). The files are checked
    against their SHA-256 in pieces, without loading them.
    """
    if not isinstance(spec, DatasetSpec):
        raise TypeError(f"find_local takes a dataset spec, got {spec!r}. Hint: find_local(FASHION_MNIST) or "
                        "find_local(MNIST), from cnnlib.datasets.")
    for directory, _ in search_dirs(spec, data_dir):
        try:
            paths = {name: _find(directory, name) for name in spec.files}
            if all(paths.values()):
                for name, path in paths.items():
                    check_file(spec, path, name)
                return directory
        except (OSError, ValueError):
            continue
    return None


def _find(directory: Path, name: str) -> Path | None:
    """``<name>.gz`` or ``<name>`` in ``directory``: whatever exists, so that one we cannot read gets a note."""
    for candidate in (directory / f"{name}.gz", directory / name):
        if candidate.exists():
            return candidate
    return None


def download_dir(spec: DatasetSpec, data_dir=None) -> Path:
    """Where downloads go: ``data_dir``, else ``$CNNLIB_DATA/<name>``, else the cache."""
    if data_dir is not None:
        return Path(data_dir).expanduser()
    if os.environ.get("CNNLIB_DATA"):
        return Path(os.environ["CNNLIB_DATA"]).expanduser() / spec.name
    return cache_dir(spec.name)


def _from_disk(spec, names, looked, skipped: list[str]):
    """The arrays from the first directory holding both files of the split, all readable and checked."""
    for directory, _ in looked:
        try:
            paths = [_find(directory, n) for n in names]
            if all(paths):
                return [_read_checked(spec, p, n) for p, n in zip(paths, names)]
        except ValueError as exc:
            skipped.append(str(exc))
        except OSError as exc:  # a directory or file we may not read: say so, and try the next one
            skipped.append(_unreadable(exc, directory))
    return None


def _fetch(spec, name, target: Path, bases, progress, attempts: list[str]) -> np.ndarray | None:
    """Download ``name`` from the first base URL that gives the right file; ``None`` if none does."""
    for base in bases:
        url = base.rstrip("/") + f"/{name}.gz"
        try:
            check = OfficialFileChecker(spec, name, "the downloaded file", True)
            dest = download(url, target / f"{name}.gz", check=check,
                            max_bytes=max_download_bytes(spec.files[name][0]), progress=progress)
            return _read_checked(spec, dest, name)
        except DOWNLOAD_ERRORS as exc:
            attempts.append(f"{url}: {exc}")
    return None


def _from_mirrors(spec, names, target: Path, bases, progress, attempts: list[str]):
    """The arrays, reusing a good copy already in ``target`` and downloading the rest."""
    arrays = []
    for name in names:
        arr = None
        try:
            found = _find(target, name)
            arr = None if found is None else _read_checked(spec, found, name)
        except ValueError as exc:
            attempts.append(f"{exc} (downloading it again)")
        except OSError as exc:
            attempts.append(f"{_unreadable(exc, target)} (downloading it again)")
        if arr is None:
            arr = _fetch(spec, name, target, bases, progress, attempts)
        if arr is None:
            return None
        arrays.append(arr)
    return arrays


def load_idx_dataset(spec: DatasetSpec, split: str = "train", data_dir=None, download: bool = True,
                     normalize: bool = True, mirror=None, progress: bool = True):
    """Load ``split`` of the data set ``spec`` as ``(x, y)``; see ``load_fashion_mnist``."""
    if not isinstance(split, str) or split not in spec.splits:
        raise ValueError(f"split must be one of {sorted(spec.splits)}, got {split!r}.")
    for flag, value in (("download", download), ("normalize", normalize), ("progress", progress)):
        check_bool(value, flag, f"write {flag}=True or {flag}=False.")
    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(f"data_dir must be a directory path (str or pathlib.Path), got {data_dir!r} "
                        f"of type {type(data_dir).__name__}. Hint: data_dir='~/data/{spec.name}'.")
    bases, names = _mirrors(spec, mirror), spec.splits[split]
    looked, skipped, attempts = search_dirs(spec, data_dir), [], []
    arrays = _from_disk(spec, names, looked, skipped)
    if arrays is None and download:
        arrays = _from_mirrors(spec, names, download_dir(spec, data_dir), bases, progress, attempts)
    if arrays is None:
        raise FileNotFoundError(_not_found_message(spec, split, looked, skipped, attempts, download))
    images, labels = arrays
    return _to_xy(spec, images, labels, names, normalize)


def _mirrors(spec: DatasetSpec, mirror) -> tuple[str, ...]:
    if mirror is None:
        return (os.environ["CNNLIB_MIRROR"],) if os.environ.get("CNNLIB_MIRROR") else tuple(spec.mirrors)
    bases = (mirror,) if isinstance(mirror, str) else tuple(mirror) if isinstance(mirror, (list, tuple)) else ()
    if not bases or not all(isinstance(b, str) and b for b in bases):
        example = spec.mirrors[0] if spec.mirrors else "https://example.org/data/"
        raise TypeError(f"mirror must be a base URL or a list of them, such as {example!r}, got {mirror!r}.")
    return bases


def _to_xy(spec, images, labels, names, normalize):
    if images.ndim != 3 or labels.ndim != 1:
        raise ValueError(f"{names[0]} must be 3-D (N, H, W) and {names[1]} 1-D (N,), "
                         f"got shapes {images.shape} and {labels.shape}.")
    if len(images) != len(labels):
        raise ValueError(f"{names[0]} has {len(images)} images but {names[1]} has {len(labels)} labels. "
                         "Hint: the two files come from different splits or versions.")
    if labels.size and not 0 <= labels.min() <= labels.max() < len(spec.classes):
        raise ValueError(f"{names[1]} has labels outside [0, {len(spec.classes)}): "
                         f"min {labels.min()}, max {labels.max()}.")
    x = images[:, None]  # (N, 1, H, W): one grayscale channel
    if normalize:
        x = x.astype(np.float32) / np.float32(255)
    return x, labels.astype(np.int64)


def _not_found_message(spec, split, looked, skipped, attempts, download) -> str:
    files = " and ".join(f"{n}[.gz]" for n in spec.splits[split])
    lines = [f"{spec.title} ({split}) not found. Looked for {files} in:"]
    lines += [f"  {d}  ({why})" for d, why in looked]
    lines += [f"Skipped: {s}" for s in skipped]
    if not download:
        lines.append("Not downloaded: download=False.")
    elif attempts:
        lines.append("Download failed:")
        lines += [f"  {a}" for a in attempts]
    lines.append("To fix it, do one of:")
    if spec.package_hint:
        lines.append(f"  - {spec.package_hint}")
    lines.append(f"  - put the files in one of the directories above (or set CNNLIB_DATA=/dir and use /dir/{spec.name}/)")
    if download:
        lines.append("  - set CNNLIB_MIRROR (or pass mirror=) to a reachable copy of "
                     + (spec.mirrors[0] if spec.mirrors else f"the {spec.title} files"))
    else:
        lines.append("  - call it with download=True")
    return "\n".join(lines)


def load_fashion_mnist(split: str = "train", data_dir=None, download: bool = True, normalize: bool = True,
                       *, mirror=None, progress: bool = True):
    """Fashion-MNIST: 28x28 grayscale photos of clothes in 10 classes (60,000 train, 10,000 test).

    Args:
        split: ``"train"`` or ``"test"``.
        data_dir: a directory holding the IDX files (looked in first; downloads go there).
        download: fetch missing files from the mirrors (default True).
        normalize: scale to float32 in [0, 1] (default); False keeps uint8 0..255.
        mirror: base URL (or list) to download from instead of ``$CNNLIB_MIRROR`` / the official ones.
        progress: show a download progress bar.

    Returns ``(x, y)``: ``x`` ``(N, 1, 28, 28)``, ``y`` int64 labels ``(N,)``;
    ``FASHION_MNIST_CLASSES[y]`` names a label. The module docstring lists where files are looked for.

    >>> x, y = load_fashion_mnist("test")
    >>> x.shape, FASHION_MNIST_CLASSES[y[0]]
    ((10000, 1, 28, 28), 'Ankle boot')
    """
    return load_idx_dataset(FASHION_MNIST, split, data_dir, download, normalize, mirror, progress)


def load_mnist(split: str = "train", data_dir=None, download: bool = True, normalize: bool = True,
               *, mirror=None, progress: bool = True):
    """MNIST handwritten digits, the same layout and arguments as ``load_fashion_mnist``.

    ``x, y = load_mnist("test")`` gives ``x`` of shape ``(10000, 1, 28, 28)``
    and ``y[:3]`` = ``[7, 2, 1]``, downloading 11 MB the first time. No Linux
    distribution packages MNIST, so the last place looked is the cache:

    >>> where, why = search_dirs(MNIST)[-1]
    >>> why, where.name, MNIST.files["t10k-labels-idx1-ubyte"][0]  # 10,000 labels after an 8-byte header
    ('cache', 'mnist', 10008)
    """
    return load_idx_dataset(MNIST, split, data_dir, download, normalize, mirror, progress)
