"""The IDX file format of MNIST and Fashion-MNIST, read and written with numpy.

An IDX file is a 4-byte magic number, one big-endian ``uint32`` per dimension,
then the values in C order::

    magic = 0x00 0x00 <type code> <number of dimensions>

Type codes: ``0x08`` uint8, ``0x09`` int8, ``0x0B`` int16, ``0x0C`` int32,
``0x0D`` float32, ``0x0E`` float64 (all big-endian). MNIST's images are
``0x00000803`` (uint8, 3-D: N, rows, cols) and its labels ``0x00000801``.

Files are read in pieces and gunzipped as a stream, never further than the
size expected: a small ``.gz`` that expands to gigabytes (a "gzip bomb") is
refused after the first bytes too many, not after filling the memory.
"""
from __future__ import annotations

import gzip
import math
import struct
import zlib
from pathlib import Path

import numpy as np

from .._files import as_path, atomic_write

DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CODES = {np.dtype(v).newbyteorder("="): k for k, v in DTYPES.items()}
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20  # bytes read, and at most produced by one decompression step
MAX_BYTES = 4 << 30  # what read_idx reads at most (4 GiB); the largest MNIST-family file is 47 MB unpacked


class Gunzip:
    """Gunzip a stream fed in pieces (passed through unchanged if it does not start with ``1f 8b``).

    ``feed(piece)`` returns the decompressed bytes so far; ``finish()`` the
    rest, after checking the gzip data is complete. No more than ``limit + 1``
    bytes ever come out: past ``limit``, ``feed`` raises ``ValueError`` (or,
    with ``strict=False``, sets ``full`` and decompresses nothing more).
    ``advice`` replaces the hint that ends those errors.
    """

    def __init__(self, limit: int | None = None, name: str = "the file", *, strict: bool = True,
                 advice: str | None = None) -> None:
        self.limit, self.name, self.strict, self.advice = limit, name, strict, advice
        self.size, self.full = 0, False
        self._head, self._gzip, self._d = b"", None, None

    def feed(self, piece: bytes) -> bytes:
        """The decompressed bytes of ``piece`` (or of what came before it, once gzip or not is known)."""
        if self._gzip is None:
            self._head += piece
            if len(self._head) < len(GZIP_MAGIC):
                return b""
            piece, self._head = self._head, b""
            self._gzip = piece.startswith(GZIP_MAGIC)
        if not self._gzip:
            return self._count(piece)
        out = []
        try:
            while not self.full:
                if self._d is None or self._d.eof:
                    if not piece or (self._d is not None and not piece.strip(b"\0")):
                        break  # the end, or zero padding after the last member (which gzip allows)
                    self._d = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer (CRC-32, size)
                room = CHUNK if self.limit is None else max(1, min(CHUNK, self.limit - self.size + 1))
                data = self._d.decompress(piece, room)  # at most `room` bytes, whatever the ratio
                out.append(self._count(data))
                piece = self._d.unused_data if self._d.eof else self._d.unconsumed_tail
                if not piece and not self._d.eof and len(data) < room:
                    break  # all input used and no output held back: wait for the next piece
        except zlib.error as exc:
            raise self._damaged(exc) from exc
        return b"".join(out)

    def finish(self) -> bytes:
        """The bytes still held back; raises ``ValueError`` if the gzip data stopped short."""
        if self._gzip is None:  # fewer than two bytes in all: not gzip
            self._gzip = False
            return self._count(self._head)
        if self._gzip and not self.full and not self._d.eof:
            raise self._damaged("the compressed data ends before its end marker")
        return b""

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            if not self.strict:
                self.full = True
                return data
            what = "decompresses to" if self._gzip else "holds"
            raise ValueError(
                f"{self.name} {what} more than {self.limit:,} bytes, the most expected here: it is not the file "
                "it claims to be (perhaps a decompression bomb). " + (self.advice or "Hint: delete it.")
            )
        return data

    def _damaged(self, why) -> ValueError:
        return ValueError(
            f"{self.name} is a damaged gzip file ({why}); it was probably cut short by an interrupted download. "
            + (self.advice or "Hint: delete it and download it again.")
        )


def read_bytes(path, limit: int | None = None, *, stop: bool = False) -> bytes:
    """The file's bytes, gunzipped if it starts with the gzip magic ``1f 8b`` (whatever its name).

    Past ``limit`` decompressed bytes it raises ``ValueError``, or with ``stop``
    returns the first ``limit`` bytes (a prefix, e.g. the header).
    """
    path = Path(path)
    g, out = Gunzip(limit, str(path), strict=not stop), bytearray()
    with open(path, "rb") as f:
        while not g.full and (piece := f.read(CHUNK)):
            out += g.feed(piece)
    out += g.finish()
    return bytes(out[:limit] if stop else out)


