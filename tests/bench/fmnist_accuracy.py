#!/usr/bin/python3
"""Fashion-MNIST accuracy benchmark, side by side: the gradcert SGD engine against PyTorch (1.13).

Usage: tests/bench/fmnist_accuracy.py [--gradcert build/gradcert]
                                      [--config verify/experiments/fmnist_cnn_small.toml]
                                      [--seeds 0-9] [--sides engine,torch-kaiming,torch-default]
                                      [--threads 2] [--runs runs.jsonl] [--summary-only]

Trains the benchmark configuration (cnn-small, plain SGD, b = 128, η = 0.05, constant, 5 epochs;
whatever the config file says) once per seed on each side and prints, per side, every run's test
accuracy after each epoch, then the mean, standard deviation, range and count of runs at or above
the goal (0.89) of the final accuracy, and a 95% interval for the mean (Student t). Seeds are the
outer loop, so a study stopped early still compares the sides on the same seeds.

Every finished run is appended to --runs (JSON lines); a run already there is not repeated, so
an interrupted study continues where it stopped, and --summary-only prints the tables of what
the file holds.

- engine: `gradcert train` on a copy of the config with the seed replaced and the Hessian and
  sharpness probes switched off (they do not touch the weights; this only saves time).
- torch-kaiming: the same architecture (tests/engine/torch_reference.py), the engine's
  initialisation rule (Kaiming normal, gain √2, fan-in, zero biases), the same normalisation
  (train mean 0.28604, std 0.35302), a fresh permutation per epoch, the last partial batch
  dropped like the engine, mean cross-entropy, plain SGD; train loss averaged over the epoch's
  steps like the engine's epochs.csv.
- torch-default: as torch-kaiming with PyTorch's own default initialisation.

The two frameworks draw different random numbers, so single runs cannot be compared; the seed
sets are the comparison. The benchmark's verdict is an equivalence test (two one-sided tests,
TOST): the engine's final test accuracy is equivalent to PyTorch's (same initialisation rule)
when the Welch 90% interval of the difference of the seed means lies inside ±MARGIN (0.01, one
percentage point, stated before the comparison; --margin changes it). A per-seed threshold such
as the goal 0.89 is printed for reference only. Nothing is downloaded: the data are the Debian package's IDX files.
One engine run takes about 1.5 minutes and one PyTorch run 2–3 minutes on this machine.
"""
import argparse
import csv
import gzip
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "engine"))

GOAL = 0.89
MARGIN = 0.01  # equivalence margin of the final test accuracy, engine − torch-kaiming

# One-sided 95% Student-t quantiles t_{0.95, df}, df = 1..30 (the TOST interval).
T95 = [6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782,
       1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711,
       1.708, 1.706, 1.703, 1.701, 1.699, 1.697]
MEAN, STD = 0.28604, 0.35302  # Fashion-MNIST train pixel statistics (docs/engine.md)

# Two-sided 95% Student-t quantiles t_{0.975, df}, df = 1..30 (the interval is only printed).
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            seeds.extend(range(int(lo), int(hi) + 1))
        else:
            seeds.append(int(part))
    return seeds


def read_config(path):
    """The keys the PyTorch side needs, with the engine's defaults (numerics/engine/CONFIG.md)."""
    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    get = lambda section, key, default: cfg.get(section, {}).get(key, default)
    need = {("model", "name"): "cnn-small", ("optim", "name"): "sgd",
            ("schedule", "kind"): "constant", ("data", "dataset"): "fashion-mnist"}
    for (section, key), expected in need.items():
        value = get(section, key, expected)
        if value != expected:
            raise SystemExit(f"{path}: [{section}] {key} = {value}; this benchmark's PyTorch side "
                             f"supports only {expected}")
    return {"lr": float(get("optim", "lr", 0.05)), "batch": int(get("optim", "batch", 128)),
            "epochs": int(get("run", "epochs", 5))}


def engine_config(base_text, seed, threads):
    """The config text with [run] seed and threads replaced (both must be written in the file,
    or every run would silently use the default) and the Hessian/sharpness probes off."""
    text = base_text
    for key, value in (("seed", seed), ("threads", threads)):
        text, n = re.subn(rf"(?m)^{key}\s*=.*$", f"{key} = {value}", text)
        if n != 1:
            raise SystemExit(f"the config must set [run] {key} exactly once (found {n})")
    text = re.sub(r"(?m)^hessian\s*=.*$", "hessian = false", text)
    return re.sub(r"(?m)^sharpness\s*=.*$", "sharpness = false", text)


