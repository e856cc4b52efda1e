"""Sequential.fit / evaluate / predict: the training loop, metrics, callbacks and bad input."""
import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.layers import Dense, Dropout, Flatten, ReLU
from cnnlib.losses import MSE, CrossEntropy
from cnnlib.optim import SGD, Adam
from cnnlib.training_loop import History, accuracy


class PlainSGD:
    """The smallest optimizer: p -= lr * g for every parameter of model.layers."""

    def __init__(self, model, lr):
        self.model, self.lr = model, lr

    def step(self):
        for layer in self.model.layers:
            for k, p in layer.params.items():
                p -= self.lr * layer.grads[k]


def _blobs(n=96, seed=0):
    """Three well separated Gaussian blobs in 2-D, labels 0..2."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    centers = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    return (centers[y] + rng.standard_normal((n, 2))).astype(np.float32), y.astype(np.int64)


def _mlp(seed=0):
    return Sequential([Dense(2, 16, seed=seed), ReLU(), Dense(16, 3, seed=seed + 1)])


def test_loss_goes_down_and_history_has_one_value_per_epoch():
    x, y = _blobs()
    model = _mlp()
    h = model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=5, batch_size=16, progress=False)
    assert isinstance(h, History) and model.history is h
    assert set(h.history) == {"loss", "accuracy"} and h.epoch == [0, 1, 2, 3, 4]
    assert all(len(v) == 5 for v in h.history.values())
    assert h.history["loss"][-1] < 0.5 * h.history["loss"][0], h.history["loss"]
    assert h.history["accuracy"][-1] > 0.9, h.history["accuracy"]


def test_fit_is_reproducible_with_a_seed():
    x, y = _blobs()
    runs = []
    for _ in range(2):
        model = _mlp()
        runs.append(model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=2,
                              batch_size=10, seed=3, progress=False).history["loss"])
    assert runs[0] == runs[1]


def test_validation_metrics_and_callbacks():
    x, y = _blobs()
    model = _mlp()
    seen, batches = [], []

    class Recorder:
        def __call__(self, epoch, logs):
            seen.append((epoch, sorted(logs)))

        def on_batch_end(self, step, logs):
            batches.append((step, sorted(logs)))

    h = model.fit(x[:64], y[:64], loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=2, batch_size=30,
                  validation_data=(x[64:], y[64:]), callbacks=[Recorder()], progress=False)
    keys = ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert sorted(h.history) == keys
    assert seen == [(0, keys), (1, keys)]
    assert [s for s, _ in batches] == list(range(6)), "64 samples in batches of 30: 3 steps per epoch"
    assert batches[0][1] == ["accuracy", "loss"]
    val = model.evaluate(x[64:], y[64:], loss=CrossEntropy())
    assert val["loss"] == pytest.approx(h.history["val_loss"][-1])
    assert val["accuracy"] == pytest.approx(h.history["val_accuracy"][-1])


def test_a_callback_can_stop_training():
    x, y = _blobs()
    model = _mlp()

    def stop_after_two(epoch, logs):
        if epoch == 1:
            model.stop_training = True

    h = model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=10,
                  callbacks=[stop_after_two], progress=False)
    assert h.epoch == [0, 1]


def test_fit_restores_modes_and_requires_input_grad():
    x, y = _blobs()
    model = Sequential([Dense(2, 8), Dropout(0.5, seed=0), ReLU(), Dense(8, 3)])
    model.eval()
    seen = []

    class Spy:
        def __call__(self, epoch, logs):
            pass

        def on_batch_end(self, step, logs):
            seen.append((model[0].requires_input_grad, model[1].training))

    model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.01), epochs=1, callbacks=[Spy()], progress=False)
    assert set(seen) == {(False, True)}, "during fit: training mode, no input gradient for layer 0"
    assert model[0].requires_input_grad is True
    assert not any(layer.training for layer in model), "eval mode is restored"


def test_requires_input_grad_is_restored_after_an_error():
    x, y = _blobs()
    model = _mlp()
    with pytest.raises(ValueError):
        model.fit(x, y[:, None] * np.ones((1, 5)), loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1),
                  epochs=1, progress=False)
    assert model[0].requires_input_grad is True and model[0].training


def test_zero_epochs_train_nothing():
    x, y = _blobs()
    model = _mlp()
    before = model[0].params["W"].copy()
    h = model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=0, progress=False)
    assert h.history == {} and h.epoch == []
    np.testing.assert_array_equal(model[0].params["W"], before)


def test_progress_bar_shows_loss_and_accuracy(capsys):
    x, y = _blobs(30)
    model = _mlp()
    model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=1, batch_size=10, progress=True)
    err = capsys.readouterr().err
    assert "Epoch 1/1" in err and "loss=" in err and "accuracy=" in err


def test_in_a_notebook_the_bar_redraws_one_output_and_keeps_the_finished_line(monkeypatch):
    import IPython.display

    import cnnlib.progress

    shown = []

    class Handle:
        def update(self, bundle, raw):
            shown[-1] = bundle["text/plain"]

    def display(bundle, raw, display_id):
        assert raw and display_id
        shown.append(bundle["text/plain"])
        return Handle()

    monkeypatch.setattr(cnnlib.progress, "in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", display)
    x, y = _blobs(30)
    model = _mlp()
    model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=2, batch_size=10, progress=True)
    assert len(shown) == 2  # one output per epoch, each updated in place
    for epoch, line in enumerate(shown, start=1):
        assert line.startswith(f"Epoch {epoch}/2: 100%|██████████| 3/3 ")  # the finished bar, in Unicode blocks
        assert "loss=" in line and "accuracy=" in line and "\r" not in line


def test_an_error_mid_epoch_still_closes_the_progress_bar(monkeypatch):
    import cnnlib.training_loop

    bars = []

    class Bar:
        closed = False

        def update(self, n):
            pass

        def set_postfix(self, *args, **kwargs):
            pass

        def close(self):
            self.closed = True

    monkeypatch.setattr(cnnlib.training_loop, "progress_bar", lambda total, desc: bars.append(Bar()) or bars[-1])
    x, y = _blobs(30)
    model = _mlp()

    def fail_on_batch_2(step, logs):
        if step == 1:
            raise KeyboardInterrupt

    fail_on_batch_2.on_batch_end = fail_on_batch_2
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=2, batch_size=10,
                  progress=True, callbacks=[fail_on_batch_2])
    assert len(bars) == 1 and bars[0].closed


def test_notebook_line_ignores_the_blank_lines_tqdm_clears_with(monkeypatch):
    import IPython.display

    from cnnlib.progress import NotebookLine, in_notebook

    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda bundle, **kw: calls.append(bundle) or None)
    line = NotebookLine()
    line.write("\r  \r")
    assert calls == [] and line.text == ""
    line.write("\rEpoch 1/1:  50%|")
    assert line.text == "Epoch 1/1:  50%|" and calls == [{"text/plain": "Epoch 1/1:  50%|"}]
    assert not in_notebook()  # pytest is not a Jupyter kernel
    bar = "Epoch 1/3: 100%|██████████| 79/79 [00:16<00:00,  4.88batch/s, loss=0.612, acc=0.781, val_loss=0.5, val_acc=0.8]"
    line.write("\r" + bar)
    assert line.text.split("\n")[1] == "val_loss=0.5, val_acc=0.8]"  # wrapped between words, not mid-word
    assert line.text.replace("\n", " ") == bar


def test_regression_has_no_accuracy():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)
    model = Sequential([Dense(3, 1, seed=0)])
    h = model.fit(x, y, loss=MSE(), optimizer=PlainSGD(model, 0.05), epochs=20, batch_size=8, progress=False)
    assert list(h.history) == ["loss"]
    assert h.history["loss"][-1] < 0.01 * h.history["loss"][0]
    assert model.evaluate(x, y, loss=MSE()).keys() == {"loss"}


def test_accuracy_from_labels_and_one_hot():
    out = np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 3.0], [0.0, 5.0, 1.0], [1.0, 0.0, 0.0]])
    labels = np.array([0, 2, 0, 1])
    assert accuracy(out, labels) == 0.5
    assert accuracy(out, np.eye(3)[labels]) == 0.5
    assert accuracy(out[:, :1], labels) is None
    with pytest.raises(TypeError, match=r"labels of shape \(N,\) must be integer class indices, got dtype float64"):
        accuracy(out, labels.astype(float))


def test_predict_and_evaluate_run_in_eval_mode_and_restore_it():
    x = np.ones((10, 4), dtype=np.float32)
    model = Sequential([Dropout(0.5, seed=0), Flatten()])
    np.testing.assert_array_equal(model.predict(x, batch_size=3), x)
    assert model[0].training, "training mode is restored after predict"
    assert model.evaluate(x, np.zeros(10, dtype=int), batch_size=4) == {"accuracy": 1.0}
    assert model[0].training


def test_predict_batches_equal_one_forward():
    x, _ = _blobs(50)
    model = _mlp()
    # float32: BLAS may sum a 7-row batch in another order than all 50 rows, a few units in the last place
    np.testing.assert_allclose(model.predict(x, batch_size=7), model.eval()(x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        (dict(y=np.zeros(5, int)), ValueError, r"same number of samples, got 96 inputs and 5 targets"),
        (dict(batch_size=0), ValueError, r"batch_size must be >= 1, got 0"),
        (dict(batch_size=2.5), TypeError, r"batch_size must be an integer, got 2\.5"),
        (dict(epochs=-1), ValueError, r"epochs must be >= 0, got -1"),
        (dict(loss=CrossEntropy), TypeError, r"loss must be an instance, got the class CrossEntropy.*CrossEntropy\(\.\.\.\)"),
        (dict(loss="ce"), TypeError, r"loss must have method\(s\) forward, backward; str lacks"),
        (dict(optimizer=object()), TypeError, r"optimizer must have method\(s\) step"),
        (dict(validation_data=np.zeros(3)), TypeError, r"validation_data must be a pair \(x_val, y_val\)"),
        (dict(validation_data=(np.zeros((3, 2)), np.zeros(2, int))), ValueError, r"validation_data x and y .* 3 inputs and 2 targets"),
        (dict(callbacks=[1]), TypeError, r"callable cb\(epoch, logs\), got 1"),
        (dict(augment="flip"), TypeError, r"augment must be a callable batch -> batch .* got 'flip'"),
        (dict(augment=lambda xb: xb[:-1]), RuntimeError, r"augment must return an array shaped like its input "
         r"batch \(64, 2\), got \(63, 2\)"),
        (dict(x=np.array(["a"] * 96)), TypeError, r"x must be a numeric array"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs, error, pattern):
    x, y = _blobs()
    model = _mlp()
    args = dict(x=x, y=y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.1), epochs=1, progress=False)
    args.update(kwargs)
    with pytest.raises(error, match=pattern):
        model.fit(args.pop("x"), args.pop("y"), **args)


def test_evaluate_and_predict_reject_bad_input():
    model = _mlp()
    with pytest.raises(ValueError, match=r"same number of samples, got 3 inputs and 2 targets"):
        model.evaluate(np.zeros((3, 2)), np.zeros(2, int))
    assert model.predict(np.zeros((0, 2))).shape == (0, 3), "an empty batch gives an empty result"
    with pytest.raises(ValueError, match=r"predict needs a batch .* got a scalar.*x\[None\]"):
        model.predict(np.float32(1.0))
    with pytest.raises(ValueError, match=r"batch_size must be >= 1"):
        model.predict(np.zeros((3, 2)), batch_size=0)


@pytest.mark.parametrize("make_optimizer", [lambda m: SGD(m, lr=0.1, momentum=0.9), lambda m: Adam(m, lr=0.01)])
def test_fit_with_the_library_optimizers(make_optimizer):
    x, y = _blobs()
    model = _mlp()
    h = model.fit(x, y, loss=CrossEntropy(), optimizer=make_optimizer(model), epochs=5, batch_size=16, progress=False)
    assert h.history["loss"][-1] < 0.5 * h.history["loss"][0], h.history["loss"]


def test_an_optimizer_for_another_model_is_rejected():
    x, y = _blobs()
    model, other = _mlp(), _mlp()
    with pytest.raises(ValueError, match=r"does not update layer 0 \(Dense\): it was created for a different model.*SGD\(model"):
        model.fit(x, y, loss=CrossEntropy(), optimizer=SGD(other, lr=0.1), epochs=1, progress=False)


def test_a_tiny_conv_net_overfits_64_samples():
    from cnnlib.layers import Conv2D, MaxPool2D

    rng = np.random.default_rng(0)
    x = rng.random((64, 1, 12, 12)).astype(np.float32)
    y = rng.integers(0, 10, 64)  # random labels: only memorising can fit them
    model = Sequential([Conv2D(1, 8, 3, seed=0), ReLU(), MaxPool2D(2), Flatten(), Dense(8 * 5 * 5, 10, seed=1)])

    def stop_when_perfect(epoch, logs):
        model.stop_training = logs["accuracy"] == 1.0

    h = model.fit(x, y, loss=CrossEntropy(), optimizer=Adam(model, lr=1e-2), epochs=100, batch_size=16,
                  callbacks=[stop_when_perfect], progress=False)
    assert h.history["accuracy"][-1] == 1.0 and len(h.epoch) < 60, h.history["accuracy"]
    assert model.evaluate(x, y) == {"accuracy": 1.0}


def test_augment_sees_every_training_batch_and_never_the_validation_data():
    x, y = _blobs()
    seen = []

    def augment(xb):
        seen.append(xb.copy())
        return xb + 100.0  # far off the data: training on it must change what the model learns

    model = _mlp()
    model.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(model, 0.01), epochs=2, batch_size=32,
              validation_data=(x[:10], y[:10]), progress=False, augment=augment)
    assert [len(b) for b in seen] == [32, 32, 32] * 2
    # Every training image went through augment once per epoch; the 10 validation images did not go again.
    assert sorted(np.concatenate(seen[:3])[:, 0].tolist()) == sorted(x[:, 0].tolist())
    reference = _mlp()
    reference.fit(x, y, loss=CrossEntropy(), optimizer=PlainSGD(reference, 0.01), epochs=2, batch_size=32,
                  progress=False)
    assert not np.allclose(model.layers[0].params["W"], reference.layers[0].params["W"])
