"""MNIST and Fashion-MNIST: find the IDX files on disk, or download, check and cache them.

Where the files are looked for, in order (the first directory holding both
files of the split wins):

1. ``data_dir`` if you pass one (the files directly inside it);
2. ``$CNNLIB_DATA/<name>/`` if the environment variable is set;
3. the cache, ``~/.cache/cnnlib/<name>/`` (``$XDG_CACHE_HOME`` is honoured);
4. the system copy of a distribution package: Debian's ``dataset-fashion-mnist``
   installs ``/usr/share/datasets/fashion-mnist/``.

Each file may be gzip-compressed (``*.gz``) or not. Otherwise the files are
downloaded (base URL from ``mirror=``, ``$CNNLIB_MIRROR`` or the official
mirrors) into the first of ``data_dir``, ``$CNNLIB_DATA/<name>`` and the cache.
Every file, found or downloaded, must match the SHA-256 of the official
*decompressed* IDX bytes; a file that does not is skipped (found) or deleted
(downloaded).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .download import DOWNLOAD_ERRORS, cache_dir, download, sha256_hex
from .idx import parse_idx, read_bytes

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
MNIST_CLASSES = tuple(str(d) for d in range(10))
SPLITS = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
          "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


@dataclass(frozen=True)
class DatasetSpec:
    """Where a data set of IDX files lives and what its files must hash to.

    ``files`` maps each file name (without ``.gz``) to the size and SHA-256
    of its decompressed bytes, which are the same for the official gzip files,
    Debian's re-compressed copies and a gunzipped copy.
    """

    name: str
    title: str
    classes: tuple[str, ...]
    mirrors: tuple[str, ...]
    files: dict[str, tuple[int, str]]
    system_dirs: tuple[str, ...] = ()
    package_hint: str = ""
    splits: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(SPLITS))


FASHION_MNIST = DatasetSpec(
    name="fashion-mnist",
    title="Fashion-MNIST",
    classes=FASHION_MNIST_CLASSES,
    mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
             "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
    # SHA-256 of the decompressed files, computed from Debian's dataset-fashion-mnist; their MD5s
    # (f4a8712d..., 9018921c..., 8181f547..., 15d48437...) are the ones published for the official files.
    files={
        "train-images-idx3-ubyte": (47_040_016, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        "train-labels-idx1-ubyte": (60_008, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        "t10k-images-idx3-ubyte": (7_840_016, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        "t10k-labels-idx1-ubyte": (10_008, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    },
    system_dirs=("/usr/share/datasets/fashion-mnist",),
    package_hint="install the Debian/Ubuntu package dataset-fashion-mnist (sudo apt install dataset-fashion-mnist)",
)

MNIST = DatasetSpec(
    name="mnist",
    title="MNIST",
    classes=MNIST_CLASSES,
    mirrors=("https://ossci-datasets.s3.amazonaws.com/mnist/",
             "https://storage.googleapis.com/cvdf-datasets/mnist/"),
    # SHA-256 of the decompressed files of the official MNIST. There is no Debian package to hash here; the
    # same four values and sizes are pinned by many unrelated public projects (cross-checked 2026-11-22).
    files={
        "train-images-idx3-ubyte": (47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        "train-labels-idx1-ubyte": (60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        "t10k-images-idx3-ubyte": (7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        "t10k-labels-idx1-ubyte": (10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    },
)


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


def _read_checked(spec: DatasetSpec, path: Path, name: str, downloaded: bool = False) -> np.ndarray:
    """Read ``path`` after checking its decompressed bytes are the official ``name``."""
    what = "the downloaded file" if downloaded else str(path)
    data = read_bytes(path)
    size, digest = spec.files[name]
    if len(data) != size or sha256_hex(data) != digest:
        raise ValueError(
            f"{what} is not the official {spec.title} file {name}: {len(data)} bytes decompressed "
            f"(expected {size}), SHA-256 {sha256_hex(data)[:16]}... (expected {digest[:16]}...). "
            + ("It was not kept." if downloaded else "Hint: delete it; it is damaged or a different version.")
        )
    return parse_idx(data, what)


def _find(directory: Path, name: str) -> Path | None:
    for candidate in (directory / f"{name}.gz", directory / name):
        if candidate.is_file():
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
    """The arrays from the first directory holding both files of the split, all checked."""
    for directory, _ in looked:
        paths = [_find(directory, n) for n in names]
        if all(paths):
            try:
                return [_read_checked(spec, p, n) for p, n in zip(paths, names)]
            except ValueError as exc:
                skipped.append(str(exc))
    return None


def _fetch(spec, name, target: Path, bases, progress, attempts: list[str]) -> np.ndarray | None:
    """Download ``name`` from the first base URL that gives the right file; ``None`` if none does."""
    for base in bases:
        url = base.rstrip("/") + f"/{name}.gz"
        try:
            dest = download(url, target / f"{name}.gz", check=lambda p: _read_checked(spec, p, name, downloaded=True),
                            progress=progress)
            return _read_checked(spec, dest, name)
        except DOWNLOAD_ERRORS as exc:
            attempts.append(f"{url}: {exc}")
    return None


def _from_mirrors(spec, names, target: Path, bases, progress, attempts: list[str]):
    """The arrays, reusing a good copy already in ``target`` and downloading the rest."""
    arrays = []
    for name in names:
        arr, found = None, _find(target, name)
        if found is not None:
            try:
                arr = _read_checked(spec, found, name)
            except ValueError as exc:
                attempts.append(f"{exc} (downloading it again)")
        if arr is None:
            arr = _fetch(spec, name, target, bases, progress, attempts)
        if arr is None:
            return None
        arrays.append(arr)
    return arrays


def load_idx_dataset(spec: DatasetSpec, split: str = "train", data_dir=None, download: bool = True,
                     normalize: bool = True, mirror=None, progress: bool = True):
    """Load ``split`` of the data set ``spec`` as ``(x, y)``; see ``load_fashion_mnist``."""
    if split not in spec.splits:
        raise ValueError(f"split must be one of {sorted(spec.splits)}, got {split!r}.")
    names = spec.splits[split]
    looked, skipped, attempts = search_dirs(spec, data_dir), [], []
    arrays = _from_disk(spec, names, looked, skipped)
    if arrays is None and download:
        arrays = _from_mirrors(spec, names, download_dir(spec, data_dir), _mirrors(spec, mirror), progress, attempts)
    if arrays is None:
        raise FileNotFoundError(_not_found_message(spec, split, looked, skipped, attempts, download))
    images, labels = arrays
    return _to_xy(spec, images, labels, names, normalize)


def _mirrors(spec: DatasetSpec, mirror) -> tuple[str, ...]:
    if mirror is None:
        mirror = os.environ.get("CNNLIB_MIRROR") or spec.mirrors
    return (mirror,) if isinstance(mirror, str) else tuple(mirror)


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
        lines.append(f"  - set CNNLIB_MIRROR (or pass mirror=) to a reachable copy of {spec.mirrors[0]}")
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

    >>> x, y = load_mnist("test")
    >>> x.shape, y[:3]
    ((10000, 1, 28, 28), array([7, 2, 1]))
    """
    return load_idx_dataset(MNIST, split, data_dir, download, normalize, mirror, progress)