def check_run_format(run_dir):
    """Refuses a run directory of another run format (docs/run-format.md): exit 2."""
    path = os.path.join(run_dir, "manifest.json")
    with open(path) as f:
        fmt = json.load(f).get("format")
    if fmt != {"name": "gradcert-run", "version": 1}:
        print(f"fmnist_accuracy.py: {path}: run format {fmt!r} is not gradcert-run version 1",
              file=sys.stderr)
        sys.exit(2)


def run_engine(gradcert, config_path, seed, threads):
    with open(config_path) as f:
        base = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, f"seed{seed}.toml")
        with open(cfg, "w") as f:
            f.write(engine_config(base, seed, threads))
        out = os.path.join(tmp, "run")
        start = time.perf_counter()
        subprocess.run([gradcert, "train", cfg, "--out", out, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        check_run_format(out)
        with open(os.path.join(out, "epochs.csv")) as f:
            rows = list(csv.DictReader(f))
    return {"test_acc": [float(r["test_acc"]) for r in rows],
            "train_loss": [float(r["train_loss"]) for r in rows], "seconds": seconds}


def idx_images(path):
    import numpy as np
    data = gzip.open(path).read()
    return np.frombuffer(data, np.uint8, offset=16).reshape(-1, 1, 28, 28)


def idx_labels(path):
    import numpy as np
    return np.frombuffer(gzip.open(path).read(), np.uint8, offset=8).astype(np.int64)


def load_fashion_mnist(directory):
    import numpy as np
    import torch

    def images(name):
        x = idx_images(os.path.join(directory, name)).astype(np.float32) / 255.0
        return torch.from_numpy((x - MEAN) / STD)

    def labels(name):
        return torch.from_numpy(idx_labels(os.path.join(directory, name)))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def kaiming_like_engine(model):
    import torch.nn as nn
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(module.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(module.bias)


def run_torch(data, cfg, seed, threads, init):
    import torch
    import torch.nn.functional as F
    import torch_reference

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    xtr, ytr, xte, yte = data
    model = torch_reference.build(
        {"model": "cnn-small", "channels": 1, "height": 28, "width": 28, "classes": 10})
    if init == "kaiming":
        kaiming_like_engine(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
    n, b = xtr.shape[0], cfg["batch"]
    accs, losses, start = [], [], time.perf_counter()
    for _ in range(cfg["epochs"]):
        model.train()
        perm, total = torch.randperm(n), 0.0
        for step in range(n // b):
            idx = perm[step * b:(step + 1) * b]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total / (n // b))
        model.eval()
        with torch.no_grad():
            accs.append((model(xte).argmax(1) == yte).double().mean().item())
    return {"test_acc": accs, "train_loss": losses, "seconds": time.perf_counter() - start}


def summary(finals):
    mean = statistics.fmean(finals)
    sd = statistics.stdev(finals) if len(finals) > 1 else float("nan")
    half = t975(len(finals) - 1) * sd / math.sqrt(len(finals)) if len(finals) > 1 \
        else float("nan")
    return {"mean": mean, "sd": sd, "ci95": [mean - half, mean + half], "min": min(finals),
            "max": max(finals), "at_goal": sum(a >= GOAL for a in finals), "runs": len(finals)}


def t975(df):
    """t_{0.975, df} from the table (df rounded down, at least 1; the df = 30 value beyond)."""
    return T975[min(max(int(df), 1), len(T975)) - 1]


def welch(a, b):
    """mean(a) − mean(b) with its Welch 95% interval and t statistic."""
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    d = statistics.fmean(a) - statistics.fmean(b)
    return d, d - t975(df) * se, d + t975(df) * se, d / se


def equivalence(a, b, margin):
    """TOST at 5%: (d, lo, hi, equivalent) with the Welch 90% interval [lo, hi] of mean(a) − mean(b);
    equivalent when it lies inside (−margin, margin)."""
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    d = statistics.fmean(a) - statistics.fmean(b)
    t = T95[min(max(int(df), 1), len(T95)) - 1]
    lo, hi = d - t * se, d + t * se
    return d, lo, hi, -margin < lo and hi < margin


def print_side(name, runs):
    epochs = len(next(iter(runs.values()))["test_acc"])
    print(f"\n### {name}\n")
    print("| seed | " + " | ".join(f"epoch {e + 1}" for e in range(epochs)) +
          " | train loss (last epoch) | seconds |")
    print("|---" * (epochs + 3) + "|")
    for seed, run in runs.items():
        print(f"| {seed} | " + " | ".join(f"{a:.4f}" for a in run["test_acc"]) +
              f" | {run['train_loss'][-1]:.4f} | {run['seconds']:.0f} |")
    s = summary([run["test_acc"][-1] for run in runs.values()])
    print(f"\nfinal test accuracy: mean {s['mean']:.4f} (95% CI {s['ci95'][0]:.4f}–"
          f"{s['ci95'][1]:.4f}), sd {s['sd']:.4f}, range {s['min']:.4f}–{s['max']:.4f}, "
          f"{s['at_goal']}/{s['runs']} runs ≥ {GOAL}")
    return s


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gradcert", default=os.path.join(ROOT, "build", "gradcert"))
    parser.add_argument("--config",
                        default=os.path.join(ROOT, "verify", "experiments", "fmnist_cnn_small.toml"))
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--seeds", default="0-9")
    parser.add_argument("--sides", default="engine,torch-kaiming,torch-default")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", default="fmnist_accuracy_runs.jsonl",
                        help="JSON lines of finished runs (appended to, and read to resume)")
    parser.add_argument("--margin", type=float, default=MARGIN,
                        help="equivalence margin of the final test accuracy (default 0.01)")
    parser.add_argument("--summary-only", action="store_true",
                        help="train nothing; print the tables of the runs in --runs")
    args = parser.parse_args()
    seeds, sides = parse_seeds(args.seeds), args.sides.split(",")
    unknown = set(sides) - {"engine", "torch-kaiming", "torch-default"}
    if unknown:
        raise SystemExit(f"--sides: unknown side(s) {', '.join(sorted(unknown))}")
    cfg = read_config(args.config)
    done = load_runs(args.runs)
    todo = [(seed, side) for seed in seeds for side in sides if (side, seed) not in done]
    data = None
    if not args.summary_only and any(side.startswith("torch") for _, side in todo):
        data = load_fashion_mnist(args.data)
    for seed, side in [] if args.summary_only else todo:
        if side == "engine":
            run = run_engine(args.gradcert, args.config, seed, args.threads)
        else:
            run = run_torch(data, cfg, seed, args.threads, side.split("-")[1])
        done[(side, seed)] = run
        with open(args.runs, "a") as f:
            f.write(json.dumps({"side": side, "seed": seed, **run}) + "\n")
        print(f"{side} seed {seed}: " + " ".join(f"{a:.4f}" for a in run["test_acc"]),
              file=sys.stderr, flush=True)
    print(f"# Fashion-MNIST {os.path.basename(args.config)}: test accuracy per epoch, "
          f"{args.threads} threads")
    by_side = {}
    for side in sides:
        runs = {seed: done[(side, seed)] for seed in seeds if (side, seed) in done}
        if runs:
            print_side(side, runs)
            by_side[side] = list(runs.values())
    if "engine" in by_side:
        print_differences(by_side)
        print_equivalence(by_side, args.margin)


def print_equivalence(by_side, margin):
    """The benchmark's verdict: engine against torch-kaiming, final test accuracy, TOST."""
    engine, torch = by_side.get("engine", []), by_side.get("torch-kaiming", [])
    print("\n### Verdict: equivalence with PyTorch (TOST, margin ±{:g})\n".format(margin))
    if len(engine) < 2 or len(torch) < 2:
        print("not testable: needs at least 2 seeds on engine and torch-kaiming")
        return
    d, lo, hi, ok = equivalence([r["test_acc"][-1] for r in engine],
                                [r["test_acc"][-1] for r in torch], margin)
    print(f"engine − torch-kaiming final test accuracy {d:+.4f}, 90% interval [{lo:+.4f}, "
          f"{hi:+.4f}] over {len(engine)} / {len(torch)} seeds: " +
          ("**equivalent**" if ok else "**not shown equivalent**") + f" within ±{margin:g}")


def print_differences(by_side):
    """Per epoch: engine − each PyTorch side in mean test accuracy and mean train loss."""
    engine = by_side["engine"]
    epochs = len(engine[0]["test_acc"])
    print("\n### engine − PyTorch, per epoch (Welch 95% intervals over seeds)\n")
    print("| epoch | side | test accuracy | train loss |")
    print("|---|---|---|---|")
    for side, runs in by_side.items():
        if side == "engine" or len(runs) < 2 or len(engine) < 2:
            continue
        for e in range(epochs):
            cells = []
            for key in ("test_acc", "train_loss"):
                d, lo, hi, t = welch([r[key][e] for r in engine], [r[key][e] for r in runs])
                cells.append(f"{d:+.4f} [{lo:+.4f}, {hi:+.4f}] (t = {t:.2f})")
            print(f"| {e + 1} | {side} | {cells[0]} | {cells[1]} |")


def load_runs(path):
    """(side, seed) → run for every line of the JSON-lines file (none if it does not exist)."""
    done = {}
    if os.path.exists(path):
        with open(path) as f:
            for number, line in enumerate(f, 1):
                try:
                    r = json.loads(line)
                    done[(r["side"], r["seed"])] = r
                except (json.JSONDecodeError, KeyError) as e:
                    raise SystemExit(f"{path}:{number}: not a run record ({e})")
    return done


if __name__ == "__main__":
    main()
