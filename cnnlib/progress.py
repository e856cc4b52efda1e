"""The progress bar of ``fit``: tqdm's text bar, redrawn in place in a notebook.

In a terminal this is plain ``tqdm`` on stderr. In a Jupyter kernel the same
text bar is written into one output area that is replaced on every refresh
(a display handle) instead of tqdm's widget. The saved notebook then keeps
the finished bar, e.g.::

    Epoch 1/3: 100%|██████████| 79/79 [00:02<00:00, 33.10batch/s, loss=0.8212, accuracy=0.7118]

which GitHub, nbviewer and an HTML export show as it is; a widget bar is
saved as the text of its first state ("0%") or not at all. (A frontend
that ignores display updates, such as ``jupyter console``, shows only the
first line of each bar.)
"""
from __future__ import annotations

import textwrap


def in_notebook() -> bool:
    """True inside a Jupyter kernel (not in a terminal, not in a plain IPython shell)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


NOTEBOOK_COLUMNS = 88  # a bar with its loss and accuracy is longer: the numbers go on a second line


class NotebookLine:
    """A file for ``tqdm(file=...)``: every line tqdm writes replaces the text of one notebook output.

    tqdm redraws a bar by writing ``"\\r" + bar``; this keeps the latest bar and
    shows it through an IPython display handle. Lines that are only blank
    (tqdm clearing the line) are ignored, so the last bar stays visible.
    """

    encoding = "utf-8"  # tells tqdm it may draw the bar with Unicode blocks

    def __init__(self) -> None:
        self.text = ""
        self._handle = None

    def write(self, text: str) -> None:
        line = text.replace("\r", "").strip()
        if not line:
            return
        from IPython.display import display

        # wrapped between words: a notebook breaks a line that does not fit anywhere, even mid-word
        self.text = textwrap.fill(line, NOTEBOOK_COLUMNS, break_long_words=False, break_on_hyphens=False)
        bundle = {"text/plain": self.text}
        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)

    def flush(self) -> None:
        """Nothing is buffered."""


def progress_bar(total: int, desc: str, unit: str = "batch"):
    """A tqdm bar of ``total`` steps: on stderr in a terminal, in one redrawn output in a notebook."""
    from tqdm import tqdm

    if in_notebook():
        # leave=True: NotebookLine ignores the blank line tqdm would clear the bar with, so it always stays.
        return tqdm(total=total, desc=desc, unit=unit, file=NotebookLine(), mininterval=0.25, leave=True)
    return tqdm(total=total, desc=desc, unit=unit, leave=True)
