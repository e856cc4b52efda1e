"""A class of N students on the workshop hub at once: time to first figure, slider latency, memory, failures.

    .venv/bin/python benchmarks/classroom_load.py --students 10 [--browsers 2] [--moves 4] [--json out.json]

Starts its own hub (as ``make hub`` runs it, on 127.0.0.1, state and homes in
a temporary directory, lessons from this checkout) unless ``--hub-url`` and
``--token`` name a running one. Every student at once:

* **simulated students** (N - browsers): the admin service creates the user
  and starts the server through the hub's REST API, then the student, with a
  token of their own, opens lessons 02 and 04 (a Jupyter session each), runs
  every code cell through the kernel's websocket, and moves every slider of
  every widget ``--moves`` times by sending the slider's comm the ``update``
  message JupyterLab sends; a callback's latency is the time from sending it to
  the kernel going idle, which is when the widget's new figure has been
  computed and sent (no browser drawing in it);
* **browser students** (``--browsers``, default 2): a headless Chromium logs in
  through the hub's login form with the workshop password, opens the same
  lessons in JupyterLab, runs all cells and moves each widget's first slider
  with the keyboard; latency is keypress until every panel is redrawn in the page
  (``tests/browser/page_tools.py``).

It samples, every second, the resident memory of each student's processes
(their Unix account's) and the machine's load average, and prints one row of
the table in ``benchmarks/classroom_load.md`` (``--json`` writes every number).
Requires root and the hub install (``make .venv/.hub-installed``).
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "hub"))
from hub_client import Hub, StudentServer, code_cells  # noqa: E402

LESSONS = ("cnnlib/notebooks/02_stride_padding_output_size.ipynb", "cnnlib/notebooks/04_pooling.ipynb")


@dataclass
class StudentResult:
    name: str
    kind: str  # "api" or "browser"
    spawn_s: float = float("nan")
    first_figure_s: list = field(default_factory=list)  # per lesson: from opening it to its first figure
    callbacks_ms: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    peak_rss_mib: float = 0.0
    cpu_s: float = 0.0  # the student's kernels, summed before each is shut down
    server_cpu_s: float = 0.0  # the student's Jupyter server (and any kernel still running) at the end


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))]


def run_api_student(hub: Hub, url: str, result: StudentResult, moves: int, start: threading.Barrier) -> None:
    start.wait()
    try:
        hub.create_user(result.name)
        result.spawn_s = hub.start_server(result.name, timeout=360)
        server = StudentServer(url, result.name, hub.user_token(result.name))
    except Exception as exc:  # a failed spawn is a result, not a crash of the benchmark
        result.failures.append(f"spawn: {exc}")
        return
    for lesson in LESSONS:
        try:
            t0 = time.monotonic()
            kernel = server.open_lesson(lesson)
            first = None
            for i, code in enumerate(code_cells(server.notebook(lesson))):
                cell = kernel.execute(code, timeout=600)
                if cell.status != "ok":
                    result.failures.append(f"{lesson} cell {i}: {cell.status} {cell.error}")
                    break
                first = first or cell.first_figure
            result.first_figure_s.append(first - t0 if first else float("nan"))
            for slider in list(kernel.sliders.values()):
                for _ in range(moves):
                    status, seconds = kernel.move_slider(slider)
                    if status != "ok":
                        result.failures.append(f"{lesson} slider: {status}")
                        break
                    result.callbacks_ms.append(seconds * 1000)
            result.cpu_s += _cpu_seconds(result.name)
            server.close(kernel)
        except Exception as exc:
            result.failures.append(f"{lesson}: {type(exc).__name__}: {exc}")


def run_browser_student(url: str, password: str, result: StudentResult, moves: int, start: threading.Barrier) -> None:
    """A real Chromium: the login form, JupyterLab, Run All, the keyboard on each widget's first slider."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from page_tools import move_slider, wait_for_widgets
    from playwright import sync_api
    from servers import CHROMIUM, CHROMIUM_ARGS

    from browser_js import ALL_EXECUTED_JS, ERRORS_JS, FIRST_FIGURE_JS, KERNEL_IDLE_JS, SLIDER_AREAS_JS

    start.wait()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t0 = time.monotonic()
            page.goto(f"{url}/hub/login")
            page.fill("#username_input", result.name)
            page.fill("#password_input", password)
            page.click("#login_submit")
            page.wait_for_url("**/user/**/lab/**", timeout=180_000)
            result.spawn_s = time.monotonic() - t0
            for lesson in LESSONS:
                t0 = time.monotonic()
                page.goto(f"{url}/user/{result.name}/lab/tree/{lesson}?reset")
                page.wait_for_function(KERNEL_IDLE_JS, timeout=180_000)
                page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
                page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
                page.wait_for_function(FIRST_FIGURE_JS, timeout=600_000, polling=100)
                result.first_figure_s.append(time.monotonic() - t0)
                page.wait_for_function(ALL_EXECUTED_JS, timeout=600_000, polling=500)
                wait_for_widgets(page)
                errors = page.evaluate(ERRORS_JS)
                result.failures += [f"{lesson} {e}" for e in errors]
                for index in page.evaluate(SLIDER_AREAS_JS):
                    area = page.evaluate_handle(
                        "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].node.querySelector('.jp-OutputArea')",
                        index).as_element()
                    area.scroll_into_view_if_needed()
                    result.callbacks_ms += move_slider(page, area, moves=moves, timeout_ms=20_000)
            result.cpu_s += _cpu_seconds(result.name)
        except Exception as exc:
            result.failures.append(f"browser: {type(exc).__name__}: {str(exc)[:300]}")
        finally:
            browser.close()


