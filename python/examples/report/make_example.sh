#!/bin/sh
# Builds the committed example of `gradcert report --runs` (python/examples/report/README.md):
# Fashion-MNIST runs of python/examples/fmnist_probe.py (PyTorch, measured with gradcert_probe)
# in runs/, and the report built from them in report/.
#   schedules: arms constant, lr-sqrt2, batch-x2 x seeds 0, 1, 2; 2 epochs (a stage per epoch),
#              eta0 = 0.05, b0 = 64, noise probe only (pool 512, K = 8); the constant seed-0 run
#              also measures the noise at b = 8, 16, 32, 64 (the noise-scaling page);
#   sharpness grid: eta in {0.02, 0.1} x b in {16, 64, 256}, seed 0, 2 epochs, every probe after
#              the last epoch (pool 512, K = 8; Hessian on 256 examples, 10 power iterations;
#              sharpness on 256).
# All on the first 2000 training / 1000 test examples, 2 threads.
# Usage (from the source tree, after building):
#   python/examples/report/make_example.sh build/gradcert                 # train, then report
#   python/examples/report/make_example.sh build/gradcert --report-only   # report from runs/
# (--report-only after a change of the pages' code; ctest runs_report_example compares.)
set -eu
GRADCERT=$(realpath "${1:?usage: make_example.sh path/to/gradcert [--report-only]}")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PY=/usr/bin/python3
RUNS="$HERE/runs"
if [ "${2:-}" != --report-only ]; then
rm -rf "$RUNS"
mkdir -p "$RUNS"
common="--epochs 2 --train-subset 2000 --test-subset 1000 --threads 2 --no-step-log
        --probe probe_size=512 --probe batches=8"
noise_only="--probe hessian=false --probe sharpness=false --probe adaptive_sharpness=false
            --probe tail=false"
for arm in constant lr-sqrt2 batch-x2; do
  for seed in 0 1 2; do
    extra=""
    if [ "$arm" = constant ] && [ "$seed" = 0 ]; then extra="--probe noise_batch_sizes=8,16,32,64"; fi
    PYTHONPATH="$ROOT/python" $PY "$ROOT/python/examples/fmnist_probe.py" $common $noise_only $extra \
      --lr 0.05 --batch 64 --schedule "$arm" --seed "$seed" --out "$RUNS/$arm-seed$seed"
  done
done
for lr in 0.02 0.1; do
  for b in 16 64 256; do
    PYTHONPATH="$ROOT/python" $PY "$ROOT/python/examples/fmnist_probe.py" $common \
      --probe hessian_size=256 --probe power_iterations=10 --probe sharpness_size=256 \
      --probe trace=false --probe tail=false --probe-last-only \
      --lr "$lr" --batch "$b" --grid-point --seed 0 --out "$RUNS/grid-lr$lr-b$b"
  done
done
fi
cd "$HERE"
rm -rf report
# Relative run paths, sorted: ctest runs_report_example calls it the same way.
"$GRADCERT" report --runs $(ls -d runs/*/ | LC_ALL=C sort) --out report
