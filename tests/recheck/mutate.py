#!/usr/bin/python3
"""Mutation test of `gradcert recheck` on any certificate (docs/certificate.md).

    mutate.py CERT.json N [--gradcert build/gradcert] [--seed 1] [--family FILE]

Applies N random single tamperings to the certificate, runs the checker on each and counts
  rejected          exit status ≠ 0;
  accepted-safe     exit 0 after a change that leaves every stated claim true by construction:
                    a bound moved in the safe direction (a `bound` leaf or certified_lower
                    lowered, a witness `upper` raised, a cluster box enlarged) or a neutral edit
                    (a split point or an upper-bound point moved inside its range, a number
                    changed by a few ulps where the claim may still hold, a `same_as` retargeted
                    to another earlier coordinate, sound when the pieces agree); the checker
                    decides;
  accepted-unsafe   exit 0 after a change that makes a stated claim false: a `bound` leaf raised
                    by 10⁴(1 + |b|), certified_lower raised above a leaf, a witness `upper` lowered
                    by 10⁴(1 + |u|), a witness point moved 10³ away, a split point or an
                    upper-bound point moved outside its range, a cluster box moved off its keep
                    leaves, a node deleted, a verdict or claim flipped (holds ↔ fails), a
                    `same_as` naming its own or a later coordinate.
Prints one line per accepted-unsafe mutation and a summary; exits 1 if any was accepted (must
be 0), 2 on a usage error. The unmodified certificate must be confirmed first.
"""
import argparse
import copy
import json
import os
import random
import subprocess
import sys
import tempfile

FLIP = {"holds": "fails", "fails": "holds", "inconclusive": "holds"}


def to_float(h):
    return float.fromhex(h) if h not in ("inf", "-inf") else float(h)


def hexf(x):
    return float(x).hex()


def sites(cert):
    """(kind, path, context) for every place a mutation can apply."""
    out = []

    def walk(j, path, ctx):
        if isinstance(j, dict):
            for k, v in j.items():
                p = path + [k]
                if k == "bound" and isinstance(v, str):
                    out.append(("bound", p, ctx))
                elif k == "certified_lower":
                    out.append(("certified", p, ctx))
                elif k == "upper" and "witness" in path:
                    out.append(("witness_upper", p, ctx))
                elif k == "point" and "witness" in path:
                    out.append(("witness_point", p, ctx))
                elif k == "split":
                    out.append(("split", p, ctx))
                elif k == "points":
                    out.append(("points", p, ctx))
                elif k == "same_as":
                    out.append(("same_as", p, ctx))
                elif k == "box" and "clusters" in path:
                    out.append(("cluster", p, ctx))
                elif k in ("claim", "convexity", "verdict", "overall", "gamma") and isinstance(v, str):
                    out.append(("verdict", p, ctx))
                if k in ("tree", "children", "child"):
                    out.append(("node", p, ctx))
                walk(v, p, ctx if k != "curvature" else "curvature")
        elif isinstance(j, list):
            for i, v in enumerate(j):
                if isinstance(v, dict) and ("split" in v or "prune" in v or "keep" in v or "bound" in v
                                            or "far" in v or "reduce" in v):
                    out.append(("node", path + [i], ctx))
                walk(v, path + [i], ctx)

    walk(cert, [], "minimizers")
    return out


def get(j, path):
    for k in path:
        j = j[k]
    return j


def put(j, path, value):
    get(j, path[:-1])[path[-1]] = value


def bound_leaves(cert):
    return [to_float(get(cert, p)) for kind, p, _ in sites(cert) if kind == "bound"]


