#!/usr/bin/env python3
"""Exits 0 when two report trees written by `gradcert report` (or `report --collect`) are the same
report but for timing: the same files; JSON equal once every key naming a time ("seconds",
"wall") is dropped; Markdown equal once timing is masked (a number followed by " s", and the cells
of a table column headed "seconds" or "<what> s"); every other file (SVG figures) byte for byte. Used by
tests/cluster/sweep_local.sh to pin docs/cluster.md's "one code path": the estimates must be the
same bits, not merely within the bands `gradcert compare-reports` allows.

usage: same_report.py A B
"""
import json
import os
import re
import sys

TIMING_KEY = re.compile(r"seconds|wall")
SECONDS = re.compile(r"\d+(\.\d+)? s\b")


def files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _, names in os.walk(root) for f in names)


def strip_timing(x):
    if isinstance(x, dict):
        return {k: strip_timing(v) for k, v in x.items() if not TIMING_KEY.search(k)}
    if isinstance(x, list):
        return [strip_timing(v) for v in x]
    return x


def masked_markdown(text):
    out, timing_columns = [], set()
    for line in text.splitlines():
        if line.startswith("|"):
            cells = line.split("|")
            if not timing_columns and not set(line) <= set("|-: "):
                heads = [c.strip() for c in cells]
                timing_columns = {i for i, h in enumerate(heads)
                                  if h == "seconds" or h.endswith(" s")}
                if not timing_columns:
                    timing_columns = {-1}  # a table without a timing column
            cells = ["T" if i in timing_columns else c for i, c in enumerate(cells)]
            line = "|".join(cells)
        else:
            timing_columns = set()
        out.append(SECONDS.sub("T s", line))
    return "\n".join(out)


def main(a, b):
    fa, fb = files(a), files(b)
    if fa != fb:
        print("same_report: files on one side only:", sorted(set(fa) ^ set(fb)))
        return 1
    differ = []
    for f in fa:
        pa, pb = os.path.join(a, f), os.path.join(b, f)
        if f.endswith(".json"):
            with open(pa) as x, open(pb) as y:
                same = strip_timing(json.load(x)) == strip_timing(json.load(y))
        elif f.endswith(".md"):
            with open(pa) as x, open(pb) as y:
                same = masked_markdown(x.read()) == masked_markdown(y.read())
        else:
            with open(pa, "rb") as x, open(pb, "rb") as y:
                same = x.read() == y.read()
        if not same:
            differ.append(f)
    for f in differ:
        print(f"same_report: {f} differs between {a} and {b}")
    if not fa:
        print(f"same_report: {a} holds no files")
        return 1
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
