"""Tail index of the gradient noise.

Estimator (stated): Mohammadi, Mohammadpour & Ogata (2015), as used for SGD noise by Simsekli,
Sagun & Gurbuzbalaban (2019). The values X_1..X_N are the coordinates of the K noise vectors
omega_k = g_k - g_P (N = K d, truncated to a multiple of K1); with K1 = floor(sqrt(N)),
K2 = N/K1 and block sums Y_i = sum_{j<K1} X_{(i-1)K1+j},
  1/alpha = (1/log K1) ((1/K2) sum log|Y_i| - (1/N) sum log|X_j|),
which is consistent for symmetric alpha-stable X (alpha = 2: Gaussian, light tails; smaller
alpha: heavier tails). alpha is clipped to (0, 2].
Interval: percentile bootstrap over the K noise vectors (resampled with replacement, 200
resamples from the given generator), at the stated confidence. Coordinates are taken in a fixed
random order (from the generator) before blocking, so that block sums mix parameters of
different layers. An estimate with an approximate interval, never a bound.
"""
import math

import torch


def _alpha(x):
    n = x.numel()
    k1 = max(2, int(math.sqrt(n)))
    k2 = n // k1
    x = x[:k1 * k2]
    x = x[x != 0] if bool((x == 0).any()) else x
    k2 = x.numel() // k1
    x = x[:k1 * k2]
    y = x.view(k2, k1).sum(dim=1)
    inv = (torch.log(y.abs()).mean() - torch.log(x.abs()).mean()) / math.log(k1)
    inv = float(inv)
    return 2.0 if inv <= 0.5 else min(2.0, 1.0 / inv)


def tail_index(vectors, generator, confidence=0.95, resamples=200):
    k = len(vectors)
    order = torch.randperm(vectors[0].numel(), generator=generator)
    stacked = torch.stack([v[order] for v in vectors])
    alpha = _alpha(stacked.reshape(-1))
    boots = []
    for _ in range(resamples):
        pick = torch.randint(0, k, (k,), generator=generator)
        boots.append(_alpha(stacked[pick].reshape(-1)))
    boots.sort()
    lo = boots[int(math.floor((0.5 - 0.5 * confidence) * (resamples - 1)))]
    hi = boots[int(math.ceil((0.5 + 0.5 * confidence) * (resamples - 1)))]
    return {"alpha": alpha, "lo": lo, "hi": hi, "confidence": confidence,
            "estimator": "Mohammadi et al. 2015 block-sum estimator on the coordinates of "
                         "g_k - g_P; bootstrap over the K batches"}
