"""Export the lessons to static HTML pages whose links to other lessons work (``make html``).

    python tools/export_html.py                       # every notebooks/[0-9]*.ipynb into html/
    python tools/export_html.py --output-dir /tmp/h notebooks/01_sliding_window.ipynb

The lessons link to each other as ``[lesson 02](02_stride_padding_output_size.ipynb)``,
which is right in JupyterLab and on nbviewer. In the exported pages the target is
``02_stride_padding_output_size.html`` beside the page, so this export rewrites
the markdown links to lesson notebooks (``NN_name.ipynb``, with or without a
``#section``) before nbconvert renders them. Other links (``../images/...``,
web addresses) are left as they are. The notebooks on disk are not changed.

The maths is typeset offline. nbconvert's pages load MathJax from a CDN, so a
student reading them without internet saw raw ``$...$``. This export copies the
MathJax 2 that the Jupyter project packages for offline use
(``jupyter-server-mathjax``, installed with cnnlib's ``lab`` extra) into
``mathjax/`` beside the pages, and the pages load it from there. Without that
package the pages fall back to the CDN, and the export says so.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parents[1]
# A markdown link target naming a lesson notebook beside this one: "](07_making_it_fast.ipynb)"
# or "](07_making_it_fast.ipynb#the-profile)". Only relative names without a directory.
LESSON_LINK = re.compile(r"\]\((\d\d_[\w-]+)\.ipynb(#[^)\s]*)?\)")
PAGE_TEMPLATE = ROOT / "tools" / "nbconvert" / "cnnlib_page.html.j2"
MATHJAX_DIR = "mathjax"  # beside the pages
# The configuration jupyter-server-mathjax ships (TeX input, HTML-CSS output), the Safe extension as in
# nbconvert's pages, and our local file: the package keeps only the STIX-Web fonts, so MathJax must be told to
# use them (it asks for its TeX fonts first, and without them typesets in a browser serif).
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe,local/cnnlib"
MATHJAX_LOCAL_CONFIG = """\
MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null}});
MathJax.Ajax.loadComplete("[MathJax]/config/local/cnnlib.js");
"""


def html_links(markdown: str) -> str:
    """The markdown with every link to a lesson notebook pointing at its exported page.

    >>> html_links("Next: [lesson 02](02_stride_padding_output_size.ipynb).")
    'Next: [lesson 02](02_stride_padding_output_size.html).'
    >>> html_links("[the profile](07_making_it_fast.ipynb#The-profile), ![x](../images/a.png)")
    '[the profile](07_making_it_fast.html#The-profile), ![x](../images/a.png)'
    """
    return LESSON_LINK.sub(lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", markdown)


class LessonLinksToHtml(Preprocessor):
    """Rewrite markdown links between lessons from ``.ipynb`` to ``.html``."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = html_links(cell.source)
        return cell, resources


def offline_mathjax() -> Path | None:
    """The directory of the MathJax that ``jupyter-server-mathjax`` installs (``MathJax.js`` in it), or None."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        return None
    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    return static if (static / "MathJax.js").is_file() else None


def copy_mathjax(output_dir: Path) -> str | None:
    """Copy the offline MathJax into ``output_dir/mathjax``; returns the pages' script URL, or None without it."""
    source = offline_mathjax()
    if source is None:
        return None
    shutil.copytree(source, output_dir / MATHJAX_DIR, dirs_exist_ok=True)
    local = output_dir / MATHJAX_DIR / "config" / "local" / "cnnlib.js"
    local.parent.mkdir(exist_ok=True)
    local.write_text(MATHJAX_LOCAL_CONFIG, encoding="utf-8")
    return f"{MATHJAX_DIR}/MathJax.js?config={MATHJAX_CONFIG}"  # relative: the pages work from any folder


def export(notebooks: list[Path], output_dir: Path) -> list[Path]:
    """Write one ``.html`` page per notebook into ``output_dir``, with MathJax beside them; returns the pages."""
    # nbconvert's lab page, without the require.js it loads from a CDN (tools/nbconvert/cnnlib_page.html.j2)
    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(PAGE_TEMPLATE.parent)],
                            template_file=PAGE_TEMPLATE.name)
    exporter.register_preprocessor(LessonLinksToHtml(), enabled=True)
    output_dir.mkdir(parents=True, exist_ok=True)
    mathjax_url = copy_mathjax(output_dir)
    if mathjax_url is None:
        print("make html: jupyter-server-mathjax is not installed, so the pages load MathJax from a CDN and show "
              "raw $...$ without internet. Fix: pip install jupyter-server-mathjax (it comes with "
              "pip install -e '.[lab]').", file=sys.stderr)
    else:
        exporter.mathjax_url = mathjax_url
    pages = []
    for path in notebooks:
        if not path.is_file():
            raise FileNotFoundError(f"No notebook at {path}. Expected a lesson such as "
                                    "notebooks/01_sliding_window.ipynb.")
        # The page's <title> is the lesson's name, as with `jupyter nbconvert`.
        resources = {"metadata": {"name": path.stem, "path": str(path.parent)}}
        body, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4), resources=resources)
        page = output_dir / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/[0-9]*.ipynb")
    parser.add_argument("--output-dir", type=Path, default=ROOT / "html")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    for page in export(notebooks, args.output_dir):
        print(f"wrote {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
