#!/usr/bin/python3
"""Writes the small hand-made certificates of tests/recheck/data/ (docs/certificate.md).

This is a tiny, untrusted stand-in for `gradcert check --certificate`: a branch and bound with
mpmath interval arithmetic on closed forms of f̂_δ written out here by hand (kernel moments and
characteristic functions), and claims derived from it. Nothing here is rigorous: the point of
the certificates is that `gradcert recheck` confirms them with its own arithmetic.

Run: /usr/bin/python3 tests/recheck/make_certificates.py  (writes tests/recheck/data/*.json)
"""
import json
import math
import os
from fractions import Fraction as Q

import mpmath
import numpy as np
from mpmath import iv, mp

mp.dps = 40
iv.dps = 30
HERE = os.path.dirname(os.path.abspath(__file__))


def I(x):
    """An interval around a rational, float or interval."""
    if isinstance(x, Q):
        x = mpmath.mpf(x.numerator) / x.denominator
        return iv.mpf([x - mpmath.mpf(10) ** -32, x + mpmath.mpf(10) ** -32])
    return iv.mpf(x)


class Jet:
    """Value, gradient and Hessian as mpmath intervals (forward mode)."""

    def __init__(self, v, g, h):
        self.v, self.g, self.h = v, g, h

    @staticmethod
    def var(x, i, d):
        return Jet(x, [I(1) if j == i else I(0) for j in range(d)], [[I(0)] * d for _ in range(d)])

    def lift(self, c):
        d = len(self.g)
        return c if isinstance(c, Jet) else Jet(I(c), [I(0)] * d, [[I(0)] * d for _ in range(d)])

    def __add__(self, o):
        o = self.lift(o)
        d = len(self.g)
        return Jet(self.v + o.v, [self.g[i] + o.g[i] for i in range(d)],
                   [[self.h[i][j] + o.h[i][j] for j in range(d)] for i in range(d)])

    __radd__ = __add__

    def __neg__(self):
        return self * -1

    def __sub__(self, o):
        return self + (-self.lift(o))

    def __rsub__(self, o):
        return self.lift(o) - self

    def __mul__(self, o):
        o = self.lift(o)
        d = len(self.g)
        return Jet(self.v * o.v, [self.g[i] * o.v + self.v * o.g[i] for i in range(d)],
                   [[self.h[i][j] * o.v + self.g[i] * o.g[j] + self.g[j] * o.g[i] + self.v * o.h[i][j]
                     for j in range(d)] for i in range(d)])

    __rmul__ = __mul__

    def __pow__(self, k):
        r = self.lift(1)
        for _ in range(k):
            r = r * self
        return r

    def chain(self, f0, f1, f2):
        d = len(self.g)
        return Jet(f0, [f1 * self.g[i] for i in range(d)],
                   [[f2 * self.g[i] * self.g[j] + f1 * self.h[i][j] for j in range(d)] for i in range(d)])


def jcos(x):
    return x.chain(iv.cos(x.v), -iv.sin(x.v), -iv.cos(x.v))


def jexp(x):
    e = iv.exp(x.v)
    return x.chain(e, e, e)


# ---- kernels: moments E u_i^2, E u_i^4, E u_1^2 u_2^2 and ridge factors ----------------------
def moments(kernel, d):
    if kernel == "gaussian":
        return Q(1), Q(3), Q(1)
    if kernel == "gaussian-unit":
        return Q(1, d), Q(3, d * d), Q(1, d * d)
    return Q(1, d + 2), Q(3, (d + 2) * (d + 4)), Q(1, (d + 2) * (d + 4))


def ridge_factor(kernel, d, t, exp_ridge=False):
    t = mpmath.mpf(t)
    if kernel in ("gaussian", "gaussian-unit"):
        s2 = 1 if kernel == "gaussian" else mpmath.mpf(1) / d
        return mpmath.exp((1 if exp_ridge else -1) * s2 * t * t / 2)
    z = (1 if exp_ridge else -1) * t * t / 4
    return mpmath.hyp0f1(mpmath.mpf(d) / 2 + 1, z)


def lower_end(x):
    return mpmath.mpf(x.a)


