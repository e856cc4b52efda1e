"""python -m cnnlib.train: training runs on the real data; bad arguments and Ctrl-C end with a message, not a traceback.

Exit status: 0 done, 1 the data cannot be loaded or the model cannot be saved, 2 a bad argument (argparse's
code), 130 interrupted. The argument tests use a tiny fake data set, so they need no files.
"""
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib import train as train_module
from cnnlib.datasets import FASHION_MNIST_CLASSES, load_fashion_mnist
from cnnlib.train import build_parser, main, split_data


@pytest.mark.usefixtures("fashion_test_set")
def test_smoke_trains_reports_and_saves(tmp_path, capsys):
    path = tmp_path / "w.npz"
    result = main(["--subset", "256", "--epochs", "2", "--test-subset", "200", "--batch-size", "32",
                   "--save", str(path), "--no-progress", "--seed", "3"])
    out = capsys.readouterr().out
    assert "training on 256 images, testing on 200" in out
    assert "epoch  1/2  loss" in out and "epoch  2/2  loss" in out
    assert f"test accuracy {result['test_accuracy']:.4f}" in out
    assert result["history"]["loss"][1] < result["history"]["loss"][0]
    assert result["test_accuracy"] > 0.3  # 10 classes: chance is 0.1
    loaded = Sequential.load(path)
    x, _ = load_fashion_mnist("test")
    np.testing.assert_allclose(loaded.predict(x[:5]), result["model"].predict(x[:5]), rtol=1e-5)


@pytest.mark.usefixtures("fashion_test_set")
def test_batchnorm_dropout_sgd_and_validation(capsys):
    result = main(["--subset", "128", "--epochs", "1", "--test-subset", "100", "--batchnorm", "--dropout", "0.3",
                   "--optimizer", "sgd", "--lr", "0.02", "--schedule", "constant", "--val", "100", "--no-progress"])
    out = capsys.readouterr().out
    assert "BatchNorm2D after each conv, 0.3 dropout before Dense(in_features=1600, out_features=128), " \
           "0.3 dropout before Dense(in_features=128, out_features=10)" in out
    assert "SGD(lr=0.02, momentum=0.9)" in out
    assert "val_accuracy" in out
    kinds = [type(layer).__name__ for layer in result["model"].layers]
    assert kinds.count("BatchNorm2D") == 2 and "Dropout" in kinds


@pytest.mark.usefixtures("fashion_test_set")
def test_augmentation_and_label_smoothing_flags(capsys):
    result = main(["--subset", "96", "--epochs", "1", "--test-subset", "50", "--flip", "--shift", "2",
                   "--hidden-dropout", "0.5", "--init", "uniform", "--dense-batchnorm",
                   "--label-smoothing", "0.1", "--no-progress", "--seed", "1"])
    out = capsys.readouterr().out
    assert "augmentation: RandomAugment(flip=True, max_shift=2, seed=1)" in out
    assert "label smoothing 0.1" in out
    assert "parameters, BatchNorm1D after Dense(1600, 128), uniform init, 0.5 dropout before Dense(in_features=128, out_features=10, init='uniform')\n" \
        in out
    assert 0 <= result["test_accuracy"] <= 1
    assert [type(layer).__name__ for layer in result["model"].layers][-4:] == ["BatchNorm1D", "ReLU", "Dropout", "Dense"]


def test_flipping_digits_is_refused(capsys):
    with pytest.raises(SystemExit):
        main(["--dataset", "mnist", "--flip"])
    assert "a mirrored digit is not the same digit" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--shift", "-1"])
    assert "must be 0 to 27 (the images are 28x28), got -1" in capsys.readouterr().err


def test_split_holds_out_the_last_images_before_taking_the_subset():
    x, y = np.arange(10)[:, None], np.arange(10)
    (xt, yt), (xv, yv) = split_data(x, y, subset=3, val=4)
    assert yt.tolist() == [0, 1, 2] and yv.tolist() == [6, 7, 8, 9]
    with pytest.raises(ValueError, match=r"--val 10 leaves no training images: the training set has 10\. "
                                         r"Hint: use a smaller --val \(0 to 9\)"):
        split_data(x, y, None, 10)


def test_parser_rejects_bad_values(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--dropout", "1.0"])
    assert "must be in [0, 1), got 1.0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--epochs", "0"])


