"""Curvature probes on exact Hessian-vector products (double backward, gradients.py):
- top eigenvalue by power iteration (the engine's definition: largest in magnitude with its sign,
  Rayleigh quotient at the last iterate, relative change of the last two as convergence
  indicator; the engine's defaults: 20 iterations on 512 examples);
- the trace by Hutchinson's estimator with Rademacher vectors, and the spectral density by
  stochastic Lanczos quadrature, both with PyHessian's defaults (Yao et al. 2020: trace maxIter
  100, tol 1e-3; density iter 100, n_v 1).
All are estimates, not bounds.
"""
import torch

from .stats import mean_interval


def power_iteration(hvp, dim, iterations, generator, start=None):
    v = torch.randn(dim, generator=generator, dtype=torch.float64) if start is None else start
    v = v / v.norm()
    lam, previous, done = 0.0, 0.0, 0
    for it in range(iterations):
        hv = hvp(v)
        previous, lam = lam, float(v @ hv)
        done = it + 1
        nh = float(hv.norm())
        if not (nh > 0.0 and nh < float("inf")):
            break
        v = hv / nh
    change = abs(lam - previous) / abs(lam) if done > 1 and lam != 0.0 else 0.0
    return {"lambda_max": lam, "relative_change": change, "iterations": done, "fd_step": 0.0}


def hutchinson_trace(hvp, dim, generator, max_iter=100, tol=1e-3, confidence=0.95):
    """PyHessian's trace(): Rademacher v, samples v^T H v until the running mean changes by less
    than tol relative (|m_k - m_{k-1}|/(|m_{k-1}| + 1e-6) < tol) or max_iter samples; reported
    with a Student-t interval over the samples."""
    samples, previous = [], 0.0
    for _ in range(max_iter):
        v = torch.randint(0, 2, (dim,), generator=generator).to(torch.float64) * 2.0 - 1.0
        samples.append(float(v @ hvp(v)))
        mean = sum(samples) / len(samples)
        if len(samples) > 1 and abs(mean - previous) / (abs(previous) + 1e-6) < tol:
            break
        previous = mean
    if len(samples) < 2:
        samples.append(float((lambda v: v @ hvp(v))(
            torch.randint(0, 2, (dim,), generator=generator).to(torch.float64) * 2.0 - 1.0)))
    value, lo, hi = mean_interval(samples, confidence)
    return {"trace": [value, lo, hi], "hutchinson_samples": len(samples),
            "confidence": confidence}


def lanczos_density(hvp, dim, generator, iterations=100, runs=1):
    """PyHessian's density(): `runs` Lanczos runs of `iterations` steps (full
    re-orthogonalisation) from Rademacher starts; nodes = Ritz values, weights = squared first
    components of the tridiagonal eigenvectors, averaged over runs (stochastic Lanczos
    quadrature). Returns {"nodes": [[...]], "weights": [[...]]}, one list per run."""
    steps = min(iterations, dim)
    all_nodes, all_weights = [], []
    for _ in range(runs):
        v = torch.randint(0, 2, (dim,), generator=generator).to(torch.float64) * 2.0 - 1.0
        v = v / v.norm()
        basis, alphas, betas = [v], [], []
        w = hvp(v)
        alpha = float(w @ v)
        w = w - alpha * v
        alphas.append(alpha)
        for _ in range(1, steps):
            beta = float(w.norm())
            if beta < 1e-10:
                break
            v = w / beta
            for u in basis:  # full re-orthogonalisation
                v = v - float(v @ u) * u
            v = v / v.norm()
            basis.append(v)
            betas.append(beta)
            w = hvp(v)
            alpha = float(w @ v)
            w = w - alpha * v - beta * basis[-2]
            alphas.append(alpha)
        t = torch.diag(torch.tensor(alphas, dtype=torch.float64))
        for i, b in enumerate(betas):
            t[i, i + 1] = t[i + 1, i] = b
        evals, evecs = torch.linalg.eigh(t)
        all_nodes.append(evals.tolist())
        all_weights.append((evecs[0, :] ** 2).tolist())
    return {"nodes": all_nodes, "weights": all_weights, "iterations": steps, "runs": runs}
