"""cnnlib's imports run one way, with no circles, and its core loads numpy only.

Every module is read with ``ast`` (nothing is imported to build the graph):
absolute and relative imports, at the top of a file or inside a function,
become edges between cnnlib modules. Each top-level part of the package has
a rank below; a module may import its own part and parts of the same or a
lower rank, never a higher one. ``cnnlib/__init__.py`` re-exports the public
names and is exempt; no other module may import it.
"""
import ast
import subprocess
import sys
from pathlib import Path

import cnnlib

ROOT = Path(cnnlib.__file__).parent

RANKS = {
    # helpers: argument checks, shape arithmetic, file writing, data sets (numpy only)
    "_checks": 0, "shapes": 0, "_files": 0, "_model_file": 0, "datasets": 0,
    # the ops, then the layers built on them
    "functional": 1,
    "layers": 2,
    # what works on a list of layers: losses, optimizers, checks, saving, the training loop
    "losses": 3, "optim": 3, "gradcheck": 3, "metrics": 3, "summary": 3, "checkpoint": 3, "training_loop": 3,
    "progress": 3, "callbacks": 3, "profiling": 3, "augment": 3, "explain": 3,
    # Sequential, the front that hands itself to the training loop, checkpoint and summary
    "model": 4,
    # what is built from Sequential
    "networks": 5,
    "train": 6,  # the command line
    # the teaching layer, above the whole core: lesson helpers, then the maths the lessons show (plain numpy),
    # then figures that draw it and exercises that check it, then widgets that put figures on sliders
    "setup_check": 7, "image_filters": 7,
    "demos": 8,
    "viz": 9, "exercises": 9,
    "widgets": 10,
}

# Imports that point up and are known; each says why and what removes it. The test fails when one disappears,
# so this list only shrinks.
KNOWN_UPWARD = {
}


def _module_name(path: Path) -> str:
    parts = ["cnnlib", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _resolve(importer: str, node) -> list[str]:
    """The cnnlib modules one import statement loads (a package means its ``__init__``)."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
        return [t for t in targets if t == "cnnlib" or t.startswith("cnnlib.")]
    package = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    base = node.module if node.level == 0 else ".".join(p for p in (package, node.module) if p)
    if not (base == "cnnlib" or base.startswith("cnnlib.")):
        return []
    found = [base]
    found += [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES]
    if len(found) > 1 and all(f"{base}.{alias.name}" in MODULES for alias in node.names):
        found = found[1:]  # ``from . import a, b``: the submodules, not the package's __init__
    return found


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges.update(_resolve(name, node))
        graph[name] = edges - {name}
    return graph


def _part(module: str) -> str:
    return module.split(".")[1]


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph``, or None (depth-first search, three colours)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_part_of_the_package_has_a_rank():
    parts = {_part(m) for m in MODULES if m != "cnnlib"}
    assert parts <= set(RANKS), f"give these a rank in RANKS: {sorted(parts - set(RANKS))}"


def test_no_module_imports_the_package_hub():
    users = sorted(m for m, edges in _graph().items() if "cnnlib" in edges and m != "cnnlib")
    assert users == [], f"import the module you need, not cnnlib/__init__: {users}"


def test_no_import_circles_between_modules():
    graph = {m: e for m, e in _graph().items() if m != "cnnlib"}
    cycle = _cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_no_import_circles_between_parts_of_the_package():
    parts: dict[str, set[str]] = {}
    for module, edges in _graph().items():
        if module != "cnnlib":
            parts.setdefault(_part(module), set()).update(_part(e) for e in edges if e != "cnnlib")
    cycle = _cycle({p: e - {p} for p, e in parts.items()})
    assert cycle is None, "circle between parts: " + " -> ".join(cycle or [])


def test_imports_point_down_the_ranks():
    upward = sorted(
        (m, e) for m, edges in _graph().items() if m != "cnnlib"
        for e in edges if e != "cnnlib" and RANKS.get(_part(e), 0) > RANKS.get(_part(m), 0)
    )
    unknown = [f"{m} (rank {RANKS[_part(m)]}) imports {e} (rank {RANKS[_part(e)]})"
               for m, e in upward if (m, e) not in KNOWN_UPWARD]
    assert unknown == [], "imports that point up:\n" + "\n".join(unknown)
    gone = sorted(set(KNOWN_UPWARD) - set(upward))
    assert gone == [], f"fixed: remove these from KNOWN_UPWARD: {gone}"


def test_the_graph_sees_relative_absolute_and_function_level_imports():
    graph = _graph()
    assert "cnnlib.functional.conv" in graph["cnnlib.layers.conv"]  # from ..functional.conv import ...
    assert "cnnlib.checkpoint" in graph["cnnlib.model"]  # from . import checkpoint, training_loop
    assert "cnnlib.shapes" in graph["cnnlib.functional.arguments"]  # from ..shapes import Geometry2D
    assert "cnnlib.progress" in graph["cnnlib.training_loop"]  # from .progress import progress_bar


def test_the_core_imports_numpy_only():
    code = (
        "import sys\n"
        "import cnnlib, cnnlib.layers, cnnlib.functional, cnnlib.losses, cnnlib.optim, cnnlib.shapes, "
        "cnnlib.gradcheck, cnnlib.model, cnnlib.training_loop, cnnlib.checkpoint, cnnlib.datasets\n"
        "heavy = ('matplotlib', 'ipywidgets', 'IPython', 'tqdm', 'scipy', 'PIL', 'torch')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", f"importing the core loaded {result.stdout.strip()}"
