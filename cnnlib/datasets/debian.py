"""Unpacking a data set from a Debian package (``.deb``) without root, dpkg or apt.

``apt-get download dataset-fashion-mnist`` fetches the package as any user;
``extract_deb_dataset(deb, cnnlib.datasets.mnist.download_dir(FASHION_MNIST))``
then puts its four files where the loaders look. A ``.deb`` is an ``ar``
archive: the 8 bytes ``!<arch>\\n``, then members, each a 60-byte header::

    name (16)  mtime (12)  uid (6)  gid (6)  mode (8)  size (10)  "`\\n" (2)

and ``size`` bytes of data, padded to an even length. The member
``data.tar.xz`` (or ``.gz``, ``.bz2``, ``.zst``, none) holds the files to
install, with their paths from ``/``.
"""
from __future__ import annotations

import bz2
import gzip
import io
import posixpath
import sys
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from .._files import atomic_write
from .mnist import OfficialFileChecker, max_download_bytes
from .specs import FASHION_MNIST, DatasetSpec

AR_MAGIC = b"!<arch>\n"
_HEADER = 60
_CHUNK = 1 << 20


def _read_errors() -> tuple[type[BaseException], ...]:
    """What a damaged archive raises while it is decompressed and read."""
    errors: list[type[BaseException]] = [tarfile.TarError, EOFError, OSError, zlib.error]
    for module, name in (("lzma", "LZMAError"), ("zstandard", "ZstdError"), ("compression.zstd", "ZstdError")):
        try:
            errors.append(getattr(__import__(module, fromlist=[name]), name))
        except (ImportError, AttributeError):
            pass
    return tuple(errors)


def ar_members(f, name: str = "the archive") -> list[tuple[str, int, int]]:
    """``(member name, data offset, size)`` of each member of the ``ar`` archive open as ``f``."""
    if f.read(len(AR_MAGIC)) != AR_MAGIC:
        raise ValueError(f"{name} is not a Debian package: it does not start with {AR_MAGIC!r} (an ar archive). "
                         "Hint: download it again with `apt-get download <package>`.")
    members = []
    while header := f.read(_HEADER):
        size_field = header[48:58].strip()
        if len(header) < _HEADER or header[58:60] != b"`\n" or not size_field.isdigit():
            raise ValueError(f"{name} is damaged: a bad ar member header at byte {f.tell() - len(header)} "
                             f"({header[:16]!r}...). Hint: download it again.")
        size, offset = int(size_field), f.tell()
        members.append((header[:16].decode("ascii", "replace").rstrip().rstrip("/"), offset, size))
        f.seek(offset + size + size % 2)  # data is padded to an even length
    return members


class _Slice(io.RawIOBase):
    """The bytes ``[start, start + size)`` of the file ``f``, as a read-only stream."""

    def __init__(self, f, start: int, size: int) -> None:
        self.f, self.pos, self.end = f, start, start + size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.end - self.pos)
        if n <= 0:
            return 0
        self.f.seek(self.pos)
        data = self.f.read(n)
        buffer[:len(data)] = data
        self.pos += len(data)
        return len(data)


def _decompressed(raw: io.RawIOBase, member: str, deb: str):
    """A stream of the uncompressed tar inside ``member`` (``data.tar.xz`` and the like)."""
    suffix = member[len("data.tar"):]
    if suffix == "":
        return io.BufferedReader(raw)
    if suffix == ".gz":
        return gzip.GzipFile(fileobj=io.BufferedReader(raw))
    if suffix == ".bz2":
        return bz2.BZ2File(io.BufferedReader(raw))
    if suffix in (".xz", ".lzma"):
        try:
            import lzma
        except ImportError as exc:  # a Python built without liblzma
            raise ValueError(f"{deb} holds {member}, and this Python has no lzma module to read it. "
                             "Hint: use a Python built with xz support, or `dpkg-deb -x`.") from exc
        return lzma.LZMAFile(io.BufferedReader(raw))
    if suffix == ".zst":
        try:
            import zstandard  # the PyPI package; the standard library has zstd only from Python 3.14
        except ImportError:
            pass
        else:
            return zstandard.ZstdDecompressor().stream_reader(io.BufferedReader(raw))
        try:
            from compression import zstd  # Python >= 3.14
        except ImportError as exc:
            raise ValueError(
                f"{deb} holds {member} (zstd-compressed), which Python {sys.version.split()[0]} cannot "
                "decompress without a package. Hint: pip install zstandard, or unpack it with "
                "`dpkg-deb -x` (or `ar x` then `tar --zstd -xf`)."
            ) from exc
        return zstd.ZstdFile(io.BufferedReader(raw))
    raise ValueError(f"{deb} holds {member}, an unknown compression; expected data.tar with no suffix, "
                     ".gz, .bz2, .xz or .zst. Hint: unpack it with `dpkg-deb -x`.")


