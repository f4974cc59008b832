#!/usr/bin/python3
"""Example: a user's own PyTorch training loop on Fashion-MNIST, measured with gradcert_probe.

    PYTHONPATH=python /usr/bin/python3 python/examples/fmnist_probe.py --out runs/fmnist-probe
    (the run directory is in gradcert's run format, docs/run-format.md)

cnn-small (conv 32, conv 64, linear; the engine's architecture), plain SGD, b = 128, eta = 0.05,
the Debian package dataset-fashion-mnist. --schedule picks one of the step arms of gradcert's
schedules experiment (verify/empirical/schedules.hpp: constant, lr-sqrt2, batch-x2, hybrid,
lr-half; a stage every --every epochs), and the manifest's "experiment" labels (dataset, model,
seed, eta0, b0, schedule, the evaluation-mode final training loss) let `gradcert report --runs`
group the runs into its schedules, sharpness-grid and noise-scaling pages
(python/examples/report/make_example_runs.sh builds the committed example). After every epoch the probe
measures at the current weights (engine defaults unless overridden: pool 4096, K = 16, Hessian
on 512 examples, 20 power iterations, sharpness on 1024 examples; Hutchinson's trace with
PyHessian's defaults), and the run is written in gradcert's run format (docs/run-format.md)
with train_s and probe_s side by side, so probe_s/train_s is the probe's overhead per epoch.
Nothing is downloaded.
"""
import argparse
import gzip
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import gradcert_probe as gp  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.28604, 0.35302


class CnnSmall(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64 * 7 * 7, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))


def load(split, limit):
    images = np.frombuffer(gzip.open(f"{DATA}/{split}-images-idx3-ubyte.gz").read(), np.uint8,
                           offset=16).reshape(-1, 1, 28, 28)
    labels = np.frombuffer(gzip.open(f"{DATA}/{split}-labels-idx1-ubyte.gz").read(), np.uint8,
                           offset=8)
    if limit:
        images, labels = images[:limit], labels[:limit]
    x = (torch.from_numpy(images.astype(np.float32)) / 255.0 - MEAN) / STD
    return x, torch.from_numpy(labels.astype(np.int64))


def evaluate(model, x, y, chunk=1000):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(y), chunk):
            out = model(x[i:i + chunk])
            loss += float(F.cross_entropy(out, y[i:i + chunk], reduction="sum"))
            correct += int((out.argmax(1) == y[i:i + chunk]).sum())
    model.train()
    return loss / len(y), correct / len(y)


# The step arms of verify/empirical/schedules.hpp: (eta factor, batch factor) per stage.
ARMS = {"constant": (1.0, 1.0), "lr-sqrt2": (1.0 / math.sqrt(2.0), 1.0), "batch-x2": (1.0, 2.0),
        "hybrid": (math.sqrt(3.0) / 2.0, 1.5), "lr-half": (0.5, 1.0)}


def schedule_at(arm, epoch, every, lr0, batch0, n):
    """(eta, b, delta_rel, delta_rel_target) of `epoch` (1-based), as the engine's schedule:
    stage k = (epoch - 1) // every, eta = eta0 f^k, b = round(b0 g^k) capped at n."""
    f, g = ARMS[arm]
    k = (epoch - 1) // every
    lr = lr0 * f ** k
    batch = int(min(max(round(batch0 * g ** k), 1), n))
    return lr, batch, lr / lr0 * math.sqrt(batch0 / batch), (f / math.sqrt(g)) ** k


