#!/bin/bash
# gradcert report --plan / task / --collect without Slurm (docs/cluster.md, "Sweeps"): stable ids,
# collect refusing (exit 2, nothing written) while tasks are missing or failed, task idempotence,
# bad indices, and a failed task named with its id and log. Then the one code path: on a reduced
# plan, `gradcert report --jobs 1`, `report --jobs 2` and plan + `task --all` + `--collect` write
# the same report, and report refuses bad input with exit 2 before writing its output.
# usage: sweep_local.sh GRADCERT WORKDIR
set -u
G=$1
W=$2
SRC=$(cd "$(dirname "$0")/../.." && pwd)
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

# --- One code path (docs/cluster.md, "One code path") on a reduced plan (seconds):
# tests/cluster/data/one-path holds three families, the constants and a scaled-down explicit_go;
# plus a scaled-down noise_scaling (an SGD experiment, so the engine's tasks take the same path).
R=$W/reduced
mkdir -p "$R/verify"
cp -r "$SRC/tests/cluster/data/one-path/report.toml" "$SRC/tests/cluster/data/one-path/experiments" \
    "$R/verify/"
ln -s "$SRC/verify/families" "$R/verify/families"
cp "$SRC/tests/cluster/data/one-path/noise_scaling.toml" "$R/verify/experiments/"
sed -i 's/^experiments = \["explicit_go"\]/experiments = ["explicit_go", "noise_scaling"]/' \
    "$R/verify/report.toml"
NR=6
t0=$(date +%s)
"$G" report --quick --source "$R" --out "$W/r1" > "$W/r1.log" 2>&1 || fail "report --jobs 1: $(tail -3 "$W/r1.log")"
t1=$(date +%s)
"$G" report --quick --source "$R" --out "$W/r2" --jobs 2 > "$W/r2.log" 2>&1 || fail "report --jobs 2"
"$G" report --quick --source "$R" --plan "$W/p" > /dev/null || fail "plan of the reduced tree"
"$G" task "$W/p" --all --jobs 2 > "$W/p.log" 2>&1 || fail "task --all"
"$G" report --collect "$W/p" --out "$W/r3" > /dev/null || fail "collect of the reduced plan"
echo "sweep_local: reduced report ($NR tasks) $((t1 - t0)) s with --jobs 1"
for d in r1 r2; do
    [ -e "$W/$d/.work" ] && fail "$d: report left $d/.work"
    [ -e "$W/$d/.staging" ] && fail "$d: report left $d/.staging"
    grep -q "^gradcert task: \[$NR/$NR\] task [0-9] (.*) done" "$W/$d.log" || fail "$d: no progress lines"
    grep -q "^  \[4\]   starts reaching the certified global minimizer" "$W/$d.log" ||
        fail "$d: the experiment's output is not relayed"
    if [ $NR = 6 ]; then
        grep -q "^  \[5\] report: noise_scaling run " "$W/$d.log" ||
            fail "$d: the SGD experiment's progress is not relayed"
    fi
    grep -q "^report: wrote $W/$d/README.md" "$W/$d.log" || fail "$d: no final line"
done
/usr/bin/python3 "$SRC/tests/cluster/same_report.py" "$W/r1" "$W/r2" || fail "jobs 1 and 2 differ"
/usr/bin/python3 "$SRC/tests/cluster/same_report.py" "$W/r1" "$W/r3" ||
    fail "report and plan + task --all + collect differ"
"$G" compare-reports "$W/r3" "$W/r1" > /dev/null || fail "compare-reports r3 r1"

# Bad input: a malformed family file is refused before anything is written (exit 2, one line
# naming the file); a malformed experiment configuration, found by its task, also exits 2 and
# leaves no report (only OUT/.work, with the task's log).
B=$W/bad
mkdir -p "$B/verify/families"
cp "$R/verify/report.toml" "$B/verify/"
cp -r "$R/verify/experiments" "$B/verify/"
cp "$SRC/tests/cluster/data/one-path/noise_scaling.toml" "$B/verify/experiments/"
for f in quadratic-2d rastrigin-1d-gaussian; do cp "$SRC/verify/families/$f.toml" "$B/verify/families/"; done
printf 'name = "double-well-tilted"\ndim = \n' > "$B/verify/families/double-well-tilted.toml"
err=$("$G" report --quick --source "$B" --out "$W/bad-out" 2>&1 > /dev/null)
[ $? = 2 ] || fail "malformed family: exit not 2"
[ -e "$W/bad-out" ] && fail "malformed family: $W/bad-out written"
[ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q "double-well-tilted.toml" ||
    fail "malformed family: not one line naming the file: $err"
cp "$SRC/verify/families/double-well-tilted.toml" "$B/verify/families/"
printf '[quick\n' > "$B/verify/experiments/explicit_go.toml"
mkdir -p "$W/bad-out"
err=$("$G" report --quick --source "$B" --out "$W/bad-out" 2>&1 > /dev/null)
[ $? = 2 ] || fail "malformed experiment config: exit not 2"
[ -e "$W/bad-out/README.md" ] && fail "malformed experiment config: report written"
echo "$err" | tail -1 | grep -q "^gradcert: .*explicit_go.toml" ||
    fail "malformed experiment config: last line does not name the file: $err"
echo "sweep_local: PASS"