def _safe_name(member: tarfile.TarInfo, deb: str) -> str:
    """The member's path relative to ``/``, refusing absolute paths and ``..`` (path traversal)."""
    name = member.name
    if name.startswith("/") or ".." in PurePosixPath(name).parts:
        raise ValueError(f"{deb} is unsafe: its data holds {name!r}, a path outside the package's tree. "
                         "Refusing to unpack it. Hint: get the package from your distribution's mirror.")
    return posixpath.normpath(name)  # "./usr/share/x" -> "usr/share/x"


def _check_member(info: tarfile.TarInfo, name: str, target: Path, deb: str) -> None:
    """Refuse a link or a special file where a data file should be, and what the tarfile 'data' filter refuses."""
    if not info.isreg():
        kind = "link" if info.issym() or info.islnk() else "special file"
        raise ValueError(f"{deb} is unsafe: {name} is a {kind}, not a regular file. Refusing to unpack it.")
    if hasattr(tarfile, "data_filter"):  # Python >= 3.10.12 and 3.11.4: the standard library's checks too
        try:
            tarfile.data_filter(info, str(target))
        except tarfile.FilterError as exc:
            raise ValueError(f"{deb} is unsafe: {exc}. Refusing to unpack it.") from exc


def _copy(tar, member, dest: Path, checker: OfficialFileChecker) -> None:
    source = tar.extractfile(member)
    with atomic_write(dest) as out:  # mode 0o666 less the umask; never half a file under the final name
        while piece := source.read(_CHUNK):
            checker.update(piece)
            out.write(piece)
        checker.finish()


def extract_deb_dataset(deb_path, target_dir, spec: DatasetSpec = FASHION_MNIST) -> list[Path]:
    """Copy the files of ``spec`` out of the Debian package ``deb_path`` into ``target_dir``; return their paths.

    Only the regular files directly in the package's ``spec.system_dirs[0]``
    (``usr/share/datasets/fashion-mnist/``) whose names are files of ``spec``
    are written, each checked against its SHA-256 on the way (a file that
    fails is not kept). Raises ``ValueError`` if the package is damaged,
    unsafe (absolute paths, ``..``, links), compressed in a way this Python
    cannot read, or lacks a file. No root needed: nothing is installed.
    """
    deb = str(deb_path)
    prefix = spec.system_dirs[0].strip("/") if spec.system_dirs else ""
    if not prefix:
        raise ValueError(f"{spec.title} has no system directory to take from a package (spec.system_dirs is empty).")
    wanted = {f"{n}{ext}": n for n in spec.files for ext in (".gz", "")}
    target, written = Path(target_dir).expanduser(), {}
    with open(deb_path, "rb") as f:
        members = ar_members(f, deb)
        data = [m for m in members if m[0].startswith("data.tar")]
        if not data:
            raise ValueError(f"{deb} has no data.tar member (it has {[m[0] for m in members]}). "
                             "Hint: is it a Debian binary package? Download it again with `apt-get download`.")
        member, offset, size = data[0]
        try:
            with tarfile.open(fileobj=_decompressed(_Slice(f, offset, size), member, deb), mode="r|") as tar:
                for info in tar:
                    name = _safe_name(info, deb)
                    folder, base = posixpath.split(name)
                    if folder != prefix or base not in wanted:
                        continue
                    _check_member(info, name, target, deb)
                    file_name = wanted[base]
                    if info.size > max_download_bytes(spec.files[file_name][0]):
                        raise ValueError(f"{deb}: {name} holds {info.size:,} bytes, far more than the "
                                         f"{spec.files[file_name][0]:,} of {spec.title}'s {file_name}. Refusing it.")
                    target.mkdir(parents=True, exist_ok=True)
                    _copy(tar, info, target / base, OfficialFileChecker(spec, file_name, f"{name} in {deb}"))
                    written[file_name] = target / base
        except _read_errors() as exc:
            if isinstance(exc, OSError) and exc.filename is not None:
                raise  # the target directory, not the package: let the OSError name it
            raise ValueError(f"{deb} is damaged: {member} cannot be read ({exc}). Hint: download it again.") from exc
    missing = sorted(set(spec.files) - set(written))
    if missing:
        raise ValueError(f"{deb} lacks {missing} under /{prefix}/ (found {sorted(written)}). "
                         f"Hint: is it the package of {spec.title}? {spec.package_hint}")
    return [written[n] for n in spec.files]
