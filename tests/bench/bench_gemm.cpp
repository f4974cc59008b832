// GFLOP/s of the engine's float GEMMs on the zoo's shapes, one thread: Eigen 3.4 (gemm<float>, the
// engine's GEMM, compiled for x86-64-v3 like the engine) against the ordered-FMA
// GEMM's x86-64-v3 and x86-64-v4 tiles (kernels/gemm_ordered.hpp; the v4 rows only on a CPU with
// AVX-512), plus the machine's FMA peak per thread from a register-only FMA loop at each width.
//
//   bench_gemm [Google Benchmark flags, e.g. --benchmark_repetitions=5
//               --benchmark_report_aggregates_only=true
//               --benchmark_enable_random_interleaving=true]
//
// Shapes (m n k, transpositions as the layers pass them):
//   linear layers of mlp (3072-512-512-10) at b = 32 and 128: forward x·Wᵀ, weight gradient dyᵀ·x,
//     input gradient dy·W (layer_linear.cpp);
//   the im2col GEMMs of 3×3 convolutions of cnn-small, resnet8 and resnet18 at b = 128, per image
//     chunk as layer_conv.cpp runs them (chunk from conv2d_chunk_images): forward W·col, weight
//     gradient dy·colᵀ, input gradient Wᵀ·dy.
// The GFLOP/s counter is 2·m·n·k per call. Timings on a shared machine are noisy: compare only
// rows of one run, by their medians.
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "numerics/engine/conv_shape.hpp"
#include "numerics/engine/isa.hpp"
#include "numerics/engine/kernels/gemm.hpp"
#include "numerics/engine/kernels/gemm_ordered.hpp"
#include "numerics/engine/layer_conv.hpp"

using namespace gradcert::engine;

