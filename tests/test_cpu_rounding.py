"""tools/cpu_rounding.py: a stored training output is checked up to the CPU's rounding, and no further."""
from __future__ import annotations

import doctest
from pathlib import Path

import nbformat
import pytest

import tools.cpu_rounding as cpu_rounding
from tools.cpu_rounding import CPU_ROUNDING_TAG, beyond_rounding

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IGNORE_TAG = "nbval-ignore-output"


def test_examples():
    assert doctest.testmod(cpu_rounding).failed == 0


@pytest.mark.parametrize("stored, fresh", [
    # Seen between an Intel Xeon (AVX-512) and an AMD EPYC (AVX2), lessons 08, 09 and 13:
    ("epoch 2: mean training loss 0.908", "epoch 2: mean training loss 0.909"),
    ("test accuracy: 82.3%  (8,233 of 10,000 right)", "test accuracy: 82.2%  (8,221 of 10,000 right)"),
    ("Shirt        42% right", "Shirt        41% right"),
    ('<rect x="12.5" y="167.893" width="3.2"/>', '<rect x="12.5" y="167.892" width="3.2"/>'),
    ("lowest 0.593 at epoch 8", "lowest 0.601 at epoch 9"),
    ("std 2.31e-05", "std 2.33e-05"),
    ("(largest difference 2.9e-06)", "(largest difference 3.3e-06)"),  # lesson 07 where OpenBLAS has no FMA
    ("(largest difference 0.0e+00)", "(largest difference 1.2e-06)"),
])
def test_rounding_passes(stored, fresh):
    assert beyond_rounding(stored, fresh) is None


@pytest.mark.parametrize("stored, fresh, message", [
    ("accuracy 82.3%", "accuracy 75.0%", "82.3 became 75.0"),
    ("loss 0.908", "loss 0.950", "0.908 became 0.950"),
    ("(largest difference 2.9e-06)", "(largest difference 2.9e-03)", "2.9e-06 became 2.9e-03"),  # not a rounding error
    ("Shirt taken for Pullover", "Shirt taken for Coat", "'Shirt taken for Pullover' became 'Shirt taken for Coat'"),
    ("layer float32 (1, 28, 28)", "layer float64 (1, 28, 28)", "became"),  # digits in a word are text
    ('<g style="font-size: 18px">', '<g style="font-size: 17px">', "became"),  # a number with a unit is layout
    ("one line", "one line\nand another", "1 lines became 2"),
])
def test_more_than_rounding_is_named(stored, fresh, message):
    difference = beyond_rounding(stored, fresh)
    assert difference is not None and message in difference, difference


def test_embedded_pictures_are_left_out():
    stored = '<image xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA\nAAEAAAAB" x="1.5"/>'
    fresh = '<image xlink:href="data:image/png;base64,iVBORw0KGgoBBBBNSUhEUgAA\nAAEAAAAC" x="1.5"/>'
    assert beyond_rounding(stored, fresh) is None
    assert beyond_rounding(stored, fresh.replace('x="1.5"', 'x="9.5"')) is not None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cpu_rounding_cell_is_left_to_the_rerun_test_by_nbval(path):
    """nbval compares exactly, so a cpu-rounding cell must be nbval-ignore-output; the rerun test compares it."""
    nb = nbformat.read(path, as_version=4)
    untagged = [c.source.splitlines()[0] for c in nb.cells
                if CPU_ROUNDING_TAG in c.metadata.get("tags", ()) and IGNORE_TAG not in c.metadata.get("tags", ())]
    assert not untagged, f"{path.name}: {CPU_ROUNDING_TAG} cells without {IGNORE_TAG}: {untagged}"
