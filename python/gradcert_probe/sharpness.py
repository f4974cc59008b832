"""Sharpness at fixed weights, the engine's algorithm (numerics/engine/sharpness.hpp):
max f(x + z) over a box |z_i| <= r_i, from below by `steps` projected sign-gradient ascent steps
of half the box radius from z = 0, keeping the largest loss seen (a lower estimate of the true
maximum). Keskar et al.'s eps-sharpness: r_i = eps(|x_i| + 1), reported as
100 (max - f(x))/(1 + f(x)) (eps = 1e-3); adaptive l_inf sharpness (Kwon et al. 2021;
Andriushchenko et al. 2023, the paper's measure): r_i = rho |x_i|, reported as the loss increase
(rho = 2e-4). Parameters are restored exactly afterwards.
"""
import math

import torch

from .gradients import get_params, set_params


def ascend_in_box(model, grad_fn, radius, steps):
    base = get_params(model)
    z = torch.zeros_like(base)
    try:
        base_loss, g = grad_fn()
        best = base_loss
        for _ in range(steps):
            z = torch.clamp(z + 0.5 * radius * torch.sign(g), -radius, radius)
            # The engine stores x + z rounded to the parameters' float type.
            set_params(model, base + z)
            loss, g = grad_fn()
            if math.isfinite(loss):
                best = max(best, loss)
    finally:
        set_params(model, base)
    inc = best - base_loss
    return {"base_loss": base_loss, "max_loss": best, "increase": inc,
            "keskar": 100.0 * inc / (1.0 + base_loss), "steps": steps}


def epsilon_sharpness(model, grad_fn, epsilon=1e-3, steps=5):
    x = get_params(model)
    r = ascend_in_box(model, grad_fn, epsilon * (x.abs() + 1.0), steps)
    r["epsilon"] = epsilon
    return r


def adaptive_sharpness(model, grad_fn, rho=2e-4, steps=5):
    x = get_params(model)
    r = ascend_in_box(model, grad_fn, rho * x.abs(), steps)
    r["rho"] = rho
    return r
