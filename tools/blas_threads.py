"""One BLAS thread in every process that runs the lessons for the tests or for their stored outputs.

The numbers a lesson prints after training (lesson 09's confusions, lesson 13's shift statistics) depend in their
last digit on how many threads OpenBLAS splits a matrix product over, and OpenBLAS starts one per core by default:
the outputs that ``tools/run_notebooks.py`` stores would then match nbval only on a machine with as many cores.
One thread makes them independent of the core count. It is also faster here: ``make test`` runs several pytest
workers on two cores, and kernels spinning two BLAS threads each made lesson 08 run 71.5 s instead of 12.2 s
(measured with the other core busy).

Students' kernels (``make lab``) keep numpy's default; only test and output-making processes are pinned.
"""
from __future__ import annotations

import os

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def pin_blas_threads() -> None:
    """Set one BLAS thread in ``os.environ``, for this process (if numpy is not imported yet) and its children."""
    for name in VARIABLES:
        os.environ[name] = "1"
