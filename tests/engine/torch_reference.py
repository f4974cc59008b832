#!/usr/bin/python3
"""PyTorch reference for the SGD engine's cross-check (tests/engine/torch_test.cpp).

Usage: torch_reference.py <exchange-dir>

Reads <dir>/spec.json (model, input shape, classes, batch n, steps, lr, optimizer, momentum,
weight_decay, and the engine's parameter and buffer layouts: names, shapes, offsets) and the raw
little-endian arrays params.f32, buffers.f32, images.f32 ([steps, n, C, H, W]) and labels.i32
([steps, n]). Builds the same architecture in PyTorch (model definitions below mirror
numerics/engine/model_zoo.hpp), checks that its state_dict has exactly the engine's names and shapes,
loads the engine's values, and writes:
  eval_logits_before.f32  evaluation-mode logits of batch 0 before training
  logits.f32, grads.f32   training-mode logits and parameter gradients of step 0 (engine layout)
  buffers_after_first.f32 running statistics after step 0's forward
  eval_logits_after.f32   evaluation-mode logits of batch 0 after all steps
  params_after.f32        parameters after all steps (engine layout)
  result.json             {"losses": [...]} training losses of every step
Nothing is downloaded; only torch and numpy from Debian are used.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Mlp(nn.Module):
    def __init__(self, c, h, w, classes, k):
        super().__init__()
        self.fc1 = nn.Linear(c * h * w, 512 * k)
        self.fc2 = nn.Linear(512 * k, 512 * k)
        self.fc3 = nn.Linear(512 * k, classes)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class CnnSmall(nn.Module):
    def __init__(self, c, h, w, classes, k):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 32 * k, 3, padding=1)
        self.conv2 = nn.Conv2d(32 * k, 64 * k, 3, padding=1)
        self.fc = nn.Linear(64 * k * ((h // 2) // 2) * ((w // 2) // 2), classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(out + shortcut)


class ResNet(nn.Module):
    def __init__(self, c, classes, stem, blocks, k):
        super().__init__()
        self.conv1 = nn.Conv2d(c, stem * k, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(stem * k)
        cin = stem * k
        for stage, count in enumerate(blocks):
            cout = (stem << stage) * k
            layers = []
            for block in range(count):
                stride = 2 if stage > 0 and block == 0 else 1
                layers.append(BasicBlock(cin, cout, stride))
                cin = cout
            setattr(self, f"layer{stage + 1}", nn.Sequential(*layers))
        self.stages = len(blocks)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for stage in range(self.stages):
            x = getattr(self, f"layer{stage + 1}")(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def build(spec):
    name, c, h, w = spec["model"], spec["channels"], spec["height"], spec["width"]
    classes, k = spec["classes"], spec.get("width_multiplier", 1)
    if name == "mlp":
        return Mlp(c, h, w, classes, k)
    if name == "cnn-small":
        return CnnSmall(c, h, w, classes, k)
    if name == "resnet8":
        return ResNet(c, classes, 16, [1, 1, 1], k)
    if name == "resnet20":
        return ResNet(c, classes, 16, [3, 3, 3], k)
    if name == "resnet18":
        return ResNet(c, classes, 64, [2, 2, 2, 2], k)
    raise SystemExit(f"torch_reference.py: unknown model {name}")


def read(directory, name, dtype):
    return np.fromfile(os.path.join(directory, name), dtype=dtype)


def write(directory, name, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(os.path.join(directory, name))


def flat(tensors, layout):
    return np.concatenate([tensors[e["name"]].detach().numpy().ravel() for e in layout])


def load(model, spec, params, buffers):
    state = model.state_dict()
    expected = [e["name"] for e in spec["params"]] + [e["name"] for e in spec["buffers"]]
    actual = [k for k in state if not k.endswith("num_batches_tracked")]
    if sorted(expected) != sorted(actual):
        raise SystemExit(f"torch_reference.py: state_dict names differ:\n{expected}\n{actual}")
    for layout, values in ((spec["params"], params), (spec["buffers"], buffers)):
        for e in layout:
            if list(state[e["name"]].shape) != e["shape"]:
                raise SystemExit(f"torch_reference.py: {e['name']} has shape "
                                 f"{list(state[e['name']].shape)}, engine {e['shape']}")
            size = int(np.prod(e["shape"]))
            chunk = values[e["offset"]:e["offset"] + size].reshape(e["shape"])
            state[e["name"]].copy_(torch.from_numpy(chunk.copy()))


def main():
    directory = sys.argv[1]
    with open(os.path.join(directory, "spec.json")) as f:
        spec = json.load(f)
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = build(spec)
    load(model, spec, read(directory, "params.f32", "<f4"), read(directory, "buffers.f32", "<f4"))
    n, steps = spec["n"], spec["steps"]
    shape = (steps, n, spec["channels"], spec["height"], spec["width"])
    images = torch.from_numpy(read(directory, "images.f32", "<f4").reshape(shape).copy())
    labels = torch.from_numpy(read(directory, "labels.i32", "<i4").reshape(steps, n).astype(np.int64))
    named = dict(model.named_parameters())
    named_buffers = dict(model.named_buffers())

    model.eval()
    with torch.no_grad():
        write(directory, "eval_logits_before.f32", model(images[0]).numpy())

    optimizer = torch.optim.SGD(model.parameters(), lr=spec["lr"],
                                momentum=spec["momentum"] if spec["optimizer"] == "shb" else 0.0,
                                weight_decay=spec["weight_decay"])
    losses = []
    model.train()
    for step in range(steps):
        optimizer.zero_grad()
        logits = model(images[step])
        loss = F.cross_entropy(logits, labels[step])
        loss.backward()
        losses.append(float(loss.item()))
        if step == 0:
            write(directory, "logits.f32", logits.detach().numpy())
            write(directory, "grads.f32",
                  np.concatenate([named[e["name"]].grad.numpy().ravel() for e in spec["params"]]))
            if spec["buffers"]:
                write(directory, "buffers_after_first.f32", flat(named_buffers, spec["buffers"]))
            else:
                write(directory, "buffers_after_first.f32", np.zeros(0))
        optimizer.step()

    model.eval()
    with torch.no_grad():
        write(directory, "eval_logits_after.f32", model(images[0]).numpy())
    write(directory, "params_after.f32", flat(named, spec["params"]))
    with open(os.path.join(directory, "result.json"), "w") as f:
        json.dump({"losses": losses}, f)


if __name__ == "__main__":
    main()
