#!/usr/bin/python3
"""Ground truth for the kernels of theory/kernel_laws.hpp by mpmath quadrature of their densities
(40 digits), written to tests/theory/data/kernel_laws_reference.txt (tests/theory/
kernel_laws_test.cpp reads it).

Every value is an integral of the law's DENSITY, never the closed form under test:
  cf      E cos(t u)      1-D: uniform [-1, 1], Laplace ½e^{-|u|}, student-t ν, Gaussian N(0, 2)
                          (= stable α = 2), Cauchy (= stable α = 1); quadosc for the heavy tails
  mgf     E e^{t u}       cube, Laplace
  moment  E u^k           cube, Laplace, student-t
  absmean E|u|            1-D densities; stable α via E|u| = (2/π)∫_0^∞ (1 − φ(t))/t² dt
  norm2   E‖u‖ in d = 2   cube (∫∫ over the square), student-t (E‖z‖·E√(ν/w) by 1-D quadratures of
                          the χ and χ² densities), Laplace (2-D quadrature)
  smooth  f̂_δ(x) = E f(x − δu) for f = x² − 10cos(2πx) + 10 (rastrigin) or
          f = −cos(x) − 0.5cos(3x) (coswell), by quadrature of f(x − δu)·density(u)

Line format: <quantity> <kernel> <param> <args...> <value>  (param: ν, α or 0).
Run: /usr/bin/python3 tests/theory/make_kernel_laws_reference.py > tests/theory/data/kernel_laws_reference.txt
"""
import mpmath as mp

mp.mp.dps = 40


def density(kernel, p):
    if kernel == "uniform-cube":
        return (lambda u: mp.mpf(1) / 2 if abs(u) <= 1 else mp.mpf(0)), [-1, 0, 1]
    if kernel == "laplace":
        return (lambda u: mp.exp(-abs(u)) / 2), [-mp.inf, 0, mp.inf]
    if kernel == "student-t":
        nu = mp.mpf(p)
        c = mp.gamma((nu + 1) / 2) / (mp.sqrt(nu * mp.pi) * mp.gamma(nu / 2))
        return (lambda u: c * (1 + u * u / nu) ** (-(nu + 1) / 2)), [-mp.inf, 0, mp.inf]
    if kernel == "stable" and p == "2":
        return (lambda u: mp.exp(-u * u / 4) / mp.sqrt(4 * mp.pi)), [-mp.inf, 0, mp.inf]
    if kernel == "stable" and p == "1":
        return (lambda u: 1 / (mp.pi * (1 + u * u))), [-mp.inf, 0, mp.inf]
    raise SystemExit("no density for %s %s" % (kernel, p))


def cf(kernel, p, t):
    rho, _ = density(kernel, p)
    t = mp.mpf(t)
    if kernel == "uniform-cube":
        return mp.quad(lambda u: mp.cos(t * u) * rho(u), [-1, 0, 1])
    if t == 0:
        return mp.quad(rho, [-mp.inf, 0, mp.inf])
    # v = t·u: E cos(tu) = 2∫_0^∞ cos(v) ρ(v/t)/t dv; the density's scale t resolved by breakpoints
    # below 1, the oscillating tail by quadosc (period 2π) from 1 on.
    f = lambda v: mp.cos(v) * rho(v / t) / t
    pts = [mp.mpf(0)] + [t * 10 ** k for k in range(-1, 4) if t * 10 ** k < 1] + [mp.mpf(1)]
    return 2 * (mp.quad(f, pts) + mp.quadosc(f, [1, mp.inf], omega=1))


def expectation(kernel, p, g):
    rho, pts = density(kernel, p)
    if kernel == "uniform-cube":
        return mp.quad(lambda u: g(u) * rho(u), [-1, -0.5, 0, 0.5, 1])
    pts = [-mp.inf, -100, -10, -1, 0, 1, 10, 100, mp.inf]
    return mp.quad(lambda u: g(u) * rho(u), pts)


def stable_absmean(alpha):
    # (2/π)∫_0^∞ (1 − e^{−t^α})/t² dt: on [0, 1] by the termwise-integrated series
    # Σ_{k>=1} (−1)^{k+1}/(k!(kα − 1)) (the integrand ~ t^{α−2} is too singular for quadrature
    # when α is near 1), on [1, ∞) by quadrature.
    a = mp.mpf(alpha)
    head = mp.nsum(lambda k: (-1) ** (k + 1) / (mp.factorial(k) * (k * a - 1)), [1, mp.inf])
    tail = mp.quad(lambda t: -mp.expm1(-t ** a) / t ** 2, [1, 10, 100, mp.inf])
    return 2 / mp.pi * (head + tail)


# f = polynomial part + trigonometric part; each integrated against the density: the polynomial
# part by tanh-sinh quadrature, the oscillating part as ∫_0^∞ (h(v) + h(−v)) ρ(v/δ)/δ dv (v = δu)
# with breakpoints at the density's scale and quadosc from v = 1 on.
FUNCTIONS = {
    "rastrigin": (lambda y: y * y + 10, lambda y: -10 * mp.cos(2 * mp.pi * y), 2 * mp.pi),
    "coswell": (lambda y: mp.mpf(0), lambda y: -mp.cos(y) - mp.cos(3 * y) / 2, mp.mpf(1)),
}


