"""Walk every widget of the lessons as a projector shows them, and save what a student would see.

    .venv/bin/python tools/walk_widgets.py                # every lesson
    .venv/bin/python tools/walk_widgets.py 02 04          # lessons whose names start with 02 or 04

Serves the lessons with Voilà in projector mode (as ``make present`` does),
opens each in headless Chromium at 1024×768 and, for every widget with a
slider, saves a screenshot at its start and after moving each of its sliders
in turn to its maximum and then its minimum, each also as seen with
deuteranopia, protanopia and tritanopia (Machado et al. 2009,
:func:`cnnlib.viz.palette.simulate_cvd_image`).
Pictures go to ``artifacts/walk/``, with ``index.md`` listing them: this is
for looking at, not a test (the browser suite checks the measurable parts).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cnnlib.viz.palette import simulate_cvd_image  # noqa: E402
from tests.browser.page_tools import wait_for_widgets  # noqa: E402
from tests.browser.servers import CHROMIUM, CHROMIUM_ARGS, start_voila  # noqa: E402
from tests.browser.test_presentation_voila import _code_cell_count, _render  # noqa: E402

OUT = ROOT / "artifacts" / "walk"
VIEWPORT = {"width": 1024, "height": 768}
KINDS = ("deuteranopia", "protanopia", "tritanopia")


def _save(shot: Path, lines: list[str]) -> None:
    rgb = np.asarray(Image.open(shot).convert("RGB"))
    lines.append(f"- `{shot.name}`")
    for kind in KINDS:
        out = shot.with_name(f"{shot.stem}_{kind}.png")
        Image.fromarray(simulate_cvd_image(rgb, kind)).save(out)
        lines.append(f"  - `{out.name}`")


def walk(prefixes: list[str]) -> Path:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                     if not prefixes or p.name.startswith(tuple(prefixes)))
    lines = ["# Widget walk at 1024×768, projector mode (Voilà)", ""]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        server = start_voila(Path(tmp))
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for name in lessons:
                stem = name.removesuffix(".ipynb")
                page = browser.new_page(viewport=VIEWPORT)
                _render(page, server.url(f"/voila/render/notebooks/{name}"), _code_cell_count(name))
                wait_for_widgets(page, timeout_ms=300_000)
                lines += [f"## {stem}", ""]
                widgets = [w for w in page.query_selector_all(".cnnlib-projector")]
                for k, widget in enumerate(widgets):
                    widget.scroll_into_view_if_needed()
                    page.wait_for_timeout(300)
                    shot = OUT / f"{stem}_w{k}_start.png"
                    page.screenshot(path=str(shot))
                    _save(shot, lines)
                    # Every slider in turn to its maximum, then its minimum (where the next one's walk starts).
                    for s, handle in enumerate(widget.query_selector_all(".noUi-handle")):
                        handle.focus()
                        for key in ("End", "Home"):
                            page.keyboard.press(key)
                            page.wait_for_timeout(1500)
                            shot = OUT / f"{stem}_w{k}_s{s}_{key.lower()}.png"
                            page.screenshot(path=str(shot))
                            _save(shot, lines)
                page.close()
                lines.append("")
        finally:
            browser.close()
            server.stop()
    index = OUT / "index.md"
    index.write_text("\n".join(lines) + "\n")
    return index


if __name__ == "__main__":
    print(f"wrote {walk(sys.argv[1:])}")
