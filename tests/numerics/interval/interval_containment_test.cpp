// Containment of Arb's enclosures of f(sampled points) in our interval results: 14 operations x
// {double, MPFR at 128 bits}, 40 000 random cases each (1.12 million in total), zero failures
// and zero undecided samples. The same harness applied to Boost.Interval with round-to-nearest
// policies must find failures for every operation, so it is not vacuous.
#include <catch2/catch.hpp>
#include <cstdio>

#include "containment_harness.hpp"

using namespace gradcert;
using namespace gradcert::test;

namespace {

constexpr long kCasesPerOperation = 40000;
constexpr long kNearestCases = 3000;
constexpr long kMpfrBits = 128;

std::uint64_t seed_for(Op op, long bits) {
    return 0x5eed0000ULL + static_cast<std::uint64_t>(op) * 131 + static_cast<std::uint64_t>(bits);
}

void require_rigorous(Op op, long bits) {
    PrecisionScope scope(bits == 53 ? kDefaultPrecisionBits : bits);
    const Engine engine = bits == 53 ? rigorous_double_engine() : rigorous_mpfr_engine();
    const Stats s = run_containment(engine, op, bits, kCasesPerOperation, seed_for(op, bits));
    INFO(op_name(op) << " at " << bits << " bits: cases " << s.cases << ", samples " << s.samples
                     << ", skipped " << s.skipped_samples << ", failed " << s.failed_cases
                     << ", unresolved " << s.unresolved_cases << "\n"
                     << s.first_failure);
    CHECK(s.cases == kCasesPerOperation);
    CHECK(s.failed_cases == 0);
    CHECK(s.unresolved_cases == 0);
    CHECK(s.skipped_samples * 10 < s.samples);
}

void require_nearest_fails(Op op, long bits) {
    PrecisionScope scope(bits == 53 ? kDefaultPrecisionBits : bits);
    const Engine engine = bits == 53 ? nearest_double_engine() : nearest_mpfr_engine();
    const Stats s = run_containment(engine, op, bits, kNearestCases, seed_for(op, bits) + 7);
    INFO(op_name(op) << " (round-to-nearest) at " << bits << " bits: cases " << s.cases
                     << ", failed " << s.failed_cases << "\n"
                     << s.first_failure);
    CHECK(s.failed_cases > 0);
}

}  // namespace

#define GRADCERT_CONTAINMENT_TEST(op)                                              \
    TEST_CASE("containment vs Arb: " #op " double", "[interval][containment]") {   \
        require_rigorous(Op::op, 53);                                              \
    }                                                                              \
    TEST_CASE("containment vs Arb: " #op " mpfr128", "[interval][containment]") {  \
        require_rigorous(Op::op, kMpfrBits);                                       \
    }                                                                              \
    TEST_CASE("round-to-nearest variant fails: " #op, "[interval][containment]") { \
        require_nearest_fails(Op::op, 53);                                         \
        require_nearest_fails(Op::op, kMpfrBits);                                  \
    }

GRADCERT_CONTAINMENT_TEST(add)
GRADCERT_CONTAINMENT_TEST(sub)
GRADCERT_CONTAINMENT_TEST(mul)
GRADCERT_CONTAINMENT_TEST(div)
GRADCERT_CONTAINMENT_TEST(sqr)
GRADCERT_CONTAINMENT_TEST(pow_int)
GRADCERT_CONTAINMENT_TEST(pow_real)
GRADCERT_CONTAINMENT_TEST(sqrt)
GRADCERT_CONTAINMENT_TEST(exp)
GRADCERT_CONTAINMENT_TEST(log)
GRADCERT_CONTAINMENT_TEST(sin)
GRADCERT_CONTAINMENT_TEST(cos)
GRADCERT_CONTAINMENT_TEST(tanh)
GRADCERT_CONTAINMENT_TEST(atan)

// Prints the statistics of every run above (hidden: `tests_numerics "[.report]"`).
TEST_CASE("containment statistics table", "[.report]") {
    std::printf("%-9s %-8s %8s %8s %7s %10s %9s %11s\n", "operation", "type", "cases", "samples",
                "failed", "unresolved", "rn-cases", "rn-failed");
    long total = 0, failed = 0, rn_total = 0, rn_failed = 0;
    for (long bits : {53L, kMpfrBits}) {
        for (Op op : all_ops()) {
            PrecisionScope scope(bits == 53 ? kDefaultPrecisionBits : bits);
            const Stats s =
                run_containment(bits == 53 ? rigorous_double_engine() : rigorous_mpfr_engine(), op,
                                bits, kCasesPerOperation, seed_for(op, bits));
            const Stats n =
                run_containment(bits == 53 ? nearest_double_engine() : nearest_mpfr_engine(), op,
                                bits, kNearestCases, seed_for(op, bits) + 7);
            std::printf("%-9s %-8s %8ld %8ld %7ld %10ld %9ld %11ld\n", op_name(op).c_str(),
                        bits == 53 ? "double" : "mpfr128", s.cases, s.samples, s.failed_cases,
                        s.unresolved_cases, n.cases, n.failed_cases);
            total += s.cases;
            failed += s.failed_cases + s.unresolved_cases;
            rn_total += n.cases;
            rn_failed += n.failed_cases;
        }
    }
    std::printf(
        "total: %ld cases, %ld failed or unresolved; round-to-nearest: %ld cases, %ld "
        "failed\n",
        total, failed, rn_total, rn_failed);
    CHECK(failed == 0);
}
