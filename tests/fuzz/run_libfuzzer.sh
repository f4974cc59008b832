#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (tests/fuzz/libfuzzer) and runs each from the committed
# seed corpus for a fixed budget. Exit 0: no crash, leak, timeout or contract violation;
# 77: clang++ or libFuzzer is missing (CTest reports the test as skipped); else a finding, whose
# input is saved as <build>/artifacts/<target>-crash-… (replay it with fuzz_<target>_replay).
# Usage: run_libfuzzer.sh [--build DIR] [--runs N] [--max-time SECONDS] [--jobs J]
# The longer run of docs/fuzzing.md: run_libfuzzer.sh --runs 1000000 --max-time 3600
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$here/../../build/fuzz"
runs=20000
max_time=60
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --max-time) max_time="$2"; shift 2 ;;
    *) echo "run_libfuzzer.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# clang 16 or later: clang 14 rejects interval.hpp's constrained destructors (P0848).
cxx="$(command -v clang++-16 || command -v clang++-17 || true)"
cc="$(command -v clang-16 || command -v clang-17 || true)"
if [ -z "$cxx" ] || [ -z "$cc" ]; then
  echo "run_libfuzzer.sh: clang++-16 not found (Debian packages clang-16, libclang-rt-16-dev): skipped" >&2
  exit 77
fi
if ! ls "$("$cc" -print-resource-dir)"/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "run_libfuzzer.sh: libFuzzer (libclang_rt.fuzzer) not found: skipped" >&2
  exit 77
fi

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$here/libfuzzer" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_C_COMPILER="$cc" "${launcher[@]}" >/dev/null
if ! nice ninja -C "$build" -j2 fuzz_expr fuzz_family >"$build/build.log" 2>&1; then
  echo "run_libfuzzer.sh: building the fuzz targets failed (log: $build/build.log):" >&2
  grep -E "error|undefined reference" "$build/build.log" | head -20 >&2
  exit 1
fi

mkdir -p "$build/artifacts"
status=0
for target in expr family; do
  work="$build/corpus/$target"
  mkdir -p "$work"
  echo "== fuzz_$target: up to $runs inputs or $max_time s"
  # Leaks are checked (detect_leaks=1); a single input may take at most 30 s and 2 GB.
  if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$build/fuzz_$target" -runs="$runs" -max_total_time="$max_time" -timeout=30 \
      -rss_limit_mb=2048 -max_len=2048 -print_final_stats=1 \
      -dict="$here/$target.dict" -artifact_prefix="$build/artifacts/$target-" \
      "$work" "$here/corpus/$target" 2>"$build/fuzz_$target.log"; then
    status=1
    echo "fuzz_$target: FINDING (log: $build/fuzz_$target.log)"
    grep -E "ERROR|==ERROR|SUMMARY|Test unit written|contract violated" \
      "$build/fuzz_$target.log" | head -20 || true
  fi
  grep -E "^#[0-9]+.*(DONE|pulse|NEW)|stat::number_of_executed_units|cov:" \
    "$build/fuzz_$target.log" | tail -2
done
exit $status
