"""Probe: gradcert's measurements inside a user's own PyTorch training loop, with the engine's
definitions and defaults (numerics/engine/CONFIG.md [probe]; docs/run-format.md).

    probe = Probe(model, (train_x, train_y), seed=0)
    record = probe.measure(lr=0.05, batch=128)            # at the current weights
    writer.epoch(epoch, probe=record, lr=..., ...)         # run_writer.RunWriter

The probe pool P is the first max(probe_size, 2b) (at most n) examples of a fixed seeded
permutation of the training set; the Hessian and sharpness subsets are prefixes of the same
permutation. Gradients over a set are chunked by b. Random draws (batches, start vectors,
Rademacher vectors) come from torch generators seeded by (seed, call counter), so a run is
reproducible. Probes never change the run: parameters and buffers are restored exactly.
All values are sampled estimates, never bounds.
"""
import time

import torch
import torch.nn.functional as F

from . import gradients as G
from .hessian import hutchinson_trace, lanczos_density, power_iteration
from .noise import draw_batches, gradient_noise, momentum_delta, noise_scale
from .sharpness import adaptive_sharpness, epsilon_sharpness
from .tail import tail_index

# The engine's [probe] defaults (numerics/engine/CONFIG.md) and PyHessian's for trace/density.
DEFAULTS = dict(probe_size=4096, batches=16, confidence=0.95, hessian_size=512,
                power_iterations=20, sharpness_size=1024, sharpness_epsilon=1e-3,
                sharpness_steps=5, adaptive_rho=2e-4, trace_max_iter=100, trace_tol=1e-3,
                density_iterations=100, density_runs=1, noise=True, hessian=True, trace=True,
                density=False, sharpness=True, adaptive_sharpness=True, tail=True,
                noise_batch_sizes=())
# noise_batch_sizes: extra mini-batch sizes at which the noise is measured on the same pool
# (K batches each), written as noise.per_batch: what `gradcert report --runs` needs for its
# noise-scaling page (E||w||^2 against b, docs/run-format.md). Each size must be < the pool.


class Probe:
    def __init__(self, model, train_data, loss_fn=F.cross_entropy, seed=0, **settings):
        unknown = set(settings) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"Probe: unknown setting(s) {sorted(unknown)}")
        self.model, self.data, self.loss_fn, self.seed = model, train_data, loss_fn, seed
        self.settings = dict(DEFAULTS, **settings)
        self.n = len(train_data[1])
        g = torch.Generator().manual_seed(seed)
        self.order = torch.randperm(self.n, generator=g)
        self.calls = 0

    def _generator(self, stream):
        return torch.Generator().manual_seed((self.seed * 1000003 + self.calls) * 16 + stream)

    def grad_fn(self, chunk):
        return lambda idx: G.mean_gradient(self.model, self.loss_fn, self.data, idx, chunk)

    def hvp_fn(self, indices, chunk):
        return lambda v: G.hessian_vector_product(self.model, self.loss_fn, self.data, indices,
                                                  chunk, v)

    def _noise_per_batch(self, pool, lr, s):
        """The noise estimate at every size of noise_batch_sizes (ascending), same pool P."""
        sizes = sorted(int(b) for b in s["noise_batch_sizes"])
        if sizes[-1] >= len(pool):
            raise ValueError(f"Probe: noise_batch_sizes {sizes} must be smaller than the pool "
                             f"({len(pool)} examples; raise probe_size)")
        generator, out = self._generator(6), []
        for b in sizes:
            batches = draw_batches(pool, b, s["batches"], generator)
            est = gradient_noise(self.grad_fn(b), pool, batches, self.n, lr, s["confidence"])
            est.pop("pool_loss")
            out.append(est)
        return out

    def measure(self, lr, batch, optimizer="sgd", momentum=0.0, batches_override=None):
        """Every enabled probe at the current weights and (lr, batch); returns the steps.jsonl
        "probe" record. `batches_override`: the K index tensors to use (for cross-checks)."""
        s, start = self.settings, time.perf_counter()
        b = int(batch)
        dim = sum(p.numel() for p in G.params_of(self.model))
        record = {"lr": lr, "batch": b}
        pool = self.order[:min(self.n, max(s["probe_size"], 2 * b))]
        if s["noise"]:
            batches = batches_override or draw_batches(pool, b, s["batches"], self._generator(1))
            est = gradient_noise(self.grad_fn(b), pool, batches, self.n, lr, s["confidence"],
                                 keep_vectors=s["tail"])
            est["momentum_delta"] = {
                "optimizer": optimizer, "beta": momentum,
                "delta": momentum_delta(est["c2"][0], b, lr, momentum, est["grad_norm"],
                                        optimizer)}
            record["noise"] = est
            record["pool"] = {"loss": est.pop("pool_loss"), "n": len(pool)}
            if s["noise_batch_sizes"]:
                est["per_batch"] = self._noise_per_batch(pool, lr, s)
            record["noise_scale"] = noise_scale(est["v"][0], est["grad_norm"], len(pool), self.n)
            if s["tail"]:
                record["tail"] = tail_index(est.pop("vectors"), self._generator(2),
                                            s["confidence"])
        hess_idx = self.order[:min(self.n, s["hessian_size"])]
        hvp = self.hvp_fn(hess_idx, b)
        if s["hessian"]:
            record["hessian"] = power_iteration(hvp, dim, s["power_iterations"],
                                                self._generator(3))
            if s["trace"]:
                record["hessian"].update(hutchinson_trace(hvp, dim, self._generator(4),
                                                          s["trace_max_iter"], s["trace_tol"],
                                                          s["confidence"]))
        if s["density"]:
            record["density"] = lanczos_density(hvp, dim, self._generator(5),
                                                s["density_iterations"], s["density_runs"])
        sharp_idx = self.order[:min(self.n, s["sharpness_size"])]
        sharp_grad = lambda: G.mean_gradient(self.model, self.loss_fn, self.data, sharp_idx, b)
        if s["sharpness"]:
            record["sharpness"] = epsilon_sharpness(self.model, sharp_grad,
                                                    s["sharpness_epsilon"], s["sharpness_steps"])
        if s["adaptive_sharpness"]:
            record["adaptive_sharpness"] = adaptive_sharpness(self.model, sharp_grad,
                                                              s["adaptive_rho"],
                                                              s["sharpness_steps"])
        self.calls += 1
        record["seconds"] = time.perf_counter() - start
        return record
