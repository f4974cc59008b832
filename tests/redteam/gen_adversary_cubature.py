#!/usr/bin/python3
"""Adversarial ground truth for the verified Gaussian cubature (issue 11, adversary review):
f̂, f̂', f̂'' of f(x) smoothed by z ~ N(0, 1) at standard deviation t,

    f̂^{(k)}(x) = t^{−k} ∫ f(x + t z) He_k(z) φ(z) dz,   He_0 = 1, He_1 = z, He_2 = z² − 1,

computed by mpmath (adaptive Gauss–Legendre on [−L, L] split at the kinks of f, at every period
of fast oscillations and at the peak of sharp terms; no gradcert code), at points chosen to break
the cubature: tiny and huge t, huge x, cos(50x), fast growth (|x|^8, |x|^20, x^8), the kink of
|x| and of |x| composed with other functions, a division 1/(x² + 1e−4) with a sharp peak,
sqrt(|x|) and x·sin(sqrt|x|) at 0, and a term whose polynomial growth coefficients overflow
binary64 (1e−300·(2x + 2)^576).

Writes tests/redteam/data/adversary_cubature.json: per case the expression (gradcert syntax), t,
the x-box ("x" a point, or "lo"/"hi" with sample points "xs" inside), and the values (strings,
20 digits). The C++ test tests/verify/cubature_adversary_test.cpp asserts every value lies in the
enclosure. Run: /usr/bin/python3 tests/redteam/gen_adversary_cubature.py (about a minute).
"""
import json
import os

import mpmath as mp

mp.mp.dps = 25
HERE = os.path.dirname(os.path.abspath(__file__))


def phi(z):
    return mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)


# name -> (gradcert text, mpmath function, kinks/peaks in y, oscillation period in y or None)
F = {
    "abs": ("abs(x)", lambda y: abs(y), [0], None),
    "abs_minus_1": ("abs(x) - 1", lambda y: abs(y) - 1, [0], None),
    "abs_abs_minus_1": ("abs(abs(x) - 1)", lambda y: abs(abs(y) - 1), [-1, 0, 1], None),
    "abs_sin": ("abs(sin(x))", lambda y: abs(mp.sin(y)), [0], mp.pi),
    "abs_cos50": ("abs(x)*cos(50*x)", lambda y: abs(y) * mp.cos(50 * y), [0], 2 * mp.pi / 50),
    "abs_cos": ("abs(x)*cos(x)", lambda y: abs(y) * mp.cos(y), [0], 2 * mp.pi),
    "abs8": ("abs(x)^8", lambda y: abs(y) ** 8, [0], None),
    "x8": ("x^8", lambda y: y ** 8, [], None),
    "abs20": ("abs(x)^20", lambda y: abs(y) ** 20, [0], None),
    "peak": ("1/(x^2 + 0.0001)", lambda y: 1 / (y * y + mp.mpf("0.0001")), [0], None),
    "sqrt_abs": ("sqrt(abs(x))", lambda y: mp.sqrt(abs(y)), [0], None),
    "schwefel": ("x*sin(sqrt(abs(x)))", lambda y: y * mp.sin(mp.sqrt(abs(y))), [0], None),
    "sin_abs": ("sin(abs(x))", lambda y: mp.sin(abs(y)), [0], 2 * mp.pi),
    "tanh_kink": ("tanh(100*x)*abs(x)", lambda y: mp.tanh(100 * y) * abs(y), [0], None),
    "softplus_abs": ("softplus(10*abs(x) - 5)", lambda y: mp.log(1 + mp.exp(10 * abs(y) - 5)),
                     [0], None),
    "overflow_growth": ("1e-300*((2*x + 2)^64)^9",
                        lambda y: mp.mpf("1e-300") * (2 * y + 2) ** 576, [], None),
}


def hermite(k, z):
    return [1, z, z * z - 1][k]


