"""pytest set-up shared by ``tests/`` and the nbval run over ``notebooks/``: one BLAS thread everywhere.

Set when pytest loads this file, before numpy is imported and before pytest-xdist starts its workers; the workers,
and every kernel, Jupyter server and browser a test starts, inherit it. Why: ``tools/blas_threads.py``.
"""
from tools.blas_threads import pin_blas_threads

pin_blas_threads()
