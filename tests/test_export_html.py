"""`make html` (tools/export_html.py): links between lessons point at the exported pages."""
from __future__ import annotations

import doctest
import re
from pathlib import Path

import nbformat
import pytest

import tools.export_html as export_html

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_examples():
    assert doctest.testmod(export_html).failed == 0


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_no_link_to_a_notebook_survives_the_export(lesson):
    # Any form of link to an .ipynb the rewrite misses (a new spelling in a lesson) fails here.
    for cell in nbformat.read(lesson, as_version=4).cells:
        if cell.cell_type == "markdown":
            rewritten = export_html.html_links(cell.source)
            assert ".ipynb" not in rewritten, f"{lesson.name}: the export leaves a link to a notebook: {rewritten!r}"
            for name, _ in export_html.LESSON_LINK.findall(cell.source):
                assert (ROOT / "notebooks" / f"{name}.ipynb").is_file(), f"{lesson.name} links to a missing {name}"


def test_exported_page_links_to_the_next_page(tmp_path):
    (page,) = export_html.export([ROOT / "notebooks" / "00_start_here.ipynb"], tmp_path)
    text = page.read_text(encoding="utf-8")
    assert 'href="01_sliding_window.html"' in text
    assert ".ipynb\"" not in text


def test_exported_page_loads_the_mathjax_copied_beside_it(tmp_path):
    # Offline maths: the page's MathJax script is the copy in html/mathjax, not a CDN's.
    (page,) = export_html.export([ROOT / "notebooks" / "02_stride_padding_output_size.ipynb"], tmp_path)
    text = page.read_text(encoding="utf-8")
    assert f'<script src="mathjax/MathJax.js?config={export_html.MATHJAX_CONFIG}">' in text
    # No script from the web at all: nbconvert's require.js is left out too (tools/nbconvert/cnnlib_page.html.j2).
    assert re.findall(r'<script[^>]*\ssrc="(?:https?:)?//[^"]*"', text) == []
    assert (tmp_path / "mathjax" / "MathJax.js").is_file()
    assert (tmp_path / "mathjax" / "config" / f"{export_html.MATHJAX_CONFIG.split(',')[0]}.js").is_file()
    assert (tmp_path / "mathjax" / "fonts" / "HTML-CSS").is_dir(), "the web fonts MathJax typesets with"


def test_without_offline_mathjax_the_export_says_so_and_uses_the_cdn(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export_html, "offline_mathjax", lambda: None)
    (page,) = export_html.export([ROOT / "notebooks" / "00_start_here.ipynb"], tmp_path)
    assert "pip install jupyter-server-mathjax" in capsys.readouterr().err
    assert '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/' in page.read_text(encoding="utf-8")
    assert not (tmp_path / "mathjax").exists()


def test_missing_notebook_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="No notebook at .*99_nothing.ipynb"):
        export_html.export([ROOT / "notebooks" / "99_nothing.ipynb"], tmp_path)
