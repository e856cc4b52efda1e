"""Reading a model file without trusting it.

A model file is a zip of ``.npy`` arrays (``np.savez``). Before any array is
read, its ``.npy`` header (shape and dtype, a few hundred bytes) is checked:
the dtype, the keys the architecture record declares, the shapes, and that
the member holds exactly the bytes the shape needs. Only then are the arrays
read. So an empty, truncated, damaged or crafted file is a ``ValueError`` that
names the file and what is wrong, never a ``BadZipFile`` from deep inside
numpy or an attempt to allocate gigabytes.
"""
from __future__ import annotations

import json
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ._files import as_path

# Far above any model cnnlib can train (fashion_mnist_cnn has 225,034 numbers): 1 GiB of float32.
MAX_NUMBERS = 2**28
MAX_ARCH_CHARS = 2**22  # characters of the JSON architecture record
_RESAVE = "Hint: the file is damaged or was not written by model.save(path); save the model again."
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, NotImplementedError,
                RuntimeError)


class _BadFile(ValueError):
    """A problem this module found and described itself (naming the file)."""


def resolve(path) -> Path:
    """``path`` (with ``.npz`` appended if only that exists) after checking it is a non-empty file."""
    path = as_path(path, "Sequential.load")
    if not path.exists() and path.suffix != ".npz" and path.with_name(path.name + ".npz").exists():
        path = path.with_name(path.name + ".npz")
    if not path.exists():
        raise FileNotFoundError(f"No model file at {path}. Hint: check the path; model.save(path) writes one.")
    if path.is_dir():
        raise ValueError(f"{path} is a directory, not a model file. Hint: pass the .npz file model.save wrote.")
    if not os.access(path, os.R_OK):
        raise PermissionError(f"{path} is not readable by you (mode {path.stat().st_mode & 0o777:o}). Hint: ask "
                              "its owner to make it readable (chmod a+r), or copy it somewhere you can read.")
    if path.stat().st_size == 0:
        raise ValueError(f"{path} is empty (0 bytes): an interrupted copy or download? Hint: save the model again.")
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as f:
            start = f.read(16)
        if start.startswith(b"PK"):
            why = f"is truncated or damaged: no zip directory at its end ({path.stat().st_size} bytes)"
        elif start.startswith(b"\x93NUMPY"):
            why = "is a single .npy array, not an .npz model file"
        else:
            why = f"is not an .npz model file: it starts with {start[:8]!r}, not a zip signature"
        raise ValueError(f"{path} {why}. {_RESAVE}")
    return path


def _header(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, key: str):
    """``(shape, dtype)`` from the ``.npy`` header of one member, after checking the member's size."""
    with zf.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise _BadFile(f"{path}: array {key!r} has .npy format version {version}, expected 1.0 or 2.0. "
                           f"{_RESAVE}")
        header_bytes = f.tell()
    if dtype.hasobject:
        raise _BadFile(
            f"{path} holds pickled objects (array {key!r} has dtype {dtype}), which cnnlib never writes and refuses "
            "to load (allow_pickle=False). Hint: write model files with model.save(path)."
        )
    count = int(np.prod(shape, dtype=np.float64))  # float: a crafted shape may overflow int64
    if count > MAX_NUMBERS:
        raise _BadFile(
            f"{path}: array {key!r} declares shape {shape}: more than {MAX_NUMBERS:,} numbers, far beyond any "
            f"model cnnlib trains; refusing to allocate it. {_RESAVE}"
        )
    data_bytes = count * dtype.itemsize
    if info.file_size != header_bytes + data_bytes:
        raise _BadFile(
            f"{path} is truncated or damaged: array {key!r} declares shape {shape} ({data_bytes} bytes of data) "
            f"but holds {info.file_size - header_bytes}. {_RESAVE}"
        )
    return shape, dtype


def _check_shape_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in value)


def check_meta(meta, path: Path, fmt: str) -> list[dict]:
    """The list of layer records of the architecture record ``meta``, after checking its structure."""
    def bad(problem):
        return _BadFile(f"{path} has a malformed architecture record: {problem}. {_RESAVE}")

    if not isinstance(meta, dict):
        raise bad(f"expected a JSON object, got {type(meta).__name__}")
    if meta.get("format") != fmt:
        raise _BadFile(f"{path} has format {meta.get('format')!r}, expected {fmt!r}.")
    layers = meta.get("layers")
    if not isinstance(layers, list):
        raise bad("no 'layers' list")
    return check_layer_records(layers, path)


