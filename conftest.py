"""pytest set-up shared by ``tests/`` and the nbval run over ``notebooks/``.

* One BLAS thread everywhere. Set when pytest loads this file, before numpy is imported and before pytest-xdist
  starts its workers; the workers, and every kernel, Jupyter server and browser a test starts, inherit it. Why:
  ``tools/blas_threads.py``.
* nbval starts a lesson's kernel a second time if the first died before answering ``kernel_info`` (a port taken
  by another process in between): ``tools/nbval_retry.py``.
"""
from tools import nbval_retry
from tools.blas_threads import pin_blas_threads

pin_blas_threads()
nbval_retry.install()
