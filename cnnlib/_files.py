"""Writing a file all at once: to a temporary file beside it, then one rename.

An interrupted write never leaves half a file under the final name. A new file
gets the mode ``open()`` would give it (``0o666`` less the umask, usually
``0o644``), not ``tempfile.mkstemp``'s private ``0o600``, and a file written
over keeps its mode: a model or a data set saved into a shared directory stays
readable by the other users.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)  # the only way to read the umask is to set it ...
    os.umask(mask)  # ... and put it back at once
    return mask


def as_path(path, who: str, example: str = "model.npz") -> Path:
    """``path`` as a ``Path`` after checking it is a non-empty str or path, or a ``TypeError`` naming ``who``.

    ``example`` is a file name of the kind ``who`` reads or writes, shown in the hint.
    """
    hint = f"Hint: e.g. '{example}' or Path.home() / '{example}'."
    if isinstance(path, (str, os.PathLike)) and not str(path).strip():
        raise ValueError(f"{who} got an empty path {path!r}. {hint}")
    if isinstance(path, (str, os.PathLike)):
        return Path(path)
    raise TypeError(f"{who} needs a file path (a str or a Path), got {path!r}. {hint}")


def new_file_mode() -> int:
    """The permission bits a file created now with ``open(path, "w")`` would get."""
    return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_write(path):
    """Yield a binary file object; on success it replaces ``path`` in one rename.

    On any error (or Ctrl-C) inside the ``with`` block the temporary file is
    removed and ``path`` is left as it was.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "hello.bin"
    >>> with atomic_write(target) as f:
    ...     _ = f.write(b"hi")
    >>> target.read_bytes()
    b'hi'
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        # a new file gets the mode open() would give it; a file written over keeps its own (a shared 0644
        # model stays readable by the class when it is saved again under a private umask)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.is_file() else new_file_mode())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
