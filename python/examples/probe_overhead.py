#!/usr/bin/python3
"""The probe's overhead on a training epoch, as a ratio measured side by side.

    PYTHONPATH=python /usr/bin/python3 python/examples/probe_overhead.py [--reps 3]

One process, one model (cnn-small of fmnist_probe.py, plain SGD), Fashion-MNIST subset; epochs
are interleaved: a plain training epoch, then a training epoch followed by an end-of-epoch
probe, repeated, for each probe setting (so every ratio compares neighbouring measurements under
the same machine load). Reported per setting: the median over repetitions of
probe seconds / plain-epoch seconds (the overhead ratio), the plain epoch and the probe times,
and the load average before and after. Timings are wall-clock on a shared machine: compare
ratios, not seconds.
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gradcert_probe as gp  # noqa: E402
from fmnist_probe import CnnSmall, load  # noqa: E402

SETTINGS = {
    "noise (pool 512, K = 8)": dict(probe_size=512, batches=8, hessian=False, sharpness=False,
                                    adaptive_sharpness=False, tail=False),
    "noise + lambda_max + sharpness (example grid settings)": dict(
        probe_size=512, batches=8, hessian_size=256, power_iterations=10, sharpness_size=256,
        trace=False, tail=False),
}


def train_epoch(model, optimizer, x, y, batch, generator):
    start = time.perf_counter()
    order = torch.randperm(len(y), generator=generator)
    for i in range(len(y) // batch):
        idx = order[i * batch:(i + 1) * batch]
        optimizer.zero_grad()
        F.cross_entropy(model(x[idx]), y[idx]).backward()
        optimizer.step()
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train-subset", type=int, default=4000)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x, y = load("train", args.train_subset)
    model = CnnSmall()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    generator = torch.Generator().manual_seed(0)
    train_epoch(model, optimizer, x, y, args.batch, generator)  # warm-up, not counted
    print(f"cnn-small, {len(y)} Fashion-MNIST examples, b = {args.batch}, {args.threads} threads, "
          f"torch {torch.__version__}; load average before: "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for name, settings in SETTINGS.items():
        probe = gp.Probe(model, (x, y), seed=0, **settings)
        ratios, plain, probes = [], [], []
        for _ in range(args.reps):
            t_plain = train_epoch(model, optimizer, x, y, args.batch, generator)
            train_epoch(model, optimizer, x, y, args.batch, generator)
            start = time.perf_counter()
            probe.measure(lr=args.lr, batch=args.batch)
            t_probe = time.perf_counter() - start
            plain.append(t_plain)
            probes.append(t_probe)
            ratios.append(t_probe / t_plain)
        print(f"{name}: probe / plain epoch = {statistics.median(ratios):.2f} (median of "
              f"{args.reps}; each {', '.join(f'{r:.2f}' for r in ratios)}); plain epoch "
              f"{statistics.median(plain):.2f} s, probe {statistics.median(probes):.2f} s")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