def parse_setting(key, value):
    default = gp.DEFAULTS[key]
    if isinstance(default, bool):
        return value.lower() == "true"
    if isinstance(default, tuple):
        return tuple(int(v) for v in value.split(",") if v)
    return type(default)(value)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--train-subset", type=int, default=0, help="first k examples (0 = all)")
    ap.add_argument("--test-subset", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--schedule", choices=sorted(ARMS), default="constant")
    ap.add_argument("--every", type=int, default=1, help="epochs per stage of --schedule")
    ap.add_argument("--grid-point", action="store_true",
                    help="a sharpness-grid run: constant (eta, b), no schedule arm in the labels")
    ap.add_argument("--probe-last-only", action="store_true",
                    help="probe after the last epoch only (other epochs: nan probe columns)")
    ap.add_argument("--no-step-log", action="store_true",
                    help="steps.jsonl gets only the probe records (small run directories)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--probe", action="append", default=[],
                    help="KEY=VALUE probe setting (gradcert_probe.DEFAULTS), e.g. probe_size=2048")
    args = ap.parse_args()
    if not os.path.exists(f"{DATA}/train-images-idx3-ubyte.gz"):
        print(f"fmnist_probe.py: {DATA}: install the Debian package dataset-fashion-mnist",
              file=sys.stderr)
        return 2
    settings = {}
    for kv in args.probe:
        key, _, value = kv.partition("=")
        if key not in gp.DEFAULTS:
            print(f"fmnist_probe.py: --probe {kv}: unknown setting", file=sys.stderr)
            return 2
        settings[key] = parse_setting(key, value)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y = load("train", args.train_subset)
    test_x, test_y = load("t10k", args.test_subset)
    model = CnnSmall()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    probe = gp.Probe(model, (train_x, train_y), seed=args.seed, **settings)
    if args.grid_point and args.schedule != "constant":
        print("fmnist_probe.py: --grid-point needs --schedule constant", file=sys.stderr)
        return 2
    experiment = {"dataset": "fashion-mnist", "model": "cnn-small", "seed": args.seed,
                  "lr": args.lr, "batch": args.batch, "every": args.every,
                  "train_examples": len(train_y), "test_examples": len(test_y), "classes": 10,
                  "threads": args.threads}
    if not args.grid_point:
        experiment["schedule"] = args.schedule
    writer = gp.RunWriter(args.out, scale=(
        f"cnn-small on Fashion-MNIST ({len(train_y)} train / {len(test_y)} test examples), "
        f"plain SGD b0 = {args.batch}, eta0 = {args.lr}, schedule {args.schedule}, "
        f"{args.epochs} epochs, PyTorch {torch.__version__} on CPU ({args.threads} threads), "
        f"measured with gradcert_probe"),
        manifest={"model": {"name": "cnn-small", "parameters": sum(p.numel() for p in model.parameters())},
                  "probe": probe.settings, "seeds": {"run": args.seed},
                  "config": vars(args), "experiment": experiment},
        columns=gp.EPOCH_COLUMNS if args.probe_last_only else None)
    n, step, wall = len(train_y), 0, 0.0
    g = torch.Generator().manual_seed(args.seed)
    for epoch in range(1, args.epochs + 1):
        lr, batch, delta_rel, delta_rel_target = schedule_at(args.schedule, epoch, args.every,
                                                             args.lr, args.batch, n)
        for group in optimizer.param_groups:
            group["lr"] = lr
        start = time.perf_counter()
        order = torch.randperm(n, generator=g)
        losses, accs = [], []
        for i in range(n // batch):
            idx = order[i * batch:(i + 1) * batch]
            optimizer.zero_grad()
            out = model(train_x[idx])
            loss = F.cross_entropy(out, train_y[idx])
            loss.backward()
            optimizer.step()
            step += 1
            losses.append(float(loss))
            accs.append(float((out.argmax(1) == train_y[idx]).float().mean()))
            if not args.no_step_log:
                writer.step(step, epoch=epoch, lr=lr, batch=batch, loss=losses[-1],
                            acc=accs[-1])
        train_s = time.perf_counter() - start
        start = time.perf_counter()
        probed = epoch == args.epochs or not args.probe_last_only
        record = probe.measure(lr=lr, batch=batch) if probed else None
        probe_only_s = time.perf_counter() - start
        test_loss, test_acc = evaluate(model, test_x, test_y)
        probe_s = time.perf_counter() - start
        wall += train_s + probe_s
        if probed:
            writer.step(step, epoch=epoch, probe=dict(record, step=step, epoch=epoch))
        writer.epoch(epoch, probe=record, updates=step, lr=lr, batch=batch,
                     delta_rel=delta_rel, delta_rel_target=delta_rel_target,
                     train_loss=sum(losses) / len(losses),
                     train_acc=sum(accs) / len(accs), test_loss=test_loss, test_acc=test_acc,
                     train_s=train_s, probe_s=probe_s, wall_s=wall)
        print(f"epoch {epoch}: train loss {sum(losses) / len(losses):.4f}, test acc {test_acc:.4f},"
              f" train {train_s:.1f} s, probe {probe_only_s:.1f} s (ratio "
              f"{probe_only_s / train_s:.2f}), delta "
              f"{record['noise']['delta'][0] if record and 'noise' in record else float('nan'):.4g}, "
              f"lambda_max "
              f"{record['hessian']['lambda_max'] if record and 'hessian' in record else float('nan'):.4g}",
              file=sys.stderr, flush=True)
    # The schedules and sharpness-grid pages compare the final weights' training loss in
    # evaluation mode over the whole training set (verify/empirical/schedules.hpp).
    final_loss, final_acc = evaluate(model, train_x, train_y)
    writer.manifest["experiment"].update(final_train_loss=final_loss, final_train_acc=final_acc)
    writer.close(status="finished", wall_seconds=wall)
    return 0


if __name__ == "__main__":
    sys.exit(main())
