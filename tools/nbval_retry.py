"""Start a lesson's nbval kernel once more when the first one dies before it answers ``kernel_info``.

jupyter_client picks free TCP ports for a kernel and the kernel binds them a moment later; with Jupyter servers,
hub students, browsers and nbval all starting kernels and connections at once, another process can take a port
in between, and the kernel exits at start (jupyter/jupyter_client#154, jupyter/nbconvert#1066). That happened
once in a clean-clone run of ``make test`` (lesson 11: every cell "Kernel died before replying to kernel_info").
No lesson code runs before ``kernel_info``, so a second start cannot hide a lesson's error, and a kernel that
cannot start at all fails the second time too. nbval's ``start_new_kernel`` shuts a dead kernel down before it
raises. Installed by the repository's ``conftest.py``.
"""
from __future__ import annotations

DIED_AT_START = "before replying to kernel_info"


def retrying(start):
    """``start`` (nbval's ``start_new_kernel``), called once more if the kernel died before ``kernel_info``."""
    def start_new_kernel(*args, **kwargs):
        try:
            return start(*args, **kwargs)
        except RuntimeError as exc:
            if DIED_AT_START not in str(exc):
                raise
            return start(*args, **kwargs)

    return start_new_kernel


def install() -> None:
    """Wrap ``nbval.kernel.start_new_kernel`` (``RunningKernel`` looks it up there), if nbval is installed."""
    try:
        from nbval import kernel
    except ImportError:  # make test-floors runs without nbval
        return
    if not getattr(kernel.start_new_kernel, "_cnnlib_retrying", False):
        kernel.start_new_kernel = retrying(kernel.start_new_kernel)
        kernel.start_new_kernel._cnnlib_retrying = True
