"""Numbers as the lessons write them: in grid cells, in sums written out, in small matrices.

>>> format_value(3.0), format_value(-0.0), format_value(0.125), format_value(float("nan"))
('3', '0', '0.12', '?')
>>> paren(-2.0), format_rows([[1.0, -0.5]])
('(-2)', '[[1, -0.50]]')
>>> print(wrap_text("one two three four", width=9))
one two
three
four
"""
from __future__ import annotations

import textwrap

import numpy as np

#: Printed lines are wrapped here: they fit a notebook's output at 1024×768 with room to spare
#: (JupyterLab breaks an output line that is too long anywhere, even in the middle of a word).
WRAP_COLUMNS = 88


def format_value(v) -> str:
    """Short text for one number: integers without a decimal point, others to 2 decimals, ``?`` for NaN."""
    v = float(v) + 0.0  # + 0.0: no "-0"
    if not np.isfinite(v):
        return "?"
    return str(int(v)) if v.is_integer() else f"{v:.2f}"


def paren(v) -> str:
    """A number as a factor of a product: ``2``, or ``(-1)`` in parentheses when negative."""
    text = format_value(v)
    return f"({text})" if text.startswith("-") else text


def format_rows(a) -> str:
    """A small 2-D array written as nested lists: ``[[1, 2], [3, 4]]``."""
    return "[" + ", ".join("[" + ", ".join(format_value(v) for v in row) + "]" for row in np.asarray(a)) + "]"


def wrap_text(text: str, width: int = WRAP_COLUMNS) -> str:
    """``text`` with every line longer than ``width`` wrapped between words, keeping its indentation.

    A single word longer than ``width`` stays whole on its own line. Lines
    already short enough, and blank lines, are kept as they are.
    """
    out = []
    for line in str(text).split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        out.extend(textwrap.wrap(line, width=width, subsequent_indent=indent, break_long_words=False,
                                 break_on_hyphens=False) or [line])
    return "\n".join(out)
