#!/usr/bin/python3
"""Side-by-side training throughput: the gradcert SGD engine against PyTorch (Debian 1.13).

Usage: tests/bench/sgd_vs_torch.py [--bench build-dir/bench/bench_sgd[,other/bench_sgd]]
                                   [--models mlp,cnn-small,resnet8,resnet20] [--batches 32,128]
                                   [--threads 1,2] [--seconds 2] [--repeats 3]
                                   [--openblas SCRATCH-DIR]

Both sides run full training steps (forward, backward, plain SGD update, lr 0.01) on the same
models (PyTorch modules from tests/engine/torch_reference.py, which the cross-check test proves equal
to the engine's), random N(0, 1) 3×32×32 inputs and 10 classes, with the same thread count, after
two warm-up steps; each rate is the median of `repeats` timings of at least `seconds` seconds.
For each (model, batch) the engine and PyTorch are measured back to back, so both see the same
machine load; the machine is shared, so absolute numbers are noisy and only the ratio in one row
means much. Prints a Markdown table: img/s of each, ratio engine/PyTorch, and the engine's
GFLOP/s (multiply-add FLOPs of the convolutions and linear layers per second of wall time; the
PyTorch step does the same FLOPs, so its rate is the engine's times 1/ratio). The ratio "per
CPU-s" divides images by the process CPU time (all threads) instead of wall time: on a loaded
machine it is the steadier of the two, but it does not count time lost waiting for a core.

--openblas SCRATCH-DIR runs PyTorch with an optimized BLAS instead of Debian's default reference
BLAS (the anchor to compare against, docs/engine.md "Speed"): Debian's libopenblas0-openmp is
unpacked into SCRATCH-DIR (`apt-get download` + `dpkg -x`, no system install; reused when already
there) and selected for the PyTorch process only, with LD_LIBRARY_PATH, OPENBLAS_CORETYPE chosen
from the CPU's flags (SkylakeX with AVX-512 F/BW/DQ/VL, Haswell with AVX2 + FMA, else unset: OpenBLAS
then picks by CPU model, and a forced SkylakeX would die with SIGILL on a CPU without AVX-512),
OPENBLAS_NUM_THREADS = the thread count and GLIBC_TUNABLES=glibc.malloc.mmap_max=0:
glibc.malloc.trim_threshold=17179869184 (glibc stops returning large blocks to the system).
Several --bench binaries (comma separated) are measured side by side, each with its ratio to
PyTorch (e.g. the portable build against a -march=native one).
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
    rates, cpu_rates = [], []
    for _ in range(repeats):
        steps, start, cpu_start = 0, time.perf_counter(), time.process_time()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if steps >= 3 and elapsed >= seconds:
                break
        rates.append(steps * batch / elapsed)
        cpu_rates.append(steps * batch / (time.process_time() - cpu_start))
    return statistics.median(rates), statistics.median(cpu_rates)


def engine_rate(bench, model_name, batch, threads, seconds, repeats):
    out = subprocess.run([bench, "--models", model_name, "--batches", str(batch), "--threads",
                          str(threads), "--seconds", str(seconds), "--repeats", str(repeats)],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split()
        return float(fields[2]), float(fields[3]), float(fields[5])
    raise RuntimeError(f"no result from {bench}: {out}")


OPENBLAS_SUBDIR = os.path.join("usr", "lib", "x86_64-linux-gnu", "openblas-openmp")
MALLOC_TUNABLES = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184"


def openblas_dir(scratch):
    """The directory holding libblas.so.3 of Debian's libopenblas0-openmp, unpacked into scratch."""
    libdir = os.path.join(scratch, "root", OPENBLAS_SUBDIR)
    if os.path.exists(os.path.join(libdir, "libblas.so.3")):
        return libdir
    os.makedirs(scratch, exist_ok=True)
    subprocess.run(["apt-get", "download", "libopenblas0-openmp"], cwd=scratch, check=True,
                   capture_output=True)
    debs = [f for f in os.listdir(scratch) if f.startswith("libopenblas0-openmp") and
            f.endswith(".deb")]
    if not debs:
        sys.exit(f"sgd_vs_torch.py: apt-get download libopenblas0-openmp left no .deb in {scratch}")
    subprocess.run(["dpkg", "-x", os.path.join(scratch, sorted(debs)[-1]),
                    os.path.join(scratch, "root")], check=True)
    if not os.path.exists(os.path.join(libdir, "libblas.so.3")):
        sys.exit(f"sgd_vs_torch.py: {libdir}/libblas.so.3 missing after unpacking")
    return libdir


