"""Tag the cells `make present` hides: the still picture in front of each widget and exercise scaffolding.

    python tools/tag_presentation.py notebooks/01_sliding_window.ipynb ...   # then: jupytext --sync each

A code cell gets the tag ``presentation-hide`` (hidden by the Voilà template in
``tools/jupyter/voila/templates/cnnlib-present``, still run) when it is

* the still picture of a widget: its last line is ``show(...)`` and the next code cell builds a widget;
* exercise scaffolding: a skeleton for the student (a line that is only ``...``, or
  ``raise NotImplementedError``), an answer placeholder (``my_x = None``), or the check of the
  student's answer (``result = check_...(``, ``check_...(my_...``).

Cells that show how a checker diagnoses a planted mistake (``print(check_...(wrong))``) stay: they teach.
"""
from __future__ import annotations

import re
import sys

import nbformat

TAG = "presentation-hide"
SCAFFOLDING = [
    re.compile(r"^\s*\.\.\.\s*$", re.M),
    re.compile(r"raise NotImplementedError"),
    re.compile(r"^my_\w+ = None", re.M),
    re.compile(r"^\w+ = check_(?!environment)\w+\(", re.M),  # not the setup check of lesson 00
    re.compile(r"\bcheck_\w+\(\s*my_\w+"),
]


def should_hide(cell, next_code) -> bool:
    src = cell.source
    last_line = src.strip().splitlines()[-1] if src.strip() else ""
    if last_line.startswith("show(") and next_code is not None and "_widget(" in next_code.source:
        return True
    return any(p.search(src) for p in SCAFFOLDING)


def tag(path: str) -> int:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    changed = 0
    for i, cell in enumerate(code):
        tags = list(cell.metadata.get("tags", []))
        if should_hide(cell, code[i + 1] if i + 1 < len(code) else None) and TAG not in tags:
            cell.metadata["tags"] = tags + [TAG]
            changed += 1
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    if not sys.argv[1:] or any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__.strip() + "\n\nusage: python tools/tag_presentation.py notebooks/NN_name.ipynb [...]")
        sys.exit(0 if sys.argv[1:] else 2)
    for p in sys.argv[1:]:
        print(f"{p}: tagged {tag(p)} cells")
