"""Figures read from the back of the room (issue 13), checked on the lessons as stored, before running them,
which is also what a student sees first:

* SVG figures at a projector's 1024×768: every text >= 18 CSS px, none drawn below its natural width;
* every figure (SVG and PNG) in normal mode at 1280×800: smallest text >= 12 CSS px as displayed.

Projector mode itself (PNG figures too, controls, one screen per widget) is checked in Voilà, as
``make present`` shows it: tests/browser/test_presentation_voila.py.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import lesson_names
from .page_tools import measure_figures

PROJECTOR = {"width": 1024, "height": 768}
MIN_TEXT_PX = 18
NORMAL = {"width": 1280, "height": 800}
NORMAL_MIN_TEXT_PX = 12

OPEN_JS = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!(w && w.content && w.content.widgets && w.content.widgets.length > 0);
}"""

# Every cnnlib SVG figure in the page: its natural and displayed width, its smallest text as displayed.
# JupyterLab shows a stored image/svg+xml output as an <img> (a data: URL), a widget shows it inline: for an
# <img> the text sizes are read from the SVG source and scaled by displayed / natural width.
MEASURE_JS = """() => {
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


def _lessons_with_svg_figures() -> list[str]:
    from .servers import ROOT
    return [n for n in lesson_names() if "cnnlib-figure" in (ROOT / "notebooks" / n).read_text()]


@pytest.mark.parametrize("name", _lessons_with_svg_figures())
def test_svg_figures_are_legible_at_1024x768(browser, lab, name):
    page = browser.new_page(viewport=PROJECTOR)
    try:
        page.goto(lab.url(f"/lab/tree/notebooks/{name}") + "&reset")
        page.wait_for_function(OPEN_JS, timeout=120_000)
        page.evaluate("window.jupyterapp.shell.collapseLeft()")
        page.evaluate("window.jupyterapp.shell.collapseRight && window.jupyterapp.shell.collapseRight()")
        page.wait_for_selector('img[src^="data:image/svg+xml"], svg.cnnlib-figure', state="attached", timeout=60_000)
        page.wait_for_timeout(1000)
        figures = page.evaluate(MEASURE_JS)
        assert figures, f"{name}: no SVG figure found in the stored outputs"
        for i, f in enumerate(figures):
            assert f["texts"] > 0
            assert f["smallest"] >= MIN_TEXT_PX - 0.01, f"{name}: figure {i} ({f['kind']}) has text at {f['smallest']:.1f} px"
            assert abs(f["shown"] - f["natural"]) < 1, (
                f"{name}: figure {i} is drawn {f['shown']:.0f} px wide, its natural width is {f['natural']:.0f} px")
    finally:
        page.close()


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


@pytest.mark.parametrize("name", lesson_names())
def test_every_figure_is_legible_at_1280x800(browser, lab, name):
    page = browser.new_page(viewport=NORMAL)
    try:
        page.goto(lab.url(f"/lab/tree/notebooks/{name}") + "&reset")
        page.wait_for_function(OPEN_JS, timeout=120_000)
        page.evaluate("window.jupyterapp.shell.collapseLeft()")
        page.wait_for_timeout(1500)
        # A second walk if the first found nothing: under load JupyterLab can render a lesson late. A lesson
        # without figures fails both.
        figures = _walk_figures(page) or _walk_figures(page)
        assert figures, f"{name}: no cnnlib figure found in the stored outputs"
        for i, f in enumerate(figures):
            assert f["smallest"] >= NORMAL_MIN_TEXT_PX - 0.05, (
                f"{name}: figure {i} ({f['kind']}, {f['natural']:.0f} px shown at {f['shown']:.0f}) has text at "
                f"{f['smallest']:.1f} px at 1280×800")
    finally:
        page.close()