def smooth(kernel, p, name, x, delta):
    poly, trig, omega = FUNCTIONS[name]
    rho, _ = density(kernel, p)
    x, delta = mp.mpf(x), mp.mpf(delta)
    f = lambda y: poly(y) + trig(y)
    if kernel == "uniform-cube":
        return mp.quad(lambda u: f(x - delta * u) * rho(u), mp.linspace(-1, 1, 41))
    pts = [-mp.inf, -1000, -100, -10, -1, 0, 1, 10, 100, 1000, mp.inf]
    polynomial = mp.quad(lambda u: poly(x - delta * u) * rho(u), pts)
    h = lambda v: (trig(x - v) + trig(x + v)) * rho(v / delta) / delta
    near = [mp.mpf(0)] + [delta * 10 ** k for k in range(-1, 4) if delta * 10 ** k < 1] + [mp.mpf(1)]
    oscillating = mp.quad(h, near) + mp.quadosc(h, [1, mp.inf], omega=omega)
    return polynomial + oscillating


def out(*fields):
    value = fields[-1]
    print(" ".join(str(x) for x in fields[:-1]), mp.nstr(value, 40))


def main_smooth_only():
    for kernel, p in [("student-t", "3"), ("student-t", "5"), ("stable", "2"), ("laplace", "0")]:
        for delta in ["0.05", "0.5", "2"]:
            out("smooth", kernel, p, "rastrigin", "0.3", delta, smooth(kernel, p, "rastrigin", "0.3", delta))
    for kernel, p in [("student-t", "1"), ("student-t", "3")]:
        for delta in ["0.1", "1"]:
            out("smooth", kernel, p, "coswell", "0.3", delta, smooth(kernel, p, "coswell", "0.3", delta))


def main():
    ts = ["0", "1e-8", "0.001", "0.5", "1", "3", "10", "40"]
    laws = [("uniform-cube", "0"), ("laplace", "0"), ("student-t", "1"), ("student-t", "3"),
            ("student-t", "5"), ("student-t", "7"), ("student-t", "21"), ("student-t", "101"),
            ("student-t", "1001"), ("stable", "2"), ("stable", "1")]
    for kernel, p in laws:
        for t in ts:
            if kernel == "student-t" and p == "1001" and t in ("10", "40"):
                continue  # |φ| < 1e-20: quadrature noise
            out("cf", kernel, p, t, cf(kernel, p, t))
    for t in ["1e-8", "0.5", "1.9", "2.1", "5", "30"]:
        out("mgf", "uniform-cube", 0, t, expectation("uniform-cube", "0", lambda u: mp.exp(mp.mpf(t) * u)))
    for t in ["0.1", "0.5", "0.9", "0.999"]:
        tt = mp.mpf(t)
        val = mp.quad(lambda u: mp.exp(tt * u - abs(u)) / 2, [-mp.inf, 0, mp.inf])
        out("mgf", "laplace", 0, t, val)
    for kernel, p, ks in [("uniform-cube", "0", [2, 4, 8]), ("laplace", "0", [2, 4, 8]),
                          ("student-t", "3", [2]), ("student-t", "5", [2, 4]),
                          ("student-t", "101", [2, 4, 6])]:
        for k in ks:
            out("moment", kernel, p, k, expectation(kernel, p, lambda u: u ** k))
    for kernel, p in [("uniform-cube", "0"), ("laplace", "0"), ("student-t", "3"),
                      ("student-t", "5"), ("student-t", "101")]:
        out("absmean", kernel, p, expectation(kernel, p, abs))
    for alpha in ["1.01", "1.5", "1.99", "2"]:
        out("absmean", "stable", alpha, stable_absmean(alpha))
    # d = 2 norms.
    out("norm2", "uniform-cube", 0,
        mp.quad(lambda a, b: mp.sqrt(a * a + b * b), [0, 1], [0, 1]))
    out("norm2", "laplace", 0,
        mp.quad(lambda a, b: mp.sqrt(a * a + b * b) * mp.exp(-a - b), [0, 1, 10, mp.inf],
                [0, 1, 10, mp.inf]))
    chi2 = mp.quad(lambda r: r * r * mp.exp(-r * r / 2), [0, mp.inf])  # E‖z‖, d = 2
    for nu in [3, 5]:
        n = mp.mpf(nu)
        dens = lambda w: w ** (n / 2 - 1) * mp.exp(-w / 2) / (2 ** (n / 2) * mp.gamma(n / 2))
        root = mp.quad(lambda w: mp.sqrt(n / w) * dens(w), [0, 1, 10, mp.inf])
        out("norm2", "student-t", nu, chi2 * root)
    # f̂_δ at a point.
    for kernel, p in [("uniform-cube", "0"), ("laplace", "0"), ("student-t", "3"),
                      ("student-t", "5"), ("stable", "2")]:
        for delta in ["0.05", "0.5", "2"]:
            out("smooth", kernel, p, "rastrigin", "0.3", delta, smooth(kernel, p, "rastrigin", "0.3", delta))
    for kernel, p in [("student-t", "1"), ("laplace", "0"), ("student-t", "3")]:
        for delta in ["0.1", "1"]:
            out("smooth", kernel, p, "coswell", "0.3", delta, smooth(kernel, p, "coswell", "0.3", delta))


if __name__ == "__main__":
    import sys
    main_smooth_only() if sys.argv[1:] == ["--smooth-only"] else main()