@pytest.mark.usefixtures("fashion_test_set")
def test_module_runs_from_the_command_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    done = subprocess.run([sys.executable, "-m", "cnnlib.train", "--subset", "64", "--epochs", "1", "--test-subset",
                           "64", "--no-progress"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "test accuracy" in done.stdout
    assert "RuntimeWarning" not in done.stderr


# --- Bad arguments, unwritable paths, Ctrl-C: a tiny fake data set, so no files are needed --------------------

@pytest.fixture
def fake_data(monkeypatch):
    """Both datasets replaced by 100 training and 50 test images; ``calls`` records every load."""
    calls = []

    def loader(split, data_dir=None):
        calls.append(split)
        n = 100 if split == "train" else 50
        rng = np.random.default_rng(0)
        return rng.random((n, 1, 28, 28), dtype=np.float32), np.arange(n) % 10

    monkeypatch.setattr(train_module, "DATASETS", {k: (loader, FASHION_MNIST_CLASSES) for k in train_module.DATASETS})
    return calls


def _fails(argv, capsys, code=2) -> str:
    """Run main(argv), check it exits with ``code`` and a one-paragraph message; return stderr."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == code, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("argv, message", [
    (["--epochs", "-1"], "argument --epochs: must be a positive integer, got -1"),
    (["--epochs", "two"], "argument --epochs: must be a positive integer, got 'two'"),
    (["--batch-size", "0"], "argument --batch-size: must be a positive integer, got 0"),
    (["--lr", "nan"], "argument --lr: must be a positive, finite number, got nan"),
    (["--lr", "-0.1"], "argument --lr: must be a positive, finite number, got -0.1"),
    (["--lr", "inf"], "argument --lr: must be a positive, finite number, got inf"),
    (["--lr", "fast"], "argument --lr: must be a positive, finite number, got 'fast'"),
    (["--weight-decay", "nan"], "argument --weight-decay: must be a finite number >= 0, got nan"),
    (["--momentum", "1.5", "--optimizer", "sgd"], "argument --momentum: must be in [0, 1), got 1.5"),
    (["--momentum", "0.5"], "--momentum is for --optimizer sgd"),
    (["--dropout", "lots"], "argument --dropout: must be a number in [0, 1), got 'lots'"),
    (["--label-smoothing", "nan"], "argument --label-smoothing: must be in [0, 1), got nan"),
    (["--seed", "-1"], "argument --seed: must be 0 or more, got -1"),
    (["--shift", "28"], "argument --shift: must be 0 to 27 (the images are 28x28), got 28"),
    (["--val", "-3"], "argument --val: must be 0 or more, got -3"),
    (["--dataset", "cifar10"], "argument --dataset: invalid choice: 'cifar10' (choose from 'fashion-mnist', 'mnist')"),
])
def test_bad_arguments_are_refused_before_loading_anything(argv, message, fake_data, capsys):
    err = _fails(argv, capsys)
    assert message in err and err.startswith("usage: python -m cnnlib.train"), err
    assert fake_data == [], "nothing was loaded"


@pytest.mark.parametrize("argv, message", [
    (["--val", "100"], "--val 100 leaves no training images: the training set has 100. Hint: use a smaller --val"),
    (["--val", "40", "--subset", "80"], "--subset 80 is more than the 60 training images left after --val 40"),
    (["--test-subset", "51"], "--test-subset 51 is more than the 50 test images"),
])
def test_sizes_larger_than_the_data_are_refused_before_training(argv, message, fake_data, capsys):
    err = _fails(argv + ["--no-progress"], capsys)
    assert message in err and "epoch" not in capsys.readouterr().out


def _unwritable(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    return tmp_path / "file"


@pytest.mark.parametrize("where, message", [
    (lambda t: _unwritable(t) / "m.npz", "{t}/file is a file, not a directory"),
    (lambda t: _unwritable(t) / "new" / "dir" / "m.npz", "{t}/file is a file, not a directory"),
    (lambda t: t, "'{t}' names a directory; expected a file name such as {t}/model.npz"),
    (lambda t: t / "m", None),  # saved as m.npz: fine
])
def test_the_save_path_is_checked_before_loading_the_data(tmp_path, fake_data, capsys, where, message):
    path = where(tmp_path)
    if message is None:
        (tmp_path / "m.npz").mkdir()  # ... unless m.npz is a directory
        message = "{t}/m.npz is a directory"
    err = _fails(["--save", str(path), "--epochs", "1"], capsys)
    assert "argument --save: " + message.format(t=tmp_path) in err, err
    assert fake_data == [], "refused before loading the data, long before training"


def test_a_read_only_save_directory_is_refused(tmp_path, fake_data, capsys, monkeypatch):
    # As root, permission bits do not stop a write; os.access says what a read-only mount or a user would see.
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False)
    err = _fails(["--save", str(tmp_path / "new" / "m.npz")], capsys)
    assert f"argument --save: cannot write in {tmp_path} (read-only, or no permission)" in err, err
    assert fake_data == []


def test_a_save_directory_where_no_file_can_be_created_is_refused(tmp_path, fake_data, capsys, monkeypatch):
    """As root os.access says yes even in /proc: the check creates a file for real, before 10 epochs of training."""
    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(train_module.tempfile, "TemporaryFile", refuse)
    err = _fails(["--save", str(tmp_path / "m.npz")], capsys)
    assert f"argument --save: cannot write in {tmp_path} (read-only, or no permission)" in err, err
    assert fake_data == []


def test_a_data_dir_that_is_a_file_is_refused(tmp_path, fake_data, capsys):
    err = _fails(["--data-dir", str(_unwritable(tmp_path))], capsys)
    assert f"argument --data-dir: {tmp_path}/file is a file, not a directory" in err


def test_missing_data_is_a_message_and_exit_code_1(monkeypatch, capsys):
    def missing(split, data_dir=None):
        raise FileNotFoundError("Fashion-MNIST (train) not found. Looked in ...")

    monkeypatch.setattr(train_module, "DATASETS", {"fashion-mnist": (missing, FASHION_MNIST_CLASSES)})
    err = _fails([], capsys, code=1)
    assert err == "python -m cnnlib.train: error: Fashion-MNIST (train) not found. Looked in ...\n"


def test_ctrl_c_during_training_exits_130_without_saving(tmp_path, fake_data, capsys, monkeypatch):
    original = train_module.EpochPrinter.__call__

    def interrupted_after_two(self, epoch, logs):
        original(self, epoch, logs)
        if epoch == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(train_module.EpochPrinter, "__call__", interrupted_after_two)
    err = _fails(["--epochs", "5", "--no-progress", "--save", str(tmp_path / "m.npz")], capsys, code=130)
    assert err == "\nInterrupted in epoch 3/5 (2 finished); nothing saved.\n", err
    assert not list(tmp_path.iterdir()), "no model file, no .part file"


def test_ctrl_c_while_loading_exits_130(monkeypatch, capsys):
    def slow(split, data_dir=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(train_module, "DATASETS", {"fashion-mnist": (slow, FASHION_MNIST_CLASSES)})
    assert _fails([], capsys, code=130) == "\nInterrupted while loading the data; nothing trained.\n"


def test_a_failed_save_at_the_end_is_a_message(tmp_path, fake_data, capsys, monkeypatch):
    def full(model, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(Sequential, "save", full)
    err = _fails(["--epochs", "1", "--no-progress", "--save", str(tmp_path / "m.npz")], capsys, code=1)
    assert f"error: cannot save the model to {tmp_path}/m.npz: No space left on device" in err, err


def test_from_the_shell_a_bad_save_path_is_one_message_and_exit_code_2(tmp_path):
    (tmp_path / "file").write_text("")
    done = subprocess.run([sys.executable, "-m", "cnnlib.train", "--save", str(tmp_path / "file" / "m.npz")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith(f"python -m cnnlib.train: error: argument --save: {tmp_path}/file is a file"), last


def test_from_the_shell_ctrl_c_exits_130_without_a_traceback():
    # A shell that started us in the background may have set SIGINT to "ignore", which children inherit;
    # a user's terminal delivers Ctrl-C with the default handler, so restore that first.
    script = ("import signal, sys, time\n"
              "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
              "from cnnlib import train\n"
              "def loader(split, data_dir=None):\n"
              "    print('loading', flush=True)\n"
              "    time.sleep(60)\n"
              "train.DATASETS = {'fashion-mnist': (loader, train.FASHION_MNIST_CLASSES)}\n"
              "train.main([])\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "loading\n"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130 and err == "\nInterrupted while loading the data; nothing trained.\n", err


def test_a_diverging_run_ends_with_a_message_and_saves_nothing(tmp_path, fake_data, capsys):
    path = tmp_path / "w.npz"
    err = _fails(["--lr", "1e300", "--epochs", "1", "--no-progress", "--save", str(path)], capsys, code=1)
    assert "training diverged" in err and "Nothing was saved; run again with a smaller --lr (this run used 1e+300)" in err
    assert not path.exists()