def openblas_coretype():
    """The OpenBLAS kernel family this CPU can run: SkylakeX (AVX-512), Haswell (AVX2 + FMA) or None."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return None
    if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= set(flags):
        return "SkylakeX"
    if {"avx2", "fma"} <= set(flags):
        return "Haswell"
    return None


def torch_environment(libdir, threads):
    """The environment of the PyTorch process: the optimized BLAS when libdir is given."""
    env = dict(os.environ)
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"]
                                           if env.get("LD_LIBRARY_PATH") else "")
        coretype = openblas_coretype()
        if coretype:
            env["OPENBLAS_CORETYPE"] = coretype
        env["OPENBLAS_NUM_THREADS"] = str(threads)
        env["GLIBC_TUNABLES"] = MALLOC_TUNABLES
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_bench = os.path.join(HERE, "..", "..", "build", "bench", "bench_sgd")
    parser.add_argument("--bench", default=default_bench)
    parser.add_argument("--models", default="mlp,cnn-small,resnet8,resnet20")
    parser.add_argument("--batches", default="32,128")
    parser.add_argument("--threads", default="2", help="thread counts, comma separated")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--openblas", metavar="SCRATCH-DIR",
                        help="run PyTorch on Debian's OpenBLAS (OpenMP) unpacked here")
    parser.add_argument("--torch-subprocess", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_subprocess:
        model_name, batch = args.torch_subprocess
        wall, cpu = torch_rate(model_name, int(batch), int(args.threads), args.seconds,
                               args.repeats)
        print(wall, cpu)
        return
    libdir = openblas_dir(args.openblas) if args.openblas else None
    benches = args.bench.split(",")
    anchor = (f"PyTorch on OpenBLAS ({libdir}, OPENBLAS_CORETYPE="
              f"{openblas_coretype() or 'chosen by OpenBLAS'})") if libdir else "PyTorch on Debian's default BLAS"
    print(f"median of {args.repeats} timings of >= {args.seconds} s; {anchor}; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    engines = " | ".join(f"engine{i + 1} img/s | engine{i + 1}/PyTorch | "
                         f"engine{i + 1}/PyTorch per CPU-s | engine{i + 1} GFLOP/s"
                         for i in range(len(benches)))
    print(f"| threads | model | batch | PyTorch img/s | {engines} |")
    print("|---" * (4 + 4 * len(benches)) + "|")
    for threads in [int(t) for t in args.threads.split(",")]:
        for model_name in args.models.split(","):
            for batch in [int(b) for b in args.batches.split(",")]:
                cells = []
                rates = []
                for bench in benches:
                    rates.append(engine_rate(bench, model_name, batch, threads, args.seconds,
                                             args.repeats))
                # PyTorch (Debian's, hence /usr/bin/python3) in a fresh process per row.
                torch_out = subprocess.run(
                    ["/usr/bin/python3", os.path.abspath(__file__), "--threads", str(threads),
                     "--seconds", str(args.seconds), "--repeats", str(args.repeats),
                     "--torch-subprocess", model_name, str(batch)],
                    check=True, capture_output=True, text=True,
                    env=torch_environment(libdir, threads)).stdout
                reference, reference_cpu = map(float, torch_out.strip().splitlines()[-1].split())
                for engine, gflops, engine_cpu in rates:
                    cells.append(f"{engine:.0f} | {engine / reference:.2f} | "
                                 f"{engine_cpu / reference_cpu:.2f} | {gflops:.0f}")
                print(f"| {threads} | {model_name} | {batch} | {reference:.0f} | "
                      f"{' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
