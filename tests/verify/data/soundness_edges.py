#!/usr/bin/python3
"""Ground truth for tests/verify/soundness_regression_test.cpp (issue 10), by mpmath at 150 digits.

Writes soundness_edges.txt beside this script; one record per line, fields separated by spaces:

  power KERNEL D N DELTA X VALUE CURVATURE
      f = x^N smoothed by the marginal of the D-dimensional KERNEL at DELTA, at the point X:
      VALUE = E[(X - DELTA u)^N], CURVATURE = N(N-1) E[(X - DELTA u)^(N-2)], each written as an
      interval "[lo,hi]" that contains the exact number (45 digits, widened by 1e-40 relative).
      The moments E[u^k] come from the Gamma-function closed forms below (not from the double
      factorial products the C++ code uses), and one moment per kernel is checked by quadrature.
  sigma NAME COEFF SIGMA VERDICT
      f = COEFF x^2 has curvature 2 COEFF everywhere; VERDICT is "holds" if 2 COEFF >= SIGMA and
      "fails" otherwise, decided on the exact decimals.

Run: /usr/bin/python3 tests/verify/data/soundness_edges.py
"""
import os

import mpmath as mp

mp.mp.dps = 150


def moment(kernel, d, k):
    """E[u_1^k] for the first coordinate of u under the d-dimensional kernel."""
    if k % 2:
        return mp.mpf(0)
    k = mp.mpf(k)
    if kernel == "gaussian":  # N(0, 1)
        return 2 ** (k / 2) * mp.gamma((k + 1) / 2) / mp.sqrt(mp.pi)
    if kernel == "gaussian-unit":  # N(0, 1/d)
        return mp.mpf(d) ** (-k / 2) * 2 ** (k / 2) * mp.gamma((k + 1) / 2) / mp.sqrt(mp.pi)
    if kernel == "uniform-ball":  # marginal density proportional to (1 - t^2)^((d-1)/2)
        return (mp.gamma((k + 1) / 2) * mp.gamma(mp.mpf(d + 2) / 2)
                / (mp.sqrt(mp.pi) * mp.gamma((k + d + 2) / 2)))
    raise SystemExit("unknown kernel " + kernel)


def quadrature_moment(kernel, d, k):
    if kernel == "uniform-ball":
        w = lambda t: (1 - t * t) ** (mp.mpf(d - 1) / 2)
        return mp.quad(lambda t: t ** k * w(t), [-1, 0, 1]) / mp.quad(w, [-1, 0, 1])
    s2 = mp.mpf(1) if kernel == "gaussian" else mp.mpf(1) / d
    dens = lambda t: mp.exp(-t * t / (2 * s2)) / mp.sqrt(2 * mp.pi * s2)
    return mp.quad(lambda t: t ** k * dens(t), [-mp.inf, 0, mp.inf])


def smoothed_power(kernel, d, n, delta, x):
    """E[(x - delta u)^n] = sum_k C(n, k) x^(n-k) (-delta)^k E[u^k], exactly expanded."""
    return mp.fsum(mp.binomial(n, k) * x ** (n - k) * (-delta) ** k * moment(kernel, d, k)
                   for k in range(0, n + 1))


def enclosure(v):
    lo = v - abs(v) * mp.mpf("1e-40") - mp.mpf("1e-300")
    hi = v + abs(v) * mp.mpf("1e-40") + mp.mpf("1e-300")
    return "[" + mp.nstr(lo, 45, min_fixed=1, max_fixed=0) + "," + \
        mp.nstr(hi, 45, min_fixed=1, max_fixed=0) + "]"


def main():
    lines = []
    kernels = [("gaussian", 1), ("gaussian-unit", 3), ("uniform-ball", 1), ("uniform-ball", 3)]
    for kernel, d in kernels:
        for k in (2, 8, 64):
            q, c = quadrature_moment(kernel, d, k), moment(kernel, d, k)
            assert abs(q - c) <= mp.mpf("1e-30") * abs(c), (kernel, d, k, q, c)
    for kernel, d in kernels:
        for n in (62, 64, 100, 200):
            for delta, x in (("0.1", "0.5"), ("0.5", "0"), ("0.25", "-1.25")):
                v = smoothed_power(kernel, d, n, mp.mpf(delta), mp.mpf(x))
                c = n * (n - 1) * smoothed_power(kernel, d, n - 2, mp.mpf(delta), mp.mpf(x))
                lines.append(f"power {kernel} {d} {n} {delta} {x} {enclosure(v)} {enclosure(c)}")
    sigma_cases = [
        ("issue-10", "0.14999999999999999999", "0.3"),  # curvature 0.3 - 2e-20
        ("below-1e-18", "0.1499999999999999995", "0.3"),  # curvature 0.3 - 1e-18
        ("above-1e-18", "0.1500000000000000005", "0.3"),  # curvature 0.3 + 1e-18
        ("equal", "0.15", "0.3"),  # curvature exactly σ: holds (λ_min ≥ σ)
        ("below-1e-18-third", "0.1666666666666666661", "0.3333333333333333332"),
    ]
    for name, coeff, sigma in sigma_cases:
        curvature = 2 * mp.mpf(coeff)
        verdict = "holds" if curvature >= mp.mpf(sigma) else "fails"
        lines.append(f"sigma {name} {coeff} {sigma} {verdict}")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "soundness_edges.txt")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
