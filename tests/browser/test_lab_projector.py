"""``make lab PROJECTOR=1``: JupyterLab's own text (prose, code, printed output, the line standing in for a
widget not yet run) at 18 px, read from the back.

Projector mode in the lessons (``CNNLIB_PROJECTOR=1``) enlarges figures and widgets; JupyterLab's prose, code
and output keep its 13-14 px unless its settings say otherwise. ``make lab PROJECTOR=1`` starts JupyterLab
with a copy of ``tools/jupyterlab-projector`` as its user settings, whose theme settings set the font sizes
(JupyterLab ignores font overrides anywhere else). Measured on a stored lesson with prose, code and printed
output (lesson 06) at 1024×768.
"""
from __future__ import annotations

from .test_stored_lessons import MIN_TEXT_PX, OPEN_JS, PROJECTOR

FONTS_JS = """() => {
  const sizes = sel => Array.from(document.querySelectorAll(sel)).map(e => parseFloat(getComputedStyle(e).fontSize));
  return {prose: sizes('.jp-RenderedMarkdown p'), code: sizes('.jp-InputArea .cm-content'),
          output: sizes('.jp-OutputArea-output pre'), widget_fallback: sizes('.cnnlib-widget-fallback')};
}"""


def test_lab_in_projector_mode_shows_prose_code_and_output_at_18px(browser, lab_projector):
    page = browser.new_page(viewport=PROJECTOR)
    try:
        page.goto(lab_projector.url("/lab/tree/notebooks/06_backprop.ipynb") + "&reset")
        page.wait_for_function(OPEN_JS, timeout=120_000)
        page.evaluate("window.jupyterapp.shell.collapseLeft()")
        # Wait for the three kinds of text, not for a fixed time: on a busy machine JupyterLab renders the
        # markdown cells (maths typeset) after the outputs, and a 1.5 s pause once found no prose yet.
        page.wait_for_function(f"(() => {{ const f = ({FONTS_JS})(); "
                               "return f.prose.length && f.code.length && f.output.length; })()", timeout=60_000)
        fonts = page.evaluate(FONTS_JS)
        # JupyterLab renders only the cells near the view: bring the first widget cell's output into it.
        cells = page.evaluate("window.jupyterapp.shell.currentWidget.content.widgets.length")
        for i in range(cells):
            if fonts["widget_fallback"]:
                break
            page.evaluate("(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].node.scrollIntoView()", i)
            page.wait_for_timeout(100)
            fonts["widget_fallback"] = page.evaluate(FONTS_JS)["widget_fallback"]
    finally:
        page.close()
    for kind, sizes in fonts.items():
        assert sizes, f"no {kind} text found on the page"
        assert min(sizes) >= MIN_TEXT_PX, f"{kind} text at {min(sizes)} px in make lab PROJECTOR=1, expected >= 18"