def check_layer_records(layers: list, path: Path, where: str = "") -> list[dict]:
    """``layers`` after checking each is a layer record (type, repr, params, buffers, config).

    ``where`` prefixes the layer numbers in errors: ``"3.block."`` for the
    records nested in the ``block`` argument of layer 3 (a ``Residual``).
    """
    def bad(problem):
        return _BadFile(f"{path} has a malformed architecture record: {problem}. {_RESAVE}")

    for i, rec in enumerate(layers):
        name = f"layer {where}{i}"
        if not isinstance(rec, dict):
            raise bad(f"{name} must be an object, got {rec!r}")
        for field, kind in (("type", str), ("repr", str)):
            if not isinstance(rec.get(field), kind):
                raise bad(f"{name} has no {field!r}" if field not in rec else f"{name} {field!r} must be text")
        for field in ("params", "buffers"):
            value = rec.get(field)
            if not (isinstance(value, dict) and all(_check_shape_list(v) for v in value.values())):
                raise bad(f"{name} {field!r} must map names to shapes (lists of ints >= 0), got {value!r}")
        if not (rec.get("config") is None or isinstance(rec["config"], dict)):
            raise bad(f"{name} 'config' must be an object or null, got {rec['config']!r}")
    return layers


def read_model_file(path, arch_key: str, fmt: str) -> tuple[Path, list[dict], dict[str, np.ndarray]]:
    """``(path, layer records, arrays)`` of a model file, every part checked (see the module docstring)."""
    path = resolve(path)
    try:
        with zipfile.ZipFile(path) as zf:
            headers = {}
            for info in zf.infolist():
                if not info.filename.endswith(".npy"):
                    raise _BadFile(f"{path} holds {info.filename!r}, which is not a numpy array. {_RESAVE}")
                key = info.filename[:-4]
                try:
                    headers[key] = (info, *_header(zf, info, path, key))
                except _BadFile:
                    raise
                except _READ_ERRORS as exc:  # a CRC or zlib error: bytes changed after saving
                    raise _BadFile(f"{path} is damaged: array {key!r} cannot be read ({type(exc).__name__}: "
                                   f"{exc}). {_RESAVE}") from exc
            if arch_key not in headers:
                raise _BadFile(
                    f"{path} is not a cnnlib model file: it has no {arch_key!r} entry "
                    f"(found {sorted(headers)[:5]}). Hint: write it with model.save(path)."
                )
            records = check_meta(_arch(zf, headers.pop(arch_key), path), path, fmt)
            _check_keys(headers, records, path)
            arrays = {key: _read(zf, info, path, key) for key, (info, _, _) in headers.items()}
    except _BadFile:
        raise
    except _READ_ERRORS as exc:
        raise _BadFile(f"{path} is truncated or damaged: {type(exc).__name__}: {exc}. {_RESAVE}") from exc
    return path, records, arrays


def _arch(zf, header, path: Path):
    info, shape, dtype = header
    if dtype.kind != "U" or shape != () or dtype.itemsize // 4 > MAX_ARCH_CHARS:
        raise _BadFile(
            f"{path}: the architecture record must be a JSON string, got a {dtype} array of shape {shape}. {_RESAVE}"
        )
    text = str(_read(zf, info, path, "architecture record"))
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _BadFile(f"{path}: the architecture record is not valid JSON ({exc}). {_RESAVE}") from exc


def _check_keys(headers: dict, records: list[dict], path: Path) -> None:
    """The stored arrays are exactly the declared ones, with the declared shapes, in float32/float64."""
    declared = {f"{i}.{k}": tuple(shape) for i, rec in enumerate(records)
                for k, shape in [*rec["params"].items(), *rec["buffers"].items()]}
    for key, shape in declared.items():
        if key not in headers:
            raise _BadFile(f"{path} is damaged: array {key!r} is missing (the architecture record declares it). "
                             f"{_RESAVE}")
    extra = sorted(set(headers) - set(declared))
    if extra:
        raise _BadFile(f"{path} holds array(s) {extra[:5]} that no layer of its architecture record declares. "
                         f"{_RESAVE}")
    for key, (_, shape, dtype) in headers.items():
        if shape != declared[key]:
            raise _BadFile(f"{path} is damaged: array {key!r} has shape {shape}, but the architecture record "
                             f"declares {declared[key]}. {_RESAVE}")
        if dtype.kind != "f" or dtype.itemsize not in (4, 8):
            raise _BadFile(f"{path}: array {key!r} has dtype {dtype}; expected float32 or float64. {_RESAVE}")


def _read(zf, info, path: Path, key: str) -> np.ndarray:
    try:
        with zf.open(info) as f:
            arr = np.lib.format.read_array(f, allow_pickle=False)
            f.read()  # to the end, so that zipfile checks the CRC
    except _READ_ERRORS as exc:  # a CRC or zlib error: bytes changed after saving
        raise _BadFile(f"{path} is damaged: array {key!r} cannot be read ({type(exc).__name__}: {exc}). "
                         f"{_RESAVE}") from exc
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise _BadFile(
            f"{path}: array {key!r} holds NaN or inf ({int((~np.isfinite(arr)).sum())} of {arr.size} entries): "
            "training diverged before it was saved. Hint: train again with a lower learning rate, then save."
        )
    return arr
