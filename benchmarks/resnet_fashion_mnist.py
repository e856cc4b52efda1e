"""Train the small residual network on Fashion-MNIST in cnnlib and in PyTorch; time every epoch (issue 15).

    # the final run: 10 epochs on all 60,000 images, scored on the test set; the two frameworks side by side
    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/resnet_fashion_mnist.py --framework cnnlib --threads 1 --save &
    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/resnet_fashion_mnist.py --framework torch --threads 1 --save
    .venv/bin/python benchmarks/resnet_fashion_mnist.py --report-only     # their table -> resnet_fashion_mnist.md
    # issue 15's chosen recipe: a third stage at 4x4, flips, label smoothing, flip-averaged predictions
    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/resnet_fashion_mnist.py --framework cnnlib --threads 1 \
        --channels 24 48 96 --blocks 1 1 1 --flip 1 --label-smoothing 0.1 --flip-average --save
    # a recipe trial, scored on the last 5,000 training images only
    .venv/bin/python benchmarks/resnet_fashion_mnist.py --framework torch --val 5000 --subset 20000 --epochs 2 --flip 1
    # microbenchmark: median ms (wall and CPU) of one training step in each framework
    .venv/bin/python benchmarks/resnet_fashion_mnist.py --step-ms 10

The network is ``cnnlib.networks.fashion_mnist_resnet`` (stem conv, pool,
residual blocks at 14x14 and 7x7, and at 4x4 with three ``--channels``, global
average pooling) and its twin built from ``torch.nn``, layer for layer
(``tests/test_torch_oracle_resnet_twin.py`` checks that they compute the same
logits). ``--flip-average`` also scores each image by the mean of its and its
mirror image's class probabilities. Both train with the same recipe: the same
optimizer (``torch.optim``'s formulas, which cnnlib follows), the same cosine
learning rate per step, batch size, weight decay and augmentation
(``cnnlib.augment.RandomAugment``, applied to numpy batches for both).
PyTorch initialises its weights its own way and draws its own batches, so
the accuracies agree within run-to-run noise, not digit for digit.

With ``--val N`` the last N training images are held out and the accuracy
reported is on them (choosing a recipe never looks at the test set); without
it the network trains on all 60,000 and is scored on the 10,000 test images.
Each epoch's wall time (``time.perf_counter``) and CPU time of this process
(``time.process_time``, all threads) are reported with the 1-minute load
average, because the machine is shared. PyTorch is a benchmark oracle only,
never a dependency of cnnlib.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
MARK_START, MARK_END = "<!-- results:start -->", "<!-- results:end -->"
sys.path.append(str(HERE.parent))  # after PYTHONPATH: PYTHONPATH=/frozen/copy runs that copy of cnnlib

import cnnlib  # noqa: E402
from cnnlib.augment import RandomAugment  # noqa: E402
from cnnlib.callbacks import CosineLR  # noqa: E402
from cnnlib.datasets import load_fashion_mnist  # noqa: E402
from cnnlib.layers import Softmax  # noqa: E402
from cnnlib.losses import CrossEntropy  # noqa: E402
from cnnlib.networks import fashion_mnist_cnn, fashion_mnist_resnet  # noqa: E402
from cnnlib.optim import SGD, Adam  # noqa: E402
from cnnlib.train import split_data  # noqa: E402


def loadavg() -> float:
    return float(open("/proc/loadavg").read().split()[0])


# -- the PyTorch twin ------------------------------------------------------------------------------------
def torch_resnet(channels=(24, 48), blocks=(1, 1)):
    """``fashion_mnist_resnet(channels, blocks)`` in ``torch.nn``, the same layers in the same order."""
    import torch
    from torch import nn

    class Basic(nn.Module):
        def __init__(self, c_in, c_out, stride):
            super().__init__()
            self.block = nn.Sequential(
                nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
                nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False), nn.BatchNorm2d(c_out))
            self.shortcut = (nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))
                             if stride != 1 or c_in != c_out else nn.Identity())

        def forward(self, x):
            return torch.relu(self.block(x) + self.shortcut(x))

    c_prev = channels[0]
    layers = [nn.Conv2d(1, c_prev, 3, padding=1, bias=False), nn.BatchNorm2d(c_prev), nn.ReLU(), nn.MaxPool2d(2)]
    for stage, (c, count) in enumerate(zip(channels, blocks)):
        for i in range(count):  # every stage after the first halves the size in its first block
            layers.append(Basic(c_prev, c, 2 if stage and i == 0 else 1))
            c_prev = c
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c_prev, 10))


# -- one framework's training run ------------------------------------------------------------------------
class EpochClock:
    """A ``fit`` callback: wall and CPU seconds of every epoch, the load average at its end, then the score.

    ``score()`` (the accuracy on the evaluation images) and ``on_epoch(clock)`` (saving the results so far)
    run after the epoch's clock has stopped and before the next one starts: they are not in the epoch times.
    """

    def __init__(self, name: str, score, on_epoch=None, flip_score=None) -> None:
        self.name, self.score, self.on_epoch, self.flip_score = name, score, on_epoch, flip_score
        self.wall, self.cpu, self.load, self.accuracy, self.flip_accuracy = [], [], [], [], []
        self.on_train_begin()

    def on_train_begin(self) -> None:
        self._w, self._c = time.perf_counter(), time.process_time()

    def __call__(self, epoch: int, logs: dict) -> None:
        self.wall.append(time.perf_counter() - self._w)
        self.cpu.append(time.process_time() - self._c)
        self.load.append(loadavg())
        self.accuracy.append(self.score())
        extra = "  ".join(f"{k} {v:.4f}" for k, v in logs.items())
        if self.flip_score is not None:
            self.flip_accuracy.append(self.flip_score())
            extra += f"  eval accuracy flip-averaged {self.flip_accuracy[-1]:.4f}"
        print(f"  {self.name} epoch {epoch + 1}: {self.wall[-1]:.1f} s wall, {self.cpu[-1]:.1f} s CPU, "
              f"load {self.load[-1]:.1f}  {extra}  eval accuracy {self.accuracy[-1]:.4f}", flush=True)
        if self.on_epoch is not None:
            self.on_epoch(self)
        self.on_train_begin()


def flip_averaged_accuracy(probabilities, x, y) -> float:
    """Accuracy when each image is scored by the mean of its class probabilities and its mirror image's.

    Test-time augmentation with the one transform the network trained with (``--flip 1``): the left-right
    mirror. ``probabilities(x)`` returns softmax outputs ``(N, 10)``.
    """
    p = probabilities(x) + probabilities(np.ascontiguousarray(x[..., ::-1]))  # (N, 10): the two votes added
    return float((p.argmax(axis=1) == y).mean())


def make_augment(args):
    return RandomAugment(bool(args.flip), args.shift, seed=args.seed) if args.flip or args.shift else None


def run_cnnlib(args, x, y, x_eval, y_eval, on_epoch=None) -> EpochClock:
    if args.save_weights and args.val:
        sys.exit("--save-weights keeps a network trained on all 60,000 images: drop --val")
    model = fashion_mnist_resnet(tuple(args.channels), tuple(args.blocks), seed=args.seed)
    if args.optimizer == "sgd":
        opt = SGD(model, lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    else:
        opt = Adam(model, lr=args.lr, weight_decay=args.weight_decay)
    flip_score = ((lambda: flip_averaged_accuracy(lambda v: Softmax()(model.predict(v)), x_eval, y_eval))
                  if args.flip_average else None)
    clock = EpochClock("cnnlib", lambda: model.evaluate(x_eval, y_eval)["accuracy"], on_epoch, flip_score)
    sched = CosineLR(opt, total_steps=args.epochs * math.ceil(len(x) / args.batch_size))
    model.fit(x, y, loss=CrossEntropy(args.label_smoothing), optimizer=opt, epochs=args.epochs,
              batch_size=args.batch_size, seed=args.seed, progress=False, callbacks=[sched, clock],
              augment=make_augment(args))
    if args.save_weights:
        print(f"cnnlib: saved the trained network to {model.save(args.save_weights)}", flush=True)
    return clock


def run_torch(args, x, y, x_eval, y_eval, on_epoch=None) -> EpochClock:
    import torch

    torch.manual_seed(args.seed)
    model = torch_resnet(args.channels, args.blocks)
    if args.optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * math.ceil(len(x) / args.batch_size))
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    augment, rng = make_augment(args), np.random.default_rng(args.seed)

    def probabilities(v: np.ndarray) -> np.ndarray:
        model.eval()
        with torch.no_grad():
            return torch.cat([torch.softmax(model(torch.from_numpy(v[i:i + 1000])), 1)
                              for i in range(0, len(v), 1000)]).numpy()

    def score() -> float:
        return float((probabilities(x_eval).argmax(axis=1) == y_eval).mean())

    flip_score = (lambda: flip_averaged_accuracy(probabilities, x_eval, y_eval)) if args.flip_average else None
    clock = EpochClock("torch", score, on_epoch, flip_score)
    for epoch in range(args.epochs):
        model.train()
        order, total, correct = rng.permutation(len(x)), 0.0, 0
        for i in range(0, len(x), args.batch_size):
            idx = order[i:i + args.batch_size]
            xb = x[idx] if augment is None else augment(x[idx])
            yb = torch.from_numpy(y[idx].astype(np.int64))
            out = model(torch.from_numpy(xb))
            loss = loss_fn(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            correct += int((out.argmax(1) == yb).sum())
        clock(epoch, {"loss": total / len(x), "accuracy": correct / len(x)})
    return clock


# -- microbenchmark: ms per training step ----------------------------------------------------------------
SEED000_QUIET_MS = 25.9  # the seed-000 CNN's cnnlib step (batch 64) on a quiet machine, benchmarks/README.md


def step_ms(args, steps: int) -> dict:
    """Median wall and CPU ms of one training step (after 3 warm-up steps) of each model, taken in turns.

    ``resnet`` is cnnlib's ``fashion_mnist_resnet`` at ``--batch-size``; ``seed-000`` is cnnlib's seed-000 CNN
    (``fashion_mnist_cnn()``) at batch 64, whose quiet-machine step is known (``SEED000_QUIET_MS``): the two
    alternate step by step, so the load of a shared machine slows both alike, and ``ratio`` is the median of
    the per-round CPU-time ratios resnet / seed-000. ``torch`` is the PyTorch twin (unless ``--no-torch``).
    """
    rng = np.random.default_rng(0)
    loss = CrossEntropy()

    def cnnlib_step(model, batch, momentum):
        x = rng.random((batch, 1, 28, 28), dtype=np.float32)
        y = rng.integers(0, 10, batch)
        model.layers[0].requires_input_grad = False  # as fit() does
        model.train()
        opt = SGD(model, lr=0.01, momentum=momentum)

        def step():
            loss.forward(model.forward(x), y)
            model.backward(loss.backward())
            opt.step()
        return step

    steps_of = {"resnet": cnnlib_step(fashion_mnist_resnet(tuple(args.channels), tuple(args.blocks), seed=0),
                                      args.batch_size, 0.9),
                "seed-000": cnnlib_step(fashion_mnist_cnn(seed=0), 64, 0.0)}
    if not args.no_torch:
        import torch

        tmodel = torch_resnet(args.channels, args.blocks)
        topt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)
        tx = torch.from_numpy(rng.random((args.batch_size, 1, 28, 28), dtype=np.float32))
        ty, tloss = torch.from_numpy(rng.integers(0, 10, args.batch_size)), torch.nn.CrossEntropyLoss()

        def torch_step():
            topt.zero_grad()
            tloss(tmodel(tx), ty).backward()
            topt.step()

        steps_of["torch"] = torch_step
    for step in steps_of.values():
        for _ in range(3):
            step()
    wall = {name: [] for name in steps_of}
    cpu = {name: [] for name in steps_of}
    for _ in range(steps):
        for name, step in steps_of.items():
            w, c = time.perf_counter(), time.process_time()
            step()
            wall[name].append(time.perf_counter() - w)
            cpu[name].append(time.process_time() - c)
    result = {name: (1e3 * float(np.median(wall[name])), 1e3 * float(np.median(cpu[name]))) for name in steps_of}
    result["ratio"] = float(np.median(np.array(cpu["resnet"]) / np.array(cpu["seed-000"])))
    return result


def flops_per_image(channels, blocks) -> int:
    """Multiply-adds of one forward pass (convolutions and the Dense layer), as ``Sequential.multiply_adds``."""
    return fashion_mnist_resnet(tuple(channels), tuple(blocks)).multiply_adds((1, 28, 28))


# -- the report ------------------------------------------------------------------------------------------
def machine() -> str:
    try:
        import torch
        oracle = f"torch {torch.__version__} ({torch.get_num_threads()} threads)"
    except ImportError:  # a cnnlib-only run needs no PyTorch
        oracle = "torch not installed"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # older numpy: no dict mode
        blas = "unknown"
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    return (f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}, numpy {np.__version__} ({blas}, "
            f"OPENBLAS_NUM_THREADS={threads}), {oracle}")


def report(runs: dict) -> str:
    """The markdown table of ``runs`` (framework -> the dict ``train`` returns, saved by this or other processes)."""
    first = next(iter(runs.values()))
    a = argparse.Namespace(**first["args"])
    on = f"the {first['n_eval']:,} held-out validation images" if a.val else f"the {first['n_eval']:,} test images"
    machine_of = runs.get("torch", first)["machine"]  # the torch run's: its thread count is the one it trained with
    lines = [f"Machine: {machine_of}.", "",
             f"Network: `fashion_mnist_resnet(channels={tuple(a.channels)}, blocks={tuple(a.blocks)})`, "
             f"{first['n_params']:,} parameters, {flops_per_image(a.channels, a.blocks) / 1e6:.2f} M multiply-adds "
             "per image (forward).",
             f"Recipe: {a.optimizer.upper()} lr {a.lr}" + (f" momentum {a.momentum}" if a.optimizer == "sgd" else "")
             + f", weight decay {a.weight_decay}, cosine to 0 per step, batch {a.batch_size}, {a.epochs} epochs, "
             f"augmentation flip={bool(a.flip)} shift={a.shift}, label smoothing {a.label_smoothing}; "
             + ("scored also with flip-averaged predictions (each image's and its mirror's probabilities "
                "added); " if getattr(a, "flip_average", False) else "") +
             f"trained on {first['n_train']:,} images, accuracy on {on}.", ""]
    for name, r in runs.items():
        source = f" (cnnlib imported from `{r['cnnlib_from']}`)" if r.get("cnnlib_from") else ""
        lines.append(f"- {name}: started {r['started']} UTC, `{r['command']}`{source}, 1-minute load average "
                     f"{r['load_before']:.1f} before, {r['load_after']:.1f} after.")
    epochs = max(r["args"]["epochs"] for r in runs.values())
    lines += ["", "| framework | " + " | ".join(f"ep {i + 1}" for i in range(epochs)) + " | mean | accuracy |",
              "|---|" + "---:|" * (epochs + 2)]
    for name, r in runs.items():
        planned = r["args"]["epochs"]
        done = f" ({r['epochs_done']} of {planned} epochs)" if r["epochs_done"] < planned else ""
        flipped = r.get("epoch_accuracy_flip_averaged") or []  # empty without --flip-average (and in old results)
        rows = [("wall s", "wall"), ("CPU s", "cpu"), ("load avg", "load"), ("accuracy", "epoch_accuracy")]
        rows += [("accuracy flip-averaged", "epoch_accuracy_flip_averaged")] if flipped else []
        for kind, key in rows:
            cells = " | ".join(f"{v:.4f}" if key.startswith("epoch_accuracy") else f"{v:.1f}" for v in r[key])
            cells += " | " * (epochs - len(r[key]))
            mean = f"{np.mean(r[key]):.1f}" if key in ("wall", "cpu") else ""
            accuracy = f"**{r['accuracy']:.4f}**{done}" if key == "wall" else ""
            if key == "epoch_accuracy_flip_averaged":
                accuracy = f"**{flipped[-1]:.4f}** flip-averaged"
            lines.append(f"| {name} {kind} | {cells} | {mean} | {accuracy} |")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--framework", choices=["both", "cnnlib", "torch"], default="both")
    p.add_argument("--channels", type=int, nargs="+", default=[24, 48], help="two or three stage widths")
    p.add_argument("--blocks", type=int, nargs="+", default=[1, 1], help="blocks per stage, one per width")
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--flip", type=int, choices=[0, 1], default=0)
    p.add_argument("--shift", type=int, default=0)
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--flip-average", action="store_true",
                   help="also score each image by the mean of its and its mirror's class probabilities")
    p.add_argument("--val", type=int, default=0, help="hold out the last VAL training images and score on them")
    p.add_argument("--subset", type=int, default=None, help="train on the first SUBSET images only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's choice)")
    p.add_argument("--step-ms", type=int, default=0, help="only time STEP_MS training steps of each framework")
    p.add_argument("--no-torch", action="store_true", help="--step-ms: cnnlib only")
    p.add_argument("--save", action="store_true",
                   help="keep each framework's result in benchmarks/resnet_fashion_mnist_<framework>.json")
    p.add_argument("--save-weights", type=Path, default=None, metavar="PATH",
                   help="cnnlib: save the trained network to PATH (Sequential.save), e.g. the weights that "
                        "fashion_mnist_resnet(pretrained=True) ships")
    p.add_argument("--write-md", action="store_true", help="write the table to benchmarks/resnet_fashion_mnist.md")
    p.add_argument("--report-only", action="store_true",
                   help="train nothing: write the .md from the saved results (--save) of both frameworks")
    args = p.parse_args()
    if args.threads and args.framework != "cnnlib":  # cnnlib's threads: OPENBLAS_NUM_THREADS
        import torch

        torch.set_num_threads(args.threads)
    if args.step_ms:
        load = loadavg()
        result = step_ms(args, args.step_ms)
        ratio = result.pop("ratio")
        for name, (wall, cpu) in result.items():
            what = "seed-000 CNN, batch 64" if name == "seed-000" else f"{args.channels} {args.blocks} batch {args.batch_size}"
            print(f"{name} ({what}): {wall:.1f} ms wall, {cpu:.1f} ms CPU per step", flush=True)
        steps = math.ceil(60000 / args.batch_size)
        print(f"CPU ratio resnet / seed-000 (median of {args.step_ms} rounds): {ratio:.2f}; projected quiet epoch "
              f"{ratio:.2f} x {SEED000_QUIET_MS} ms x {steps} steps = {ratio * SEED000_QUIET_MS * steps / 1e3:.0f} s "
              f"(load {load:.1f} -> {loadavg():.1f}; OPENBLAS_NUM_THREADS="
              f"{os.environ.get('OPENBLAS_NUM_THREADS', 'default')}; cnnlib from {Path(cnnlib.__file__).parent})",
              flush=True)
        return
    runs = {} if args.report_only else train(args)
    if args.save or args.report_only:  # both frameworks' saved results, from this run or separate ones
        runs = {name: json.loads((HERE / f"resnet_fashion_mnist_{name}.json").read_text())
                for name in ("cnnlib", "torch") if (HERE / f"resnet_fashion_mnist_{name}.json").exists()}
    text = report(runs)
    print("\n" + text)
    if args.write_md or args.report_only:
        write_md(text)


def write_md(text: str) -> None:
    """Put ``text`` between the results markers of resnet_fashion_mnist.md; the notes around them are kept."""
    path = HERE / "resnet_fashion_mnist.md"
    old = path.read_text() if path.exists() else (
        "# Small ResNet on Fashion-MNIST: cnnlib beside PyTorch\n\n"
        f"Written by `benchmarks/resnet_fashion_mnist.py` (issue 15).\n\n{MARK_START}\n{MARK_END}\n")
    start, end = old.index(MARK_START) + len(MARK_START), old.index(MARK_END)
    path.write_text(old[:start] + "\n" + text + "\n" + old[end:])


def train(args) -> dict:
    """Train the requested framework(s); print and return their results (saved as JSON with ``--save``)."""
    x_train, y_train = load_fashion_mnist("train", progress=False)
    (x, y), val = split_data(x_train, y_train, args.subset, args.val)
    x_eval, y_eval = val if val is not None else load_fashion_mnist("test", progress=False)
    print(f"{vars(args)}; {len(x)} training images, scoring on {len(x_eval)}", flush=True)
    runs = {}
    for name in ["cnnlib", "torch"] if args.framework == "both" else [args.framework]:
        started, load_before = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), loadavg()
        n_params = (fashion_mnist_resnet(tuple(args.channels), tuple(args.blocks)).num_params() if name == "cnnlib"
                    else sum(q.numel() for q in torch_resnet(args.channels, args.blocks).parameters()))
        env = " ".join(f"{k}={os.environ[k]}" for k in ("PYTHONPATH", "OPENBLAS_NUM_THREADS") if k in os.environ)
        info = {"n_params": n_params, "n_train": len(x), "n_eval": len(x_eval),
                "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},  # JSON-able
                "started": started,
                "load_before": load_before, "machine": machine(),
                "cnnlib_from": str(Path(cnnlib.__file__).parent) if name == "cnnlib" else None,
                "command": (f"{env} " if env else "") + ".venv/bin/python " + " ".join(sys.argv)}

        def record(clock, name=name, info=info) -> None:
            runs[name] = {**info, "wall": clock.wall, "cpu": clock.cpu, "load": clock.load,
                          "epoch_accuracy": clock.accuracy, "accuracy": clock.accuracy[-1], "load_after": loadavg(),
                          "epoch_accuracy_flip_averaged": clock.flip_accuracy,
                          "epochs_done": len(clock.wall)}
            if args.save:  # after every epoch, so that an interrupted run still leaves its epochs
                (HERE / f"resnet_fashion_mnist_{name}.json").write_text(json.dumps(runs[name], indent=1) + "\n")

        clock = (run_cnnlib if name == "cnnlib" else run_torch)(args, x, y, x_eval, y_eval, record)
        print(f"{name}: {'val' if args.val else 'test'} accuracy {clock.accuracy[-1]:.4f}, mean "
              f"{np.mean(clock.wall):.1f} s/epoch wall, {np.mean(clock.cpu):.1f} s/epoch CPU", flush=True)
    return runs


if __name__ == "__main__":
    main()
