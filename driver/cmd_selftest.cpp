// `gradcert selftest`: containment statistics of the interval arithmetic (no Arb needed).
// Exit status 0 when the rigorous engines have no failure and the deliberately
// round-to-nearest variant is caught at least once (the check can fail); 1 otherwise.
#include <cstdint>
#include <cstdio>

#include "driver/command.hpp"
#include "numerics/interval/interval.hpp"
#include "numerics/interval/selftest.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::driver {

namespace {

struct SelftestOptions {
    std::uint64_t seed = 1;
    long cases = 2000;
    long nearest_cases = 300;
};

// The effective MPFR precisions (pitfall: Boost counts decimal digits, gradcert sets bits).
void print_precisions() {
    for (long bits : {128L, 256L, 512L}) {
        PrecisionScope scope(bits);
        const IntervalM third = IntervalM(1) / IntervalM(3);
        std::printf("working precision %ld bits: mpfr_get_prec of 1/3's endpoints = %ld, %ld\n",
                    bits, precision_bits(third.lower()), precision_bits(third.upper()));
    }
    std::printf("Boost.Multiprecision default: %u decimal digits = %ld bits (not used here)\n\n",
                Mpfr::default_precision(), precision_bits(Mpfr()));
}

int run_selftest(const SelftestOptions& o) {
    if (o.cases < 1)
        throw InputError("selftest --cases " + std::to_string(o.cases) + ": must be >= 1");
    if (o.nearest_cases < 1)
        throw InputError("selftest --nearest-cases " + std::to_string(o.nearest_cases) +
                         ": must be >= 1");
    const auto rows = interval_check::run_interval_selftest(o.seed, o.cases, o.nearest_cases);
    std::printf(
        "interval containment selftest (seed %llu): every sample point's enclosure at\n"
        "256 bits (double endpoints) or 512 bits (mpfr128) must lie inside the result.\n"
        "The round-to-nearest variant (Boost.Interval, libm / MPFR nearest) must fail.\n\n",
        static_cast<unsigned long long>(o.seed));
    print_precisions();
    std::printf("%-10s %-9s %8s %9s %14s %17s\n", "operation", "endpoints", "cases", "failures",
                "nearest-cases", "nearest-failures");
    long failures = 0, nearest_failures = 0, cases = 0;
    for (const auto& r : rows) {
        std::printf("%-10s %-9s %8ld %9ld %14ld %17ld\n", r.operation.c_str(), r.endpoints.c_str(),
                    r.cases, r.failures, r.nearest_cases, r.nearest_failures);
        failures += r.failures;
        nearest_failures += r.nearest_failures;
        cases += r.cases;
    }
    std::printf("\ntotal: %ld cases, %ld failures; round-to-nearest variant: %ld failures\n", cases,
                failures, nearest_failures);
    const bool ok = failures == 0 && nearest_failures > 0;
    std::printf("%s\n", ok ? "selftest passed"
                           : (failures > 0 ? "selftest FAILED: containment violated"
                                           : "selftest FAILED: the check caught nothing"));
    return to_int(ok ? ExitCode::success : ExitCode::fails);
}

}  // namespace

GRADCERT_COMMAND("selftest",
                 "Check interval containment on random cases (double and 128-bit MPFR endpoints) "
                 "against a high-precision reference; exit 0 when no case fails",
                 [](CLI::App& sub) -> Runner {
                     auto options = std::make_shared<SelftestOptions>();
                     sub.add_option("--seed", options->seed, "Seed of the random cases");
                     sub.add_option("--cases", options->cases,
                                    "Cases per operation and endpoint type");
                     sub.add_option("--nearest-cases", options->nearest_cases,
                                    "Cases per operation for the round-to-nearest variant");
                     return [options] { return run_selftest(*options); };
                 });

}  // namespace gradcert::driver
