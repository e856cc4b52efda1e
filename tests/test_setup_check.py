import hashlib
from importlib import metadata

from cnnlib import setup_check
from cnnlib.setup_check import _version_tuple, check_environment, environment_report


def test_report_lists_python_and_every_requirement():
    names = [row[0] for row in environment_report()]
    assert names == ["python", "numpy", "matplotlib", "ipywidgets", "cnnlib"]


def test_version_parsing():
    assert _version_tuple("2.4.6") == (2, 4, 6)
    assert _version_tuple("8.1.0rc1") == (8, 1, 0)
    assert _version_tuple("1.24") < _version_tuple("1.26.0")


def test_check_environment_prints_one_line_per_row(capsys):
    rows = environment_report() + setup_check.frontend_report() + setup_check.dataset_report()
    ok = check_environment()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(rows) + 1
    assert ok is all(r[2] for r in rows)
    assert lines[-1].startswith("Everything" if ok else "Fix")


def _fake_versions(monkeypatch, versions):
    def version(name):
        if versions.get(name) is None:
            raise metadata.PackageNotFoundError(name)
        return versions[name]

    monkeypatch.setattr(setup_check.metadata, "version", version)


def test_old_numpy_is_flagged_with_the_fix(monkeypatch):
    _fake_versions(monkeypatch, {"numpy": "1.21.0", "matplotlib": "3.8", "ipywidgets": "8.1", "cnnlib": "0.1.0"})
    row = {r[0]: r for r in environment_report()}["numpy"]
    assert row[2] is False and "numpy >= 1.24" in row[3] and "make lab" in row[3]


def test_classic_notebook_6_with_widgets_8_is_explained(monkeypatch):
    _fake_versions(monkeypatch, {"ipywidgets": "8.1.2", "jupyterlab_widgets": "3.0.10", "notebook": "6.5.4",
                                 "widgetsnbextension": "3.6.6"})
    rows = {r[0]: r for r in setup_check.frontend_report()}
    assert rows["notebook"][2] is False
    assert "widgetsnbextension>=4" in rows["notebook"][3] and "make lab" in rows["notebook"][3]


def test_missing_widget_extension_is_flagged(monkeypatch):
    _fake_versions(monkeypatch, {"ipywidgets": "8.1.2"})
    rows = {r[0]: r for r in setup_check.frontend_report()}
    assert rows["jupyterlab_widgets"][1] == "missing" and rows["jupyterlab_widgets"][2] is False
    assert "restart JupyterLab" in rows["jupyterlab_widgets"][3]


def test_no_dataset_yet_says_how_to_get_it(monkeypatch, tmp_path):
    from cnnlib.datasets import mnist

    monkeypatch.setattr(mnist, "search_dirs", lambda spec, data_dir=None: [(tmp_path, "cache")])
    (row,) = setup_check.dataset_report()
    assert row[1] == "not yet" and row[2] is True
    assert "dataset-fashion-mnist" in row[3] and "CNNLIB_DATA" in row[3]


def _one_file_spec(tmp_path, content: bytes):
    """A data set of one file whose SHA-256 is that of ``content``."""
    from cnnlib.datasets import DatasetSpec

    return DatasetSpec(name="toy", title="Toy", classes=("a", "b"), mirrors=("http://127.0.0.1:9/",),
                       files={"train-images-idx3-ubyte": (len(content), hashlib.sha256(content).hexdigest())},
                       system_dirs=(), package_hint="", splits={"train": ("train-images-idx3-ubyte",)})


def test_dataset_found_names_where(monkeypatch, tmp_path):
    from cnnlib.datasets import mnist

    content = b"\x00\x00\x08\x01\x00\x00\x00\x02\x07\x03"  # an IDX file of the labels (7, 3)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(content)
    monkeypatch.setattr(mnist, "FASHION_MNIST", _one_file_spec(tmp_path, content))
    monkeypatch.setattr(mnist, "search_dirs", lambda spec, data_dir=None: [(tmp_path, "cache")])
    (row,) = setup_check.dataset_report()
    assert row[1] == "found (cache)" and row[2] is True and row[3] == str(tmp_path)


def test_empty_or_cut_off_dataset_files_are_flagged_not_found(monkeypatch, tmp_path):
    """An interrupted download leaves files of the right names: the report must not call them found."""
    from cnnlib.datasets import mnist

    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"")
    monkeypatch.setattr(mnist, "FASHION_MNIST", _one_file_spec(tmp_path, b"\x00\x00\x08\x01\x00\x00\x00\x00"))
    monkeypatch.setattr(mnist, "search_dirs", lambda spec, data_dir=None: [(tmp_path, "cache")])
    (row,) = setup_check.dataset_report()
    assert row[1] == "damaged" and row[2] is False and "fail their checksum" in row[3] and str(tmp_path) in row[3]


def test_a_damaged_copy_before_a_good_one_is_not_called_damaged(monkeypatch, tmp_path):
    """The loader skips a damaged copy (a junk cache) and takes the good one after it: so does the report."""
    from cnnlib.datasets import mnist

    content = b"\x00\x00\x08\x01\x00\x00\x00\x02\x07\x03"
    junk, good = tmp_path / "cache", tmp_path / "system"
    junk.mkdir(), good.mkdir()
    (junk / "train-images-idx3-ubyte.gz").write_bytes(b"")
    (good / "train-images-idx3-ubyte").write_bytes(content)
    monkeypatch.setattr(mnist, "FASHION_MNIST", _one_file_spec(tmp_path, content))
    monkeypatch.setattr(mnist, "search_dirs", lambda spec, data_dir=None: [(junk, "cache"), (good, "system copy")])
    (row,) = setup_check.dataset_report()
    assert row[1] == "found (system copy)" and row[2] is True and row[3] == str(good)


def test_the_cnnlib_data_advice_names_the_subfolder_the_loader_reads(monkeypatch, tmp_path):
    from cnnlib.datasets import mnist

    monkeypatch.setattr(mnist, "search_dirs", lambda spec, data_dir=None: [(tmp_path, "cache")])
    (row,) = setup_check.dataset_report()
    assert "DIR/fashion-mnist/" in row[3] and "CNNLIB_DATA=DIR" in row[3]
    monkeypatch.undo()  # the real search_dirs: $CNNLIB_DATA's fashion-mnist/ subfolder, as the advice says
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path))
    assert (tmp_path / "fashion-mnist", "$CNNLIB_DATA") in mnist.search_dirs(mnist.FASHION_MNIST)