def upper_end(x):
    return mpmath.mpf(x.b)


def qf(q):
    return mpmath.mpf(q.numerator) / q.denominator


# ---- the families: f̂_δ as a function of jets ----------------------------------------------
def fhat_factory(fam, delta):
    k, d = fam["kernel"], fam["dim"]
    m2, m4, m22 = moments(k, d)
    dl = delta
    name = fam["id"]
    if name.startswith("quad1"):
        return lambda x: x[0] ** 2 + I(m2 * dl * dl)
    if name == "quartic1":
        return lambda x: x[0] ** 4 + x[0] ** 2 * I(6 * m2 * dl * dl - 1) + I(m4 * dl ** 4 - m2 * dl * dl)
    if name.startswith("quad2"):
        return lambda x: x[0] ** 2 + 2 * x[1] ** 2 + x[0] * x[1] + I(3 * m2 * dl * dl)
    if name.startswith("rastrigin"):
        phi = ridge_factor(k, d, 2 * mpmath.pi * qf(dl))
        c = iv.mpf(10) * iv.mpf(phi)
        return lambda x: x[0] ** 2 + I(m2 * dl * dl) - jcos(x[0] * (2 * iv.pi)) * c + 10
    if name == "cos2d":
        phi = ridge_factor(k, d, qf(dl) * mpmath.sqrt(5))
        return lambda x: x[0] ** 2 + x[1] ** 2 + I(2 * m2 * dl * dl) - jcos(x[0] + 2 * x[1]) * iv.mpf(phi)
    if name == "exp1":
        M = iv.mpf(ridge_factor(k, d, qf(dl), True))
        return lambda x: jexp(x[0]) * M - 2 * x[0]
    if name == "cosh1":
        M = iv.mpf(ridge_factor(k, d, qf(dl), True))
        return lambda x: jexp(x[0]) * M + jexp(-x[0]) * M
    raise ValueError(name)


def evaluate(F, box):
    d = len(box)
    return F([Jet.var(iv.mpf(list(b)), i, d) for i, b in enumerate(box)])


# ---- numbers ----------------------------------------------------------------------------------
def hexf(x):
    return float(x).hex()


def down(x):
    f = float(mpmath.mpf(x))
    return f if mpmath.mpf(f) <= x else math.nextafter(f, -math.inf)


def up(x):
    f = float(mpmath.mpf(x))
    return f if mpmath.mpf(f) >= x else math.nextafter(f, math.inf)


def box_hex(box):
    return [[hexf(a), hexf(b)] for a, b in box]


# ---- minimizers: branch and bound -------------------------------------------------------------
def best_point(F, domain):
    d = len(domain)
    lo = [float(a) for a, _ in domain]
    hi = [float(b) for _, b in domain]
    n = 2001 if d == 1 else 201
    best = None
    for _ in range(4):
        axes = [np.linspace(lo[i], hi[i], n) for i in range(d)]
        for p in (np.array(np.meshgrid(*axes)).reshape(d, -1).T):
            p = [max(min(float(p[i]), float(domain[i][1])), float(domain[i][0])) for i in range(d)]
            p = [x if Q(x) >= domain[i][0] and Q(x) <= domain[i][1] else float(domain[i][0]) for i, x in enumerate(p)]
            v = F([Jet.var(iv.mpf(x), i, d) for i, x in enumerate(p)]).v
            if best is None or upper_end(v) < best[0]:
                best = (upper_end(v), p)
        w = [(hi[i] - lo[i]) / 20 for i in range(d)]
        lo = [max(best[1][i] - w[i], float(domain[i][0])) for i in range(d)]
        hi = [min(best[1][i] + w[i], float(domain[i][1])) for i in range(d)]
        n = 41 if d == 1 else 21
    return best