def mutate(cert, rng):
    """Returns (mutated certificate, description, safe?)."""
    c = copy.deepcopy(cert)
    kind, path, _ = rng.choice(sites(c))
    v = get(c, path)
    where = "/".join(str(k) for k in path)
    if kind == "bound":
        b = to_float(v)
        if rng.random() < 0.5:
            put(c, path, hexf(b + 1e4 * (1 + abs(b))))
            return c, f"raise bound at {where}", False
        put(c, path, hexf(b - rng.uniform(0, 1) * (1 + abs(b))))
        return c, f"lower bound at {where}", True
    if kind == "certified":
        b = to_float(v)
        leaves = [x for x in bound_leaves(get(c, path[:-1]))]
        if leaves and rng.random() < 0.5:
            put(c, path, hexf(max(leaves) + 1))
            return c, f"raise certified_lower above every leaf at {where}", False
        put(c, path, hexf(b - rng.uniform(0, 1) * (1 + abs(b))))
        return c, f"lower certified_lower at {where}", True
    if kind == "witness_upper":
        u = to_float(v)
        if rng.random() < 0.5:
            put(c, path, hexf(u - 1e4 * (1 + abs(u))))
            return c, f"lower witness upper at {where}", False
        put(c, path, hexf(u + rng.uniform(0, 0.1) * (1 + abs(u))))
        return c, f"raise witness upper at {where}", True
    if kind == "witness_point":
        i = rng.randrange(len(v))
        v[i] = hexf(to_float(v[i]) + 1e3 * (1 + abs(to_float(v[i]))))
        return c, f"move witness point far at {where}", False
    if kind == "split":
        s = to_float(v[1])
        if rng.random() < 0.5:
            v[1] = hexf(s + 1e6 * (1 + abs(s)))
            return c, f"split point outside the node at {where}", False
        v[1] = hexf(s * (1 + rng.uniform(-1e-6, 1e-6)))
        return c, f"split point moved slightly at {where}", True
    if kind == "points":
        if not v:
            return c, "no-op", True
        p = rng.choice(v)
        i = rng.randrange(len(p))
        if rng.random() < 0.5:
            p[i] = hexf(to_float(p[i]) + 1e6 * (1 + abs(to_float(p[i]))))
            return c, f"upper-bound point outside the domain at {where}", False
        p[i] = hexf(to_float(p[i]) * (1 + rng.uniform(-1e-9, 1e-9)))
        return c, f"upper-bound point moved slightly at {where}", True
    if kind == "cluster":
        i = rng.randrange(len(v))
        lo, hi = to_float(v[i][0]), to_float(v[i][1])
        if rng.random() < 0.5:
            shift = (hi - lo) + 1 + abs(hi)
            v[i] = [hexf(lo + shift), hexf(hi + shift)]
            return c, f"cluster box moved off its keep leaves at {where}", False
        v[i] = [hexf(lo - rng.uniform(0, 1e-3)), hexf(hi + rng.uniform(0, 1e-3))]
        return c, f"cluster box enlarged at {where}", True
    if kind == "same_as":
        i = path[-2]  # {"same_as": j} is coordinate i's entry
        if rng.random() < 0.5 or i == 1:
            put(c, path, i + rng.randrange(0, 2))
            return c, f"same_as naming itself or a later coordinate at {where}", False
        put(c, path, rng.randrange(0, i))
        return c, f"same_as retargeted to another earlier coordinate at {where}", True
    if kind == "verdict":
        put(c, path, FLIP[v])
        return c, f"flip {v} → {FLIP[v]} at {where}", False
    if kind == "node":
        parent = get(c, path[:-1])
        if isinstance(parent, list) and len(parent) == 2 and rng.random() < 0.5:
            del parent[path[-1]]
            return c, f"delete a child at {where}", False
        put(c, path, {})
        return c, f"empty node at {where}", False
    raise AssertionError(kind)


def run(gradcert, cert, family):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cert, f)
        name = f.name
    try:
        cmd = [gradcert, "recheck", name] + (["--family", family] if family else [])
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600).returncode
    finally:
        os.unlink(name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("certificate")
    ap.add_argument("n", type=int)
    ap.add_argument("--gradcert", default="build/gradcert")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--family")
    a = ap.parse_args()
    try:
        with open(a.certificate) as f:
            cert = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{a.certificate}: {e}", file=sys.stderr)
        return 2
    base = run(a.gradcert, cert, a.family)
    if base != 0:
        print(f"{a.certificate}: the unmodified certificate is not confirmed (exit {base})", file=sys.stderr)
        return 2
    rng = random.Random(a.seed)
    counts = {"rejected": 0, "accepted-safe": 0, "accepted-unsafe": 0}
    for _ in range(a.n):
        mutated, what, safe = mutate(cert, rng)
        code = run(a.gradcert, mutated, a.family)
        key = "rejected" if code != 0 else "accepted-safe" if safe else "accepted-unsafe"
        counts[key] += 1
        if key == "accepted-unsafe":
            print(f"ACCEPTED UNSAFE: {what}")
    print(f"{a.certificate}: {a.n} mutations: {counts['rejected']} rejected, "
          f"{counts['accepted-safe']} accepted (safe direction or neutral), "
          f"{counts['accepted-unsafe']} accepted otherwise")
    return 1 if counts["accepted-unsafe"] else 0


if __name__ == "__main__":
    sys.exit(main())
