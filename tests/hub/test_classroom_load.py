"""A small class through the load test (benchmarks/classroom_load.py): 3 students at once, one in Chromium.

The full table (N = 5, 10, 20) is in benchmarks/classroom_load.md; this run
checks that every student gets a server, runs lessons 02 and 04 to the end
with figures, and that every slider move gets its callback through the hub.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from .conftest import ACCOUNT_PREFIX, ROOT

STUDENTS, BROWSERS, MOVES = 3, 1, 2


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("classroom_load", ROOT / "benchmarks" / "classroom_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_three_students_at_once_run_lessons_02_and_04_and_move_sliders(test_class):
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from servers import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: make test installs one (or set CNNLIB_CHROMIUM)")
    bench = _load_benchmark()
    summary = bench.run_class(test_class.url, test_class.token, test_class.password, STUDENTS,
                              browsers=BROWSERS, moves=MOVES, prefix=ACCOUNT_PREFIX, names="load")
    assert summary["failures"] == []
    for r in summary["results"]:
        assert len(r["first_figure_s"]) == 2 and all(s > 0 for s in r["first_figure_s"]), r
        assert r["peak_rss_mib"] > 100, r  # a Jupyter server and a kernel were measured
    api_moves = [len(r["callbacks_ms"]) for r in summary["results"] if r["kind"] == "api"]
    assert len(api_moves) == STUDENTS - BROWSERS and min(api_moves) >= 2 * MOVES, api_moves
    browser_moves = [len(r["callbacks_ms"]) for r in summary["results"] if r["kind"] == "browser"]
    assert browser_moves and min(browser_moves) >= MOVES, browser_moves
    assert summary["callback_ms_p95"] > 0