def minimizers(F, domain, eps):
    d = len(domain)
    fbest, p = best_point(F, domain)
    root = [(down(qf(a)), up(qf(b))) for a, b in domain]
    keeps = []

    def interior(box, i):
        return Q(box[i][0]) > domain[i][0] and Q(box[i][1]) < domain[i][1]

    def node(box, depth):
        j = evaluate(F, box)
        mid = [(a + b) / 2 for a, b in box]
        jm = F([Jet.var(iv.mpf(m), i, d) for i, m in enumerate(mid)])
        mv = jm.v + sum(j.g[i] * (iv.mpf(list(box[i])) - mid[i]) for i in range(d))
        if max(lower_end(j.v), lower_end(mv)) > fbest:
            return {"prune": "value", "point": 0}
        for i in range(d):
            g = j.g[i]
            if interior(box, i) and (lower_end(g) > 0 or upper_end(g) < 0):
                return {"prune": "gradient", "coord": i}
        for i in range(d):
            g = j.g[i]
            for side, sign, face in (("lower", lower_end(g) > 0, domain[i][0]), ("upper", upper_end(g) < 0, domain[i][1])):
                if sign and Q(box[i][0]) <= face <= Q(box[i][1]) and box[i][0] < box[i][1]:
                    child = list(box)
                    child[i] = (down(qf(face)), up(qf(face)))
                    child[i] = (max(child[i][0], box[i][0]), min(child[i][1], box[i][1]))
                    return {"reduce": [i, side], "child": node(child, depth + 1)}
        widths = [b - a for a, b in box]
        i = int(np.argmax(widths))
        if widths[i] < eps or depth > 60:
            keeps.append(box)
            return {"keep": len(keeps) - 1}
        s = (box[i][0] + box[i][1]) / 2
        left, right = list(box), list(box)
        left[i] = (box[i][0], s)
        right[i] = (s, box[i][1])
        return {"split": [i, hexf(s)], "children": [node(left, depth + 1), node(right, depth + 1)]}

    tree = node(root, 0)
    # clusters: bounding boxes of groups of touching keep boxes
    parent = list(range(len(keeps)))

    def find(a):
        while parent[a] != a:
            a = parent[a]
        return a

    for a in range(len(keeps)):
        for b in range(a):
            if all(keeps[a][i][0] <= keeps[b][i][1] and keeps[b][i][0] <= keeps[a][i][1] for i in range(d)):
                parent[find(a)] = find(b)
    groups = sorted({find(a) for a in range(len(keeps))})
    clusters = []
    for g in groups:
        members = [keeps[a] for a in range(len(keeps)) if find(a) == g]
        clusters.append([(min(m[i][0] for m in members), max(m[i][1] for m in members)) for i in range(d)])
    index = {g: k for k, g in enumerate(groups)}

    def relabel(n):
        if "keep" in n:
            n["keep"] = index[find(n["keep"])]
        for c in n.get("children", []):
            relabel(c)
        if n.get("child"):
            relabel(n["child"])

    relabel(tree)
    return {"points": [[hexf(x) for x in p]], "clusters": [{"box": box_hex(c)} for c in clusters],
            "tree": tree}, clusters


# ---- curvature --------------------------------------------------------------------------------
def lambda_lower(h):
    if len(h) == 1:
        return lower_end(h[0][0])
    a, c, b = lower_end(h[0][0]), lower_end(h[1][1]), max(abs(lower_end(h[0][1])), abs(upper_end(h[0][1])))
    return (a + c) / 2 - mpmath.sqrt(((a - c) / 2) ** 2 + b * b) - mpmath.mpf(10) ** -12


def dist2_min(box, cl):
    return sum(max(0, cl[i][0] - box[i][1], box[i][0] - cl[i][1]) ** 2 for i in range(len(box)))


