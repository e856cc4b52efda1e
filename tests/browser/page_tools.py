"""JavaScript run in the page: find widget cells, move a slider, time the redraw.

Shared by the JupyterLab and Voilà tests. A widget "area" is a DOM node holding
one widget (a notebook cell's output area in JupyterLab, a widget's own node in
Voilà); ``AREA_SELECTOR`` names the node per front end.
"""
from __future__ import annotations

import statistics

# Text in an output area that means a widget did not render as a widget: its
# Python repr, or the front end's own error. (Lesson prose may name widgets.)
BARE_WIDGET_JS = r"""
() => {
  const text = Array.from(document.querySelectorAll('.jp-OutputArea')).map(e => e.innerText).join('\n');
  const bad = [];
  if (text.includes('Error displaying widget')) bad.push('Error displaying widget');
  const m = text.match(/\b(IntSlider|FloatSlider|VBox|HBox|Play|Dropdown|interactive|ToggleButtons|BoundedIntText|FloatText|GridBox|Output)\(/);
  if (m) bad.push('bare widget repr: ' + m[0]);
  if (text.includes('Loading widget...') ) bad.push('widget still loading');
  return bad;
}
"""

# Returns a string that changes whenever any figure in ``area`` changes.
FIGURE_KEY_JS = r"""
(area) => Array.from(area.querySelectorAll('img, svg.main-svg, svg.cnnlib-figure, canvas'))
  .map(e => e.src ? (e.src.length + ':' + e.src.slice(-200))
                  : (e.classList.contains('cnnlib-figure') ? e.outerHTML : e.outerHTML.length)).join('|')
"""

# Start watching ``area``: resolves ``window.__redraw`` with the ms from the next keydown on the page to the
# LAST change of its figures, once they have been still for ``settleMs`` (a widget with two panels is done
# when both are redrawn), or -1 if nothing changed before the timeout. With ``idleSrc`` (a function saying
# whether the kernel is idle), the figures must also have been still while the kernel is idle: the kernel
# sends every panel's picture before it reports idle, so a short ``settleMs`` is enough.
WATCH_JS = r"""
([area, timeoutMs, figureKeySrc, settleMs, idleSrc]) => {
  const figureKey = eval(figureKeySrc);
  const idle = idleSrc ? eval(idleSrc) : () => true;
  const before = figureKey(area);
  window.__redraw = new Promise(resolve => {
    let t0 = null, last = null, current = before, settle = null;
    const onKey = () => { if (t0 === null) t0 = performance.now(); };
    document.addEventListener('keydown', onKey, true);
    const done = (ms) => {
      obs.disconnect(); clearTimeout(timer); clearTimeout(settle);
      document.removeEventListener('keydown', onKey, true);
      resolve(ms);
    };
    const obs = new MutationObserver(() => {
      const now = figureKey(area);
      if (t0 !== null && now !== current && now.length > 0) {
        current = now; last = performance.now();
        clearTimeout(settle);
        const check = () => { if (idle()) done(last - t0); else settle = setTimeout(check, settleMs); };
        settle = setTimeout(check, settleMs);
      }
    });
    obs.observe(area, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    const timer = setTimeout(() => done(last === null ? -1 : last - t0), timeoutMs);
  });
  return before;
}
"""
SETTLE_MS = 700  # no further figure change for this long: the redraw is complete
IDLE_SETTLE_MS = 150  # the same once the kernel is idle (it has sent every picture; the page shows them within ms)


def move_slider(page, area, *, moves: int = 5, timeout_ms: int = 5000, kernel_idle_js: str | None = None
                ) -> list[float]:
    """Move the first slider in ``area`` ``moves`` times; return the redraw latencies in ms (all panels redrawn).

    Moves right, onto values not drawn yet (widgets cache pictures they have
    drawn, so a value seen before would time the cache); at either end it
    turns round. Raises ``AssertionError`` if a move does not change the figure.
    ``kernel_idle_js``: a function (JavaScript source) that says whether the
    page's kernel is idle; with it a redraw is complete as soon as the kernel is
    idle and the figures still for ``IDLE_SETTLE_MS``, instead of ``SETTLE_MS``.
    """
    settle_ms = SETTLE_MS if kernel_idle_js is None else IDLE_SETTLE_MS
    handle = area.query_selector(".noUi-handle")
    assert handle is not None, "no slider handle in this widget"
    latencies, key = [], "ArrowRight"
    for _ in range(moves):
        at = handle.evaluate("h => [h.getAttribute('aria-valuenow'), h.getAttribute('aria-valuemin'), "
                             "h.getAttribute('aria-valuemax')].map(Number)")
        known = at[2] > at[1]  # nouislider's aria values; without them, the timeout below turns round
        if known and (key == "ArrowRight" and at[0] >= at[2] or key == "ArrowLeft" and at[0] <= at[1]):
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"  # at an end of the slider: turn round
        for attempt in range(2):
            page.evaluate(WATCH_JS, [area, timeout_ms, FIGURE_KEY_JS, settle_ms, kernel_idle_js])
            handle.focus()
            page.keyboard.press(key)
            ms = page.evaluate("window.__redraw")
            if ms >= 0:
                latencies.append(ms)
                break
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"  # at an end of the slider: turn round
        else:
            raise AssertionError(f"moving the slider either way did not change the figure within {timeout_ms} ms")
    return latencies


