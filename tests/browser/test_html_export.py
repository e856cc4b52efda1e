"""`make html`: a static export of the lessons that opens in a browser with its figures, typeset maths and working links."""
from __future__ import annotations

import shutil
import subprocess
import sys

from .conftest import ROOT


def test_static_html_export_shows_figures_maths_and_links_between_lessons(browser, tmp_path, artifacts):
    # Same layout and tool as `make html`: html/ beside images/, so ../images links resolve.
    lessons = [ROOT / "notebooks" / "01_sliding_window.ipynb", ROOT / "notebooks" / "02_stride_padding_output_size.ipynb"]
    shutil.copytree(ROOT / "images", tmp_path / "images")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "export_html.py"), "--output-dir", str(tmp_path / "html"),
         *map(str, lessons)],
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

        hrefs = page.evaluate("Array.from(document.links).map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if ".ipynb" in h], f"links to notebooks left in the export: {hrefs}"
        page.click("a[href='02_stride_padding_output_size.html']")  # the lesson's "Next:" line
        page.wait_for_load_state()
        assert page.url.endswith("/02_stride_padding_output_size.html"), page.url
        assert "stride" in page.inner_text("body").lower()
        # The maths is typeset by the MathJax copied beside the pages (this sandbox has no internet, so a CDN
        # copy could not load): the output-size formula is a typeset display, not raw LaTeX.
        page.wait_for_function("window.MathJax && MathJax.Hub && MathJax.Hub.queue.running === 0 "
                               "&& MathJax.Hub.queue.pending === 0 && document.querySelector('.MathJax_Display')",
                               timeout=60_000)
        text = page.inner_text("body")
        assert "\\frac" not in text and "\\lfloor" not in text, "raw LaTeX left on the page"
        page.screenshot(path=str(artifacts / "html_02_maths.png"))
    finally:
        page.close()
