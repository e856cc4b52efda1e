"""Lesson 00's environment check: versions of what the lessons need, in plain words."""
from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

#: (distribution, minimum version, what it is for)
REQUIREMENTS = (
    ("numpy", "1.24", "arrays: every layer"),
    ("matplotlib", "3.7", "figures"),
    ("ipywidgets", "8.0", "sliders and Play buttons"),
    ("cnnlib", "0.1", "this course's library"),
)


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = ""
        for ch in piece:  # leading digits only: "0rc1" -> 0
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def environment_report() -> list[tuple[str, str, bool, str]]:
    """One row per requirement: ``(name, installed version or "missing", ok, advice)``."""
    rows = [("python", sys.version.split()[0], sys.version_info >= (3, 10),
             "" if sys.version_info >= (3, 10) else "cnnlib needs Python 3.10 or newer")]
    for name, minimum, purpose in REQUIREMENTS:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            rows.append((name, "missing", False, f"needed for {purpose}: run `make lab` (or pip install -e .)"))
            continue
        ok = _version_tuple(version) >= _version_tuple(minimum)
        advice = "" if ok else f"needs {name} >= {minimum} for {purpose}: run `make lab` to update"
        rows.append((name, version, ok, advice))
    return rows


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def frontend_report() -> list[tuple[str, str, bool, str]]:
    """Rows about the notebook front end: the widget extension that must match ipywidgets.

    ipywidgets 8 needs ``jupyterlab_widgets`` 3 in JupyterLab, or
    ``widgetsnbextension`` 4 in the classic Notebook; classic Notebook 6 with
    an old ``widgetsnbextension`` shows ``IntSlider(...)`` text instead of sliders.
    """
    rows = []
    widgets = _installed("ipywidgets")
    if widgets is None or _version_tuple(widgets)[:1] < (8,):
        return rows  # the ipywidgets row already says what to do
    lab_ext = _installed("jupyterlab_widgets")
    rows.append(("jupyterlab_widgets", lab_ext or "missing", lab_ext is not None and _version_tuple(lab_ext) >= (3,),
                 "" if lab_ext and _version_tuple(lab_ext) >= (3,) else
                 "JupyterLab shows no sliders without it: pip install 'jupyterlab_widgets>=3', then restart JupyterLab"))
    notebook = _installed("notebook")
    if notebook is not None and _version_tuple(notebook) < (7,):
        nbext = _installed("widgetsnbextension")
        ok = nbext is not None and _version_tuple(nbext) >= (4,)
        rows.append(("notebook", notebook, ok,
                     "classic Notebook 6 found; sliders work there only with widgetsnbextension>=4 "
                     "(pip install 'widgetsnbextension>=4'), or use JupyterLab: `make lab`"
                     if not ok else "classic Notebook 6 with widgetsnbextension 4: sliders should work"))
    return rows


def dataset_report() -> list[tuple[str, str, bool, str]]:
    """Whether Fashion-MNIST (lessons 07 to 09) is already on disk. Not having it yet is fine when online."""
    from cnnlib.datasets import mnist

    good = mnist.find_local(mnist.FASHION_MNIST)  # every file there readable and of the right SHA-256
    names = list(mnist.FASHION_MNIST.files)
    for directory, why in mnist.search_dirs(mnist.FASHION_MNIST):
        if good is not None and Path(directory) == Path(good):  # the loader takes this copy, damaged ones or not
            return [("fashion-mnist", f"found ({why})", True, str(directory))]
    for directory, why in mnist.search_dirs(mnist.FASHION_MNIST):
        if all((Path(directory) / f"{n}.gz").is_file() or (Path(directory) / n).is_file() for n in names):
            return [("fashion-mnist", "damaged", False,
                     f"the files in {directory} cannot be read or fail their checksum (an interrupted download?): "
                     "delete them and lesson 07 downloads them again, or fix their permissions")]
    return [("fashion-mnist", "not yet", True,
             "lesson 07 downloads it (about 30 MB) the first time; no network, or the mirrors blocked? put the four "
             ".gz files in DIR/fashion-mnist/ and start Jupyter with CNNLIB_DATA=DIR set, or have an administrator "
             "run `apt install dataset-fashion-mnist` (Debian, Ubuntu; one copy for every user)")]


def check_environment() -> bool:
    """Print the report; True when everything the lessons need is there."""
    rows = environment_report() + frontend_report() + dataset_report()
    for name, version, ok, advice in rows:
        print(f"{'ok ' if ok else 'FIX'}  {name:<18} {version:<24} {advice}")
    all_ok = all(ok for _, _, ok, _ in rows)
    print("Everything the lessons need is installed." if all_ok else "Fix the lines marked FIX, then restart the kernel.")
    return all_ok
