#!/usr/bin/python3
"""Side-by-side training throughput: the gradcert SGD engine against PyTorch (Debian 1.13).

Usage: tests/bench/sgd_vs_torch.py [--bench build-dir/bench/bench_sgd] [--models mlp,cnn-small,resnet8,resnet20]
                                   [--batches 32,128] [--threads 2] [--seconds 2] [--repeats 3]

Both sides run full training steps (forward, backward, plain SGD update, lr 0.01) on the same
models (PyTorch modules from tests/engine/torch_reference.py, which the cross-check test proves equal
to the engine's), random N(0, 1) 3×32×32 inputs and 10 classes, with the same thread count, after
two warm-up steps; each rate is the median of `repeats` timings of at least `seconds` seconds.
For each (model, batch) the engine and PyTorch are measured back to back, so both see the same
machine load; the machine is shared, so absolute numbers are noisy and only the ratio in one row
means much. Prints a Markdown table: img/s of each, ratio engine/PyTorch, and the engine's
GFLOP/s (multiply-add FLOPs of the convolutions and linear layers per second of wall time; the
PyTorch step does the same FLOPs, so its rate is the engine's times 1/ratio).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "engine"))


def torch_rate(model_name, batch, threads, seconds, repeats):
    import torch
    import torch.nn.functional as F
    import torch_reference

    torch.set_num_threads(threads)
    torch.manual_seed(1)
    spec = {"model": model_name, "channels": 3, "height": 32, "width": 32, "classes": 10}
    model = torch_reference.build(spec)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    images = torch.randn(batch, 3, 32, 32)
    labels = torch.arange(batch) % 10

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(images), labels).backward()
        optimizer.step()

    step()
    step()
    rates = []
    for _ in range(repeats):
        steps, start = 0, time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if steps >= 3 and elapsed >= seconds:
                break
        rates.append(steps * batch / elapsed)
    return statistics.median(rates)


def engine_rate(bench, model_name, batch, threads, seconds, repeats):
    out = subprocess.run([bench, "--models", model_name, "--batches", str(batch), "--threads",
                          str(threads), "--seconds", str(seconds), "--repeats", str(repeats)],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split()
        return float(fields[2]), float(fields[3])
    raise RuntimeError(f"no result from {bench}: {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_bench = os.path.join(HERE, "..", "..", "build", "bench", "bench_sgd")
    parser.add_argument("--bench", default=default_bench)
    parser.add_argument("--models", default="mlp,cnn-small,resnet8,resnet20")
    parser.add_argument("--batches", default="32,128")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--torch-subprocess", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_subprocess:
        model_name, batch = args.torch_subprocess
        print(torch_rate(model_name, int(batch), args.threads, args.seconds, args.repeats))
        return
    print(f"threads {args.threads}, median of {args.repeats} timings of >= {args.seconds} s, "
          f"load average at start {os.getloadavg()[0]:.1f}")
    print("| model | batch | engine img/s | PyTorch img/s | engine/PyTorch | engine GFLOP/s |")
    print("|---|---|---|---|---|---|")
    for model_name in args.models.split(","):
        for batch in [int(b) for b in args.batches.split(",")]:
            engine, gflops = engine_rate(args.bench, model_name, batch, args.threads, args.seconds,
                                         args.repeats)
            # PyTorch (Debian's, hence /usr/bin/python3) in a fresh process per row, like the engine.
            torch_out = subprocess.run(["/usr/bin/python3", os.path.abspath(__file__), "--threads",
                                        str(args.threads), "--seconds", str(args.seconds),
                                        "--repeats", str(args.repeats), "--torch-subprocess",
                                        model_name, str(batch)],
                                       check=True, capture_output=True, text=True).stdout
            reference = float(torch_out.strip().splitlines()[-1])
            print(f"| {model_name} | {batch} | {engine:.0f} | {reference:.0f} | "
                  f"{engine / reference:.2f} | {gflops:.0f} |", flush=True)


if __name__ == "__main__":
    main()
