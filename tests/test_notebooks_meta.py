"""Lesson notebooks are stored the way nbval and reviewers need them.

For every ``notebooks/*.ipynb``: a jupytext ``py:percent`` pair with the same
cells, outputs stored but no widget state, every cell executed without
errors, and every widget cell tagged ``nbval-ignore-output`` with a static
picture of its default state in the code cell just before or after it.
Run ``make notebooks`` to fix all of these at once.
"""
import os
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IGNORE_TAG = "nbval-ignore-output"
PRESENT_HIDE_TAG = "presentation-hide"  # hidden by make present's Voilà template
FIX = "Hint: run `make notebooks` (tools/run_notebooks.py) to re-execute and re-sync."

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")


def _cells(nb):
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", ()))) for c in nb.cells]


def _has(cell, mime):
    return any(mime in out.get("data", {}) for out in cell.get("outputs", []))


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_paired_py_percent_file_has_the_same_cells(notebook):
    path, nb = notebook
    py = path.with_suffix(".py")
    assert py.exists(), f"{path.name} has no jupytext pair {py.name}. {FIX}"
    assert "py:percent" in nb.metadata.get("jupytext", {}).get("formats", ""), f"{path.name} is not paired. {FIX}"
    paired = jupytext.read(py)
    assert _cells(paired) == _cells(nb), f"{path.name} and {py.name} differ. {FIX}"


def test_no_widget_state_is_stored(notebook):
    path, nb = notebook
    assert "widgets" not in nb.metadata, f"{path.name} stores widget state in metadata.widgets. {FIX}"


def test_every_code_cell_ran_without_error(notebook):
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        assert cell.execution_count is not None, f"{path.name} cell {i} was never run. {FIX}"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{path.name} cell {i} stored an error: {errors[0].get('ename')}"


def test_widget_cells_are_ignored_by_nbval_and_have_a_static_picture(notebook):
    path, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code):
        if not _has(cell, WIDGET_MIME):
            continue
        first_line = cell.source.strip().splitlines()[0]
        assert IGNORE_TAG in cell.metadata.get("tags", ()), (
            f"{path.name}: the widget cell `{first_line}` needs the tag {IGNORE_TAG} (widget output is not reproducible)."
        )
        widget_outputs = [o for o in cell.outputs if WIDGET_MIME in o.get("data", {})]
        assert all("cnnlib-widget-fallback" in o["data"].get("text/html", "") for o in widget_outputs), (
            f"{path.name}: the widget cell `{first_line}` has no text/html fallback, so a reader without a kernel "
            f"sees its repr (VBox(children=...)). Widgets must be ViewWidgets. {FIX}"
        )
        neighbours = code[max(i - 1, 0) : i] + code[i + 1 : i + 2]
        stills = [c for c in neighbours if _has(c, "image/png") or _has(c, "image/svg+xml")][:1]  # before, else after
        assert all(PRESENT_HIDE_TAG in c.metadata.get("tags", ()) for c in stills), (
            f"{path.name}: the still picture next to the widget cell `{first_line}` needs the tag "
            f"{PRESENT_HIDE_TAG}: in make present, Voilà shows the live widget, not the same picture twice."
        )
        assert any(_has(c, "image/png") or _has(c, "image/svg+xml") for c in neighbours), (
            f"{path.name}: the widget cell `{first_line}` needs a static picture of its default state in the code "
            "cell just before or after it, for readers without a kernel."
        )


# JupyterLab breaks an output line that does not fit anywhere, even in the middle of a word
# (word-break: break-all). At 1024×768 an output line holds about 110 characters of code font;
# lines up to this length never wrap, longer ones must be wrapped between words before printing
# (cnnlib.demos.formatting.wrap_text, which exercise feedback uses).
MAX_OUTPUT_LINE = 100


def test_printed_lines_fit_a_projected_cell(notebook):
    path, nb = notebook
    long = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") == "stream":
                text = out.get("text", "")
            elif "text/plain" in data and not set(data) & {"text/html", "image/png", "image/svg+xml", WIDGET_MIME}:
                text = data["text/plain"]
            else:
                continue
            shown = [line.split("\r")[-1] for line in text.split("\n")]  # a progress bar shows its last state
            long += [(i, len(line), line[:50]) for line in shown if len(line) > MAX_OUTPUT_LINE]
    assert not long, (f"{path.name}: printed lines longer than {MAX_OUTPUT_LINE} characters break mid-word at "
                      f"1024×768 (cell, length, start): {long[:5]}. Hint: wrap them with wrap_text. {FIX}")


def test_kernels_get_one_blas_thread_as_when_the_stored_outputs_were_made():
    """The stored outputs are made with one BLAS thread (tools/run_notebooks.py), and their last digits depend on
    it; nbval, the rerun test and the browser suite must run the lessons the same way (the root conftest.py)."""
    from tools.blas_threads import VARIABLES

    wrong = {name: os.environ.get(name) for name in VARIABLES if os.environ.get(name) != "1"}
    assert not wrong, f"pytest runs with {wrong}, expected 1 for each: the root conftest.py sets them; was it loaded?"
    code = "import os, tools.run_notebooks; print(os.environ['OPENBLAS_NUM_THREADS'])"
    made = subprocess.run([sys.executable, "-c", code], cwd=NOTEBOOK_DIR.parent, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k not in VARIABLES})
    assert made.stdout.strip() == "1", f"tools/run_notebooks.py must pin one BLAS thread: {made.stdout}{made.stderr}"


