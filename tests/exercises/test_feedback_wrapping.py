from cnnlib.demos.formatting import WRAP_COLUMNS, wrap_text
from cnnlib.exercises.feedback import Feedback


def test_long_feedback_wraps_between_words():
    words = ["convolution"] * 30
    text = repr(Feedback(False, " ".join(words), hints=("a " * 60, "b", "c")))
    lines = text.split("\n")
    assert len(lines) > 1 and all(len(line) <= WRAP_COLUMNS for line in lines)
    assert text.replace("\n", " ").split() == ["✘", "Not", "yet:", *words]  # nothing lost, no word split
    assert all(len(line) <= WRAP_COLUMNS for line in repr(Feedback(False, "x").hint(1)).split("\n"))


def test_solutions_keep_their_code_lines():
    code = "def f(x):\n    return " + " + ".join(["x"] * 50)
    shown = repr(Feedback(False, "no", solution_code=code).solution())
    assert shown.endswith(code)


def test_wrap_keeps_indentation_short_lines_and_long_words():
    assert wrap_text("short\n\n  indented " + "word " * 30, width=20).split("\n")[:3] == ["short", "", "  indented word word"]
    assert all(line.startswith("  ") for line in wrap_text("  " + "word " * 30, width=20).split("\n"))
    assert wrap_text("x" * 30, width=10) == "x" * 30
