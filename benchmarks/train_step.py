"""Time one training step of the seed-000 CNN: cnnlib vectorized vs cnnlib loops vs PyTorch CPU.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/train_step.py --write-readme

A step is forward, cross-entropy loss, backward and an SGD update on a batch
of 64 28x28 images through

    Conv2D(1, 32, 3) ReLU MaxPool2D(2) Conv2D(32, 64, 3) ReLU MaxPool2D(2)
    Flatten Dense(1600, 128) ReLU Dense(128, 10)

Every measurement runs in its own fresh subprocess (started without the
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE overrides), and the implementations
alternate A B A B over several rounds; ratios are taken pair by pair within
a round and summarised by their median, so slow drifts of a shared machine
cancel. The loop version is timed at a small batch and scaled to 64 (every
loop runs once per sample, so its time is linear in the batch).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))
from tools.blas_threads import VARIABLES as BLAS_THREAD_VARIABLES  # noqa: E402

BLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
MARK_START, MARK_END = "<!-- results:start -->", "<!-- results:end -->"


# -- the three implementations (each runs inside a worker subprocess) -------------------------
def _data(batch: int):
    rng = np.random.default_rng(0)
    return rng.standard_normal((batch, 1, 28, 28)).astype(np.float32), rng.integers(0, 10, batch)


def cnnlib_step(batch: int, impl: str):
    """Return a function running one cnnlib training step (and the model, for profiling)."""
    import cnnlib
    from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
    from cnnlib.losses import CrossEntropy
    from cnnlib.optim import SGD

    model = cnnlib.Sequential([
        Conv2D(1, 32, 3, impl=impl, seed=0), ReLU(), MaxPool2D(2, impl=impl),
        Conv2D(32, 64, 3, impl=impl, seed=1), ReLU(), MaxPool2D(2, impl=impl),
        Flatten(), Dense(1600, 128, seed=2), ReLU(), Dense(128, 10, seed=3),
    ])
    model.layers[0].requires_input_grad = False  # as fit() does: nobody needs d loss / d images
    loss, optimizer = CrossEntropy(), SGD(model, lr=0.01)
    x, y = _data(batch)

    def step():
        loss.forward(model.forward(x), y)
        model.backward(loss.backward())
        optimizer.step()

    return step, (model, loss, optimizer, x, y)


def torch_step(batch: int):
    """Return a function running one PyTorch training step."""
    import torch

    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10),
    )
    loss, optimizer = nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = (torch.from_numpy(a) for a in _data(batch))

    def step():
        optimizer.zero_grad()
        loss(model(x), y).backward()
        optimizer.step()

    return step, None


def _time(step, steps: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return times


def _profile_layers(parts, steps: int) -> dict[str, float]:
    """Median milliseconds of each layer's forward and backward, the loss and the update."""
    model, loss, optimizer, x, y = parts
    runs = []
    for _ in range(steps):
        t, h = {}, x
        for i, layer in enumerate(model.layers):
            t0 = time.perf_counter()
            h = layer.forward(h)
            t[f"{i} {layer!r} forward"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        loss.forward(h, y)
        d = loss.backward()
        t["loss forward + backward"] = time.perf_counter() - t0
        for i in reversed(range(len(model.layers))):
            t0 = time.perf_counter()
            d = model.layers[i].backward(d)
            t[f"{i} {model.layers[i]!r} backward"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        optimizer.step()
        t["SGD step"] = time.perf_counter() - t0
        runs.append(t)
    return {k: 1e3 * statistics.median(r[k] for r in runs) for k in runs[0]}


def worker(kind: str, batch: int, steps: int, warmup: int, profile: bool) -> dict:
    if kind == "torch":
        step, parts = torch_step(batch)
    else:
        step, parts = cnnlib_step(batch, "fast" if kind == "vectorized" else "naive")
    times = _time(step, steps, warmup)
    result = {"kind": kind, "batch": batch, "steps": steps, "median_ms": 1e3 * statistics.median(times),
              "min_ms": 1e3 * min(times)}
    if profile and parts is not None:
        result["layers_ms"] = _profile_layers(parts, steps)
    return result


# -- the orchestrator -----------------------------------------------------------------------------------
THREADS = None  # --threads: pin numpy's BLAS and torch to this many threads (default: their own choice)


def worker_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in BLAS_OVERRIDES}
    if THREADS:
        for var in BLAS_THREAD_VARIABLES:
            env[var] = str(THREADS)
    return env


def run_worker(kind: str, batch: int, steps: int, warmup: int, profile: bool = False) -> dict:
    env = worker_env()
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--batch", str(batch),
           "--steps", str(steps), "--warmup", str(warmup)] + (["--profile"] if profile else [])
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark worker {kind!r} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def have_torch() -> bool:
    env = worker_env()
    return subprocess.run([sys.executable, "-c", "import torch"], env=env, capture_output=True).returncode == 0


def machine() -> dict:
    info = {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count()}
    try:
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        info["cpu"] = platform.processor()
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # older numpy: no dict mode
        info["blas"] = "unknown"
    if have_torch():
        env = worker_env()
        out = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__, torch.get_num_threads())"],
                             env=env, capture_output=True, text=True).stdout.split()
        info["torch"], info["torch_threads"] = out[0], out[1]
    return info


