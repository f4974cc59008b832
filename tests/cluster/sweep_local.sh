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
# The plan's size and the constants task's index follow verify/report.toml's quick lists.
N=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['tasks']))" "$W/a/tasks.json")
C=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['tasks']; print([x['kind'] for x in t].index('constants'))" "$W/a/tasks.json")
[ "$N" -ge 4 ] || fail "only $N tasks in the quick plan"
grep -q -- "--array=0-$((N - 1))%4" "$W/a/sweep.sbatch" || fail "array line: $(grep array "$W/a/sweep.sbatch")"
grep -q -- "--dependency=afterok" "$W/a/submit.sh" || fail "no afterok dependency in submit.sh"
"$G" report --full --plan "$W/a" > /dev/null 2>&1 && fail "--plan over a different plan accepted"

out=$("$G" report --collect "$W/a" --out "$W/out" 2>&1)
[ $? = 2 ] || fail "collect with no task done: exit not 2"
[ -e "$W/out" ] && fail "collect wrote $W/out although tasks are missing"
echo "$out" | grep -q "task $C (constants constants, id [0-9a-f]\{16\}) missing.*log .*task-$C.log" ||
    fail "collect does not name task $C: $out"

"$G" task "$W/a" --index $C > /dev/null || fail "task $C"
[ -f "$W/a/tasks/$(ids "$W/a/tasks.json" | cut -d' ' -f$((C + 1)))/constants/constants.json" ] ||
    fail "task $C output missing"
"$G" task "$W/a" --index $C | grep -q "already done" || fail "task $C rerun"
"$G" task "$W/a" --index $N > /dev/null 2>&1
[ $? = 2 ] || fail "index $N of $N tasks: exit not 2"
env -u SLURM_ARRAY_TASK_ID "$G" task "$W/a" > /dev/null 2>&1
[ $? = 2 ] || fail "no index and no SLURM_ARRAY_TASK_ID: exit not 2"
SLURM_ARRAY_TASK_ID=$C "$G" task "$W/a" | grep -q "already done" || fail "SLURM_ARRAY_TASK_ID"

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
