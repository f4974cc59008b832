#!/usr/bin/python3
"""Example: a user's own PyTorch training loop on Fashion-MNIST, measured with gradcert_probe.

    PYTHONPATH=python /usr/bin/python3 python/examples/fmnist_probe.py --out runs/fmnist-probe
    (the run directory is in gradcert's run format, docs/run-format.md)

cnn-small (conv 32, conv 64, linear; the engine's architecture), plain SGD, b = 128, eta = 0.05,
constant schedule, the Debian package dataset-fashion-mnist. After every epoch the probe
measures at the current weights (engine defaults unless overridden: pool 4096, K = 16, Hessian
on 512 examples, 20 power iterations, sharpness on 1024 examples; Hutchinson's trace with
PyHessian's defaults), and the run is written in gradcert's run format (docs/run-format.md)
with train_s and probe_s side by side, so probe_s/train_s is the probe's overhead per epoch.
Nothing is downloaded.
"""
import argparse
import gzip
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--train-subset", type=int, default=0, help="first k examples (0 = all)")
    ap.add_argument("--test-subset", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
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
        default = gp.DEFAULTS[key]
        settings[key] = (value.lower() == "true") if isinstance(default, bool) else type(default)(value)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y = load("train", args.train_subset)
    test_x, test_y = load("t10k", args.test_subset)
    model = CnnSmall()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    probe = gp.Probe(model, (train_x, train_y), seed=args.seed, **settings)
    writer = gp.RunWriter(args.out, scale=(
        f"cnn-small on Fashion-MNIST ({len(train_y)} train / {len(test_y)} test examples), "
        f"SGD b = {args.batch}, eta = {args.lr}, {args.epochs} epochs, PyTorch {torch.__version__} "
        f"on CPU ({args.threads} threads), measured with gradcert_probe"),
        manifest={"model": {"name": "cnn-small", "parameters": sum(p.numel() for p in model.parameters())},
                  "probe": probe.settings, "seeds": {"run": args.seed},
                  "config": vars(args)})
    n, step, wall = len(train_y), 0, 0.0
    g = torch.Generator().manual_seed(args.seed)
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(n, generator=g)
        losses, accs = [], []
        for i in range(n // args.batch):
            idx = order[i * args.batch:(i + 1) * args.batch]
            optimizer.zero_grad()
            out = model(train_x[idx])
            loss = F.cross_entropy(out, train_y[idx])
            loss.backward()
            optimizer.step()
            step += 1
            losses.append(float(loss))
            accs.append(float((out.argmax(1) == train_y[idx]).float().mean()))
            writer.step(step, epoch=epoch, lr=args.lr, batch=args.batch, loss=losses[-1],
                        acc=accs[-1])
        train_s = time.perf_counter() - start
        start = time.perf_counter()
        record = probe.measure(lr=args.lr, batch=args.batch)
        probe_only_s = time.perf_counter() - start
        test_loss, test_acc = evaluate(model, test_x, test_y)
        probe_s = time.perf_counter() - start
        wall += train_s + probe_s
        writer.step(step, epoch=epoch, probe=dict(record, step=step, epoch=epoch))
        writer.epoch(epoch, probe=record, updates=step, lr=args.lr, batch=args.batch,
                     delta_rel=1.0, delta_rel_target=1.0, train_loss=sum(losses) / len(losses),
                     train_acc=sum(accs) / len(accs), test_loss=test_loss, test_acc=test_acc,
                     train_s=train_s, probe_s=probe_s, wall_s=wall)
        print(f"epoch {epoch}: train loss {sum(losses) / len(losses):.4f}, test acc {test_acc:.4f},"
              f" train {train_s:.1f} s, probe {probe_only_s:.1f} s (ratio "
              f"{probe_only_s / train_s:.2f}), delta {record['noise']['delta'][0]:.4g}, "
              f"lambda_max {record['hessian']['lambda_max']:.4g}", file=sys.stderr, flush=True)
    writer.close(status="finished", wall_seconds=wall)
    return 0


if __name__ == "__main__":
    sys.exit(main())
