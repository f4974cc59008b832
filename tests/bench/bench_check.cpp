// Wall time of `gradcert check` on the reference workloads: 1-D Rastrigin over 50
// stages, 2-D Griewank over 20 stages, the separable 50-D Rastrigin over its 51 stages and the
// 2-D logistic regression (8 softplus ridges, verified Gaussian smoothing) over its 10 stages.
// Run: build/bench/bench_check --benchmark_repetitions=3 (medians in the closing notes).
#include <benchmark/benchmark.h>

#include "verify/family_check.hpp"
#include "verify/family_file.hpp"

using namespace gradcert::verify;

namespace {

void run(benchmark::State& state, const FamilySpec& family) {
    for (auto _ : state) {
        FamilyCheckResult r = check_family(family);
        benchmark::DoNotOptimize(r.overall);
        state.counters["stages"] = static_cast<double>(r.stages.size());
    }
}

void BM_Rastrigin1D_50Stages(benchmark::State& state) {
    const char* text =
        "name = \"rastrigin-1d-50\"\ndim = 1\nf = \"x^2 - 10*cos(2*pi*x) + 10\"\n"
        "domain = [[-5.12, 5.12]]\n[smoothing]\nkernel = \"gaussian\"\n"
        "[schedule]\ndelta1 = 1.0\nstages = 50\npower = 1.0\n"
        "[check]\ndefinition = \"new-sigma-nice\"\nsigma = 2.0\ncentering = \"both\"\n";
    run(state, parse_family(text, "bench:rastrigin-1d-50", {}));
}

void BM_Builtin(benchmark::State& state, const char* name) {
    run(state,
        load_family(std::string(GRADCERT_SOURCE_DIR) + "/verify/families/" + name + ".toml", {}));
}

}  // namespace

BENCHMARK(BM_Rastrigin1D_50Stages)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_Builtin, griewank_2d_20_stages, "griewank-2d")
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_Builtin, rastrigin_50d_51_stages, "rastrigin-50d")
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_Builtin, logistic_regression_10_stages, "logistic-regression")
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_MAIN();
