#!/usr/bin/env python3
"""Re-checks every committed verdict certificate (docs/certificate.md) with `gradcert recheck`.

Usage: recheck_committed.py SOURCE_DIR --gradcert BIN

Globs SOURCE_DIR/reports/full/families/*.cert.json and SOURCE_DIR/reports/quick/families/*.cert.json
at test time (written by `gradcert report`) and runs
`gradcert recheck CERT --family SOURCE_DIR/verify/families/<name>.toml` on each. Expected exit:
0 (every claim confirmed), or 3 exactly when the certificate says recheck.supported = false
(a term class the checker does not cover). Fails when no certificate is found, when a
certificate has no family file, or on any other exit status.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source_dir")
    ap.add_argument("--gradcert", required=True)
    ap.add_argument("--timeout", type=float, default=100.0, help="seconds per certificate")
    args = ap.parse_args()
    certs = sorted(
        glob.glob(os.path.join(args.source_dir, "reports", "full", "families", "*.cert.json"))
        + glob.glob(os.path.join(args.source_dir, "reports", "quick", "families", "*.cert.json")))
    if not certs:
        print("FAIL: no committed certificate (reports/{full,quick}/families/*.cert.json) found")
        return 1
    failures = 0
    for cert in certs:
        name = os.path.basename(cert)[: -len(".cert.json")]
        family = os.path.join(args.source_dir, "verify", "families", name + ".toml")
        rel = os.path.relpath(cert, args.source_dir)
        if not os.path.exists(family):
            print(f"FAIL {rel}: no family file verify/families/{name}.toml")
            failures += 1
            continue
        try:
            with open(cert) as f:
                supported = json.load(f)["recheck"]["supported"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"FAIL {rel}: cannot read recheck.supported ({e})")
            failures += 1
            continue
        expected = 0 if supported else 3
        start = time.time()
        try:
            run = subprocess.run([args.gradcert, "recheck", cert, "--family", family],
                                 capture_output=True, text=True, timeout=args.timeout)
            rc, last = run.returncode, (run.stdout.strip().splitlines() or [""])[-1]
        except subprocess.TimeoutExpired:
            rc, last = "timeout", f"not finished within {args.timeout:g} s"
        ok = rc == expected
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {rel}: exit {rc} (expected {expected}), "
              f"{time.time() - start:.1f} s: {last[:300]}")
    print(f"{len(certs) - failures} of {len(certs)} certificates re-checked as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
