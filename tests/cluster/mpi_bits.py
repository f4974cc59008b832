#!/usr/bin/python3
"""Data-parallel training gives the same bits for any number of MPI ranks (docs/cluster.md).

usage: mpi_bits.py GRADCERT WORKDIR MODEL [RANKS...]

Trains MODEL on a tiny synthetic configuration with [run] shard set, once as a plain process and
once under `mpirun -np R` for every R given (default 1 2 4), and requires, against the plain run:
the same epochs.csv (every column but the timing ones: train loss and accuracy, test loss and
accuracy, and the probes δ̂, Ĉ², gradient norm, λ_max, sharpness), the same steps.jsonl (but the
probes' "seconds") and the same final weights, batch-norm buffers and optimiser state (the
checkpoint's blobs, byte for byte). Prints one table row per R. Exit 0 when all agree, 1 otherwise,
77 (ctest's skip) when mpirun is not installed.
"""
import csv
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys

CONFIG = """[data]
dataset = "synthetic"
synthetic_shape = {shape}
synthetic_train = 96
synthetic_test = 32
[model]
name = "{model}"
[optim]
name = "shb"
lr = 0.05
batch = 20
momentum = 0.9
[run]
epochs = 2
seed = 3
threads = 1
shard = 8
[probe]
every_steps = 2
probe_size = 48
batches = 2
hessian_size = 16
power_iterations = 2
sharpness_size = 12
sharpness_steps = 1
adaptive_sharpness = true
test_size = 16
"""

TIMING_COLUMNS = {"train_s", "probe_s", "wall_s"}


def mpi_env():
    env = dict(os.environ)
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    return env


def epochs(run):
    with open(os.path.join(run, "epochs.csv")) as f:
        return [{k: v for k, v in row.items() if k not in TIMING_COLUMNS}
                for row in csv.DictReader(f)]


def strip_seconds(value):
    if isinstance(value, dict):
        return {k: strip_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [strip_seconds(v) for v in value]
    return value


def steps(run):
    with open(os.path.join(run, "steps.jsonl")) as f:
        return [strip_seconds(json.loads(line)) for line in f]


def weights_hash(run):
    """SHA-256 of the checkpoint's float blobs (format: numerics/engine/checkpoint.hpp)."""
    with open(os.path.join(run, "checkpoint.bin"), "rb") as f:
        data = f.read()
    assert data[:8] == b"GCCKPT1\n", run
    (length,) = struct.unpack("<Q", data[8:16])
    header = json.loads(data[16:16 + length])
    blobs = data[16 + length:-8]
    count = sum(b["count"] if isinstance(b, dict) else b[1] for b in header["blobs"])
    assert len(blobs) == 4 * count, (run, len(blobs), count)
    return hashlib.sha256(blobs).hexdigest()[:16]


def train(gradcert, config, out, ranks):
    command = [gradcert, "train", config, "--out", out, "--quiet"]
    if ranks:
        command = ["mpirun", "-np", str(ranks)] + command
    done = subprocess.run(command, env=mpi_env(), capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()}")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    gradcert, work, model = sys.argv[1:4]
    ranks = [int(r) for r in sys.argv[4:]] or [1, 2, 4]
    if shutil.which("mpirun") is None:
        print("mpi_bits: mpirun is not installed (Debian: openmpi-bin); skipped")
        sys.exit(77)
    work = os.path.join(work, model)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shape = "[1, 28, 28]" if model in ("mlp", "cnn-small") else "[3, 32, 32]"
    config = os.path.join(work, "config.toml")
    with open(config, "w") as f:
        f.write(CONFIG.format(model=model, shape=shape))
    plain = os.path.join(work, "plain")
    train(gradcert, config, plain, 0)
    reference = (epochs(plain), steps(plain), weights_hash(plain))
    failed = False
    print(f"| model | R | epochs.csv | steps.jsonl | weights sha256 (plain {reference[2]}) |")
    for r in ranks:
        run = os.path.join(work, f"ranks{r}")
        train(gradcert, config, run, r)
        got = (epochs(run), steps(run), weights_hash(run))
        same = [g == w for g, w in zip(got, reference)]
        failed |= not all(same)
        print(f"| {model} | {r} | {'same' if same[0] else 'DIFFERENT'} | "
              f"{'same' if same[1] else 'DIFFERENT'} | {got[2]} {'same' if same[2] else 'DIFFERENT'} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
