from cnnlib.widgets.envcheck import _version_tuple, check_environment, environment_report


def test_report_lists_python_and_every_requirement():
    names = [row[0] for row in environment_report()]
    assert names == ["python", "numpy", "matplotlib", "ipywidgets", "cnnlib"]


def test_version_parsing():
    assert _version_tuple("2.4.6") == (2, 4, 6)
    assert _version_tuple("8.1.0rc1") == (8, 1, 0)
    assert _version_tuple("1.24") < _version_tuple("1.26.0")


def test_check_environment_prints_one_line_per_requirement(capsys):
    assert check_environment() is True
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6 and lines[-1].startswith("Everything")
