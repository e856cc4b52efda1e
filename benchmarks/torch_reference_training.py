"""Train the seed-000 network in PyTorch with the trainer's recipe: is a result cnnlib's or the recipe's?

    python benchmarks/torch_reference_training.py --batchnorm --val 5000
    python benchmarks/torch_reference_training.py --batchnorm --dense-batchnorm --lr 3e-3 --label-smoothing 0.1
    python benchmarks/torch_reference_training.py --batchnorm --flip --optimizer sgd --lr 0.05 --weight-decay 5e-4

Same data (cnnlib.datasets), same split (the last ``--val`` training images
held out), same architecture, optimizer, cosine-per-step schedule, batch
size and augmentation as ``python -m cnnlib.train``. PyTorch initialises the
weights its own way and draws its own batches, so the numbers agree within
run-to-run noise, not digit for digit. PyTorch is a test/benchmark oracle
only, never a dependency of cnnlib.
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np
import torch
from torch import nn

from cnnlib.augment import RandomAugment
from cnnlib.datasets import load_fashion_mnist
from cnnlib.train import split_data


def build(batchnorm: bool, hidden_dropout: float, dense_batchnorm: bool = False) -> nn.Sequential:
    def block(c_in, c_out):
        layers = [nn.Conv2d(c_in, c_out, 3, bias=not batchnorm)]
        layers += [nn.BatchNorm2d(c_out)] if batchnorm else []
        return layers + [nn.ReLU(), nn.MaxPool2d(2)]

    head = [nn.Flatten(), nn.Linear(64 * 5 * 5, 128, bias=not dense_batchnorm)]
    head += [nn.BatchNorm1d(128)] if dense_batchnorm else []
    head += [nn.ReLU()]
    head += [nn.Dropout(hidden_dropout)] if hidden_dropout else []
    return nn.Sequential(*block(1, 32), *block(32, 64), *head, nn.Linear(128, 10))


def accuracy(model, x, y) -> float:
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(torch.from_numpy(x[i:i + 1000])).argmax(1) for i in range(0, len(x), 1000)])
    return float((pred.numpy() == y).mean())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--batchnorm", action="store_true")
    p.add_argument("--dense-batchnorm", action="store_true")
    p.add_argument("--hidden-dropout", type=float, default=0.0)
    p.add_argument("--flip", action="store_true")
    p.add_argument("--shift", type=int, default=0)
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--val", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--init", choices=["torch", "he"], default="torch",
                   help="PyTorch's default initialisation, or cnnlib's He normal N(0, 2/fan_in) with zero biases")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    torch.manual_seed(args.seed)
    x_train, y_train = load_fashion_mnist("train")
    x_test, y_test = load_fashion_mnist("test")
    (x, y), val = split_data(x_train, y_train, None, args.val)
    model = build(args.batchnorm, args.hidden_dropout, args.dense_batchnorm)
    if args.init == "he":
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")  # std sqrt(2 / fan_in), as cnnlib
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
    lr = args.lr if args.lr is not None else {"adam": 1e-3, "sgd": 0.05}[args.optimizer]
    if args.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=args.weight_decay)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=args.weight_decay)
    steps = args.epochs * math.ceil(len(x) / args.batch_size)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    augment = RandomAugment(args.flip, args.shift, seed=args.seed) if args.flip or args.shift else None
    rng = np.random.default_rng(args.seed)
    print(f"torch {torch.__version__}, {sum(q.numel() for q in model.parameters()):,} parameters, {vars(args)}")
    for epoch in range(args.epochs):
        model.train()
        start, order = time.perf_counter(), rng.permutation(len(x))
        for i in range(0, len(x), args.batch_size):
            idx = order[i:i + args.batch_size]
            xb = x[idx] if augment is None else augment(x[idx])
            loss = loss_fn(model(torch.from_numpy(xb)), torch.from_numpy(y[idx].astype(np.int64)))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        line = f"epoch {epoch + 1:>2}/{args.epochs}  train acc {accuracy(model, x[:10000], y[:10000]):.4f}"
        if val is not None:
            line += f"  val acc {accuracy(model, *val):.4f}"
        print(f"{line}  ({time.perf_counter() - start:.1f} s)", flush=True)
    print(f"test accuracy {accuracy(model, x_test, y_test):.4f}")


if __name__ == "__main__":
    main()
