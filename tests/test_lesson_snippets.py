"""Code the lessons show in markdown, for students to paste, still runs against today's cnnlib.

nbval runs every code cell, but not code inside a markdown cell's ```python fence. Lesson 13 gives two recipes
that way (train the shipped network yourself; the larger network that reaches 0.935), because each takes many
minutes and must not run with the lesson. A renamed argument would break them silently. Here each recipe runs
as written, after the lesson's own import cell, on a few hundred synthetic images instead of Fashion-MNIST (a
fake ``load_fashion_mnist``), so it takes seconds and needs no data.

Lesson 09 shows ``python -m cnnlib.train`` commands in a plain fence: each is parsed by the command's own
parser, so a renamed or dropped flag fails here. Every other fence in a lesson must be listed in ``QUOTED``
below: code a lesson quotes from the seeds (TensorFlow, or a loop with ``...`` in it), which is not cnnlib code
and is not meant to run.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.train import build_parser

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FENCE = re.compile(r"^```(python|)[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)  # (language, code)
# (lesson, first line of the fence): quotes of the seed documents, not runnable cnnlib code
QUOTED = {
    ("08_training_by_hand.ipynb", "for epoch in range(epochs):"),
    ("10_architectures.ipynb", "model = models.Sequential(["),
}
RUNNABLE = {
    ("13_what_the_network_sees.ipynb", "from cnnlib.callbacks import CosineLR"),
    ("13_what_the_network_sees.ipynb", "from cnnlib.augment import RandomAugment"),
}
COMMANDS = {("09_training.ipynb", "python -m cnnlib.train --dataset fashion-mnist --epochs 10")}
SIZES = {"train": 256, "test": 96}  # two batches of 128 per epoch; 10 epochs take seconds


def _cells(lesson: Path, kind: str) -> list[str]:
    """The sources of a lesson's cells of one kind (json, not nbformat: make test-floors runs this file too)."""
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == kind]


def _fences(lesson: Path, language: str = "python") -> list[str]:
    """The code of every fence in a lesson's markdown with that language (``""``: a plain fence)."""
    return [m.group(2) for source in _cells(lesson, "markdown") for m in FENCE.finditer(source)
            if m.group(1) == language]


def _first_line(code: str) -> str:
    return code.strip().splitlines()[0]


def _fake_fashion_mnist(calls: list):
    """``load_fashion_mnist``'s contract (float32 in [0, 1], ``(N, 1, 28, 28)``, int64 labels), on noise."""
    def load(split: str = "train", *args, **kwargs):
        calls.append(split)
        rng = np.random.default_rng(len(split))
        n = SIZES[split]
        x = rng.random((n, 1, 28, 28), dtype=np.float32)  # (N, C, H, W)
        return x, np.arange(n, dtype=np.int64) % 10  # every class present
    return load


def test_every_fence_is_either_checked_here_or_a_quote():
    found = {(lesson.name, _first_line(code)) for lesson in LESSONS
             for language in ("python", "") for code in _fences(lesson, language)}
    unknown = found - QUOTED - RUNNABLE - COMMANDS
    assert not unknown, (
        f"a lesson shows code in a fence that no test checks: {sorted(unknown)}. Expected each fence in "
        f"RUNNABLE or COMMANDS (checked by this file) or QUOTED (a seed's code). Hint: if students are meant to "
        f"paste it, add it to RUNNABLE and run it in a test here like lesson 13's recipes.")
    missing = (QUOTED | RUNNABLE | COMMANDS) - found
    assert not missing, f"these fences are listed here but no longer in the lessons: {sorted(missing)}"


def test_lesson13_recipes_run_as_written(tmp_path, monkeypatch):
    lesson = ROOT / "notebooks" / "13_what_the_network_sees.ipynb"
    imports = _cells(lesson, "code")[0]
    first, second = _fences(lesson)
    assert _first_line(first).startswith("from cnnlib.callbacks") and "RandomAugment" in second

    monkeypatch.chdir(tmp_path)  # the first recipe saves my_resnet.npz where it runs
    calls: list[str] = []
    ns: dict = {}
    exec(compile(imports, "lesson 13, import cell", "exec"), ns)
    ns["load_fashion_mnist"] = _fake_fashion_mnist(calls)
    ns["x_test"], ns["y_test"] = ns["load_fashion_mnist"]("test")  # what the lesson's scoring cell binds

    exec(compile(first, "lesson 13, the shipped network's recipe", "exec"), ns)
    assert calls == ["test", "train"], f"the recipe loaded {calls}, expected the training split once"
    assert ns["model"].predict(ns["x_test"]).shape == (SIZES["test"], 10)
    saved = Sequential.load(tmp_path / "my_resnet.npz")  # the recipe's comment: how to load it later
    np.testing.assert_array_equal(saved.predict(ns["x_test"]), ns["model"].predict(ns["x_test"]))
    assert ns["optimizer"].lr < 0.1, "CosineLR should have lowered the learning rate from 0.1"

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(second, "lesson 13, the 0.935 recipe", "exec"), ns)
    assert ns["model"].layers[-1].params["W"].shape == (96, 10), "the 0.935 network ends in Dense(96, 10)"
    assert ns["p"].shape == (SIZES["test"], 10), f"p is {ns['p'].shape}, expected (test images, 10)"
    np.testing.assert_allclose(ns["p"].sum(axis=1), 2.0, rtol=1e-5)  # two probability vectors added
    printed = re.fullmatch(r"flip-averaged test accuracy: (\d\.\d{4})\n", out.getvalue())
    assert printed, f"the recipe printed {out.getvalue()!r}, expected one line 'flip-averaged test accuracy: 0.xxxx'"
    assert float(printed.group(1)) == pytest.approx(np.mean(ns["p"].argmax(axis=1) == ns["y_test"]), abs=5e-5)



def test_lesson09_train_commands_parse():
    commands = [c for c in _fences(ROOT / "notebooks" / "09_training.ipynb", "")
                if _first_line(c).startswith("python -m cnnlib.train")]
    assert len(commands) == 1, f"lesson 09 has {len(commands)} plain fences of cnnlib.train commands, expected 1"
    lines = commands[0].replace("\\\n", " ").splitlines()  # join the continued line
    assert len(lines) == 2, f"expected lesson 09's two commands, got {lines}"
    for line in lines:
        argv = line.split()[3:]  # after "python -m cnnlib.train"
        args = build_parser().parse_args(argv)  # argparse exits (SystemExit) on an unknown or malformed flag
        assert args.dataset == "fashion-mnist" and args.epochs == 10, f"{line!r} parsed as {args}"
    assert build_parser().parse_args(lines[1].split()[3:]).save == "bn.npz"  # the file the lesson loads next