WIDGETS_MOUNTED_JS = r"""
() => !Array.from(document.querySelectorAll('.jp-OutputArea')).some(e => e.innerText.includes('Loading widget...'))
"""


# How many output areas hold a mounted widget view, or the error shown instead of one.
MOUNTED_WIDGET_COUNT_JS = r"""
() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
  .filter(e => e.querySelector('.jupyter-widgets') || e.innerText.includes('Error displaying widget')).length
"""


def wait_for_widgets(page, timeout_ms: int = 60_000, expected: int = 0) -> None:
    """Wait until no widget view is still mounting (slow on a loaded machine).

    Views mount asynchronously after their output arrives, so the page must
    stay free of "Loading widget..." across two checks a second apart. In Voila
    the "Loading widget..." placeholders themselves appear only a while after the
    last cell (1.2 s on a quiet machine, more under load): ``expected``, the number
    of widget views the page will show, waits for them to be mounted first.
    """
    if expected:
        page.wait_for_function(f"(n) => ({MOUNTED_WIDGET_COUNT_JS.strip()})() >= n", arg=expected, timeout=timeout_ms,
                               polling=250)
    page.wait_for_timeout(1000)
    for _ in range(max(1, timeout_ms // 1000)):
        page.wait_for_function(WIDGETS_MOUNTED_JS, timeout=timeout_ms, polling=250)
        page.wait_for_timeout(1000)
        if page.evaluate(WIDGETS_MOUNTED_JS):
            return


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# Every cnnlib figure on the page, as displayed: {kind, natural, shown, smallest} with ``smallest`` the
# smallest text in CSS px as shown. SVG drawn inline: computed font sizes. SVG as an <img>: sizes from its
# source, scaled by shown / natural width. PNG: the smallest font size cnnlib recorded in the PNG's
# ``cnnlib:min-font-px`` text chunk (cnnlib.viz.display.figure_to_png), scaled the same way; PNGs without
# the chunk are not cnnlib figures (a stored image, a photo) and are skipped. Hidden figures are skipped.
MEASURE_FIGURES_JS = r"""
async () => {
  const visible = e => e.getBoundingClientRect().width > 0 && e.offsetParent !== null;
  const found = [];
  for (const svg of document.querySelectorAll('svg.cnnlib-figure')) {
    if (!visible(svg)) continue;
    const sizes = Array.from(svg.querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize));
    found.push({kind: 'svg', natural: parseFloat(svg.getAttribute('width')),
                shown: svg.getBoundingClientRect().width, smallest: Math.min(...sizes)});
  }
  const pngMinFont = async (src) => {
    const bytes = new Uint8Array(await (await fetch(src)).arrayBuffer());
    const view = new DataView(bytes.buffer);
    for (let at = 8; at + 8 <= bytes.length;) {
      const len = view.getUint32(at), kind = String.fromCharCode(...bytes.slice(at + 4, at + 8));
      if (kind === 'IDAT' || kind === 'IEND') break;  // cnnlib writes its text chunks before the pixels
      if (kind === 'tEXt') {
        const body = new TextDecoder('latin1').decode(bytes.slice(at + 8, at + 8 + len));
        const [key, value] = body.split('\0');
        if (key === 'cnnlib:min-font-px') return parseFloat(value);
      }
      at += 12 + len;
    }
    return null;
  };
  for (const img of document.querySelectorAll('img')) {
    if (!visible(img) || !img.complete || !img.naturalWidth) continue;
    const src = img.getAttribute('src') || '';
    const shown = img.getBoundingClientRect().width, natural = img.naturalWidth;
    if (src.startsWith('data:image/svg+xml')) {
      const body = src.includes(';base64,') ? atob(src.split(',')[1]) : decodeURIComponent(src.split(',')[1]);
      if (!body.includes('cnnlib-figure')) continue;
      const sizes = Array.from(body.matchAll(/font-size="([0-9.]+)px"/g)).map(m => parseFloat(m[1]));
      found.push({kind: 'svg-img', natural, shown, smallest: Math.min(...sizes) * shown / natural});
    } else if (src.startsWith('data:image/png') || src.startsWith('blob:')) {
      const px = await pngMinFont(img.src);
      if (px === null) continue;
      found.push({kind: 'png', natural, shown, smallest: px * shown / natural});
    }
  }
  return found;
}
"""

# Font sizes (CSS px) of every widget control's visible text: descriptions, readouts, buttons, menus; and
# whether the text is cut short. Every <select> on the page is measured, in a cnnlib widget or not
# (``projector`` says which): its box shows only the chosen option, so ``innerText`` (every option) and
# ``scrollWidth`` (always its own width) say nothing; instead the chosen option's text is laid out in a
# hidden span in the select's computed font, and must fit the select's ``clientWidth`` less its padding
# and the arrow (ipywidgets draws the arrow as a background in the 20 px right padding; at least
# MENU_ARROW_PX is kept for it). ``need``/``room`` are those two widths (px; null for other controls).
MENU_ARROW_PX = 20
CONTROL_FONTS_JS = r"""
(arrowPx) => {
  const scope = '.cnnlib-projector';
  const shown = e => e.offsetParent !== null;
  const controls = Array.from(document.querySelectorAll(
      ['.widget-label', '.widget-readout', 'button', '.cnnlib-message', '.lm-TabBar-tabLabel']
        .map(s => `${scope} ${s}`).join(', ')))
    .filter(e => shown(e) && e.innerText.trim())
    .map(e => ({text: e.innerText.trim().slice(0, 30), px: parseFloat(getComputedStyle(e).fontSize),
                clipped: e.scrollWidth > e.clientWidth + 1, projector: true, need: null, room: null}));
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute; left:-10000px; top:0; visibility:hidden; white-space:pre';
  document.body.appendChild(probe);
  const menus = Array.from(document.querySelectorAll('select'))
    .filter(s => shown(s) && !s.multiple && s.size <= 1 && s.selectedIndex >= 0)
    .map(s => {
      const cs = getComputedStyle(s);
      for (const p of ['fontFamily', 'fontSize', 'fontStyle', 'fontWeight', 'fontStretch', 'fontVariant',
                       'letterSpacing', 'wordSpacing', 'textTransform'])
        probe.style[p] = cs[p];
      const text = s.options[s.selectedIndex].text;
      probe.textContent = text;
      const need = probe.getBoundingClientRect().width;
      const room = s.clientWidth - parseFloat(cs.paddingLeft) - Math.max(parseFloat(cs.paddingRight), arrowPx);
      return {text: text.replace(/\s+/g, ' ').trim().slice(0, 30), px: parseFloat(cs.fontSize),
              clipped: need > room + 0.5, projector: s.closest(scope) !== null, need, room};
    });
  probe.remove();
  return controls.concat(menus);
}
"""


def control_fonts(page) -> list[dict]:
    """Every widget control's text (a menu's: its chosen option) as ``{text, px, clipped, projector, need, room}``."""
    return page.evaluate(CONTROL_FONTS_JS, MENU_ARROW_PX)


# Height of each cnnlib widget (controls, figures, message) in CSS px.
WIDGET_HEIGHTS_JS = r"""
() => Array.from(document.querySelectorAll('.cnnlib-projector'))
  .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().height)
"""


def measure_figures(page) -> list[dict]:
    """Every visible cnnlib figure on ``page``: natural and shown width, smallest text as shown (CSS px)."""
    return page.evaluate(MEASURE_FIGURES_JS)


# The lesson's prose as shown (markdown cells, not the ones the presentation hides): how many formulas
# MathJax typeset (``mjx-container``, MathJax 3) and the TeX left raw: ``$...$`` or a ``\command`` in
# the text outside typeset maths and code.
PROSE_MATH_JS = r"""
() => {
  const prose = Array.from(document.querySelectorAll('.jp-RenderedMarkdown'))
    .filter(e => !e.closest('.celltag_presentation-hide'));
  const raw = [];
  let typeset = 0;
  for (const e of prose) {
    typeset += e.querySelectorAll('mjx-container').length;
    const copy = e.cloneNode(true);
    copy.querySelectorAll('mjx-container, code, pre, script, style').forEach(n => n.remove());
    for (const m of copy.textContent.matchAll(/\$[^$]+\$|\\[A-Za-z]+/g)) raw.push(m[0].slice(0, 40));
  }
  return {typeset, raw};
}
"""


def prose_math(page) -> dict:
    """``{typeset, raw}``: formulas MathJax typeset in the shown prose, and TeX snippets left raw."""
    return page.evaluate(PROSE_MATH_JS)