namespace {

struct Shape {
    std::string name;
    bool ta, tb;
    int m, n, k;
};

void add_linear(std::vector<Shape>& out, int batch, int in, int outputs, const std::string& layer) {
    const std::string tag = layer + " b" + std::to_string(batch);
    out.push_back({tag + " fwd", false, true, batch, outputs, in});
    out.push_back({tag + " dW", true, false, outputs, in, batch});
    out.push_back({tag + " dX", false, false, batch, in, outputs});
}

void add_conv(std::vector<Shape>& out, int batch, int c, int hw, int k, int stride,
              const std::string& layer) {
    Conv2dShape sh{batch, c, hw, hw, k, 3, 3, stride, 1};
    const int chunk = conv2d_chunk_images(sh);
    const int cols = chunk * sh.p() * sh.q(), patch = int(sh.patch());
    const std::string tag = layer + " b" + std::to_string(batch) + " chunk" + std::to_string(chunk);
    out.push_back({tag + " fwd", false, false, k, cols, patch});
    out.push_back({tag + " dW", false, true, k, patch, cols});
    out.push_back({tag + " dX", true, false, patch, cols, k});
}

std::vector<Shape> shapes() {
    std::vector<Shape> s;
    for (int b : {32, 128}) {
        add_linear(s, b, 3072, 512, "mlp fc1");
        add_linear(s, b, 512, 512, "mlp fc2");
    }
    add_conv(s, 128, 32, 16, 64, 1, "cnn-small conv2 32->64@16");
    add_conv(s, 128, 16, 32, 16, 1, "resnet8 16->16@32");
    add_conv(s, 128, 32, 16, 32, 1, "resnet8 32->32@16");
    add_conv(s, 128, 64, 8, 64, 1, "resnet8 64->64@8");
    add_conv(s, 128, 64, 32, 64, 1, "resnet18 64->64@32");
    add_conv(s, 128, 256, 8, 256, 1, "resnet18 256->256@8");
    add_conv(s, 128, 512, 4, 512, 1, "resnet18 512->512@4");
    return s;
}

struct Operands {
    std::vector<float> a, b, c;
};

Operands operands(const Shape& s) {
    std::mt19937 gen(7);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    Operands o{std::vector<float>(std::size_t(s.m) * s.k),
               std::vector<float>(std::size_t(s.k) * s.n),
               std::vector<float>(std::size_t(s.m) * s.n)};
    for (float& x : o.a) x = dist(gen);
    for (float& x : o.b) x = dist(gen);
    return o;
}

enum class Contender { eigen, v3, v4 };

void run_gemm(benchmark::State& state, Shape s, Contender who) {
    Operands o = operands(s);
    const long lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n;
    for (auto _ : state) {
        if (who == Contender::eigen) {
            gemm<float>(s.ta, s.tb, s.m, s.n, s.k, o.a.data(), lda, o.b.data(), ldb, 0.0f,
                        o.c.data(), s.n);
        } else {
            gemm_ordered(who == Contender::v4 ? GemmPath::v4 : GemmPath::v3, s.ta, s.tb, s.m, s.n,
                         s.k, o.a.data(), lda, o.b.data(), ldb, 0.0f, o.c.data(), s.n);
        }
        benchmark::DoNotOptimize(o.c.data());
        benchmark::ClobberMemory();
    }
    state.counters["GFLOPS"] =
        benchmark::Counter(2e-9 * s.m * s.n * s.k, benchmark::Counter::kIsIterationInvariantRate);
}

// FMA peak of one thread: 12 independent accumulator vectors (enough for 2 FMA pipes of latency
// 4 to 6), 2·lanes flops per FMA. The register barrier keeps the chains in registers.
__attribute__((target("avx2,fma"))) void fma_peak_v3(benchmark::State& state) {
    __m256 acc[12];
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(float(i));
    const __m256 x = _mm256_set1_ps(0.999f), y = _mm256_set1_ps(1e-3f);
    for (auto _ : state) {
        for (int rep = 0; rep < 1000; ++rep) {
            for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
            for (int i = 0; i < 12; ++i) asm volatile("" : "+x"(acc[i]));
        }
    }
    benchmark::DoNotOptimize(acc);
    state.counters["GFLOPS"] =
        benchmark::Counter(1000.0 * 12 * 16 * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

__attribute__((target("avx512f"))) void fma_peak_v4(benchmark::State& state) {
    __m512 acc[12];
    for (int i = 0; i < 12; ++i) acc[i] = _mm512_set1_ps(float(i));
    const __m512 x = _mm512_set1_ps(0.999f), y = _mm512_set1_ps(1e-3f);
    for (auto _ : state) {
        for (int rep = 0; rep < 1000; ++rep) {
            for (int i = 0; i < 12; ++i) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
            for (int i = 0; i < 12; ++i) asm volatile("" : "+v"(acc[i]));
        }
    }
    benchmark::DoNotOptimize(acc);
    state.counters["GFLOPS"] =
        benchmark::Counter(1000.0 * 12 * 32 * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
    if (!cpu_supports_engine_isa()) {
        std::fprintf(stderr, "bench_gemm: the engine needs an %s CPU, which this machine is not\n",
                     kEngineIsaLevel);
        return 2;
    }
    const bool v4 = gemm_path_available(GemmPath::v4);
    if (!v4) std::fprintf(stderr, "bench_gemm: no AVX-512 on this CPU: the v4 rows are skipped\n");
    benchmark::RegisterBenchmark("fma_peak/x86-64-v3", fma_peak_v3);
    if (v4) benchmark::RegisterBenchmark("fma_peak/x86-64-v4", fma_peak_v4);
    for (const Shape& s : shapes()) {
        const std::string dims = " (" + std::to_string(s.m) + " " + std::to_string(s.n) + " " +
                                 std::to_string(s.k) + ")";
        benchmark::RegisterBenchmark(("eigen-v3/" + s.name + dims).c_str(), run_gemm, s,
                                     Contender::eigen);
        benchmark::RegisterBenchmark(("ordered-v3/" + s.name + dims).c_str(), run_gemm, s,
                                     Contender::v3);
        if (v4) {
            benchmark::RegisterBenchmark(("ordered-v4/" + s.name + dims).c_str(), run_gemm, s,
                                         Contender::v4);
        }
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