def curvature(F, cl, delta, sigma):
    d = len(cl)
    r = 3 * qf(delta)
    root = [(down(a - r), up(b + r)) for a, b in cl]
    bounds = []

    def node(box, depth):
        if dist2_min(box, cl) > r * r * (1 + mpmath.mpf(10) ** -9):
            return {"far": True}
        if depth >= (7 if d == 1 else 8):
            lam = lambda_lower(evaluate(F, box).h)
            b = down(lam - abs(lam) * mpmath.mpf(2) ** -40)
            bounds.append(b)
            return {"bound": hexf(b)}
        i = int(np.argmax([b - a for a, b in box]))
        s = (box[i][0] + box[i][1]) / 2
        left, right = list(box), list(box)
        left[i] = (box[i][0], s)
        right[i] = (s, box[i][1])
        return {"split": [i, hexf(s)], "children": [node(left, depth + 1), node(right, depth + 1)]}

    tree = node(root, 0)
    lower = min(bounds)
    out = {"radius_factor": 3, "claim": "inconclusive", "certified_lower": hexf(lower), "tree": tree,
           "witness": None}
    if sigma is None and lower > 0 or sigma is not None and Q(lower) >= sigma:
        out["claim"] = "holds"
        return out
    # witness: a grid point within 3δ of every point of the cluster with the least Rayleigh quotient
    best = None
    axes = [np.linspace(float(a), float(b), 61) for a, b in root]
    for p in np.array(np.meshgrid(*axes)).reshape(d, -1).T:
        p = [float(x) for x in p]
        far = sum(max(abs(p[i] - cl[i][0]), abs(p[i] - cl[i][1])) ** 2 for i in range(d))
        if far > float(r * r) * (1 - 1e-9):
            continue
        h = F([Jet.var(iv.mpf(x), i, d) for i, x in enumerate(p)]).h
        hm = np.array([[float(mpmath.mpf(h[i][j].mid)) for j in range(d)] for i in range(d)])
        w, v = np.linalg.eigh(hm)
        v = [float(x) for x in v[:, 0]]
        q = sum(v[i] * v[j] * h[i][j] for i in range(d) for j in range(d)) / sum(x * x for x in v)
        if best is None or upper_end(q) < best[0]:
            best = (upper_end(q), p, v)
    if best is not None:
        u = up(best[0] + abs(best[0]) * mpmath.mpf(2) ** -40 + mpmath.mpf(10) ** -30)
        if (sigma is None and u <= 0) or (sigma is not None and Q(u) < sigma):
            out["claim"] = "fails"
            out["witness"] = {"point": [hexf(x) for x in best[1]], "direction": [hexf(x) for x in best[2]],
                              "upper": hexf(u)}
    return out


# ---- stages and verdicts ----------------------------------------------------------------------
def conj(vs):
    return "fails" if "fails" in vs else "inconclusive" if "inconclusive" in vs else "holds"


def centering(a, b, R):
    def maxd2(x, y):
        return sum(max(abs(x[i][1] - y[i][0]), abs(y[i][1] - x[i][0])) ** 2 for i in range(len(x)))

    R = qf(R)
    if all(maxd2(x, y) < R * R * (1 - mpmath.mpf(10) ** -9) for x in a for y in b):
        return "holds"
    if all(dist2_min(x, y) > R * R * (1 + mpmath.mpf(10) ** -9) for x in a for y in b):
        return "fails"
    return "inconclusive"


def deltas_of(schedule):
    if "deltas" in schedule:
        return [Q(t) for t in schedule["deltas"]]
    M, p = schedule["stages"], Q(schedule["power"])
    assert p.denominator == 1
    return [Q(schedule["delta1"]) * Q(M - m + 1, M) ** int(p) for m in range(1, M + 1)]