def smoothed(name, t, x):
    """(f̂, f̂', f̂'') at x by mpmath, t and x mpf."""
    _, f, kinks, period = F[name]
    L = mp.mpf(14)
    pts = {-L, L}
    for y0 in kinks:
        z0 = (y0 - x) / t
        if -L < z0 < L:
            pts.add(z0)
    if name == "peak":
        for s in (1, 3, 10, 30, 100):  # the peak of width 1e-2 in y
            for y0 in (-s * mp.mpf("0.01"), s * mp.mpf("0.01")):
                z0 = (y0 - x) / t
                if -L < z0 < L:
                    pts.add(z0)
    if name == "tanh_kink":
        for y0 in (-0.05, -0.01, 0.01, 0.05):
            z0 = (mp.mpf(y0) - x) / t
            if -L < z0 < L:
                pts.add(z0)
    if period is not None:
        step = period / t / 2  # half a period, in z
        if step < 2:
            n = int(mp.floor(2 * L / step))
            for i in range(1, min(n, 20000)):
                pts.add(-L + i * step)
    grid = sorted(pts)
    # sub-split long pieces so Gauss–Legendre sees the Gaussian's scale
    fine = []
    for a, b in zip(grid[:-1], grid[1:]):
        m = max(1, int(mp.ceil((b - a) / 1)))
        for i in range(m):
            fine.append(a + (b - a) * i / m)
    fine.append(grid[-1])
    out = []
    for k in range(3):
        g = lambda z, k=k: f(x + t * z) * hermite(k, z) * phi(z)
        s = mp.fsum(mp.quad(g, [a, b]) for a, b in zip(fine[:-1], fine[1:]))
        out.append(s / t ** k)
    return out


def s30(v):
    return mp.nstr(v, 20)


def point(name, t, x):
    vals = smoothed(name, mp.mpf(t), mp.mpf(x))
    return {"f": name, "text": F[name][0], "t": t, "x": x,
            "value": s30(vals[0]), "d1": s30(vals[1]), "d2": s30(vals[2])}


def box(name, t, lo, hi, n=5):
    xs = [mp.mpf(lo) + (mp.mpf(hi) - mp.mpf(lo)) * i / (n - 1) for i in range(n)]
    samples = []
    for x in xs:
        xt = mp.nstr(x, 17)
        vals = smoothed(name, mp.mpf(t), mp.mpf(xt))
        samples.append({"x": xt, "value": s30(vals[0]), "d1": s30(vals[1]), "d2": s30(vals[2])})
    return {"f": name, "text": F[name][0], "t": t, "lo": lo, "hi": hi, "samples": samples}


POINTS = [
    ("abs", "1e-6", "0"), ("abs", "1e-6", "3e-7"), ("abs", "1e-6", "-1e-5"),
    ("abs", "1e-12", "0"), ("abs", "1", "1e6"), ("abs", "1e6", "1"), ("abs", "1e6", "0"),
    ("abs_minus_1", "0.5", "0"), ("abs_abs_minus_1", "0.1", "1"), ("abs_abs_minus_1", "0.1", "0"),
    ("abs_sin", "0.5", "0"), ("abs_sin", "2", "3.14159"),
    ("abs_cos50", "0.1", "0.3"), ("abs_cos50", "0.02", "0"), ("abs_cos50", "0.005", "0.01"),
    ("abs_cos", "10", "1"),
    ("abs8", "3", "5"), ("x8", "3", "5"), ("x8", "30", "-2"), ("abs20", "2", "10"),
    ("abs20", "0.5", "0"),
    ("peak", "0.001", "0"), ("peak", "0.001", "0.01"), ("peak", "0.01", "0.005"),
    ("sqrt_abs", "1", "0"), ("sqrt_abs", "0.001", "0"), ("sqrt_abs", "0.001", "0.002"),
    ("schwefel", "0.001", "0"), ("schwefel", "0.0001", "0.00002"), ("schwefel", "50", "420.9687"),
    ("sin_abs", "0.3", "0"), ("sin_abs", "0.5", "100000"),
    ("tanh_kink", "0.01", "0"), ("tanh_kink", "0.001", "0.0005"),
    ("softplus_abs", "0.3", "0.5"),
    ("overflow_growth", "0.001", "0"),
]
BOXES = [
    ("abs", "0.1", "-0.5", "0.7"), ("abs", "1e-6", "-2e-6", "5e-6"),
    ("abs_cos50", "0.1", "-1", "2"), ("abs8", "1", "-3", "4"),
    ("abs_abs_minus_1", "0.05", "0.9", "1.1"), ("peak", "0.001", "-0.003", "0.004"),
    ("schwefel", "0.01", "-0.05", "0.05"),
]


def main():
    data = {"generator": "tests/redteam/gen_adversary_cubature.py",
            "points": [point(*p) for p in POINTS], "boxes": [box(*b) for b in BOXES]}
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    with open(os.path.join(HERE, "data", "adversary_cubature.json"), "w") as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
