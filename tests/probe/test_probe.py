#!/usr/bin/python3
"""gradcert_probe (python/) against ground truth on tiny problems:
- the Student-t quantile against tabulated values;
- Hessian-vector products, power iteration, Hutchinson's trace and SLQ against the exact Hessian
  (torch.autograd.functional.hessian) of a small MLP;
- the noise estimator: the exact E s_k for sampling without replacement, computed from all
  per-example gradients, lies in the estimate's interval; Ĉ² with pool = whole set;
- the sharpness ascent restores parameters bit for bit and never reports a negative increase;
- the tail index: ~2 on Gaussian noise, ~1 on Cauchy noise (inside its interval);
- the run writer: format version, epoch columns, and the reader's refusals.
Prints 'N passed, N failed'; exit 1 on failure.
"""
import json
import math
import os
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import gradcert_probe as gp  # noqa: E402
from gradcert_probe import gradients as G  # noqa: E402
from gradcert_probe.stats import t_quantile  # noqa: E402

RESULTS = {"passed": 0, "failed": 0}


def check(cond, what):
    RESULTS["passed" if cond else "failed"] += 1
    print(("ok     " if cond else "FAILED ") + what)


def tiny_problem(seed=0, n=200, d=6, h=5, classes=3):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, h), nn.Tanh(), nn.Linear(h, classes)).double()
    return model, (x.double(), y)


def exact_hessian(model, data, idx):
    params = G.params_of(model)
    shapes = [p.shape for p in params]
    base = G.get_params(model)

    def f(vec):
        out, pos = {}, 0
        tensors = []
        for s in shapes:
            k = math.prod(s)
            tensors.append(vec[pos:pos + k].view(s))
            pos += k
        x = data[0][idx]
        w1, b1, w2, b2 = tensors
        logits = torch.tanh(x @ w1.T + b1) @ w2.T + b2
        return F.cross_entropy(logits, data[1][idx])

    return torch.autograd.functional.hessian(f, base)