ACCOUNTS: dict[str, str] = {}  # hub name -> Unix account, set by run_class


def _processes(name: str) -> list[psutil.Process]:
    account = ACCOUNTS.get(name)
    return [p for p in psutil.process_iter(["username"]) if p.info["username"] == account]


def _cpu_seconds(name: str) -> float:
    """CPU seconds of the student's kernels so far (read before each lesson's kernel is shut down)."""
    total = 0.0
    for p in _processes(name):
        try:
            if any("ipykernel" in part for part in p.cmdline()):
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _server_cpu(name: str) -> float:
    total = 0.0
    for p in _processes(name):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


class Sampler(threading.Thread):
    """Every second: each student's resident memory (peak kept) and the load average."""

    def __init__(self, results: list[StudentResult]) -> None:
        super().__init__(daemon=True)
        self.results, self.stop, self.loads, self.used = results, threading.Event(), [], []

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.loads.append(os.getloadavg()[0])
            self.used.append(psutil.virtual_memory().used / 2**20)
            for r in self.results:
                rss = 0
                for p in _processes(r.name):
                    try:
                        rss += p.memory_info().rss
                    except psutil.Error:
                        pass
                r.peak_rss_mib = max(r.peak_rss_mib, rss / 2**20)


def run_class(url: str, token: str, password: str, n: int, *, browsers: int = 2, moves: int = 4,
              prefix: str = "cnnlib-load-", names: str = "s") -> dict:
    """N students at once on the hub at ``url``; returns the summary and every student's numbers."""
    hub = Hub(url, token)
    results = [StudentResult(f"{names}{i + 1}", "browser" if i < browsers else "api") for i in range(n)]
    ACCOUNTS.update({r.name: f"{prefix}{r.name}" for r in results})
    start = threading.Barrier(n)
    threads = []
    for r in results:
        if r.kind == "browser":
            hub.create_user(r.name)  # the login form would create it too; created here so the names are known
            t = threading.Thread(target=run_browser_student, args=(url, password, r, moves, start))
        else:
            t = threading.Thread(target=run_api_student, args=(hub, url, r, moves, start))
        threads.append(t)
    load_before = os.getloadavg()[0]
    sampler = Sampler(results)
    sampler.start()
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    for r in results:
        r.server_cpu_s = _server_cpu(r.name)
    sampler.stop.set()
    sampler.join()
    for r in results:
        try:
            hub.stop_server(r.name)
        except Exception as exc:
            r.failures.append(f"stop: {exc}")
    return summarise(results, wall, load_before, sampler)


def _round(x: float):
    return None if x != x else round(x)  # NaN (no such moves): None, shown as "-"


