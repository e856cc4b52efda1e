"""Downloading a file safely: stream it to a temporary file, check it on the way, then rename.

An interrupted, oversized or corrupted download never leaves a file under the
final name, so a later run cannot mistake half a file for the data set. The
file gets the usual mode (``0o666`` less the umask): a data directory shared
by several users stays readable by all of them.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import urllib.request
from pathlib import Path
from typing import Protocol

from .._files import atomic_write

_CHUNK = 1 << 16


class StreamCheck(Protocol):
    """What ``download(check=...)`` needs: ``update`` sees each piece, ``finish`` the end; either may raise."""

    def update(self, piece: bytes) -> None: ...

    def finish(self) -> None: ...


def cache_dir(name: str) -> Path:
    """``$XDG_CACHE_HOME/cnnlib/<name>``, by default ``~/.cache/cnnlib/<name>``."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "cnnlib" / name


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


_TOO_BIG_HINT = "Hint: the mirror serves a different file; try another mirror. It was not kept."


def download(url: str, dest, *, check: StreamCheck | None = None, max_bytes: int | None = None,
             progress: bool = True, timeout: float = 30.0) -> Path:
    """Download ``url`` to ``dest`` atomically, refusing it as soon as something is wrong.

    The body goes to ``<dest>.*.part`` in the same directory and, piece by
    piece, to ``check.update`` (which may decompress and hash it). Only after
    the whole body has arrived (``Content-Length`` bytes, at most
    ``max_bytes``) and ``check.finish()`` passed is it renamed to ``dest``.
    On any error, or Ctrl-C, the part file is removed.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)  # mode 0o777 less the umask, like mkdir(1)
    with atomic_write(dest) as out, urllib.request.urlopen(url, timeout=timeout) as resp:
        length = resp.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if max_bytes is not None and total is not None and total > max_bytes:
            raise ValueError(f"the server announces {total:,} bytes, expected at most {max_bytes:,}. {_TOO_BIG_HINT}")
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=total, unit="B", unit_scale=True, desc=dest.name, leave=False)
        received = 0
        try:
            while chunk := resp.read(_CHUNK):
                received += len(chunk)
                if max_bytes is not None and received > max_bytes:  # no Content-Length, or a lying one
                    raise ValueError(f"the server sent more than {max_bytes:,} bytes, the most expected for "
                                     f"this file. {_TOO_BIG_HINT}")
                out.write(chunk)
                if check is not None:
                    check.update(chunk)
                if bar is not None:
                    bar.update(len(chunk))
        finally:
            if bar is not None:
                bar.close()
        if total is not None and received != total:
            raise OSError(f"the connection closed after {received} of {total} bytes")
        if check is not None:
            check.finish()
    return dest


# What a failed mirror raises: network errors, a short body, a failed check.
DOWNLOAD_ERRORS = (OSError, http.client.HTTPException, ValueError)