def main():
    for p, df, want in ((0.975, 15, 2.131449545559323), (0.975, 1, 12.706204736174698),
                        (0.95, 30, 1.697260886522448), (0.995, 5, 4.032142983557536)):
        check(abs(t_quantile(p, df) - want) < 1e-9 * want, f"t quantile p={p} df={df}")

    model, data = tiny_problem()
    idx = torch.arange(120)
    H = exact_hessian(model, data, idx)
    evals = torch.linalg.eigvalsh(H)
    top = float(evals[evals.abs().argmax()])
    dim = H.shape[0]
    hvp = lambda v: G.hessian_vector_product(model, F.cross_entropy, data, idx, 40, v)
    v = torch.randn(dim, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    check(float((hvp(v) - H @ v).norm() / (H @ v).norm()) < 1e-10, "HVP equals exact H v")
    pw = gp.power_iteration(hvp, dim, 500, torch.Generator().manual_seed(2))
    check(abs(pw["lambda_max"] - top) < 1e-6 * abs(top),
          f"power iteration {pw['lambda_max']:.8g} vs exact {top:.8g}")
    tr = gp.hutchinson_trace(hvp, dim, torch.Generator().manual_seed(3))
    exact_trace = float(torch.trace(H))
    check(tr["trace"][1] <= exact_trace <= tr["trace"][2],
          f"Hutchinson interval {tr['trace']} contains tr H = {exact_trace:.6g} "
          f"({tr['hutchinson_samples']} samples)")
    dens = gp.lanczos_density(hvp, dim, torch.Generator().manual_seed(4), iterations=100)
    nodes = dens["nodes"][0]
    check(dens["iterations"] == dim and abs(max(nodes) - float(evals.max())) < 1e-8
          and abs(min(nodes) - float(evals.min())) < 1e-8,
          "SLQ with dim steps recovers the extreme eigenvalues")
    check(abs(sum(dens["weights"][0]) - 1.0) < 1e-10, "SLQ weights sum to 1")

    # Noise estimator: exact mean of s_k for without-replacement batches of b from the pool.
    n = 200
    pool = torch.arange(n)
    per_example = torch.stack([G.mean_gradient(model, F.cross_entropy, data, pool[i:i + 1], 1)[1]
                               for i in range(n)])
    g_pool = per_example.mean(0)
    v_pool = float(((per_example - g_pool) ** 2).sum(1).mean())
    b = 16
    exact_mean_sq = v_pool * (n - b) / (b * (n - 1))
    batches = gp.noise.draw_batches(pool, b, 64, torch.Generator().manual_seed(5))
    grad = lambda ix: G.mean_gradient(model, F.cross_entropy, data, ix, b)
    est = gp.gradient_noise(grad, pool, batches, n, 0.1, 0.95)
    check(est["mean_sq"][1] <= exact_mean_sq <= est["mean_sq"][2],
          f"mean_sq interval {est['mean_sq']} contains the exact {exact_mean_sq:.6g}")
    check(abs(est["v"][0] / v_pool - est["mean_sq"][0] / exact_mean_sq) < 1e-12,
          "v = b mean_sq (m-1)/(m-b)")
    check(abs(est["c2"][0] - b * est["mean_sq"][0]) < 1e-12 * est["c2"][0],
          "c2 = b mean_sq when the pool is the whole set")
    check(abs(est["delta"][0] - 0.1 * math.sqrt(est["c2"][0] / b)) < 1e-15,
          "delta = eta sqrt(c2/b)")
    ns = gp.noise_scale(est["v"][0], est["grad_norm"], n, n)
    check(abs(ns["b_simple"] * est["grad_norm"] ** 2 - est["v"][0]) < 1e-12 * est["v"][0],
          "B_simple ||G||^2 = tr Sigma (pool = whole set: no correction)")
    check(abs(gp.momentum_delta(2.0, 8, 0.1, 0.0, 1.0, "shb") - 0.05) < 1e-15
          and abs(gp.momentum_delta(25.318, 128, 0.1, 0.9, 1.77, "shb") - 1.652216) < 1e-6
          and abs(gp.momentum_delta(128, 128, 0.1, 0.9, 4.5, "nshb") - 0.835763) < 1e-6,
          "SHB/NSHB delta reproduce docs/mathematics.md's examples")

    before = G.get_params(model).clone()
    sgrad = lambda: G.mean_gradient(model, F.cross_entropy, data, idx, 40)
    k = gp.epsilon_sharpness(model, sgrad, 1e-3, 5)
    a = gp.adaptive_sharpness(model, sgrad, 2e-4, 5)
    check(torch.equal(before, G.get_params(model)), "sharpness restores parameters exactly")
    check(k["increase"] >= 0 and a["increase"] >= 0 and k["increase"] > a["increase"],
          "sharpness increases are >= 0 and the eps box is the larger")

    g = torch.Generator().manual_seed(6)
    gauss = [torch.randn(4000, generator=g, dtype=torch.float64) for _ in range(16)]
    t = gp.tail_index(gauss, torch.Generator().manual_seed(7))
    check(t["lo"] <= 2.0 <= t["hi"] + 1e-12 and t["alpha"] > 1.8, f"tail index Gaussian {t}")
    cauchy = [torch.tan(math.pi * (torch.rand(4000, generator=g, dtype=torch.float64) - 0.5))
              for _ in range(16)]
    t = gp.tail_index(cauchy, torch.Generator().manual_seed(8))
    check(t["lo"] <= 1.0 <= t["hi"], f"tail index Cauchy {t}")

    # noise_batch_sizes: the noise at each listed b on the run's pool (noise.per_batch), each
    # estimate consistent with its own K values; a size not below the pool is refused.
    probe = gp.Probe(model, data, seed=3, probe_size=64, batches=6, hessian=False,
                     sharpness=False, adaptive_sharpness=False, tail=False,
                     noise_batch_sizes=(16, 4, 8))
    rec = probe.measure(lr=0.1, batch=8)
    per = rec["noise"]["per_batch"]
    check([e["batch"] for e in per] == [4, 8, 16] and
          all(e["pool"] == 64 and e["samples"] == 6 and
              abs(e["mean_sq"][0] - sum(e["values"]) / 6) < 1e-12 * e["mean_sq"][0] and
              e["mean_sq"][1] <= e["mean_sq"][0] <= e["mean_sq"][2] for e in per),
          "noise_batch_sizes: per_batch estimates at 4, 8, 16 on the pool")
    check(rec["pool"]["n"] == 64 and rec["pool"]["loss"] > 0, "probe record has the pool loss")
    try:
        gp.Probe(model, data, seed=3, probe_size=64, noise_batch_sizes=(64,), hessian=False,
                 sharpness=False, adaptive_sharpness=False, tail=False).measure(lr=0.1, batch=8)
        check(False, "noise_batch_sizes not below the pool refused")
    except ValueError as e:
        check("noise_batch_sizes" in str(e), "noise_batch_sizes not below the pool refused")

    with tempfile.TemporaryDirectory() as tmp:
        run = os.path.join(tmp, "run")
        w = gp.RunWriter(run, scale="test")
        w.step(1, epoch=1, loss=2.0)
        w.epoch(1, lr=0.1, batch=16, test_acc=0.5,
                probe={"noise": est, "noise_scale": ns})
        w.close()
        rows = gp.read_epochs(run)
        check(rows[0]["c2"] == est["c2"][0] and rows[0]["b_simple"] == ns["b_simple"],
              "run writer round trip")
        manifest = gp.read_manifest(run)
        check(manifest["format"] == {"name": "gradcert-run", "version": 1}, "format written")
        with open(os.path.join(run, "manifest.json"), "w") as f:
            json.dump({"tool": "x", "format": {"name": "gradcert-run", "version": 9}}, f)
        try:
            gp.read_manifest(run)
            check(False, "unknown version refused")
        except gp.RunFormatError as e:
            check("unknown run format" in str(e) and "manifest.json" in str(e),
                  "unknown version refused")
        fixed = gp.RunWriter(os.path.join(tmp, "fixed"), columns=["epoch", "lr", "delta"])
        fixed.epoch(1, lr=0.1)
        fixed.epoch(2, lr=0.1, delta=0.5)
        fixed.close()
        rows = gp.read_epochs(os.path.join(tmp, "fixed"))
        check(math.isnan(rows[0]["delta"]) and rows[1]["delta"] == 0.5,
              "columns= fixes the header; a row without a column gets nan")
        late = gp.RunWriter(os.path.join(tmp, "late"))
        late.epoch(1, lr=0.1)
        try:
            late.epoch(2, lr=0.1, delta=0.5)
            check(False, "a column missing from the first row's header is refused, not dropped")
        except gp.RunFormatError:
            check(True, "a column missing from the first row's header is refused, not dropped")
        try:
            gp.RunWriter(run)
            check(False, "existing run refused")
        except gp.RunFormatError:
            check(True, "existing run refused")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
