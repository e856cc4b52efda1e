"""Every lesson, run in JupyterLab in a real Chromium: no errors, widgets render and respond.

For each notebook: open it, wait for an idle kernel, Run All, check that no
cell errored and every widget rendered as a widget, then move one slider per
widget and check that the figure it drives changed. A screenshot per lesson
goes to ``artifacts/browser/`` and the slider-to-redraw times to
``artifacts/browser/latency_lab.json`` (``benchmarks/browser_latency.py``
summarises them).
"""
from __future__ import annotations

import json

import pytest

from tools.hub.browser_js import ALL_EXECUTED_JS, ERRORS_JS, KERNEL_IDLE_JS  # shared with the hub load test

from .conftest import lesson_names
from .page_tools import BARE_WIDGET_JS, wait_for_widgets, median, move_slider

RUN_TIMEOUT_MS = 240_000
MOVES_PER_WIDGET = 8  # enough for a rough p95 per widget, recorded in benchmarks/browser_latency.md
LATENCIES: dict[str, list[float]] = {}
WIDGET_LATENCIES: dict[str, list[float]] = {}

# Indices of cells whose outputs hold a widget, and whether it rendered.
WIDGET_CELLS_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const found = [];
  w.content.widgets.forEach((c, i) => {
    if (c.model.type !== 'code') return;
    const hasView = c.model.outputs.toJSON().some(o => o.data && o.data['application/vnd.jupyter.widget-view+json']);
    if (hasView) found.push({index: i, rendered: !!c.node.querySelector('.jp-OutputArea .jupyter-widgets'),
                             sliders: c.node.querySelectorAll('.jp-OutputArea .noUi-handle').length});
  });
  return found;
}"""


@pytest.mark.parametrize("name", lesson_names())
def test_lesson_runs_and_widgets_respond(browser, lab, artifacts, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(lab.url(f"/lab/tree/notebooks/{name}") + "&reset")
        page.wait_for_function(KERNEL_IDLE_JS, timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(ALL_EXECUTED_JS, timeout=RUN_TIMEOUT_MS, polling=500)
        wait_for_widgets(page)  # let the last widget views mount

        assert page.evaluate(ERRORS_JS) == [], f"{name}: cells raised errors"
        assert page.evaluate(BARE_WIDGET_JS) == [], f"{name}: a widget did not render"

        cells = page.evaluate(WIDGET_CELLS_JS)
        assert all(c["rendered"] for c in cells), f"{name}: widget outputs not rendered: {cells}"
        times = []
        for c in cells:
            if c["sliders"] == 0:
                continue
            area = page.evaluate_handle(
                "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].node.querySelector('.jp-OutputArea')",
                c["index"],
            ).as_element()
            area.scroll_into_view_if_needed()
            moved = move_slider(page, area, moves=MOVES_PER_WIDGET, kernel_idle_js=KERNEL_IDLE_JS)
            WIDGET_LATENCIES[f"{name} cell {c['index']}"] = moved
            times += moved
        if cells:
            assert times, f"{name}: has widgets but none with a slider to move"
            first = page.evaluate_handle(
                "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].node", cells[0]["index"]
            ).as_element()
            first.scroll_into_view_if_needed()
        LATENCIES[name] = times
        page.screenshot(path=str(artifacts / f"lab_{name.removesuffix('.ipynb')}.png"))
    finally:
        page.close()
        shut = lab.shut_down_kernels()  # one idle kernel per lesson otherwise, until the server stops
    assert shut >= 1 and lab.running_kernels() == 0, f"{name}: the lesson's kernel was not shut down ({shut} sessions)"


def teardown_module(module):
    if LATENCIES:
        from .conftest import ARTIFACTS

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        summary = {k: {"median_ms": median(v), "moves": v} for k, v in LATENCIES.items()}
        (ARTIFACTS / "latency_lab.json").write_text(json.dumps(summary, indent=2))
        (ARTIFACTS / "latency_lab_widgets.json").write_text(json.dumps(WIDGET_LATENCIES, indent=2))
