"""The IDX file format of MNIST and Fashion-MNIST, read and written with numpy.

An IDX file is a 4-byte magic number, one big-endian ``uint32`` per dimension,
then the values in C order::

    magic = 0x00 0x00 <type code> <number of dimensions>

Type codes: ``0x08`` uint8, ``0x09`` int8, ``0x0B`` int16, ``0x0C`` int32,
``0x0D`` float32, ``0x0E`` float64 (all big-endian). MNIST's images are
``0x00000803`` (uint8, 3-D: N, rows, cols) and its labels ``0x00000801``.
"""
from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CODES = {np.dtype(v).newbyteorder("="): k for k, v in DTYPES.items()}
GZIP_MAGIC = b"\x1f\x8b"


def read_bytes(path) -> bytes:
    """The file's bytes, gunzipped if it starts with the gzip magic ``1f 8b`` (whatever its name)."""
    path = Path(path)
    data = path.read_bytes()
    if data[:2] != GZIP_MAGIC:
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        raise ValueError(
            f"{path} is a damaged gzip file ({exc}); it was probably cut short by an interrupted download. "
            "Hint: delete it and download it again."
        ) from exc


def parse_idx(data: bytes, name: str = "IDX data") -> np.ndarray:
    """Decode the bytes of an IDX file into an array of its shape, in native byte order."""
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
    shape = struct.unpack(f">{ndim}I", data[4:header])
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        what = "truncated" if len(data) < expected else "longer than its header says"
        raise ValueError(
            f"{name} is {what}: shape {shape} of {dtype.newbyteorder('=').name} needs {expected} bytes "
            f"with the header, the file has {len(data)}. Hint: download it again."
        )
    arr = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return arr.astype(dtype.newbyteorder("="))  # a native-order, writable copy


def read_idx(path) -> np.ndarray:
    """Read an IDX file (gzip-compressed or raw, told apart by its first bytes).

    >>> read_idx("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz").shape
    (10000,)
    """
    return parse_idx(read_bytes(path), str(path))


def write_idx(path, array, *, compress: bool | None = None) -> Path:
    """Write ``array`` as an IDX file; gzip it if ``compress`` (default: the name ends in ``.gz``)."""
    arr = np.asarray(array)
    code = _CODES.get(arr.dtype.newbyteorder("="))
    if code is None or arr.ndim == 0 or arr.ndim > 255:
        raise TypeError(
            f"write_idx needs a 1-D or higher array of {[np.dtype(v).name for v in DTYPES.values()]}, "
            f"got {arr.ndim}-D {arr.dtype}."
        )
    data = bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    data += np.ascontiguousarray(arr, dtype=np.dtype(DTYPES[code])).tobytes()
    path = Path(path)
    if compress if compress is not None else path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    tmp = path.with_name(path.name + f".{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
