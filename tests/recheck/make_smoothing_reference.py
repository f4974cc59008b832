#!/usr/bin/python3
"""Reference values of f̂_δ, ∇f̂_δ and ∇²f̂_δ for tests/recheck (data/smoothing_reference.json).

Independent of the checker's closed forms: f̂_δ(x) = E f(x − δu) is computed by numerical
quadrature (mpmath, 30 digits) of the kernel's density, and the derivatives by integrating the
symbolic derivatives of f (sympy). Kernels: uniform-ball (uniform on the unit d-ball),
gaussian-unit (N(0, I/d)), gaussian (N(0, I)).

Run: /usr/bin/python3 tests/recheck/make_smoothing_reference.py
"""
import json
import os

import mpmath
import sympy
from mpmath import mp

mp.dps = 30
HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    ("x^4 - 3*x^3 + x", 1, "0.3", [0.7]),
    ("2*cos(3*x + 0.5)", 1, "0.4", [-0.3]),
    ("exp(0.7*x - 0.2)", 1, "0.5", [0.25]),
    ("x1^2*x2^2 + x1*x2 - sin(x1 - 2*x2)", 2, "0.3", [0.5, -0.25]),
    ("exp(x1 + x2) + cos(x1)*cos(x2)", 2, "0.2", [0.125, 0.375]),
]
KERNELS = ["uniform-ball", "gaussian-unit", "gaussian"]


def expectation(g, kernel, d, delta, x):
    """E g(x − δu) by quadrature."""
    if d == 1:
        if kernel == "uniform-ball":
            return mpmath.quad(lambda u: g(x[0] - delta * u), [-1, 0, 1]) / 2
        s = 1 if kernel == "gaussian" else mpmath.mpf(1) / mpmath.sqrt(d)
        dens = lambda z: mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)
        return mpmath.quad(lambda z: g(x[0] - delta * s * z) * dens(z), [-mpmath.inf, 0, mpmath.inf])
    if kernel == "uniform-ball":
        return mpmath.quad(lambda r, t: g(x[0] - delta * r * mpmath.cos(t), x[1] - delta * r * mpmath.sin(t)) * r,
                           [0, 1], [0, mpmath.pi, 2 * mpmath.pi]) / mpmath.pi
    s = 1 if kernel == "gaussian" else mpmath.mpf(1) / mpmath.sqrt(d)
    dens = lambda z: mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)
    return mpmath.quad(lambda z1, z2: g(x[0] - delta * s * z1, x[1] - delta * s * z2) * dens(z1) * dens(z2),
                       [-mpmath.inf, 0, mpmath.inf], [-mpmath.inf, 0, mpmath.inf])


def main():
    out = []
    for text, d, delta_text, point in CASES:
        syms = sympy.symbols("x") if d == 1 else sympy.symbols("x1 x2")
        syms = [syms] if d == 1 else list(syms)
        expr = sympy.sympify(text.replace("^", "**"), locals={s.name: s for s in syms}, rational=True)
        grads = [sympy.diff(expr, s) for s in syms]
        hess = [[sympy.diff(expr, a, b) for b in syms] for a in syms]
        lam = lambda e: sympy.lambdify(syms, e, "mpmath")
        delta = mpmath.mpf(delta_text)
        # 2-D Gaussian quadrature over the plane takes hours at 30 digits: the ball only in 2-D.
        for kernel in KERNELS if d == 1 else ["uniform-ball"]:
            x = [mpmath.mpf(p) for p in point]
            e = lambda g: mpmath.nstr(expectation(lam(g), kernel, d, delta, x), 28)
            out.append({"f": text, "dim": d, "kernel": kernel, "delta": delta_text,
                        "point": [float(p).hex() for p in point], "value": e(expr),
                        "grad": [e(g) for g in grads], "hess": [[e(h) for h in row] for row in hess]})
            print(text, kernel, out[-1]["value"], flush=True)
    with open(os.path.join(HERE, "data", "smoothing_reference.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
