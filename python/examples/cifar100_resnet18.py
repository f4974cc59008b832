#!/usr/bin/python3
"""Recipe: the paper's CIFAR-100 ResNet-18 schedules on a GPU, measured with gradcert_probe and
written in gradcert's run format (docs/run-format.md). Not run on gradcert's CI machines (one
epoch takes ~15 minutes on their 2 CPU cores); CI imports it and builds its model
(tests/probe/test_recipes.py).

    PYTHONPATH=python python3 python/examples/cifar100_resnet18.py \\
        --data cifar-100-binary --schedule lr-step --out runs/c100-lr-step
    gradcert report --runs runs/c100-* --out report-c100   # pages and claim verdicts

Setting (Sato & Iiduka; docs/mathematics.md §6): ResNet-18 with the CIFAR stem (3x3 conv, no
max-pool), 100 classes; 200 epochs in 5 stages of 40; eta0 = 0.1, b0 = 32 (as the paper's WRN
runs; override with --lr/--batch); SGD (or --optimizer shb/nshb with --momentum 0.9);
schedules: constant; lr-step eta x 1/sqrt(2) per stage; batch-step b x 2 per stage; hybrid
eta x sqrt(3)/2 and b x 1.5 per stage; augmentation: random crop 32 with zero padding 4, flip
p = 0.5, rotation +-15 degrees (nearest neighbour), then normalisation with the paper's
(0.5071, 0.4865, 0.4409) / (0.2673, 0.2564, 0.2762). The data are CIFAR-100's binary files
(train.bin, test.bin: coarse label, fine label, 3072 pixels; fine labels used).
Probes after every epoch with the engine's defaults (gradcert_probe.DEFAULTS).
"""
import argparse
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

MEAN = (0.5071, 0.4865, 0.4409)
STD = (0.2673, 0.2564, 0.2762)
RECORD = 2 + 3072


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                                          nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class ResNet18(nn.Module):
    def __init__(self, classes=100):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        layers, cin = [], 64
        for stage, cout in enumerate((64, 128, 256, 512)):
            for block in range(2):
                layers.append(BasicBlock(cin, cout, 2 if stage > 0 and block == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def load_cifar100(path):
    """(uint8 images [N, 3, 32, 32], int64 fine labels) from a CIFAR-100 binary file."""
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size == 0 or raw.size % RECORD:
        raise SystemExit(f"cifar100_resnet18.py: {path}: size {raw.size} is not a multiple of "
                         f"{RECORD} (CIFAR-100 binary records)")
    raw = raw.reshape(-1, RECORD)
    return (torch.from_numpy(raw[:, 2:].reshape(-1, 3, 32, 32).copy()),
            torch.from_numpy(raw[:, 1].astype(np.int64)))


def normalise(images_u8):
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (images_u8.float() / 255.0 - mean) / std


def augment(images_u8, generator):
    """Crop 32 after zero padding 4, flip p = 0.5, rotation uniform in +-15 degrees (nearest,
    zero fill), on raw pixels before normalisation (as the engine does)."""
    n = images_u8.shape[0]
    padded = F.pad(images_u8.float(), (4, 4, 4, 4))
    dx = torch.randint(0, 9, (n,), generator=generator)
    dy = torch.randint(0, 9, (n,), generator=generator)
    out = torch.stack([padded[i, :, dy[i]:dy[i] + 32, dx[i]:dx[i] + 32] for i in range(n)])
    flip = torch.rand(n, generator=generator) < 0.5
    out[flip] = out[flip].flip(3)
    angle = (torch.rand(n, generator=generator) * 30.0 - 15.0) * math.pi / 180.0
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([cos, -sin, torch.zeros(n)], 1),
                         torch.stack([sin, cos, torch.zeros(n)], 1)], 1)
    grid = F.affine_grid(theta, out.shape, align_corners=False)
    out = F.grid_sample(out, grid, mode="nearest", padding_mode="zeros", align_corners=False)
    return out.round().clamp(0, 255).to(torch.uint8)


# The arm of gradcert's schedules experiment (verify/empirical/schedules.hpp) of each schedule.
ARM_NAMES = {"constant": "constant", "lr-step": "lr-sqrt2", "batch-step": "batch-x2",
             "hybrid": "hybrid"}