def _loadavg() -> str:
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def main(args) -> str:
    args.load_before = _loadavg()
    torch_ok = have_torch() and not args.no_torch
    rounds_torch, rounds_loops = [], []
    for r in range(args.rounds):  # A B A B ...: vectorized, then torch, in every round
        vec = run_worker("vectorized", 64, args.steps, args.warmup)
        ref = run_worker("torch", 64, args.steps, args.warmup) if torch_ok else None
        rounds_torch.append((vec, ref))
        print(f"round {r + 1}: cnnlib vectorized {vec['median_ms']:.1f} ms"
              + (f", PyTorch {ref['median_ms']:.1f} ms, ratio {vec['median_ms'] / ref['median_ms']:.2f}" if ref else ""),
              flush=True)
    for r in range(args.loop_rounds):  # loops, then vectorized, in every round
        loops = run_worker("loops", args.loop_batch, args.loop_steps, 0)
        vec = run_worker("vectorized", 64, args.steps, args.warmup)
        rounds_loops.append((loops, vec))
        scaled = loops["median_ms"] * 64 / args.loop_batch
        print(f"loops round {r + 1}: {loops['median_ms']:.0f} ms at batch {args.loop_batch} -> {scaled / 1e3:.1f} s at "
              f"batch 64; vectorized {vec['median_ms']:.1f} ms; speed-up {scaled / vec['median_ms']:.0f}x", flush=True)
    profile = run_worker("vectorized", 64, args.steps, args.warmup, profile=True)
    args.load_after = _loadavg()
    return report(args, machine(), rounds_torch, rounds_loops, profile)


def report(args, info, rounds_torch, rounds_loops, profile) -> str:
    med = statistics.median
    vec_ms = [v["median_ms"] for v, _ in rounds_torch] + [v["median_ms"] for _, v in rounds_loops]
    lines = [
        f"Measured {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} with",
        "",
        "    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/train_step.py "
        f"--rounds {args.rounds} --steps {args.steps} --loop-rounds {args.loop_rounds} --loop-batch {args.loop_batch}"
        + (f" --threads {args.threads}" if args.threads else ""),
        "",
        f"Machine: {info['cpu']}, {info['cpus']} CPUs; Python {info['python']}, numpy {info['numpy']} ({info['blas']})"
        + (f", torch {info['torch']} ({info['torch_threads']} threads)" if "torch" in info else ", no torch") + ". "
        f"1-minute load average {args.load_before} before the run, {args.load_after} after.",
        "",
        "| implementation | median step (ms), batch 64 | per-round medians (ms) |",
        "|---|---:|---|",
        f"| cnnlib vectorized | {med(vec_ms):.1f} | {', '.join(f'{t:.1f}' for t in vec_ms)} |",
    ]
    if rounds_torch and rounds_torch[0][1] is not None:
        ref = [r["median_ms"] for _, r in rounds_torch]
        lines.append(f"| PyTorch CPU | {med(ref):.1f} | {', '.join(f'{t:.1f}' for t in ref)} |")
    if rounds_loops:
        loops = [lp["median_ms"] * 64 / args.loop_batch for lp, _ in rounds_loops]
        lines.append(f"| cnnlib loops (batch {args.loop_batch}, x{64 // args.loop_batch}) | {med(loops):.0f} | "
                     f"{', '.join(f'{t:.0f}' for t in loops)} |")
    lines.append("")
    if rounds_torch and rounds_torch[0][1] is not None:
        ratios = [v["median_ms"] / r["median_ms"] for v, r in rounds_torch]
        lines.append(f"- cnnlib vectorized / PyTorch, pair by pair: median **{med(ratios):.2f}x** "
                     f"(rounds: {', '.join(f'{q:.2f}' for q in ratios)}; target <= 1.2x)")
    if rounds_loops:
        speedups = [lp["median_ms"] * 64 / args.loop_batch / v["median_ms"] for lp, v in rounds_loops]
        lines.append(f"- cnnlib loops / cnnlib vectorized, pair by pair: median **{med(speedups):.0f}x** "
                     f"(rounds: {', '.join(f'{q:.0f}' for q in speedups)}; target >= 500x)")
    lines += ["", "Where the vectorized step spends its time (median ms per call, one profiled run):", "",
              "| part | ms |", "|---|---:|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in profile["layers_ms"].items()]
    lines += ["", f"Sum of the parts: {sum(profile['layers_ms'].values()):.1f} ms."]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    path = HERE / "README.md"
    old = path.read_text()
    start, end = old.index(MARK_START) + len(MARK_START), old.index(MARK_END)
    path.write_text(old[:start] + "\n" + text + "\n" + old[end:])


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=7, help="vectorized/PyTorch pairs (default 7)")
    p.add_argument("--steps", type=int, default=30, help="timed steps per run (default 30)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first (default 3)")
    p.add_argument("--loop-rounds", type=int, default=3, help="loops/vectorized pairs (default 3)")
    p.add_argument("--loop-batch", type=int, default=8, help="batch for the loop version, scaled to 64 (default 8)")
    p.add_argument("--loop-steps", type=int, default=2, help="timed loop steps per run (default 2)")
    p.add_argument("--threads", type=int, default=None, help="BLAS/torch threads in the workers (default: theirs)")
    p.add_argument("--no-torch", action="store_true", help="skip PyTorch even if it is installed")
    p.add_argument("--write-readme", action="store_true", help="write the results into benchmarks/README.md")
    p.add_argument("--worker", choices=["vectorized", "loops", "torch"], help=argparse.SUPPRESS)
    p.add_argument("--batch", type=int, default=64, help=argparse.SUPPRESS)
    p.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    THREADS = a.threads
    if a.worker:
        print(json.dumps(worker(a.worker, a.batch, a.steps, a.warmup, a.profile)))
    else:
        text = main(a)
        print("\n" + text)
        if a.write_readme:
            write_readme(text)