def summarise(results: list[StudentResult], wall: float, load_before: float, sampler: Sampler) -> dict:
    api = [ms for r in results if r.kind == "api" for ms in r.callbacks_ms]
    browser = [ms for r in results if r.kind == "browser" for ms in r.callbacks_ms]
    figures = [s for r in results for s in r.first_figure_s if s == s]
    return {
        "students": len(results),
        "browsers": sum(r.kind == "browser" for r in results),
        "wall_s": round(wall, 1),
        "spawn_s_max": round(max((r.spawn_s for r in results if r.spawn_s == r.spawn_s), default=float("nan")), 1),
        "first_figure_s_median": round(statistics.median(figures), 1) if figures else float("nan"),
        "first_figure_s_max": round(max(figures), 1) if figures else float("nan"),
        "callback_ms_p50": _round(percentile(api, 50)),
        "callback_ms_p95": _round(percentile(api, 95)),
        "callbacks": len(api),
        "browser_ms_p50": _round(percentile(browser, 50)),
        "browser_ms_p95": _round(percentile(browser, 95)),
        "browser_moves": len(browser),
        "failures": [f"{r.name}: {f}" for r in results for f in r.failures],
        "peak_rss_mib_per_student_max": round(max(r.peak_rss_mib for r in results)),
        "peak_rss_mib_per_student_median": round(statistics.median(r.peak_rss_mib for r in results)),
        "kernel_cpu_s_per_student_median": round(statistics.median(r.cpu_s for r in results), 1),
        "server_cpu_s_per_student_median": round(statistics.median(r.server_cpu_s for r in results), 1),
        "machine_used_mib_peak": round(max(sampler.used, default=0)),
        "load_before": round(load_before, 2),
        "load_peak": round(max(sampler.loads, default=float("nan")), 2),
        "results": [asdict(r) for r in results],
    }


def table_row(s: dict) -> str:
    """One row of the table in benchmarks/classroom_load.md."""
    v = {k: ("-" if x is None else x) for k, x in s.items()}
    return (f"| {v['students']} ({v['browsers']} in Chromium) | {v['spawn_s_max']} | {v['first_figure_s_median']} / "
            f"{v['first_figure_s_max']} | {v['callback_ms_p50']} / **{v['callback_ms_p95']}** ({v['callbacks']}) | "
            f"{v['browser_ms_p50']} / {v['browser_ms_p95']} ({v['browser_moves']}) | {len(s['failures'])} | "
            f"{v['peak_rss_mib_per_student_median']} / {v['peak_rss_mib_per_student_max']} | "
            f"{v['kernel_cpu_s_per_student_median']} + {v['server_cpu_s_per_student_median']} | "
            f"{v['load_before']} → {v['load_peak']} | {v['wall_s']} |")


def summary_failed(summary: dict | None) -> bool:
    return summary is None or bool(summary["failures"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--browsers", type=int, default=2)
    parser.add_argument("--moves", type=int, default=4, help="moves per slider")
    parser.add_argument("--hub-url", help="a running hub (default: start one)")
    parser.add_argument("--token", help="its admin service token (HUB_ADMIN_TOKEN)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    password = os.environ.get("HUB_PASSWORD") or "load-" + secrets.token_hex(8)
    if args.hub_url:
        summary = run_class(args.hub_url, args.token, password, args.students, browsers=args.browsers,
                            moves=args.moves, prefix=os.environ.get("HUB_ACCOUNT_PREFIX", "cnnlib-"))
    else:
        from hub_process import HubProcess, snapshot_lessons

        work = Path(tempfile.mkdtemp(prefix="cnnlib-hub-load-"))
        os.chmod(work, 0o711)
        token = secrets.token_hex(32)
        lessons = snapshot_lessons(work / "teacher", Path(os.environ.get("CNNLIB_HUB_LESSONS_FROM") or ROOT))
        hub = HubProcess(work / "hub", password=password, admin_token=token, lessons_repo=lessons,
                         account_prefix="cnnlib-load-",
                         extra_env={"HUB_SINGLEUSER_ARGS": "--LabApp.expose_app_in_browser=True"})
        try:
            summary = run_class(hub.url, token, password, args.students, browsers=args.browsers, moves=args.moves)
        finally:
            hub.stop()
            if summary_failed(locals().get("summary")) and args.json:
                args.json.with_suffix(".hub.log").write_text(hub.log_tail(2_000_000))
            import shutil

            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    print(table_row(summary))
    for f in summary["failures"]:
        print("failure:", f)
    return 0 if not summary["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
