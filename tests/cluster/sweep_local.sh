#!/bin/bash
# gradcert report --plan / task / --collect without Slurm (docs/cluster.md, "Sweeps"): stable ids,
# collect refusing (exit 2, nothing written) while tasks are missing or failed, task idempotence,
# bad indices, and a failed task named with its id and log.
# usage: sweep_local.sh GRADCERT WORKDIR
set -u
G=$1
W=$2
rm -rf "$W"
mkdir -p "$W"
fail() { echo "sweep_local: FAIL: $*"; exit 1; }

"$G" report --quick --plan "$W/a" > /dev/null || fail "plan a"
"$G" report --quick --plan "$W/b" > /dev/null || fail "plan b"
ids() { python3 -c "import json,sys; print(' '.join(t['id'] for t in json.load(open(sys.argv[1]))['tasks']))" "$1"; }
[ "$(ids "$W/a/tasks.json")" = "$(ids "$W/b/tasks.json")" ] || fail "ids differ between plans"
grep -q -- "--array=0-12%4" "$W/a/sweep.sbatch" || fail "array line: $(grep array "$W/a/sweep.sbatch")"
grep -q -- "--dependency=afterok" "$W/a/submit.sh" || fail "no afterok dependency in submit.sh"
"$G" report --full --plan "$W/a" > /dev/null 2>&1 && fail "--plan over a different plan accepted"

out=$("$G" report --collect "$W/a" --out "$W/out" 2>&1)
[ $? = 2 ] || fail "collect with no task done: exit not 2"
[ -e "$W/out" ] && fail "collect wrote $W/out although tasks are missing"
echo "$out" | grep -q "task 8 (constants constants, id [0-9a-f]\{16\}) missing.*log .*task-8.log" ||
    fail "collect does not name task 8: $out"

"$G" task "$W/a" --index 8 > /dev/null || fail "task 8"
[ -f "$W/a/tasks/$(ids "$W/a/tasks.json" | cut -d' ' -f9)/constants/constants.json" ] ||
    fail "task 8 output missing"
"$G" task "$W/a" --index 8 | grep -q "already done" || fail "task 8 rerun"
"$G" task "$W/a" --index 13 > /dev/null 2>&1
[ $? = 2 ] || fail "index 13 of 13 tasks: exit not 2"
env -u SLURM_ARRAY_TASK_ID "$G" task "$W/a" > /dev/null 2>&1
[ $? = 2 ] || fail "no index and no SLURM_ARRAY_TASK_ID: exit not 2"
SLURM_ARRAY_TASK_ID=8 "$G" task "$W/a" | grep -q "already done" || fail "SLURM_ARRAY_TASK_ID"

# A task that fails (its family file made unreadable after planning) is reported by collect.
cp -r "$W/a" "$W/c"
python3 - "$W/c/tasks.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["source"] = "/nonexistent-source"
json.dump(p, open(sys.argv[1], "w"))
PY
"$G" task "$W/c" --index 0 > "$W/c/logs/task-0.log" 2>&1 && fail "task with missing source succeeded"
out=$("$G" report --collect "$W/c" 2>&1)
[ $? = 2 ] || fail "collect with a failed task: exit not 2"
echo "$out" | grep -q "task 0 (family quadratic-2d, id [0-9a-f]*) failed: .*log .*task-0.log" ||
    fail "collect does not name the failed task: $out"
echo "sweep_local: PASS"
