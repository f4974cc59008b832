#!/usr/bin/python3
"""Adversarial families for the verified cubature (issue 11, adversary review): strong convexity
on the edge per mpmath, with the kink of |x − c| off the minimizer so that λ_min on B(x*; 3δ) is
attained at the ball's end farthest from the kink and x* is not a symmetry point.

Model: f(y) = |y − c| + q·y² under u ~ N(0, 1) ("gaussian"), t = δ, u = (x − c)/t:
  f̂(x)   = (x − c)·erf(u/√2) + 2tφ(u) + q(x² + t²)
  f̂'(x)  = erf(u/√2) + 2qx
  f̂''(x) = 2φ(u)/t + 2q   (decreasing in |x − c|)
x*_δ: the root of f̂' (f̂ strictly convex), by mpmath findroot at 50 digits; λ_min on
B(x*; 3δ) = min of f̂'' at x* ± 3δ (both inside the domain). Centering: |x*_m − x*_{m+1}| vs
R = δ_{m+1} ("next") and δ_m − δ_{m+1} ("gap"); γ = δ_{m+1}/δ_m.
σ is set at λ_min(δ_1)·(1 ∓ ε), ε = 1e−6 or 1e−12: stage 1 is marked edge (inconclusive allowed;
a wrong `holds` or `fails` is still a CONTRADICTION), since the cubature's enclosures of f̂'' are
about 1e−4 relative wide at the default options (measured: every stage 1 is inconclusive).
adv-cub-growth-overflow: a growth bound whose coefficients overflow binary64 must be refused
(exit 2) with a message, not end in an internal error; so must δ = 1e−400, positive but 0 in
binary64 (adv-cub-delta-underflow).
Writes tests/redteam/families/adv-cub-*.toml and merges the cases into ground_truth.json.
Run: /usr/bin/python3 tests/redteam/gen_adversary_families.py (a few seconds).
"""
import json
import os

import mpmath as mp

mp.mp.dps = 50
HERE = os.path.dirname(os.path.abspath(__file__))


def phi(z):
    return mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)


class Model:
    def __init__(self, c, q):
        self.c, self.q = mp.mpf(c), mp.mpf(q)

    def f(self, x, t):
        u = (x - self.c) / t
        return (x - self.c) * mp.erf(u / mp.sqrt(2)) + 2 * t * phi(u) + self.q * (x * x + t * t)

    def d1(self, x, t):
        return mp.erf((x - self.c) / t / mp.sqrt(2)) + 2 * self.q * x

    def d2(self, x, t):
        return 2 * phi((x - self.c) / t) / t + 2 * self.q

    def argmin(self, t):
        # f̂' is increasing; bisection on [c − 1/(2q) − 1, c + 1/(2q) + 1] then polish
        lo, hi = -1 / (2 * self.q) - 1, 1 / (2 * self.q) + 1
        for _ in range(400):
            mid = (lo + hi) / 2
            if self.d1(mid, t) > 0:
                hi = mid
            else:
                lo = mid
        return mp.findroot(lambda x: self.d1(x, t), (lo + hi) / 2)

    def lam(self, t):
        x = self.argmin(t)
        return min(self.d2(x - 3 * t, t), self.d2(x + 3 * t, t))


def s(x, n=30):
    return mp.nstr(x, n)


def case(name, c, q, deltas, eps, edge, domain, why):
    m = Model(c, q)
    ds = [mp.mpf(d) for d in deltas]
    sigma_text = mp.nstr(m.lam(ds[0]) * (1 + mp.mpf(eps)), 20)
    sigma = mp.mpf(sigma_text)
    xs = [m.argmin(d) for d in ds]
    for x, d in zip(xs, ds):
        assert mp.mpf(domain[0]) < x - 3 * d and x + 3 * d < mp.mpf(domain[1]), name
    stages = []
    for i, d in enumerate(ds):
        lam = m.lam(d)
        truth = "holds" if lam >= sigma else "fails"
        st = {"m": i + 1, "delta": deltas[i], "minimizers": [[s(xs[i])]],
              "global_minimizer": [s(xs[i])], "min_value": s(m.f(xs[i], d)),
              "tie_margin": [None], "flat_halfwidth": [None],
              "strong_convexity": {"truth": truth, "edge": edge and i == 0,
                                   "lambda_min": s(lam), "margin": s(lam - sigma, 8),
                                   "why": "λ_min on B(x*; 3δ) = %s vs σ = %s" %
                                          (s(lam, 20), sigma_text)},
              "centering": []}
        parts = [st["strong_convexity"]]
        if i + 1 < len(ds):
            dist = abs(xs[i] - xs[i + 1])
            for variant, R in (("next", ds[i + 1]), ("gap", d - ds[i + 1])):
                st["centering"].append({
                    "variant": variant, "truth": "holds" if dist <= R else "fails",
                    "edge": False, "R": s(R), "distance": s(dist), "margin": s(R - dist, 8),
                    "why": "‖x*_m − x*'‖ = %s vs R = %s" % (s(dist, 12), s(R, 12))})
                assert abs(R - dist) > mp.mpf("1e-3") * R, name  # centering far from its edge
            g = ds[i + 1] / d
            st["gamma_condition"] = {"truth": "holds" if mp.mpf(1) / 2 <= g < 1 else "fails",
                                     "edge": False, "gamma": mp.nstr(g, 20)}
            parts += st["centering"] + [st["gamma_condition"]]
        truths = {p["truth"] for p in parts}
        allowed = ["fails"] if "fails" in truths else ["holds"]
        if any(p["edge"] for p in parts):
            allowed.append("inconclusive")
        st["verdict_allowed"] = allowed
        stages.append(st)
    overall = ["fails"] if any("fails" == s_["verdict_allowed"][0] for s_ in stages) else ["holds"]
    if any("inconclusive" in s_["verdict_allowed"] for s_ in stages):
        overall.append("inconclusive")
    exits = sorted({{"holds": 0, "fails": 1, "inconclusive": 3}[v] for v in overall})
    f_text = "abs(x - %s) + %s*x^2" % (c, q) if c != "0" else "abs(x) + %s*x^2" % q
    text = ("# %s — generated by tests/redteam/gen_adversary_families.py (do not edit by hand).\n"
            "# %s\n"
            'name = "%s"\ndim = 1\nf = "%s"\ndomain = [[%s, %s]]\n\n[smoothing]\n'
            'kernel = "gaussian"\n\n[schedule]\ndeltas = [%s]\n\n[check]\n'
            'definition = "new-sigma-nice"\nsigma = %s\ncentering = "both"\n') % (
        name, why, name, f_text, domain[0], domain[1], ", ".join(deltas), sigma_text)
    entry = {"name": name, "file": "families/%s.toml" % name, "dim": 1, "kernel": "gaussian",
             "definition": "new-sigma-nice", "sigma": sigma_text, "classes": ["cubature"],
             "covers": ["cubature", "abs kink off the minimizer", "σ at λ_min"], "why": why,
             "args": [], "refusal_ok": None, "stages": stages, "overall_allowed": overall,
             "exit_allowed": exits}
    return entry, text