def certificate(fam):
    domain = [(Q(a), Q(b)) for a, b in fam["domain"]]
    deltas = deltas_of(fam["schedule"])
    sigma = None if fam["sigma"] is None else Q(fam["sigma"])
    eps = fam.get("eps", 1e-3)
    stages, clusters = [], []
    for m, dl in enumerate(deltas):
        F = fhat_factory(fam, dl)
        block, cl = minimizers(F, domain, eps)
        st = {"m": m + 1, "minimizers": block}
        if fam["definition"] == "sigma-nice":
            st["half_minimizers"], half = minimizers(fhat_factory(fam, dl / 2), domain, eps)
            st["half_clusters"] = half
        st["curvature"] = [curvature(F, c, dl, sigma) for c in cl]
        claims = [c["claim"] for c in st["curvature"]]
        st["convexity"] = "holds" if all(c == "holds" for c in claims) else \
            "fails" if all(c == "fails" for c in claims) else "inconclusive"
        stages.append(st)
        clusters.append(cl)
    for m, st in enumerate(stages):
        last = m + 1 == len(deltas)
        st["centering"] = []
        if fam["definition"] == "sigma-nice":
            st["centering"].append({"variant": "half", "verdict": centering(clusters[m], st.pop("half_clusters"), deltas[m] / 2)})
        elif not last:
            variants = ["next", "gap"] if fam["centering"] == "both" else [fam["centering"]]
            for v in variants:
                R = deltas[m + 1] if v == "next" else deltas[m] - deltas[m + 1]
                st["centering"].append({"variant": v, "verdict": centering(clusters[m], clusters[m + 1], R)})
        st["gamma"] = None
        if fam["definition"] == "new-sigma-nice" and not last:
            g = deltas[m + 1] / deltas[m]
            st["gamma"] = "holds" if Q(1, 2) <= g < 1 else "fails"
        parts = [st["convexity"]] + [c["verdict"] for c in st["centering"]] + ([st["gamma"]] if st["gamma"] else [])
        st["verdict"] = conj(parts)
    family = {k: fam[k] for k in ("name", "dim", "f", "params", "domain", "kernel", "schedule", "definition",
                                  "sigma", "centering")}
    return {"format": "gradcert-certificate", "version": 1, "family": family, "precision_bits": 128,
            "geometry": "direct", "recheck": {"supported": True, "reason": ""}, "stages": stages,
            "overall": conj([s["verdict"] for s in stages])}


def fam(id, f, dim, domain, kernel, schedule, sigma, definition="new-sigma-nice", params=None, **kw):
    return dict(id=id, name=id, f=f, dim=dim, domain=domain, kernel=kernel, schedule=schedule, sigma=sigma,
                definition=definition, params=params or {}, centering="both", **kw)


FAMILIES = [
    fam("quad1", "x^2", 1, [["-1", "1"]], "gaussian", {"deltas": ["0.5", "0.25"]}, "1.0"),
    fam("quad1-hazan", "x^2", 1, [["-1", "1"]], "uniform-ball",
        {"delta1": "0.5", "stages": 3, "power": "1"}, "1.0", definition="sigma-nice"),
    fam("quartic1", "x^4 - x^2", 1, [["-2", "2"]], "gaussian", {"deltas": ["0.5", "0.25"]}, "2.0"),
    fam("quad2", "x1^2 + 2*x2^2 + x1*x2", 2, [["-1", "1"], ["-1", "1"]], "gaussian-unit",
        {"deltas": ["0.4", "0.2"]}, "1.5", eps=2e-2),
    fam("quad2-sigma-m", "x1^2 + 2*x2^2 + x1*x2", 2, [["-1", "1"], ["-1", "1"]], "uniform-ball",
        {"deltas": ["0.4", "0.2"]}, None, definition="sigma-m-nice", eps=2e-2),
    fam("rastrigin-gaussian", "x^2 - a*cos(2*pi*x) + a", 1, [["-5.12", "5.12"]], "gaussian",
        {"deltas": ["0.08", "0.04"]}, "2.0", params={"a": "10.0"}),
    fam("rastrigin-ball", "x^2 - a*cos(2*pi*x) + a", 1, [["-5.12", "5.12"]], "uniform-ball",
        {"deltas": ["0.3", "0.08"]}, "2.0", params={"a": "10.0"}),
    fam("cos2d", "x1^2 + x2^2 - cos(x1 + 2*x2)", 2, [["-2", "2"], ["-2", "2"]], "gaussian-unit",
        {"deltas": ["0.5", "0.25"]}, "1.0", eps=2e-2),
    fam("exp1", "exp(x) - 2*x", 1, [["1", "2"]], "gaussian", {"deltas": ["0.5", "0.25"]}, "1.0"),
    fam("cosh1", "exp(x) + exp(-x)", 1, [["-1", "1"]], "gaussian", {"deltas": ["0.5", "0.25"]}, "1.0"),
]

if __name__ == "__main__":
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    for f in FAMILIES:
        cert = certificate(f)
        with open(os.path.join(HERE, "data", f["id"] + ".json"), "w") as out:
            json.dump(cert, out, indent=1)
        print(f["id"], cert["overall"], [s["verdict"] for s in cert["stages"]],
              [[c["claim"] for c in s["curvature"]] for s in cert["stages"]])
