#!/usr/bin/python3
"""Ground truth for the verified Gaussian cubature (numerics/quadrature/gaussian_cubature.hpp) and
the families smoothed by it, by mpmath quadrature (20 digits), written to
tests/theory/data/cubature_reference.json (read by tests/verify/cubature_families_test.cpp and
tests/numerics/quadrature/gaussian_cubature_test.cpp).

Independent of the code under test: gradcert encloses f̂^{(k)}(x) = t^{-k} E[f(x + tz) He_k(z)]
(the Hermite form, values of f only); here

  dropwave   f(y) = −(1 + cos 12y)/(0.5y² + 2):  f̂^{(k)}(x) = E f^{(k)}(x + tz) with f', f'' written
             out by hand (g = 2/(y² + 4): f'' = 144 cos(12y) g + 24 sin(12y) g' − (1 + cos 12y) g''),
             integrated on [−14, 14] cut into pieces shorter than one period of cos 12(x + tz);
  schwefel   f(y) = 418.9829 − y sin(√|y|):  f' and f'' written out for y ≠ 0 (s = √|y|:
             f'' = sign(y)(sin(s)/4 − 3cos(s)/(4s)), integrable at 0, f' continuous, so no Dirac),
             integrated with the kink z = −x/t as a breakpoint;
  abs        f(y) = |y|: closed forms f̂ = x·erf(x/(t√2)) + 2tφ(x/t), f̂' = erf(x/(t√2)),
             f̂'' = 2φ(x/t)/t (the Dirac of |y|'' smoothed).

"points": f̂, f̂', f̂'' at (f, t, x). "stages": per stage of the families dropwave-1d-gaussian and
schwefel-1d-gaussian, δ, the minimizer x* of f̂_δ (0 by symmetry for dropwave; for schwefel a grid
over [−500, 500] then golden section) and λ_min = min of f̂_δ'' over [x* − 3δ, x* + 3δ] (grid of
61 points, then golden section around the least).

Run: /usr/bin/python3 tests/theory/make_cubature_reference.py > tests/theory/data/cubature_reference.json
"""
import json
import sys

import mpmath as mp

mp.mp.dps = 20
SQRT2PI = mp.sqrt(2 * mp.pi)


def phi(z):
    return mp.exp(-z * z / 2) / SQRT2PI


def dropwave(y, k):
    c, s = mp.cos(12 * y), mp.sin(12 * y)
    g = 2 / (y * y + 4)
    g1 = -4 * y / (y * y + 4) ** 2
    g2 = (12 * y * y - 16) / (y * y + 4) ** 3
    if k == 0:
        return -(1 + c) * g
    if k == 1:
        return 12 * s * g - (1 + c) * g1
    return 144 * c * g + 24 * s * g1 - (1 + c) * g2


def schwefel(y, k):
    if k == 0:
        return mp.mpf("418.9829") - y * mp.sin(mp.sqrt(abs(y)))
    if y == 0:
        return mp.mpf(0) if k == 1 else mp.inf
    s = mp.sqrt(abs(y))
    if k == 1:
        return -mp.sin(s) - s / 2 * mp.cos(s)
    sign = 1 if y > 0 else -1
    return sign * (mp.sin(s) / 4 - 3 * mp.cos(s) / (4 * s))


def smooth(name, t, x, k):
    t, x = mp.mpf(t), mp.mpf(x)
    if name == "abs":
        r = x / t
        if k == 0:
            return x * mp.erf(r / mp.sqrt(2)) + 2 * t * phi(r)
        if k == 1:
            return mp.erf(r / mp.sqrt(2))
        return 2 * phi(r) / t
    if name == "dropwave":
        period = 2 * mp.pi / (12 * t)
        n = int(mp.ceil(28 / period)) + 8
        pts = [-14 + 28 * mp.mpf(i) / n for i in range(n + 1)]
        return mp.quad(lambda z: dropwave(x + t * z, k) * phi(z), pts)
    if name == "schwefel":
        kink = -x / t
        pts = sorted(set([mp.mpf(-14), mp.mpf(14)] + ([kink] if -14 < kink < 14 else [])))
        # Pieces of at most one unit of z keep the quadrature accurate.
        fine = []
        for a, b in zip(pts[:-1], pts[1:]):
            m = int(mp.ceil(b - a))
            fine += [a + (b - a) * mp.mpf(i) / m for i in range(m)]
        fine.append(pts[-1])
        return mp.quad(lambda z: schwefel(x + t * z, k) * phi(z), fine)
    raise SystemExit(name)


def golden(fun, a, b, iters=32):
    g = (mp.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = fun(c), fun(d)
    for _ in range(iters):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = fun(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = fun(d)
    x = (a + b) / 2
    return x, fun(x)


def grid_min(fun, a, b, n):
    xs = [a + (b - a) * mp.mpf(i) / (n - 1) for i in range(n)]
    vs = [fun(x) for x in xs]
    i = min(range(n), key=lambda j: vs[j])
    lo, hi = xs[max(i - 1, 0)], xs[min(i + 1, n - 1)]
    x, v = golden(fun, lo, hi)
    if vs[i] < v:
        return xs[i], vs[i]
    return x, v


def stages(name, fam, delta1, count):
    out = []
    for m in range(1, count + 1):
        d = mp.mpf(delta1) * (count - m + 1) / count
        if name == "dropwave":
            xs = mp.mpf(0)
        else:
            xs, _ = grid_min(lambda x: smooth(name, d, x, 0), mp.mpf(-500), mp.mpf(500), 101)
            xs, _ = golden(lambda x: smooth(name, d, x, 0), xs - 10, xs + 10)
        lo, hi = xs - 3 * d, xs + 3 * d
        _, lam = grid_min(lambda x: smooth(name, d, x, 2), lo, hi, 61)
        sys.stderr.write("%s stage %d: delta %s lambda_min %s\n" % (name, m, d, mp.nstr(lam, 8)))
        out.append({"m": m, "delta": mp.nstr(d, 20), "xstar": mp.nstr(xs, 20),
                    "lambda_min": mp.nstr(lam, 20)})
    return fam, out


def main():
    points = []
    for name, cases in [
        ("dropwave", [("0.8", "0"), ("0.4", "0.5"), ("0.2", "-0.3"), ("0.08", "0.1"),
                      ("0.04", "0"), ("0.04", "2.5"), ("0.3", "0.25")]),
        ("schwefel", [("40", "420"), ("8", "421"), ("4", "0"), ("4", "2.5"), ("1", "-0.5")]),
        ("abs", [("0.5", "0"), ("0.5", "0.3"), ("0.05", "-0.02"), ("2", "1")]),
    ]:
        for t, x in cases:
            points.append({"f": name, "t": t, "x": x,
                           "value": mp.nstr(smooth(name, t, x, 0), 20),
                           "d1": mp.nstr(smooth(name, t, x, 1), 20),
                           "d2": mp.nstr(smooth(name, t, x, 2), 20)})
    result = {"points": points, "stages": {}}
    for name, fam, delta1, count in [("dropwave", "dropwave-1d-gaussian", "0.8", 20),
                                     ("schwefel", "schwefel-1d-gaussian", "40", 10)]:
        key, rows = stages(name, fam, delta1, count)
        result["stages"][key] = rows
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