def refusal(name, f, why, deltas="0.1, 0.06", exits=(2,)):
    text = ("# %s — generated by tests/redteam/gen_adversary_families.py (do not edit by hand).\n"
            "# %s\n"
            'name = "%s"\ndim = 1\nf = "%s"\ndomain = [[-1, 1]]\n\n[smoothing]\n'
            'kernel = "gaussian"\n\n[schedule]\ndeltas = [%s]\n\n[check]\n'
            'definition = "new-sigma-nice"\nsigma = 1.0\ncentering = "both"\n') % (
        name, why, name, f, deltas)
    entry = {"name": name, "file": "families/%s.toml" % name, "dim": 1, "kernel": "gaussian",
             "definition": "new-sigma-nice", "sigma": "1.0", "classes": ["cubature"],
             "covers": ["cubature refusal"], "why": why, "args": [], "refusal_ok": why,
             "stages": [], "overall_allowed": [], "exit_allowed": list(exits)}
    return entry, text


def main():
    cases = [
        refusal("adv-cub-growth-overflow", "1e-300*((2*x + 2)^64)^9",
                "the growth bound's coefficients (≈ 2^576·C(576, 288) ≈ 1e346) overflow "
                "binary64: refused (exit 2), not an internal error"),
        refusal("adv-cub-delta-underflow", "abs(x) + 0.1*x^2",
                "δ = 1e−400 is > 0 but δ·s rounds to 0 in binary64, where the cubature sums run: "
                "refused (exit 2), not an internal error", deltas="1e-400, 1e-401"),
        case("adv-cub-offkink-above", "0.3", "0.25", ["0.1", "0.06"], "-1e-6", True,
             ("-2", "2"), "|x − 0.3| + x²/4: σ = λ_min(δ_1)(1 − 1e−6): holds"),
        case("adv-cub-offkink-below", "0.3", "0.25", ["0.1", "0.06"], "1e-6", True,
             ("-2", "2"), "|x − 0.3| + x²/4: σ = λ_min(δ_1)(1 + 1e−6): fails at stage 1"),
        case("adv-cub-offkink-edge-below", "0.3", "0.25", ["0.1", "0.06"], "1e-12", True,
             ("-2", "2"), "σ = λ_min(δ_1)(1 + 1e−12): fails (edge: inconclusive allowed)"),
        case("adv-cub-tiny-delta-below", "0", "0.1", ["0.0001", "0.00006"], "1e-6", True,
             ("-1", "1"), "|x| + x²/10 at δ = 1e−4: σ = λ_min(1 + 1e−6): fails at stage 1"),
        case("adv-cub-tiny-delta-above", "0", "0.1", ["0.0001", "0.00006"], "-1e-6", True,
             ("-1", "1"), "|x| + x²/10 at δ = 1e−4: σ = λ_min(1 − 1e−6): holds"),
        case("adv-cub-large-delta-below", "1", "0.01", ["3", "2"], "1e-6", True,
             ("-60", "60"), "|x − 1| + x²/100 at δ = 3: σ = λ_min(1 + 1e−6): fails at stage 1"),
    ]
    path = os.path.join(HERE, "ground_truth.json")
    with open(path) as fh:
        truth = json.load(fh)
    names = {c["name"] for c, _ in cases}
    truth["cases"] = [c for c in truth["cases"] if c["name"] not in names] + [c for c, _ in cases]
    for entry, text in cases:
        with open(os.path.join(HERE, entry["file"]), "w") as fh:
            fh.write(text)
    with open(path, "w") as fh:
        json.dump(truth, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
