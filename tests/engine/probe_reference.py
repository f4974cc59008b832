#!/usr/bin/python3
"""PyTorch side of tests/engine/probe_torch_test.cpp: loads an engine checkpoint.bin into the
same architecture (tests/engine/torch_reference.py), and measures with gradcert_probe
(python/) on the examples, pool, K batches, Hessian and sharpness subsets named in
<dir>/spec.json. Writes <dir>/result.json.
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import torch_reference  # noqa: E402
import gradcert_probe as gp  # noqa: E402
from gradcert_probe import gradients as G  # noqa: E402


def main():
    directory = sys.argv[1]
    with open(os.path.join(directory, "spec.json")) as f:
        spec = json.load(f)
    torch.set_num_threads(1)
    model = torch_reference.build(spec)
    header, blobs = gp.read_checkpoint(spec["checkpoint"])
    torch_reference.load(model, spec, blobs["params"], blobs.get("buffers", np.zeros(0, "<f4")))
    flat_params = np.concatenate([dict(model.named_parameters())[e["name"]].detach().numpy().ravel()
                                  for e in spec["params"]])
    n = spec["n"]
    images = torch.from_numpy(np.fromfile(os.path.join(directory, "images.f32"), "<f4")
                              .reshape(n, spec["channels"], spec["height"], spec["width"]).copy())
    labels = torch.from_numpy(np.fromfile(os.path.join(directory, "labels.i32"), "<i4")
                              .astype(np.int64))
    data = (images, labels)
    b, lr = spec["batch"], spec["lr"]
    loss_fn = torch.nn.functional.cross_entropy
    grad = lambda idx: G.mean_gradient(model, loss_fn, data, torch.tensor(idx), b)
    pool = spec["pool"]
    pool_loss, _ = grad(pool)
    est = gp.gradient_noise(grad, pool, spec["batches"], n, lr, 0.95)
    # Sampled: the probe's own K random batches from the same pool.
    own_batches = gp.noise.draw_batches(pool, b, spec["sampled_batches"],
                                        torch.Generator().manual_seed(2024))
    own = gp.gradient_noise(lambda idx: G.mean_gradient(model, loss_fn, data, idx, b),
                            torch.tensor(pool), own_batches, n, lr, 0.95)
    # Ground truth of the sampled estimators: E s_k = V_P (m - b)/(b (m - 1)) exactly, from the
    # m per-example gradients of the pool; C^2 = V_P (n - b)/(n - 1).
    per_example = torch.stack([grad([i])[1] for i in pool])
    m = len(pool)
    v_pool = float(((per_example - per_example.mean(0)) ** 2).sum(1).mean())
    c2_exact = v_pool * (n - b) / (n - 1)
    hess = torch.tensor(spec["hessian"])
    hvp = lambda v: G.hessian_vector_product(model, loss_fn, data, hess, b, v)
    dim = sum(p.numel() for p in G.params_of(model))
    power = gp.power_iteration(hvp, dim, spec["power_iterations"], torch.Generator().manual_seed(5))
    sharp = torch.tensor(spec["sharpness"])
    sgrad = lambda: G.mean_gradient(model, loss_fn, data, sharp, b)
    keskar = gp.epsilon_sharpness(model, sgrad, 1e-3, 5)
    adaptive = gp.adaptive_sharpness(model, sgrad, 2e-4, 5)
    result = {"torch_version": torch.__version__, "pool_loss": pool_loss,
              "grad_norm": est["grad_norm"], "mean_sq": est["mean_sq"], "c2": est["c2"],
              "delta": est["delta"], "c2_own": own["c2"], "c2_exact": c2_exact, "lambda_max": power["lambda_max"],
              "lambda_relative_change": power["relative_change"], "keskar": keskar["keskar"],
              "adaptive": adaptive["increase"],
              "checkpoint_params_equal": bool(np.array_equal(flat_params, blobs["params"]))}
    with open(os.path.join(directory, "result.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
