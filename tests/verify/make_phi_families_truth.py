#!/usr/bin/python3
"""Ground truth for the built-in families under the kernels given by φ and moments
(verify/families/rastrigin-1d-{cube,laplace,student3}.toml, coswell-1d-{cauchy,stable15}.toml),
by mpmath quadrature of the kernel's density (30 digits): per stage δ, the exact λ_min of
f̂_δ'' on B(0; 3δ) and f̂_δ(0.3). Written to tests/verify/data/phi_families_truth.json, read by
tests/verify/builtin_families_test.cpp (certified λ_min bound <= truth, and close to it).

f̂_δ'' and f̂_δ need E cos(ωδu) (E sin = 0 by symmetry) and E u², each an integral of the density
(tests/theory/make_kernel_laws_reference.py's quadrature rules; the 1.5-stable law has no
elementary density, so its E cos is the defining φ, cross-checked there through E|u|).
  rastrigin  f'' = 2 + 40π² cos(2πy):  λ_min = 2 + 40π² c cos(2π·min(3δ, 1/2)),  c = E cos(2πδu)
  coswell    f = 1 − cos(πy), f'' = π² cos(πy):         λ_min = π² c cos(π·min(3δ, 1)),           c = E cos(πδu)
(c > 0 for every stage, so the minimum over |x| <= 3δ is at the edge.)
Run: /usr/bin/python3 tests/verify/make_phi_families_truth.py > tests/verify/data/phi_families_truth.json
"""
import importlib.util
import json
import os

import mpmath as mp

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "laws", os.path.join(HERE, "..", "theory", "make_kernel_laws_reference.py"))
laws = importlib.util.module_from_spec(spec)
spec.loader.exec_module(laws)
mp.mp.dps = 30

FAMILIES = {
    "rastrigin-1d-cube": ("uniform-cube", "0", "rastrigin", [0.3, 0.15, 0.1, 0.0833, 0.05, 0.025]),
    "rastrigin-1d-laplace": ("laplace", "0", "rastrigin", [0.3, 0.15, 0.1, 0.0833, 0.05, 0.025]),
    "rastrigin-1d-student3": ("student-t", "3", "rastrigin", [0.3, 0.15, 0.1, 0.0833, 0.05, 0.025]),
    "coswell-1d-cauchy": ("student-t", "1", "coswell", [0.2, 0.15, 0.1, 0.075, 0.05]),
    "coswell-1d-stable15": ("stable", "1.5", "coswell", [0.2, 0.15, 0.1, 0.075, 0.05]),
}


def e_cos(kernel, p, t):
    if kernel == "stable" and p == "1.5":
        return mp.exp(-mp.mpf(t) ** mp.mpf("1.5"))  # the law's definition (no elementary density)
    return laws.cf(kernel, p, t)


def stage(kernel, p, name, delta):
    d = mp.mpf(str(delta))
    if name == "rastrigin":
        c = e_cos(kernel, p, 2 * mp.pi * d)
        u2 = laws.expectation(kernel, p, lambda u: u * u)
        lam = 2 + 40 * mp.pi ** 2 * c * mp.cos(2 * mp.pi * min(3 * d, mp.mpf(1) / 2))
        value = mp.mpf("0.09") + d * d * u2 + 10 - 10 * c * mp.cos(mp.pi * mp.mpf("0.6"))
    else:
        c = e_cos(kernel, p, mp.pi * d)
        lam = mp.pi ** 2 * c * mp.cos(mp.pi * min(3 * d, mp.mpf(1)))
        value = 1 - c * mp.cos(mp.pi * mp.mpf("0.3"))
    return {"delta": str(delta), "lambda_min": mp.nstr(lam, 25), "value_at_0.3": mp.nstr(value, 25)}


def main():
    out = {name: [stage(k, p, f, d) for d in ds] for name, (k, p, f, ds) in FAMILIES.items()}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
