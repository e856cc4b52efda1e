"""Every lesson survives a student scrolling up and running its cells again.

After Run All, students scroll up and re-run cells, in any order. A lesson must
not break then (issue 11: lesson 06 failed because a later cell rebinds ``x``),
nor quietly show other numbers because another cell rebound a name, changed an
array in place, kept training a model or used up a seeded random generator.

Three checks per lesson:

1. **One binding per shared name** (static, instant). If a cell reads a name
   that it has not bound itself, and two cells bind that name, what the cell
   shows depends on which of the two ran last: re-run the earlier one and the
   reader changes. This catches issue 11 in every order, not only in the two
   orders the second check tries.
2. **Re-run in one kernel** (this Python, as ``nbval --nbval-current-env``):
   run every cell in order (Run All); then re-run every code cell from the
   **bottom up** (the student scrolling up: each cell sees what the cells below
   it left behind); then re-run every code cell **top down** (going through the
   lesson again). No cell may raise, and each must print what it printed the
   first time: stdout, stderr and the text forms of rich output, after the rules
   of ``tests/nbval_sanitize.cfg`` plus tqdm's times and rates. Pictures and
   widget ids are not compared (nbval skips the same keys).
   The top-down pass alone would not have caught issue 11: going down again
   re-runs the cell that binds ``x`` before the cells that read it. The
   bottom-up pass does, and also catches a cell that trains further a model
   an earlier cell built, or draws from a generator that other cells used.

3. **Stored output, up to the CPU's rounding**: a cell whose output depends on
   a training run prints other last digits on another CPU, so nbval skips it
   (``nbval-ignore-output``); tagged ``cpu-rounding`` as well, its stored
   output is compared here with the first run's, every number within the
   CPU's rounding (``tools/cpu_rounding.py``).

Tags, kept few:

- ``rerun-ignore-output``: the cell prints timings, which change from run to
  run; it is re-run but its output is not compared (lesson 07).
- ``rerun-once``: a long training cell (lesson 09). It is re-run and
  compared in the bottom-up pass, where re-training after everything else is the
  risky case; the top-down pass skips it, to keep ``make test`` short.

One test class per lesson, so that ``pytest -n 2 --dist loadscope`` (which
groups tests by class) spreads the lessons over the workers. The two tests at
the end check the checker on a notebook with the defects of issue 11.
"""
from __future__ import annotations

import ast
import contextlib
import copy
import re
from pathlib import Path

import nbclient
import nbformat
from IPython.core.inputtransformer2 import TransformerManager
from nbval.plugin import coalesce_streams, get_sanitize_patterns

from tools.cpu_rounding import CPU_ROUNDING_TAG, beyond_rounding
from tools.nbval_retry import retrying

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
IGNORE_OUTPUT_TAG = "rerun-ignore-output"
ONCE_TAG = "rerun-once"
CELL_TIMEOUT_S = 600
SANITIZE = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text()) + [
    # tqdm's elapsed time, time left and rate; the loss and accuracy after them are still compared.
    (r"\[[\d:]+<[\d:?]+,\s*[\d.?]+\s*(?:\w+/s|s/\w+)", "[TIME]"),
]
# Pictures are checked by the figure tests; widget model ids are random (nbval skips the same keys).
SKIP_MIME = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}
HINT = ("Hint: give a later example its own name instead of rebinding a name that other cells read, build models "
        "and seed random generators in the cell that uses them (`rng = np.random.default_rng(0)`), and do not change "
        "arrays of earlier cells in place.")


def _code_cells(nb) -> list[tuple[int, nbformat.NotebookNode]]:
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]


def _describe(index: int, cell) -> str:
    first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f"cell {index} `{first_line.strip()[:70]}`"


# ---------------------------------------------------------------------------------------------------------------
# 1. Static: which top-level names each cell binds, and which it reads before binding them
# ---------------------------------------------------------------------------------------------------------------

