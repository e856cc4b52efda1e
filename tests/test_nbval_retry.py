"""tools/nbval_retry.py: a kernel that died at start is started once more; every other failure is left alone."""
import pytest

from tools.nbval_retry import retrying


def _start(failures):
    calls = []

    def start(**kwargs):
        calls.append(kwargs)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return "km", "kc"

    return start, calls


def test_a_kernel_that_died_before_kernel_info_is_started_once_more():
    start, calls = _start([RuntimeError("Kernel died before replying to kernel_info")])
    assert retrying(start)(kernel_name="python3") == ("km", "kc")
    assert calls == [{"kernel_name": "python3"}] * 2


def test_a_kernel_that_dies_twice_fails_and_other_errors_are_not_retried():
    died = RuntimeError("Kernel died before replying to kernel_info")
    start, calls = _start([died, died])
    with pytest.raises(RuntimeError, match="before replying to kernel_info"):
        retrying(start)()
    assert len(calls) == 2
    start, calls = _start([RuntimeError("Kernel didn't respond in 60 seconds")])
    with pytest.raises(RuntimeError, match="didn't respond"):
        retrying(start)()
    assert len(calls) == 1


def test_the_repository_conftest_installed_it_into_nbval():
    kernel = pytest.importorskip("nbval.kernel")  # make test-floors runs without nbval

    assert getattr(kernel.start_new_kernel, "_cnnlib_retrying", False)