def test_slip_demos_show_only_wrong_answers(notebook):
    """A cell that prints a checker on commented answers (``print(check_...(...))  # forgot the + 1``) shows
    what the checker says to *slips*: every one of its results must be a "Not yet", never "Correct"."""
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        lines = [ln for ln in cell.source.splitlines() if ln.startswith("print(check_")]
        if cell.cell_type != "code" or not lines or not all("#" in ln for ln in lines):
            continue
        shown = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        assert shown.count("✘ Not yet") == len(lines) and "✔" not in shown, (
            f"{path.name} cell {i}: a demo of slips printed a result that is not a 'Not yet' "
            f"(lines: {lines}; output: {shown[:300]!r}). Hint: give each demo an answer that is really wrong.")


def _checker_calls(nb):
    """``(exercises, demos)`` of a lesson: ``check_f(my_answer, ...)`` calls whose answer is a variable set to None
    in the same cell, and ``print(check_f(<literal>, ...))`` demo lines; each as ``(name, call node)``."""
    import ast

    exercises, demos = [], []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython magics: no checker calls there
            continue
        unset = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and isinstance(node.value, ast.Constant) and node.value.value is None
                 for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id.startswith("check_") and node.args):
                continue
            first = node.args[0]
            if isinstance(first, ast.Name) and first.id in unset:
                exercises.append((node.func.id, node))
            elif not isinstance(first, (ast.Name, ast.Lambda)):
                demos.append((node.func.id, node))
    return exercises, demos


def test_slip_demos_do_not_answer_the_exercise_beside_them(notebook):
    """A demo of a slip (``print(check_f(6, size=12, ...))``) must not show, crossed out, the number that
    answers one of the lesson's own exercises with the same checker: a student who was right would see
    their answer marked wrong. Nor may the exercise's answer also be the demo's right answer."""
    import ast

    import cnnlib.exercises as exercises_package
    import cnnlib.layers
    from importlib import import_module
    from pkgutil import iter_modules

    path, nb = notebook
    exercises, demos = _checker_calls(nb)
    checkers = {}
    for info in iter_modules(exercises_package.__path__):
        module = import_module(f"cnnlib.exercises.{info.name}")
        checkers.update({k: v for k, v in vars(module).items() if k.startswith("check_") and callable(v)})

    def call(name, node, answer):
        args = [answer] + [ast.literal_eval(a) for a in node.args[1:]]
        return checkers[name](*args, **{k.arg: ast.literal_eval(k.value) for k in node.keywords})

    def literal(node):
        try:
            [ast.literal_eval(a) for a in node.args[1:] + [k.value for k in node.keywords]]
            return True
        except ValueError:  # an argument names a variable of the lesson (x = ...): not checked here
            return False

    checked = 0
    for name, ex in exercises:
        for demo_name, demo in demos:
            if demo_name != name or not (literal(ex) and literal(demo)):
                continue
            # 9 * 128 * 32 + 32, or layers: [Conv2D(32, 32, 1, bias=False), BatchNorm2D(32)]
            demo_answer = eval(compile(ast.Expression(demo.args[0]), "<demo>", "eval"), dict(vars(cnnlib.layers)))
            assert not call(name, ex, demo_answer), (
                f"{path.name}: the demo {ast.unparse(demo)} shows {demo_answer!r} as a slip, but it is the answer "
                f"to the exercise {ast.unparse(ex)}. Hint: give the demo a setting whose slip is another number.")
            if isinstance(demo_answer, int):  # the exercise's answer, by trying the small whole numbers
                right = next((v for v in range(0, 200) if call(name, ex, v)), None)
                assert right is None or not call(demo_name, demo, right), (
                    f"{path.name}: the exercise {ast.unparse(ex)} and the demo {ast.unparse(demo)} share their "
                    f"answer {right}, which the demo's message gives away. Hint: another setting for the demo.")
            checked += 1
    if path.stem.startswith(("11_", "12_", "13_")):
        assert checked, f"{path.name}: no exercise/demo pair was found; the test no longer reads the lesson"


def test_make_notebooks_with_a_missing_lesson_says_so_without_a_traceback():
    made = subprocess.run([sys.executable, "tools/run_notebooks.py", "notebooks/nope.ipynb"], cwd=NOTEBOOK_DIR.parent,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 2, made.stderr
    assert "no such notebook: notebooks/nope.ipynb" in made.stderr and "Hint: NB=notebooks/" in made.stderr
    assert "Traceback" not in made.stderr


def test_every_stored_svg_figure_has_its_title_as_alt_text(notebook):
    """JupyterLab shows a stored SVG figure as an <img>; a screen reader reads its alt, so that is the title."""
    import re
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/svg+xml" in data and "text/html" in data:
                title = re.search(r"<title[^>]*>(.*?)</title>", data["image/svg+xml"], re.S)
                alt = re.search(r'<img alt="([^"]*)"', data["text/html"])
                assert title and alt and alt.group(1) not in ("", "figure"), (
                    f"{path.name} cell {i}: the figure's <img> has no alt text from its title. {FIX}")