class _NameEvents(ast.NodeVisitor):
    """Module-level reads and bindings of one cell, in evaluation order (``events``: ``("load"|"store", name)``).

    Names local to functions, lambdas and comprehensions are left out. A function reads globals whenever it is
    called: its reads count where it is defined, and ``function_reads`` keeps them for the cells that call it.
    """

    def __init__(self):
        self.events: list[tuple[str, str]] = []
        self.scopes: list[set[str]] = []  # local names of the enclosing functions/comprehensions
        self.function_reads: dict[str, set[str]] = {}  # module-level function -> globals it reads

    def _record(self, kind: str, name: str) -> None:
        if kind == "load" and any(name in scope for scope in self.scopes):
            return
        if kind == "store" and self.scopes:
            return
        self.events.append((kind, name))

    def visit_Name(self, node):
        self._record("load" if isinstance(node.ctx, ast.Load) else "store", node.id)

    def visit_Assign(self, node):  # the value is evaluated before the targets are bound
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node):  # x += 1 reads x
        if isinstance(node.target, ast.Name):
            self._record("load", node.target.id)
        self.visit(node.value)
        self.visit(node.target)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        self.visit(node.target)

    def visit_For(self, node):
        self.visit(node.iter)
        self.visit(node.target)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_Import(self, node):
        for alias in node.names:
            self._record("store", (alias.asname or alias.name).split(".")[0])

    visit_ImportFrom = visit_Import

    def _function(self, node, args: ast.arguments, body: list) -> None:
        for default in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.visit(default)
        params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        self.scopes.append(params | _bound_in(body))
        for stmt in body:
            self.visit(stmt)
        self.scopes.pop()

    def visit_FunctionDef(self, node):
        for decorator in node.decorator_list:
            self.visit(decorator)
        start = len(self.events)
        self._function(node, node.args, node.body)
        if not self.scopes:
            self.function_reads[node.name] = {name for kind, name in self.events[start:] if kind == "load"}
        self._record("store", node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self._function(node, node.args, [node.body])

    def visit_ClassDef(self, node):
        for expr in node.bases + node.decorator_list + [k.value for k in node.keywords]:
            self.visit(expr)
        self.scopes.append(_bound_in(node.body))
        for stmt in node.body:
            self.visit(stmt)
        self.scopes.pop()
        self._record("store", node.name)

    def _comprehension(self, node, elements: list) -> None:
        self.visit(node.generators[0].iter)  # evaluated in the enclosing scope
        self.scopes.append({n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)})
        for i, gen in enumerate(node.generators):
            if i:
                self.visit(gen.iter)
            for cond in gen.ifs:
                self.visit(cond)
        for element in elements:
            self.visit(element)
        self.scopes.pop()

    def visit_ListComp(self, node):
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, [node.key, node.value])


def _bound_in(body: list) -> set[str]:
    """Names a function or class body binds locally (not those of nested functions), minus ``global`` ones."""
    bound, declared_global = set(), set()
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            continue
        if isinstance(node, ast.Global):
            declared_global.update(node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    return bound - declared_global


def cell_names(source: str) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """``(binds, reads_first, function_reads)``: names the cell binds, names it reads before binding them itself,
    and the globals read by each function it defines."""
    visitor = _NameEvents()
    visitor.visit(ast.parse(TransformerManager().transform_cell(source)))
    binds, reads_first = set(), set()
    for kind, name in visitor.events:
        if kind == "store":
            binds.add(name)
        elif name not in binds:
            reads_first.add(name)
    return binds, reads_first, visitor.function_reads


def shared_name_problems(nb) -> list[str]:
    """A cell reads a name it did not bind (itself, or through a function of another cell it calls), and more
    than one cell binds that name."""
    cells = _code_cells(nb)
    names = {i: cell_names(cell.source) for i, cell in cells}
    function_reads: dict[str, set[str]] = {}
    for _, _, functions in names.values():
        for function, reads in functions.items():
            function_reads.setdefault(function, set()).update(reads)
    problems = []
    for i, cell in cells:
        binds, reads = names[i][0], set(names[i][1])
        todo = [f for f in reads if f in function_reads]
        while todo:  # what the functions it calls read, and what the functions they call read
            for name in function_reads[todo.pop()] - binds - reads:
                reads.add(name)
                if name in function_reads:
                    todo.append(name)
        for name in sorted(reads):
            binders = [j for j, _ in cells if name in names[j][0]]
            if len(binders) > 1:
                problems.append(f"{_describe(i, cell)} reads `{name}`, which cells {binders} all bind: "
                                "what it shows depends on which of them ran last")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# 2. Dynamic: run all, then re-run bottom up and top down in the same kernel
# ---------------------------------------------------------------------------------------------------------------

def _sanitize(text: str) -> str:
    for regex, replace in SANITIZE:
        text = re.sub(regex, replace, text)
    return text


def text_outputs(cell) -> list[tuple[str, str]]:
    """The cell's outputs as ``(stream name or MIME type, sanitized text)``, in order; streams merged as nbval does."""
    found = []
    for out in coalesce_streams(copy.deepcopy(cell.outputs)):
        if out.output_type == "stream":
            found.append((out.name, _sanitize(out.text)))
        elif out.output_type in ("display_data", "execute_result"):
            for mime, data in out.get("data", {}).items():
                if mime not in SKIP_MIME:
                    found.append((mime, _sanitize(data if isinstance(data, str) else repr(data))))
    return found


def _errors(cell) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]


