// ns per interval operation: gradcert IntervalD, IntervalM at 128 and 256 bits, and Arb balls at
// the same precision. Inputs: x = 0.7 and y = 1.3 as exact points ("point"), and as the decimal
// enclosures of 0.7 / 1.3 (1 ulp wide intervals; Arb balls of radius ~1 ulp: "narrow").
// Run: build-*/bench/bench_interval --benchmark_repetitions=5 --benchmark_report_aggregates_only
#include <arb.h>
#include <benchmark/benchmark.h>

#include "numerics/interval/interval.hpp"

using namespace gradcert;

namespace {

enum Shape { kPoint = 0, kNarrow = 1 };

template <class T>
Interval<T> input(double value, const char* text, int shape) {
    return shape == kPoint ? Interval<T>(value) : Interval<T>::from_string(text);
}

template <class T>
void run_interval(benchmark::State& state, int op) {
    PrecisionScope scope(state.range(0));
    const int shape = static_cast<int>(state.range(1));
    const Interval<T> x = input<T>(0.7, "0.7", shape), y = input<T>(1.3, "1.3", shape);
    auto apply = [&]() -> Interval<T> {
        switch (op) {
            case 0:
                return x + y;
            case 1:
                return x * y;
            case 2:
                return exp(x);
            default:
                return cos(x);
        }
    };
    for (auto _ : state) {
        Interval<T> r = apply();  // a new result interval each time, as in `auto r = x + y;`
        benchmark::DoNotOptimize(r);
    }
}

// In-place accumulation (no new endpoints): acc += x.
template <class T>
void run_accumulate(benchmark::State& state) {
    PrecisionScope scope(state.range(0));
    const Interval<T> x = Interval<T>::from_string("0.7");
    Interval<T> acc(0);
    acc += x;
    for (auto _ : state) {
        acc += x;
        benchmark::DoNotOptimize(acc);
    }
}

void run_arb(benchmark::State& state, int op) {
    const slong prec = state.range(0);
    const int shape = static_cast<int>(state.range(1));
    arb_t x, y, r;
    arb_init(x);
    arb_init(y);
    arb_init(r);
    if (shape == kPoint) {
        arb_set_d(x, 0.7);
        arb_set_d(y, 1.3);
    } else {
        arb_set_str(x, "0.7", prec);
        arb_set_str(y, "1.3", prec);
    }
    for (auto _ : state) {
        switch (op) {
            case 0:
                arb_add(r, x, y, prec);
                break;
            case 1:
                arb_mul(r, x, y, prec);
                break;
            case 2:
                arb_exp(r, x, prec);
                break;
            default:
                arb_cos(r, x, prec);
                break;
        }
        benchmark::DoNotOptimize(r);
    }
    arb_clear(x);
    arb_clear(y);
    arb_clear(r);
}

void Args(benchmark::internal::Benchmark* b, std::initializer_list<long> precisions) {
    for (long p : precisions)
        for (long shape : {kPoint, kNarrow}) b->Args({p, shape});
    b->ArgNames({"bits", "narrow"});
}

#define GRADCERT_BENCH(name, fn, op, ...) \
    void name(benchmark::State& s) {      \
        fn(s, op);                        \
    }                                     \
    BENCHMARK(name)->Apply([](benchmark::internal::Benchmark* b) { Args(b, __VA_ARGS__); })

GRADCERT_BENCH(IntervalD_add, run_interval<double>, 0, {53});
GRADCERT_BENCH(IntervalD_mul, run_interval<double>, 1, {53});
GRADCERT_BENCH(IntervalD_exp, run_interval<double>, 2, {53});
GRADCERT_BENCH(IntervalD_cos, run_interval<double>, 3, {53});
GRADCERT_BENCH(IntervalM_add, run_interval<Mpfr>, 0, {128, 256});
GRADCERT_BENCH(IntervalM_mul, run_interval<Mpfr>, 1, {128, 256});
GRADCERT_BENCH(IntervalM_exp, run_interval<Mpfr>, 2, {128, 256});
GRADCERT_BENCH(IntervalM_cos, run_interval<Mpfr>, 3, {128, 256});
GRADCERT_BENCH(Arb_add, run_arb, 0, {53, 128, 256});
GRADCERT_BENCH(Arb_mul, run_arb, 1, {53, 128, 256});
GRADCERT_BENCH(Arb_exp, run_arb, 2, {53, 128, 256});
GRADCERT_BENCH(Arb_cos, run_arb, 3, {53, 128, 256});

void IntervalD_accumulate(benchmark::State& s) {
    run_accumulate<double>(s);
}
void IntervalM_accumulate(benchmark::State& s) {
    run_accumulate<Mpfr>(s);
}
BENCHMARK(IntervalD_accumulate)->Arg(53)->ArgName("bits");
BENCHMARK(IntervalM_accumulate)->Arg(128)->Arg(256)->ArgName("bits");

}  // namespace

BENCHMARK_MAIN();
