"""`make html`: a static export of the lessons that opens in a browser with its figures."""
from __future__ import annotations

import shutil
import subprocess
import sys

from .conftest import ROOT


def test_static_html_export_shows_figures(browser, tmp_path, artifacts):
    # Same layout as `make html`: html/ beside images/, so ../images links resolve.
    lesson = ROOT / "notebooks" / "01_sliding_window.ipynb"
    shutil.copytree(ROOT / "images", tmp_path / "images")
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--output-dir", str(tmp_path / "html"),
         str(lesson)],
        check=True, capture_output=True, timeout=300,
    )
    html = tmp_path / "html" / "01_sliding_window.html"
    assert html.exists()
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(html.as_uri())
        assert "Sliding" in page.title() or "sliding" in page.inner_text("body").lower()
        images = page.query_selector_all("img")
        assert len(images) >= 3, "the export should carry the lesson's figures"
        loaded = page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        assert loaded, "an exported figure failed to load"
        assert "Traceback" not in page.inner_text("body")
        page.screenshot(path=str(artifacts / "html_01_sliding_window.png"))
    finally:
        page.close()
