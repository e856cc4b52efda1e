"""Downloading a file safely: stream to a temporary file, check it, then rename.

An interrupted or corrupted download never leaves a file under the final
name, so a later run cannot mistake half a file for the data set.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.request
from pathlib import Path
from typing import Callable

_CHUNK = 1 << 16


def cache_dir(name: str) -> Path:
    """``$XDG_CACHE_HOME/cnnlib/<name>``, by default ``~/.cache/cnnlib/<name>``."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "cnnlib" / name


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def download(url: str, dest, *, check: Callable[[Path], None] | None = None,
             progress: bool = True, timeout: float = 30.0) -> Path:
    """Download ``url`` to ``dest`` atomically; ``check(tmp_path)`` may reject it by raising.

    The body goes to ``<dest>.*.part`` in the same directory; only after the
    whole body has arrived (``Content-Length`` bytes) and ``check`` passed is
    it renamed to ``dest``. On any error, or Ctrl-C, the part file is removed.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=dest.name + ".", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            bar = None
            if progress:
                from tqdm.auto import tqdm

                bar = tqdm(total=total, unit="B", unit_scale=True, desc=dest.name, leave=False)
            received = 0
            try:
                while chunk := resp.read(_CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
            finally:
                if bar is not None:
                    bar.close()
        if total is not None and received != total:
            raise OSError(f"the connection closed after {received} of {total} bytes")
        if check is not None:
            check(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


# What a failed mirror raises: network errors, a short body, a failed check.
DOWNLOAD_ERRORS = (OSError, http.client.HTTPException, ValueError)