def _header(data: bytes, name: str) -> tuple[np.dtype, tuple[int, ...], int]:
    """``(dtype, shape, header length)`` from the start of an IDX file."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in DTYPES or data[3] == 0:
        raise ValueError(
            f"{name} is not an IDX file: magic number {data[:4].hex(' ') or 'missing'}, expected "
            f"00 00 <type code in {sorted(f'{c:02x}' for c in DTYPES)}> <ndim >= 1> "
            "(MNIST images: 00 00 08 03, labels: 00 00 08 01). "
            "Hint: check the file name; an HTML error page saved as .gz looks like this."
        )
    dtype, ndim = np.dtype(DTYPES[data[2]]), data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{name} is truncated: its header needs {header} bytes, the file has {len(data)}.")
    return dtype, struct.unpack(f">{ndim}I", data[4:header]), header


def _size(dtype: np.dtype, shape: tuple[int, ...], header: int) -> int:
    return header + math.prod(shape) * dtype.itemsize  # Python ints: no int64 overflow for huge shapes


def parse_idx(data: bytes, name: str = "IDX data") -> np.ndarray:
    """Decode the bytes of an IDX file into an array of its shape, in native byte order."""
    dtype, shape, header = _header(data, name)
    expected = _size(dtype, shape, header)
    if len(data) != expected:  # checked before numpy allocates anything
        what = "truncated" if len(data) < expected else "longer than its header says"
        raise ValueError(
            f"{name} is {what}: shape {shape} of {dtype.newbyteorder('=').name} needs {expected:,} bytes "
            f"with the header, the file has {len(data):,}. Hint: download it again."
        )
    arr = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return arr.astype(dtype.newbyteorder("="))  # a native-order, writable copy


def read_idx(path) -> np.ndarray:
    """Read an IDX file (gzip-compressed or raw, told apart by its first bytes).

    The header says how many bytes follow; nothing past one byte more is read.

    >>> import tempfile
    >>> path = write_idx(tempfile.mkdtemp() + "/labels-idx1-ubyte.gz", np.array([9, 0, 0], dtype=np.uint8))
    >>> read_idx(path)
    array([9, 0, 0], dtype=uint8)
    """
    path = as_path(path, "read_idx", "train-labels-idx1-ubyte.gz")
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "does not exist"
        raise FileNotFoundError(f"{path} {what}; expected an IDX file (e.g. train-images-idx3-ubyte.gz). Hint: "
                                "check the path, or let load_fashion_mnist() find or download the files.")
    dtype, shape, header = _header(read_bytes(path, 4 + 4 * 255, stop=True), str(path))  # at most 255 dims
    if _size(dtype, shape, header) > MAX_BYTES:  # refused before reading: a damaged header can claim terabytes
        raise ValueError(
            f"{path} says it holds shape {shape} of {dtype.newbyteorder('=').name}, "
            f"{_size(dtype, shape, header):,} bytes: more than the {MAX_BYTES:,} read_idx reads (all of "
            "Fashion-MNIST is 55 MB). Hint: the header is probably damaged; download the file again."
        )
    return parse_idx(read_bytes(path, _size(dtype, shape, header) + 1, stop=True), str(path))


def write_idx(path, array, *, compress: bool | None = None) -> Path:
    """Write ``array`` as an IDX file; gzip it if ``compress`` (default: the name ends in ``.gz``)."""
    path = as_path(path, "write_idx", "train-labels-idx1-ubyte.gz")
    if path.is_dir():
        raise ValueError(f"write_idx cannot write to {path}: it is a directory. Hint: name a file in it, e.g. "
                         f"write_idx('{path / 'train-labels-idx1-ubyte.gz'}', labels).")
    arr = np.asarray(array)
    code = _CODES.get(arr.dtype.newbyteorder("="))
    if code is None or arr.ndim == 0 or arr.ndim > 255:
        raise TypeError(
            f"write_idx needs a 1-D or higher array of {[np.dtype(v).name for v in DTYPES.values()]}, "
            f"got {arr.ndim}-D {arr.dtype}."
        )
    data = bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    data += np.ascontiguousarray(arr, dtype=np.dtype(DTYPES[code])).tobytes()
    if compress if compress is not None else path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    with atomic_write(path) as f:  # readable by others (0o666 less the umask), never half written
        f.write(data)
    return path
