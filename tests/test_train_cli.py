import os
import subprocess
import sys

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.datasets import load_fashion_mnist
from cnnlib.train import build_parser, main, split_data

try:
    load_fashion_mnist("test", download=False, progress=False)
except FileNotFoundError:
    pytest.skip("Fashion-MNIST is not installed (apt install dataset-fashion-mnist)", allow_module_level=True)


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
    assert "must be 0 or more, got -1" in capsys.readouterr().err


def test_split_holds_out_the_last_images_before_taking_the_subset():
    x, y = np.arange(10)[:, None], np.arange(10)
    (xt, yt), (xv, yv) = split_data(x, y, subset=3, val=4)
    assert yt.tolist() == [0, 1, 2] and yv.tolist() == [6, 7, 8, 9]
    with pytest.raises(ValueError, match=r"--val must be in \[0, 10\)"):
        split_data(x, y, None, 10)


def test_parser_rejects_bad_values(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--dropout", "1.0"])
    assert "must be in [0, 1), got 1.0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--epochs", "0"])


def test_module_runs_from_the_command_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    done = subprocess.run([sys.executable, "-m", "cnnlib.train", "--subset", "64", "--epochs", "1", "--test-subset",
                           "64", "--no-progress"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "test accuracy" in done.stdout
    assert "RuntimeWarning" not in done.stderr