def first_difference(before: list[tuple[str, str]], after: list[tuple[str, str]]) -> str:
    """Where the re-run output first departs from the first run's, in one line."""
    if [k for k, _ in before] != [k for k, _ in after]:
        return f"outputs {[k for k, _ in before]} became {[k for k, _ in after]}"
    for (kind, old), (_, new) in zip(before, after):
        if old != new:
            for n, (a, b) in enumerate(zip(old.splitlines(), new.splitlines())):
                if a != b:
                    return f"{kind} line {n + 1}: {a.strip()[:90]!r} became {b.strip()[:90]!r}"
            return f"{kind}: {len(old.splitlines())} lines became {len(new.splitlines())}"
    return "outputs differ"


def stored_output_problems(stored: list[tuple[str, str]], fresh: list[tuple[str, str]]) -> list[str]:
    """How a ``cpu-rounding`` cell's first run departs from its stored output by more than rounding (or [])."""
    # Grouped by kind, in order within a kind: a stored notebook lists an output's MIME types alphabetically.
    stored, fresh = sorted(stored, key=lambda k_text: k_text[0]), sorted(fresh, key=lambda k_text: k_text[0])
    if [k for k, _ in stored] != [k for k, _ in fresh]:
        return [f"the stored outputs {[k for k, _ in stored]} are {[k for k, _ in fresh]} when run. "
                "Hint: re-execute the lesson (make notebooks NB=...)"]
    found = [(kind, beyond_rounding(old, new)) for (kind, old), (_, new) in zip(stored, fresh)]
    return [f"the stored {kind} is not what the cell prints, beyond the CPU's rounding: {difference}. "
            "Hint: re-execute the lesson (make notebooks NB=...)" for kind, difference in found if difference]


def rerun_problems(path: Path, stored_problems: list[str] | None = None) -> list[str]:
    """Run all, then re-run bottom up and top down; one line per cell that raises or shows other output.

    ``stored_problems``, when given, receives one line per ``cpu-rounding`` cell whose stored output the first run
    does not reproduce up to the CPU's rounding.
    """
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", allow_errors=True,
                                     record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    cells = _code_cells(nb)
    problems = []
    client.reset_execution_trackers()
    with contextlib.ExitStack() as kernel:
        # A kernel that died before answering kernel_info (a TCP port taken in between) is started once more,
        # as nbval's are: tools/nbval_retry.py.
        retrying(lambda: kernel.enter_context(client.setup_kernel()))()
        first = {}
        for i, cell in cells:
            compare = stored_problems is not None and CPU_ROUNDING_TAG in cell.metadata.get("tags", ())
            stored = text_outputs(cell) if compare else None
            client.execute_cell(cell, i)
            errors = _errors(cell)
            assert not errors, f"{path.name} {_describe(i, cell)} fails on the first run: {errors[0]}"
            first[i] = text_outputs(cell)
            if compare:
                stored_problems += [f"{_describe(i, cell)}: {d}" for d in stored_output_problems(stored, first[i])]
        top_down = [(i, c) for i, c in cells if ONCE_TAG not in c.metadata.get("tags", ())]
        for order, pass_cells in (("bottom up", cells[::-1]), ("top down", top_down)):
            for i, cell in pass_cells:
                client.execute_cell(cell, i)
                errors = _errors(cell)
                if errors:
                    problems.append(f"{_describe(i, cell)}, re-run {order}, raises {errors[0][:200]}")
                elif IGNORE_OUTPUT_TAG not in cell.metadata.get("tags", ()) and text_outputs(cell) != first[i]:
                    problems.append(f"{_describe(i, cell)}, re-run {order}, shows other output: "
                                    f"{first_difference(first[i], text_outputs(cell))}")
    return problems


