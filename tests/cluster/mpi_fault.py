#!/usr/bin/python3
"""A rank that dies ends the whole MPI run with a non-zero exit and leaves a resumable checkpoint
(docs/cluster.md, "Faults").

usage: mpi_fault.py GRADCERT WORKDIR

Starts `mpirun -np 2 gradcert train` on a small sharded configuration, waits for the first
checkpoint, kills rank 1 with SIGKILL, and requires: mpirun exits non-zero within 60 s and no
rank survives; `mpirun -np 4 gradcert train --resume` then finishes the run, and its epochs.csv
(timing columns aside) and final weights equal those of an uninterrupted plain run.
Exit 77 (skip) when mpirun is not installed.
"""
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mpi_bits import epochs, mpi_env, train, weights_hash  # noqa: E402

CONFIG = """[data]
dataset = "synthetic"
synthetic_shape = [1, 28, 28]
synthetic_train = 1536
synthetic_test = 64
[model]
name = "cnn-small"
[optim]
lr = 0.05
batch = 32
[run]
epochs = 5
seed = 5
threads = 1
shard = 16
[probe]
every_steps = 0
at_epoch_end = false
"""


def rank_pids(parent):
    """Pids of the processes whose parent is `parent`, by their OMPI_COMM_WORLD_RANK."""
    ranks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid != parent:
                continue
            with open(f"/proc/{entry}/environ", "rb") as f:
                env = dict(kv.split(b"=", 1) for kv in f.read().split(b"\0") if b"=" in kv)
            if b"OMPI_COMM_WORLD_RANK" in env:
                ranks[int(env[b"OMPI_COMM_WORLD_RANK"])] = int(entry)
        except (OSError, ValueError, IndexError):
            continue
    return ranks


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    gradcert, work = sys.argv[1:3]
    if shutil.which("mpirun") is None:
        print("mpi_fault: mpirun is not installed (Debian: openmpi-bin); skipped")
        sys.exit(77)
    work = os.path.join(work, "fault")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    config = os.path.join(work, "config.toml")
    with open(config, "w") as f:
        f.write(CONFIG)
    run = os.path.join(work, "killed")
    job = subprocess.Popen(["mpirun", "-np", "2", gradcert, "train", config, "--out", run,
                            "--quiet"], env=mpi_env(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while not os.path.exists(os.path.join(run, "checkpoint.bin")):
        if job.poll() is not None or time.time() > deadline:
            job.kill()
            sys.exit(f"mpi_fault: no checkpoint appeared (mpirun status {job.poll()})")
        time.sleep(0.02)
    ranks = rank_pids(job.pid)
    if 1 not in ranks:
        job.kill()
        sys.exit(f"mpi_fault: rank 1 not found among mpirun's children {ranks}")
    os.kill(ranks[1], signal.SIGKILL)
    try:
        _, err = job.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        job.kill()
        sys.exit("mpi_fault: mpirun still running 60 s after rank 1 was killed (hang)")
    if job.returncode == 0:
        sys.exit("mpi_fault: mpirun exited 0 although rank 1 was killed")
    survivors = [pid for pid in ranks.values() if alive(pid)]
    if survivors:
        sys.exit(f"mpi_fault: ranks still alive after mpirun ended: {survivors}")
    done = len(epochs(run))
    if done >= 5:
        sys.exit("mpi_fault: the run finished before rank 1 was killed; make it longer")
    print(f"killed rank 1 after {done} epoch(s); mpirun exited {job.returncode}")
    resumed = subprocess.run(["mpirun", "-np", "4", gradcert, "train", config, "--out", run,
                              "--resume", "--quiet"], env=mpi_env(), capture_output=True,
                             text=True, timeout=600)
    if resumed.returncode != 0:
        sys.exit(f"mpi_fault: resume exited {resumed.returncode}: {resumed.stderr.strip()}")
    plain = os.path.join(work, "plain")
    train(gradcert, config, plain, 0)
    if epochs(run) != epochs(plain):
        sys.exit("mpi_fault: the resumed run's epochs.csv differs from the uninterrupted run")
    if weights_hash(run) != weights_hash(plain):
        sys.exit("mpi_fault: the resumed run's weights differ from the uninterrupted run")
    print(f"resumed on 4 ranks: epochs.csv and weights {weights_hash(run)} equal the plain run")


if __name__ == "__main__":
    main()
