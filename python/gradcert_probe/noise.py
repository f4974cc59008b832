"""The mini-batch gradient-noise estimator of the engine (numerics/engine/noise.hpp,
docs/engine.md §Gradient noise), and the quantities derived from it. All values are sampled
estimates, never bounds.

At weights x: g_P = mean gradient over a pool P of m examples; K mini-batches of b distinct
examples drawn uniformly without replacement from P, independently; s_k = ||g_k - g_P||^2.
Given P the s_k are i.i.d. with mean V_P (m - b)/(b (m - 1)) (without-replacement factor).
  mean_sq = mean s_k with a Student-t interval at `confidence`,
  v       = b mean_sq (m - 1)/(m - b)            (per-example variance),
  c2      = v (n - b)/(n - 1)                     (= b E||omega||^2 of SGD on n examples),
  delta   = eta sqrt(c2)/sqrt(b);
intervals mapped through these monotone maps, lower ends clamped at 0.
"""
import math

import torch

from .stats import mean_interval


def noise_from_samples(values, batch, pool, population, lr, confidence):
    b = float(batch)
    mean_sq = mean_interval(values, confidence)
    nan = float("nan")

    def mapped(iv, f):
        return [f(iv[0]), f(max(0.0, iv[1])), f(iv[2])]

    if pool > batch:
        to_v = b * (pool - 1.0) / (pool - b)
        v = mapped(mean_sq, lambda s: to_v * s)
        to_c2 = (population - b) / (population - 1.0) if population > 1 else 0.0
        c2 = mapped(v, lambda x: x * to_c2)
    else:
        v = [nan] * 3
        c2 = [0.0] * 3 if population == batch else [nan] * 3
    delta = mapped(c2, lambda c: lr * math.sqrt(c) / math.sqrt(b))
    return {"batch": batch, "pool": pool, "population": population, "samples": len(values),
            "confidence": confidence, "mean_sq": list(mean_sq), "v": v, "c2": c2,
            "delta": delta, "values": list(values)}


def draw_batches(pool, batch, samples, generator):
    """K batches of `batch` distinct pool members each (uniform without replacement)."""
    pool = torch.as_tensor(pool)
    return [pool[torch.randperm(len(pool), generator=generator)[:batch]] for _ in range(samples)]


def gradient_noise(grad_fn, pool, batches, population, lr, confidence, keep_vectors=False):
    """grad_fn(indices) -> (loss, flat float64 gradient). Returns the estimate dict with
    grad_norm = ||g_P||, pool_loss (the mean loss over P) and, with keep_vectors, the noise vectors g_k - g_P (for the tail index)."""
    pool_loss, g_pool = grad_fn(pool)
    values, vectors = [], []
    for idx in batches:
        _, g = grad_fn(idx)
        w = g - g_pool
        values.append(float(w @ w))
        if keep_vectors:
            vectors.append(w)
    est = noise_from_samples(values, len(batches[0]), len(pool), population, lr, confidence)
    est["grad_norm"] = float(g_pool.norm())
    est["pool_loss"] = float(pool_loss)
    if keep_vectors:
        est["vectors"] = vectors
    return est


def momentum_delta(c2, batch, lr, beta, grad_bound, optimizer):
    """delta of docs/mathematics.md §3 with K = grad_bound (the engine reports ||g_P|| for it):
    sgd   eta sqrt(C^2/b);
    shb   eta sqrt(C^2/b + beta_hat (C^2/b + K^2)), beta_hat = beta(beta^2 - beta + 1)/(1 - beta)^2;
    nshb  eta sqrt(C^2/b + 4 beta^2 (C^2/b + K^2))."""
    base = c2 / batch
    if optimizer == "sgd" or beta == 0.0:
        return lr * math.sqrt(base)
    if optimizer == "shb":
        beta_hat = beta * (beta * beta - beta + 1.0) / (1.0 - beta) ** 2
        return lr * math.sqrt(base + beta_hat * (base + grad_bound ** 2))
    if optimizer == "nshb":
        return lr * math.sqrt(base + 4.0 * beta * beta * (base + grad_bound ** 2))
    raise ValueError(f"momentum_delta: unknown optimizer {optimizer!r} (sgd, shb, nshb)")


def noise_scale(v, grad_norm, pool, population):
    """B_simple = tr(Sigma)/||G||^2 (McCandlish et al. 2018) with tr(Sigma) = v (the per-example
    variance of the noise estimate) and ||G||^2 = ||g_P||^2 - v (n - m)/(m (n - 1)) (g_P is a
    without-replacement mean of m of the n examples, so E||g_P||^2 = ||G||^2 + that variance).
    An estimate; nan when the corrected ||G||^2 is not positive. Cross-check: B_simple ||G||^2
    = v = c2 (n - 1)/(n - b)."""
    m, n = float(pool), float(population)
    correction = v * (n - m) / (m * (n - 1.0)) if n > 1 else 0.0
    g2 = grad_norm ** 2 - correction
    return {"b_simple": v / g2 if g2 > 0 else float("nan"), "trace_sigma": v,
            "grad_norm_sq": g2}
