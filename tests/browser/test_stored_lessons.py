"""Every lesson as stored, opened in JupyterLab before it is run: what a student sees first.

Three checks, on one page per lesson (opening JupyterLab is most of each check's time, so the three share it;
pytest runs a lesson's three checks one after the other, then opens the next lesson):

* **Widgets before running** (issue 13): JupyterLab cannot draw a widget whose state was not saved (the
  lessons do not save it: it is large and changes every run). It then shows the output's next-best form:
  cnnlib's widgets give a line of HTML saying the figure is interactive and with which settings, and the
  still picture of its start is the cell before it. ``VBox(children=(HBox(...`` would tell a student their
  setup is broken (lesson 00 says so), so it must never appear.
* **Every figure (SVG and PNG) in normal mode at 1280×800:** smallest text >= 12 CSS px as displayed.
* **SVG figures at a projector's 1024×768** (issue 13, read from the back of the room): every text >= 18 CSS
  px, none drawn below its natural width.

Projector mode itself (PNG figures too, controls, one screen per widget) is checked in Voilà, as
``make present`` shows it: tests/browser/test_presentation_voila.py.
"""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ROOT, lesson_names
from .page_tools import measure_figures

NORMAL = {"width": 1280, "height": 800}
NORMAL_MIN_TEXT_PX = 12
PROJECTOR = {"width": 1024, "height": 768}
MIN_TEXT_PX = 18
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

OPEN_JS = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!(w && w.content && w.content.widgets && w.content.widgets.length > 0);
}"""


def _stored(name: str) -> dict:
    return json.loads((ROOT / "notebooks" / name).read_text())


@pytest.fixture(scope="module", params=lesson_names())
def stored_lesson(request, browser, lab):
    """``(name, page)``: the lesson as stored, open in JupyterLab at 1280×800, the file browser collapsed."""
    name = request.param
    page = browser.new_page(viewport=NORMAL)
    try:
        page.goto(lab.url(f"/lab/tree/notebooks/{name}") + "&reset")
        page.wait_for_function(OPEN_JS, timeout=120_000)
        page.evaluate("window.jupyterapp.shell.collapseLeft()")
        page.wait_for_timeout(1500)
        yield name, page
    finally:
        page.close()
        lab.shut_down_kernels()  # the tab's kernel would idle on until the server stops


# --- 1. widgets before running -------------------------------------------------------------------------------

# Walk every cell into view (JupyterLab draws only what is near the viewport) and report, per widget output,
# what a reader sees: the fallback line, a repr, an image in the cell before it.
WALK_WIDGETS_JS = """async (widgetCells) => {
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
    return [i for i, c in enumerate(_stored(name)["cells"])
            if c["cell_type"] == "code" and any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))]


def test_unrun_lesson_shows_pictures_not_widget_reprs(stored_lesson):
    name, page = stored_lesson
    page.set_viewport_size(NORMAL)  # as opened (the 1024x768 check resizes the page)
    cells = _widget_cells(name)
    seen = page.evaluate(WALK_WIDGETS_JS, cells)
    assert len(seen) == len(cells)
    for s in seen:
        assert not s["repr"], f"{name}: cell {s['index']} shows a widget repr before running"
        assert s["fallback"], f"{name}: cell {s['index']} does not show the widget's fallback line"
        assert s["picture"], f"{name}: the cell before widget cell {s['index']} shows no still picture"


# --- 2. every figure at 1280x800 -----------------------------------------------------------------------------