def schedule(kind, stage, lr0, batch0):
    """(eta, b) of a stage (0-based) for the paper's schedules."""
    if kind == "constant":
        return lr0, batch0
    if kind == "lr-step":
        return lr0 * (1.0 / math.sqrt(2.0)) ** stage, batch0
    if kind == "batch-step":
        return lr0, int(round(batch0 * 2.0 ** stage))
    if kind == "hybrid":
        return lr0 * (math.sqrt(3.0) / 2.0) ** stage, int(round(batch0 * 1.5 ** stage))
    raise ValueError(f"unknown schedule {kind!r} (constant, lr-step, batch-step, hybrid)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="directory with train.bin and test.bin")
    ap.add_argument("--out", required=True)
    ap.add_argument("--schedule", default="lr-step",
                    choices=["constant", "lr-step", "batch-step", "hybrid"])
    ap.add_argument("--optimizer", default="sgd", choices=["sgd", "shb", "nshb"])
    ap.add_argument("--momentum", type=float, default=0.0)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--every", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = ap.parse_args(argv)
    torch.manual_seed(args.seed)
    train_u8, train_y = load_cifar100(os.path.join(args.data, "train.bin"))
    test_u8, test_y = load_cifar100(os.path.join(args.data, "test.bin"))
    device = torch.device(args.device)
    model = ResNet18().to(device)
    params = model.parameters()
    # SHB: v <- beta v + g; NSHB: v <- beta v + (1 - beta) g (PyTorch's dampening = beta).
    optimizer = torch.optim.SGD(params, lr=args.lr,
                                momentum=args.momentum if args.optimizer != "sgd" else 0.0,
                                dampening=args.momentum if args.optimizer == "nshb" else 0.0)
    probe_x = normalise(train_u8).to(device)
    probe = gp.Probe(model, (probe_x, train_y.to(device)), seed=args.seed)
    writer = gp.RunWriter(args.out, scale=(
        f"ResNet-18 on CIFAR-100 (50000/10000), {args.optimizer} {args.schedule}, "
        f"eta0 = {args.lr}, b0 = {args.batch}, {args.epochs} epochs, {args.device}"),
        manifest={"model": {"name": "resnet18"}, "config": vars(args), "probe": probe.settings,
                  # labels for `gradcert report --runs` (docs/run-format.md): the arm names of
                  # gradcert's schedules experiment
                  "experiment": {"dataset": "cifar100", "model": "resnet18", "seed": args.seed,
                                 "lr": args.lr, "batch": args.batch, "every": args.every,
                                 "schedule": ARM_NAMES[args.schedule],
                                 "train_examples": len(train_y), "test_examples": len(test_y),
                                 "classes": 100}})
    g = torch.Generator().manual_seed(args.seed)
    n, step, wall = len(train_y), 0, 0.0
    for epoch in range(1, args.epochs + 1):
        lr, b = schedule(args.schedule, (epoch - 1) // args.every, args.lr, args.batch)
        for group in optimizer.param_groups:
            group["lr"] = lr
        start = time.perf_counter()
        order = torch.randperm(n, generator=g)
        losses, accs = [], []
        model.train()
        for i in range(n // b):
            idx = order[i * b:(i + 1) * b]
            x = normalise(augment(train_u8[idx], g)).to(device)
            y = train_y[idx].to(device)
            optimizer.zero_grad()
            out = model(x)
            loss = F.cross_entropy(out, y)
            loss.backward()
            optimizer.step()
            step += 1
            losses.append(float(loss))
            accs.append(float((out.argmax(1) == y).float().mean()))
            writer.step(step, epoch=epoch, lr=lr, batch=b, loss=losses[-1], acc=accs[-1])
        train_s = time.perf_counter() - start
        start = time.perf_counter()
        record = probe.measure(lr=lr, batch=b, optimizer=args.optimizer, momentum=args.momentum)
        model.eval()
        with torch.no_grad():
            correct, total_loss = 0, 0.0
            for i in range(0, len(test_y), 1000):
                out = model(normalise(test_u8[i:i + 1000]).to(device))
                yy = test_y[i:i + 1000].to(device)
                total_loss += float(F.cross_entropy(out, yy, reduction="sum"))
                correct += int((out.argmax(1) == yy).sum())
        probe_s = time.perf_counter() - start
        wall += train_s + probe_s
        writer.epoch(epoch, probe=record, updates=step, lr=lr, batch=b,
                     delta_rel=(lr / args.lr) * math.sqrt(args.batch / b),
                     delta_rel_target=(lr / args.lr) * math.sqrt(args.batch / b),
                     train_loss=sum(losses) / len(losses), train_acc=sum(accs) / len(accs),
                     test_loss=total_loss / len(test_y), test_acc=correct / len(test_y),
                     train_s=train_s, probe_s=probe_s, wall_s=wall)
    model.eval()  # the pages compare the final weights' training loss in evaluation mode
    with torch.no_grad():
        final_loss = sum(float(F.cross_entropy(model(normalise(train_u8[i:i + 1000]).to(device)),
                                               train_y[i:i + 1000].to(device), reduction="sum"))
                         for i in range(0, n, 1000)) / n
    writer.manifest["experiment"]["final_train_loss"] = final_loss
    writer.close(status="finished", wall_seconds=wall)


if __name__ == "__main__":
    main()
