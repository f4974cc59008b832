#!/usr/bin/env python3
"""Every C++ source file of the tree is named in a CMakeLists.txt (the build lists its sources
by hand, never by glob: docs/architecture.md, "Build"). A .cpp that no CMakeLists.txt names
would silently not be built, or a test silently not run; this check fails instead.

Usage: sources_listed.py SOURCE_DIR. Exit 0 when every file is listed, 1 otherwise (each
missing file on its own line), 2 on a bad argument.
"""
import os
import re
import sys

SKIP_DIRS = {".git", "python", "node_modules"}


def cmake_texts(root):
    """(directory, text) of every CMakeLists.txt below root, build folders skipped."""
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS and not x.startswith("build")]
        if "CMakeLists.txt" in files:
            with open(os.path.join(d, "CMakeLists.txt"), encoding="utf-8") as f:
                yield d, f.read()


def listed(path, cmakes):
    """A file is listed when some CMakeLists.txt at or above it names its path relative to
    that CMakeLists.txt's folder (or relative to the project root as ${ROOT}/…)."""
    for d, text in cmakes:
        rel = os.path.relpath(path, d)
        if rel.startswith(".."):
            continue
        if re.search(r"(^|[\s/}\"(])" + re.escape(rel) + r"($|[\s)\"])", text, re.M):
            return True
    return False


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: sources_listed.py SOURCE_DIR", file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    cmakes = list(cmake_texts(root))
    globbing = [os.path.relpath(os.path.join(d, "CMakeLists.txt"), root)
                for d, t in cmakes if re.search(r"file\s*\(\s*GLOB", t)]
    missing = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS and not x.startswith("build")]
        for f in files:
            if f.endswith(".cpp"):
                p = os.path.join(d, f)
                if not listed(p, cmakes):
                    missing.append(os.path.relpath(p, root))
    for g in globbing:
        print(f"{g}: uses file(GLOB…); list the sources by hand")
    for m in sorted(missing):
        print(f"{m}: not named in any CMakeLists.txt (it would not be built)")
    return 1 if missing or globbing else 0


if __name__ == "__main__":
    sys.exit(main())