# True once every code cell in view that has outputs shows them, with their images decoded (a figure is an
# <img>; measure_figures skips one that is not loaded yet, and on a loaded machine that can take seconds).
OUTPUTS_IN_VIEW_JS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  return nb.widgets.every(c => {
    if (c.model.type !== 'code' || c.model.outputs.length === 0) return true;
    const r = c.node.getBoundingClientRect();
    if (r.height === 0 || r.bottom < 0 || r.top > window.innerHeight) return true;  // detached or out of view
    if (c.node.querySelector('.jp-OutputArea-output') === null) return false;
    return Array.from(c.node.querySelectorAll('.jp-OutputArea-output img')).every(i => i.complete && i.naturalWidth > 0);
  });
}"""


def _walk_figures(page) -> list[dict]:
    """Scroll the open notebook from top to bottom, 600 px at a time, and measure the figures at each stop."""
    figures = []
    scroller = "document.querySelector('.jp-WindowedPanel-outer')"
    height_js = f"() => ({scroller} || document.scrollingElement).scrollHeight"
    y = 0
    while y < page.evaluate(height_js) + 600:  # the height grows as JupyterLab renders the cells
        page.evaluate(f"(y) => {{ ({scroller} || document.scrollingElement).scrollTop = y; }}", y)
        try:  # JupyterLab renders the outputs of cells scrolled into view a moment later (seconds under load)
            page.wait_for_function(OUTPUTS_IN_VIEW_JS, timeout=30_000, polling=100)
        except PlaywrightTimeout:
            pass  # measure what is there; a lesson with no figure found still fails
        page.wait_for_timeout(80)
        figures += measure_figures(page)  # at each scroll position: cells off screen may be detached
        y += 600
    return figures


def test_every_figure_is_legible_at_1280x800(stored_lesson):
    name, page = stored_lesson
    page.set_viewport_size(NORMAL)
    # A second walk if the first found nothing: under load JupyterLab can render a lesson late. A lesson
    # without figures fails both.
    figures = _walk_figures(page) or _walk_figures(page)
    assert figures, f"{name}: no cnnlib figure found in the stored outputs"
    for i, f in enumerate(figures):
        assert f["smallest"] >= NORMAL_MIN_TEXT_PX - 0.05, (
            f"{name}: figure {i} ({f['kind']}, {f['natural']:.0f} px shown at {f['shown']:.0f}) has text at "
            f"{f['smallest']:.1f} px at 1280×800")


# --- 3. SVG figures at 1024x768 ------------------------------------------------------------------------------

# Every cnnlib SVG figure in the page: its natural and displayed width, its smallest text as displayed.
# JupyterLab shows a stored image/svg+xml output as an <img> (a data: URL), a widget shows it inline: for an
# <img> the text sizes are read from the SVG source and scaled by displayed / natural width.
MEASURE_SVG_JS = """() => {
  const found = [];
  for (const svg of document.querySelectorAll('svg.cnnlib-figure')) {
    const sizes = Array.from(svg.querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize));
    found.push({kind: 'inline', natural: parseFloat(svg.getAttribute('width')),
                shown: svg.getBoundingClientRect().width, smallest: Math.min(...sizes), texts: sizes.length});
  }
  for (const img of document.querySelectorAll('img[src^="data:image/svg+xml"]')) {
    const src = img.getAttribute('src');
    const body = src.includes(';base64,') ? atob(src.split(',')[1]) : decodeURIComponent(src.split(',')[1]);
    if (!body.includes('cnnlib-figure')) continue;
    const sizes = Array.from(body.matchAll(/font-size="([0-9.]+)px"/g)).map(m => parseFloat(m[1]));
    const shown = img.getBoundingClientRect().width, natural = img.naturalWidth;
    found.push({kind: 'img', natural, shown, smallest: Math.min(...sizes) * shown / natural, texts: sizes.length});
  }
  return found;
}"""


AT_NATURAL_WIDTH_JS = f"() => ({MEASURE_SVG_JS})().every(f => f.natural > 0 && Math.abs(f.shown - f.natural) < 1)"


def test_svg_figures_are_legible_at_1024x768(stored_lesson):
    name, page = stored_lesson
    page.set_viewport_size(PROJECTOR)
    page.evaluate("window.jupyterapp.shell.collapseRight && window.jupyterapp.shell.collapseRight()")
    page.evaluate("window.jupyterapp.shell.currentWidget.content.scrollToItem(0)")  # back to the top, as opened
    page.wait_for_selector('img[src^="data:image/svg+xml"], svg.cnnlib-figure', state="attached", timeout=60_000)
    try:  # JupyterLab lays the cells out again for the new width (seconds under load); a shrunk figure stays so
        page.wait_for_function(AT_NATURAL_WIDTH_JS, timeout=15_000, polling=200)
    except PlaywrightTimeout:
        pass  # measured below, and the assertion says which figure
    page.wait_for_timeout(300)
    figures = page.evaluate(MEASURE_SVG_JS)
    assert figures or "cnnlib-figure" not in (ROOT / "notebooks" / name).read_text(), (
        f"{name}: no SVG figure found in the stored outputs")
    for i, f in enumerate(figures):
        assert f["texts"] > 0
        assert f["smallest"] >= MIN_TEXT_PX - 0.01, f"{name}: figure {i} ({f['kind']}) has text at {f['smallest']:.1f} px"
        assert abs(f["shown"] - f["natural"]) < 1, (
            f"{name}: figure {i} is drawn {f['shown']:.0f} px wide, its natural width is {f['natural']:.0f} px")
