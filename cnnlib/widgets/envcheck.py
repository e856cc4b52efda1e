"""Lesson 00's environment check: versions of what the lessons need, in plain words."""
from __future__ import annotations

import sys
from importlib import metadata

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


def check_environment() -> bool:
    """Print the report; True when everything the lessons need is there."""
    rows = environment_report()
    for name, version, ok, advice in rows:
        print(f"{'ok ' if ok else 'FIX'}  {name:<11} {version:<12} {advice}")
    all_ok = all(ok for _, _, ok, _ in rows)
    print("Everything the lessons need is installed." if all_ok else "Fix the lines marked FIX, then restart the kernel.")
    return all_ok
