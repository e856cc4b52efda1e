"""A lesson opened before it is run shows each widget's starting picture, never its repr (issue 13).

JupyterLab cannot draw a widget whose state was not saved (the lessons do not
save it: it is large and changes every run). It then shows the output's
next-best form: cnnlib's widgets give a line of HTML saying the figure is
interactive and with which settings, and the still picture of its start is
the cell before it. ``VBox(children=(HBox(...`` would tell a student their
setup is broken (lesson 00 says so), so it must never appear.
"""
from __future__ import annotations

import json

import pytest

from .conftest import ROOT, lesson_names

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
OPEN_JS = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!(w && w.content && w.content.widgets && w.content.widgets.length > 0);
}"""

# Walk every cell into view (JupyterLab draws only what is near the viewport) and report, per widget output,
# what a reader sees: the fallback line, a repr, an image in the cell before it.
WALK_JS = """async (widgetCells) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const seen = [];
  for (const i of widgetCells) {
    let j = i - 1;
    while (j > 0 && nb.widgets[j].model.type !== 'code') j--;  // the code cell before it (prose may sit between)
    const before = nb.widgets[j], cell = nb.widgets[i];
    before.node.scrollIntoView(); cell.node.scrollIntoView();
    for (let t = 0; t < 120 && !(cell.node.querySelector('.jp-OutputArea-output')
                                && before.node.querySelector('.jp-OutputArea-output')); t++)
      await new Promise(r => setTimeout(r, 250));  // JupyterLab renders a cell's outputs when it comes into view
                                                   // (up to 30 s: make test loads both cores)
    await new Promise(r => setTimeout(r, 300));
    const text = cell.node.querySelector('.jp-OutputArea') ? cell.node.querySelector('.jp-OutputArea').innerText : '';
    seen.push({index: i,
               fallback: !!cell.node.querySelector('.cnnlib-widget-fallback'),
               repr: /\\b(VBox|HBox|IntSlider|FloatSlider|Dropdown)\\(/.test(text),
               picture: !!before.node.querySelector('.jp-OutputArea img')});
  }
  return seen;
}"""


def _widget_cells(name: str) -> list[int]:
    nb = json.loads((ROOT / "notebooks" / name).read_text())
    return [i for i, c in enumerate(nb["cells"])
            if c["cell_type"] == "code" and any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))]


@pytest.mark.parametrize("name", [n for n in lesson_names() if _widget_cells(n)])
def test_unrun_lesson_shows_pictures_not_widget_reprs(browser, lab, name):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(lab.url(f"/lab/tree/notebooks/{name}") + "&reset")
        page.wait_for_function(OPEN_JS, timeout=120_000)
        page.wait_for_timeout(1500)
        seen = page.evaluate(WALK_JS, _widget_cells(name))
        assert len(seen) == len(_widget_cells(name))
        for s in seen:
            assert not s["repr"], f"{name}: cell {s['index']} shows a widget repr before running"
            assert s["fallback"], f"{name}: cell {s['index']} does not show the widget's fallback line"
            assert s["picture"], f"{name}: the cell before widget cell {s['index']} shows no still picture"
    finally:
        page.close()
