// Cost of one interval Hessian (Jet evaluation: value, gradient, Hessian) of 10-D test functions
// at IntervalD and IntervalM (128 bits), with plain double jets as the floating-point baseline;
// also one verified ridge quadrature and one certified λ_min bound.
#include <benchmark/benchmark.h>

#include <vector>

#include "numerics/autodiff/centered_form.hpp"
#include "numerics/autodiff/jet.hpp"
#include "numerics/linalg/lambda_min.hpp"
#include "numerics/quadrature/ridge_integral.hpp"

using namespace gradcert;

namespace {

constexpr int kDim = 10;

// Σ_{i<9} 100 (x_{i+1} − x_i²)² + (1 − x_i)².
template <class J>
J rosenbrock(const std::vector<J>& x) {
    J f = 100 * sqr(x[1] - sqr(x[0])) + sqr(1 - x[0]);
    for (int i = 1; i + 1 < kDim; ++i) f += 100 * sqr(x[i + 1] - sqr(x[i])) + sqr(1 - x[i]);
    return f;
}

// Σ_{k<5} cos(w_k · x + k), w_k dense with entries (k + i + 1)/10.
template <class J>
J cosine_ridges(const std::vector<J>& x) {
    J f = cos(x[0] * 0.1);
    f -= f;
    for (int k = 0; k < 5; ++k) {
        J arg = x[0] * ((k + 1) / 10.0) + k;
        for (int i = 1; i < kDim; ++i) arg += x[i] * ((k + i + 1) / 10.0);
        f += cos(arg);
    }
    return f;
}

template <class S>
Eigen::Matrix<S, Eigen::Dynamic, 1> test_box() {
    Eigen::Matrix<S, Eigen::Dynamic, 1> X(kDim);
    for (int i = 0; i < kDim; ++i) {
        if constexpr (std::is_same_v<S, double>)
            X[i] = 0.5 + 0.01 * i;
        else
            X[i] = hull(S(0.5 + 0.01 * i), S(0.5 + 0.01 * i + 0.001));
    }
    return X;
}

template <class S>
void BM_RosenbrockHessian(benchmark::State& state) {
    const auto X = test_box<S>();
    for (auto _ : state) {
        Jet<S> j = rosenbrock(make_variables(X));
        benchmark::DoNotOptimize(j);
    }
}

template <class S>
void BM_CosineRidgesHessian(benchmark::State& state) {
    const auto X = test_box<S>();
    for (auto _ : state) {
        Jet<S> j = cosine_ridges(make_variables(X));
        benchmark::DoNotOptimize(j);
    }
}

template <class S>
void BM_RosenbrockCentered(benchmark::State& state) {
    const auto X = test_box<S>();
    auto f = [](const std::vector<Jet<S>>& x) { return rosenbrock(x); };
    for (auto _ : state) {
        Jet<S> j = centered_enclosure<S>(f, X);
        benchmark::DoNotOptimize(j);
    }
}

void BM_RidgeQuadratureSoftplus(benchmark::State& state) {
    const RidgeFunctionJet g = [](const Jet<IntervalM>& y) { return softplus(y); };
    RidgeQuadratureOptions opts;
    opts.subintervals = static_cast<int>(state.range(0));
    for (auto _ : state) {
        auto r = ridge_expectations(g, IntervalM(0.3), IntervalM(0.7),
                                    {RidgeLaw::standard_normal, 1}, {0.7, 1}, opts);
        benchmark::DoNotOptimize(r);
    }
}

void BM_CertifiedLambdaMin(benchmark::State& state) {
    const Jet<IntervalD> j = rosenbrock(make_variables(test_box<IntervalD>()));
    for (auto _ : state) {
        LambdaMinBound b = certified_lambda_min(MatrixI<double>(j.hess));
        benchmark::DoNotOptimize(b);
    }
}

}  // namespace

BENCHMARK_TEMPLATE(BM_RosenbrockHessian, double);
BENCHMARK_TEMPLATE(BM_RosenbrockHessian, IntervalD);
BENCHMARK_TEMPLATE(BM_RosenbrockHessian, IntervalM);
BENCHMARK_TEMPLATE(BM_CosineRidgesHessian, double);
BENCHMARK_TEMPLATE(BM_CosineRidgesHessian, IntervalD);
BENCHMARK_TEMPLATE(BM_CosineRidgesHessian, IntervalM);
BENCHMARK_TEMPLATE(BM_RosenbrockCentered, IntervalD);
BENCHMARK_TEMPLATE(BM_RosenbrockCentered, IntervalM);
BENCHMARK(BM_RidgeQuadratureSoftplus)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CertifiedLambdaMin)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