def _lesson_class(path: Path) -> type:
    """The tests of one lesson, as a class: ``--dist loadscope`` sends each class to one worker."""

    def test_every_name_a_cell_reads_is_bound_by_one_cell(self):
        problems = shared_name_problems(nbformat.read(path, as_version=4))
        assert not problems, (f"{path.name}: re-running one cell can change what another shows:\n  "
                              + "\n  ".join(problems) + "\n" + HINT)

    def test_survives_rerunning_every_cell(self):
        stored_problems = []
        problems = rerun_problems(path, stored_problems)
        assert not problems, (f"{path.name}: after Run All, running the cells again goes wrong in "
                              f"{len(problems)} place(s):\n  " + "\n  ".join(problems) + "\n" + HINT)
        assert not stored_problems, (f"{path.name}: Run All does not reproduce the stored output of "
                                     f"{len(stored_problems)} {CPU_ROUNDING_TAG} cell(s):\n  "
                                     + "\n  ".join(stored_problems))

    return type(f"TestRerun_{path.stem}", (), {
        "__doc__": f"{path.name} survives re-running its cells.",
        "test_every_name_a_cell_reads_is_bound_by_one_cell": test_every_name_a_cell_reads_is_bound_by_one_cell,
        "test_survives_rerunning_every_cell": test_survives_rerunning_every_cell,
    })


for _path in LESSONS:
    _cls = _lesson_class(_path)
    globals()[_cls.__name__] = _cls


# ---------------------------------------------------------------------------------------------------------------
# The checker itself, on a small notebook with issue 11's defects
# ---------------------------------------------------------------------------------------------------------------

BROKEN_CELLS = [
    "import random\nrng = random.Random(0)",
    "x = [1, 2, 3]\ndef total():\n    return sum(x)",
    "print('total', total())",  # reads x through the function: rebound below
    "print('draw', rng.random())",  # draws from a generator seeded in another cell
    "x = 'a later example'",
    "counts = {'runs': 0}",
    "counts['runs'] += 1\nprint(counts)",  # changes an earlier cell's object in place
]


def _notebook(cells: list[str]):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])


def test_the_name_check_finds_a_name_that_a_later_cell_rebinds():
    problems = shared_name_problems(_notebook(BROKEN_CELLS))
    assert problems == ["cell 2 `print('total', total())` reads `x`, which cells [1, 4] all bind: what it shows "
                        "depends on which of them ran last"], problems


def test_the_rerun_check_finds_rebinding_used_up_generators_and_in_place_changes(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(_notebook(BROKEN_CELLS), path)
    problems = "\n".join(rerun_problems(path))
    assert "cell 2 `print('total', total())`, re-run bottom up, raises TypeError" in problems, problems
    assert "cell 3 `print('draw', rng.random())`, re-run bottom up, shows other output" in problems, problems
    assert "cell 6 `counts['runs'] += 1`, re-run bottom up, shows other output" in problems, problems


def test_a_kernel_that_dies_at_start_is_started_once_more(tmp_path, monkeypatch):
    """As nbval's (tools/nbval_retry.py): the first kernel dies before kernel_info, the second runs the lesson."""
    real, starts = nbclient.NotebookClient.start_new_kernel_client, []

    def dies_the_first_time(self):
        starts.append(1)
        if len(starts) == 1:  # what nbclient does when the kernel died: shut it down, drop it, then raise
            self.kc = self.km.client()
            self._cleanup_kernel()
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self)

    monkeypatch.setattr(nbclient.NotebookClient, "start_new_kernel_client", dies_the_first_time)
    path = tmp_path / "lesson.ipynb"
    nbformat.write(_notebook(["x = 2", "print(x * 21)"]), path)
    assert rerun_problems(path) == []
    assert len(starts) == 2


def _stored_cell(source: str, stored_text: str, tags: tuple[str, ...] = ("nbval-ignore-output", CPU_ROUNDING_TAG)):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)}, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_text)]
    return cell


def test_the_stored_output_check_allows_the_cpus_rounding_and_nothing_more(tmp_path):
    path = tmp_path / "training.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        _stored_cell("print('mean training loss 0.909, accuracy 59.3%')", "mean training loss 0.908, accuracy 58.4%\n"),
        _stored_cell("print('accuracy 71.0%')", "accuracy 58.4%\n"),  # stale: the lesson changed since it ran
        _stored_cell("print('accuracy 71.0%')", "accuracy 58.4%\n", tags=("nbval-ignore-output",)),  # not compared
    ]), path)
    stored_problems = []
    assert rerun_problems(path, stored_problems) == []
    assert len(stored_problems) == 1, stored_problems
    assert stored_problems[0].startswith("cell 1 `print('accuracy 71.0%')`: the stored stdout is not what the cell "
                                         "prints, beyond the CPU's rounding: 58.4 became 71.0"), stored_problems
