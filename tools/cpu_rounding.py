"""Compare a lesson cell's stored output with a fresh run's, allowing for the CPU's rounding.

Training a network adds up millions of float32 rounding errors, and how each
product and sum rounds depends on the CPU: OpenBLAS and numpy pick different
vector kernels on an Intel Xeon with AVX-512 and on an AMD EPYC with AVX2.
The same lesson, run on the two, prints ``mean training loss 0.908`` on one
and ``0.909`` on the other, and ``58.4%`` against ``59.3%`` after three
epochs. Neither is wrong, so nbval's exact comparison cannot check such a cell.

Cells whose output depends on a training run, or prints the size of a rounding
error, carry two tags:
``nbval-ignore-output`` (nbval skips them) and ``cpu-rounding`` (the rerun
test, ``tests/test_notebooks_rerun.py``, compares their stored output with its
own first run through :func:`beyond_rounding`). Everything but the numbers
must match exactly; each number may differ by {RTOL:.0%} of its size or by
{LAST_DIGITS} units of its last printed digit, whichever is larger. A number
below {TINY:.0e} in size on both sides is the size of a rounding error itself
(lesson 07's ``largest difference 2.9e-06``, 3.3e-06 where OpenBLAS runs
without FMA): it only has to stay that small. Pictures embedded as base64 are
left out, as nbval leaves out ``image/png``.
"""
from __future__ import annotations

import math
import re

CPU_ROUNDING_TAG = "cpu-rounding"
RTOL = 0.03  # AMD EPYC against Intel Xeon, lesson 08's three epochs on 2,000 images: 58.4% against 59.3% (1.5%)
LAST_DIGITS = 3  # 0.908 against 0.909; 41% against 42%
TINY = 1e-4  # below this, a printed number is a float32 rounding error (lesson 07: 2.9e-06 against 3.3e-06)
# A number as printed: -12, 0.908, 8,233, 1.5e-05, 59.3 (of 59.3%). Not the digits inside a name such as p1a2 or
# float32, nor a number glued to a unit (18px, 3x): those are layout and must match exactly.
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:,\d{3}(?!\d))*(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])")
PICTURE = re.compile(r"(data:image/[\w+.-]+;base64,)[A-Za-z0-9+/=\s]+")

__doc__ = __doc__.format(RTOL=RTOL, LAST_DIGITS=LAST_DIGITS, TINY=TINY)


def _value(number: str) -> float:
    return float(number.replace(",", ""))


def _last_digit(number: str) -> float:
    """The size of one unit of the number's last printed digit: 0.001 for 0.908, 1 for 8,233."""
    mantissa, _, exponent = number.replace(",", "").lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def _close(a: str, b: str) -> bool:
    x, y = _value(a), _value(b)
    if max(abs(x), abs(y)) < TINY:
        return True
    allowed = max(RTOL * max(abs(x), abs(y)), LAST_DIGITS * max(_last_digit(a), _last_digit(b)))
    return math.isclose(x, y, rel_tol=0, abs_tol=allowed)


def _skeleton(line: str) -> str:
    return NUMBER.sub("#", line)


def _line_difference(old: str, new: str) -> str | None:
    if _skeleton(old) != _skeleton(new):
        return f"{old.strip()[:90]!r} became {new.strip()[:90]!r}"
    for a, b in zip(NUMBER.findall(old), NUMBER.findall(new)):
        if not _close(a, b):
            return f"{a} became {b} in {new.strip()[:90]!r}"
    return None


def beyond_rounding(stored: str, fresh: str) -> str | None:
    """Where ``fresh`` differs from ``stored`` by more than rounding, in one line; ``None`` if it does not.

    >>> beyond_rounding("epoch 2: mean training loss 0.908", "epoch 2: mean training loss 0.909") is None
    True
    >>> beyond_rounding("test accuracy 58.4% (584 of 1000)", "test accuracy 59.3% (593 of 1000)") is None
    True
    >>> beyond_rounding("test accuracy 58.4% (584 of 1000)", "test accuracy 71.0% (710 of 1000)")
    "58.4 became 71.0 in 'test accuracy 71.0% (710 of 1000)'"
    >>> beyond_rounding("Shirt taken for Pullover: 212 times", "Shirt taken for Coat: 212 times")
    "'Shirt taken for Pullover: 212 times' became 'Shirt taken for Coat: 212 times'"

    Rows that a table sorts by a number may swap when two of them are close; each row must still be there:

    >>> beyond_rounding("Shirt 41% right\\nCoat 74% right\\nPullover 75% right",
    ...                 "Shirt 42% right\\nPullover 74% right\\nCoat 75% right") is None
    True
    """
    stored, fresh = PICTURE.sub(r"\1PICTURE", stored), PICTURE.sub(r"\1PICTURE", fresh)
    old_lines, new_lines = stored.splitlines(), fresh.splitlines()
    if len(old_lines) != len(new_lines):
        return f"{len(old_lines)} lines became {len(new_lines)}"
    in_order = next((d for a, b in zip(old_lines, new_lines) if (d := _line_difference(a, b))), None)
    if in_order is None:
        return None
    # The same rows in another order: pair them by their text without the numbers.
    by_text = sorted(old_lines, key=_skeleton), sorted(new_lines, key=_skeleton)
    if any(_line_difference(a, b) for a, b in zip(*by_text)):
        return in_order
    return None
