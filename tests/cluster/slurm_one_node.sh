#!/bin/bash
# A real one-node Slurm on localhost runs the quick report's sweep plan as a job array and its
# collection step (docs/cluster.md, "CI"): writes a minimal slurm.conf, starts munged, slurmctld
# and slurmd (stopped again on any exit), submits the plan (≥ 4 array tasks) with submit.sh, polls
# squeue with a time limit, and compares the collected report with `gradcert report --quick` run
# locally (compare-reports: certified results identical, estimates within their bands).
#
# usage: slurm_one_node.sh GRADCERT WORKDIR [TIMEOUT_SECONDS]
# Exit 0 pass, 1 fail, 77 skip (Slurm or munge not installed, or not root).
set -u
GRADCERT=$1
WORK=$2
LIMIT=${3:-1800}

for tool in munged slurmctld slurmd sbatch squeue sinfo; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "slurm_one_node: $tool is not installed (Debian: slurm-wlm, munge); skipped"
        exit 77
    fi
done
if [ "$(id -u)" != 0 ] || ! id munge >/dev/null 2>&1; then
    echo "slurm_one_node: needs root and the munge user to start the daemons; skipped"
    exit 77
fi

rm -rf "$WORK"
mkdir -p "$WORK"/{state,spool,log,munge}
chown munge:munge "$WORK/munge"
chmod 711 "$WORK/munge"
export SLURM_CONF="$WORK/slurm.conf"
PORT=$((20000 + $$ % 20000))
MUNGE_SOCKET="$WORK/munge/munge.socket"

stop_daemons() {
    for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munge/munged.pid"; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    sleep 1
}
trap stop_daemons EXIT

# The node line from what slurmd sees (a CPU count or memory above the machine's → "inval").
NODE=$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]*//; s/ RealMemory=[0-9]*//')
cat > "$SLURM_CONF" <<CONF
ClusterName=gradcertci
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MailProg=/bin/true
MpiDefault=pmix
ReturnToService=2
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
NodeName=localhost NodeAddr=127.0.0.1 $NODE State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

fail() {
    echo "slurm_one_node: FAIL: $*"
    for f in "$WORK"/log/*.log "$WORK"/plan/logs/*.log; do
        [ -f "$f" ] && { echo "--- $f (last lines)"; tail -5 "$f"; }
    done
    exit 1
}

T0=$(date +%s)
runuser -u munge -- munged --socket="$MUNGE_SOCKET" --pid-file="$WORK/munge/munged.pid" \
    --log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/munged.seed" ||
    fail "munged did not start"
timeout 20 slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
timeout 20 slurmd -f "$SLURM_CONF" -N localhost || fail "slurmd did not start"
for _ in $(seq 1 100); do
    [ "$(timeout 5 sinfo -h -o %t 2>/dev/null)" = idle ] && break
    sleep 0.2
done
[ "$(timeout 5 sinfo -h -o %t)" = idle ] || fail "the node is not idle: $(sinfo -h -o '%t %E')"
echo "slurm_one_node: daemons up in $(($(date +%s) - T0)) s"

"$GRADCERT" report --quick --plan "$WORK/plan" --max-parallel 2 --cpus-per-task 1 \
    --time-limit 00:30:00 || fail "report --plan"
TASKS=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['tasks']))" \
    "$WORK/plan/tasks.json")
[ "$TASKS" -ge 4 ] || fail "the quick plan has only $TASKS tasks"
T1=$(date +%s)
IDS=$(timeout 30 "$WORK/plan/submit.sh") || fail "submit.sh"
echo "slurm_one_node: submitted $TASKS array tasks and the collection step: jobs $IDS"
while [ -n "$(timeout 10 squeue -h -o %i)" ]; do
    [ $(($(date +%s) - T1)) -gt "$LIMIT" ] && fail "jobs still queued after $LIMIT s: $(squeue)"
    sleep 1
done
SWEEP=$(($(date +%s) - T1))
[ -f "$WORK/plan/report/README.md" ] || fail "the collection step wrote no report"
echo "slurm_one_node: $TASKS tasks + collect finished in $SWEEP s under Slurm"

T2=$(date +%s)
"$GRADCERT" report --quick --out "$WORK/local" > "$WORK/local.log" 2>&1 || fail "local report"
echo "slurm_one_node: local gradcert report --quick took $(($(date +%s) - T2)) s"
"$GRADCERT" compare-reports "$WORK/plan/report" "$WORK/local" ||
    fail "the collected report differs from the local one"
echo "slurm_one_node: PASS"
