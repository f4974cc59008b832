#!/usr/bin/python3
"""The example scripts of python/examples import and build: the CIFAR-100 ResNet-18 recipe's
model (parameter count of ResNet-18 with the CIFAR stem and 100 classes: 11 220 132), its
forward pass, its schedules, its CIFAR-100 loader on a file written here (and its refusal of a
wrong size), the augmentation's shapes and value set; the Fashion-MNIST example's model.
Prints 'N passed, N failed'; exit 1 on failure."""
import math
import os
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python", "examples"))
import cifar100_resnet18 as recipe  # noqa: E402
import fmnist_probe  # noqa: E402

RESULTS = {"passed": 0, "failed": 0}


def check(cond, what):
    RESULTS["passed" if cond else "failed"] += 1
    print(("ok     " if cond else "FAILED ") + what)


def main():
    torch.set_num_threads(1)
    model = recipe.ResNet18()
    count = sum(p.numel() for p in model.parameters())
    check(count == 11220132, f"ResNet-18 (CIFAR stem, 100 classes) has {count} parameters")
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(2, 3, 32, 32))
    check(tuple(out.shape) == (2, 100), "forward gives 100 logits")
    lr, b = recipe.schedule("lr-step", 2, 0.1, 32)
    check(abs(lr - 0.05) < 1e-15 and b == 32, "lr-step stage 2")
    lr, b = recipe.schedule("hybrid", 1, 0.1, 32)
    check(abs(lr - 0.1 * math.sqrt(3) / 2) < 1e-15 and b == 48, "hybrid stage 1")
    check(recipe.schedule("batch-step", 3, 0.1, 32) == (0.1, 256), "batch-step stage 3")
    with tempfile.TemporaryDirectory() as tmp:
        records = np.zeros((3, recipe.RECORD), np.uint8)
        records[:, 0] = [1, 2, 3]
        records[:, 1] = [7, 42, 99]
        records[1, 2:] = 200
        path = os.path.join(tmp, "train.bin")
        records.tofile(path)
        x, y = recipe.load_cifar100(path)
        check(y.tolist() == [7, 42, 99] and tuple(x.shape) == (3, 3, 32, 32)
              and int(x[1].min()) == 200, "CIFAR-100 loader: fine labels, pixels")
        records[:, :-1].tofile(path)
        try:
            recipe.load_cifar100(path)
            check(False, "wrong size refused")
        except SystemExit as e:
            check("not a multiple" in str(e), "wrong size refused")
    g = torch.Generator().manual_seed(0)
    imgs = torch.full((4, 3, 32, 32), 100, dtype=torch.uint8)
    aug = recipe.augment(imgs, g)
    check(aug.dtype == torch.uint8 and tuple(aug.shape) == (4, 3, 32, 32)
          and set(aug.unique().tolist()) <= {0, 100}, "augmentation: crop/flip/rotate with zero fill")
    small = fmnist_probe.CnnSmall()
    check(sum(p.numel() for p in small.parameters()) == 320 + 18496 + 31370,
          "Fashion-MNIST example's cnn-small")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
