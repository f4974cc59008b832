#pragma once
// `gradcert selftest`: containment statistics of the interval arithmetic without Arb.
//
// For each operation and endpoint type, random cases (check_cases.hpp) are evaluated by the
// engine under test; at every sample point x of the input the reference is the same operation on
// the point interval [x, x] at a much higher precision (IntervalM at 256 bits for double
// endpoints, 512 bits for 128-bit MPFR endpoints). A failure is a sample whose reference enclosure
// is not inside the engine's output. The reference shares MPFR with the engine (it is an
// independent check of the double hardware path, the directed-rounding plumbing, range reduction
// and monotonicity cases, not of MPFR); the Arb-based unit tests are the independent oracle.
// The round-to-nearest variant is run through the same check to show that it fails.
#include <cstdint>
#include <string>
#include <vector>

namespace gradcert::interval_check {

struct SelftestRow {
    std::string operation;
    std::string endpoints;  // "double" or "mpfr128"
    long cases = 0;
    long failures = 0;          // rigorous engine: cases with a sample outside the output
    long nearest_cases = 0;     // round-to-nearest variant
    long nearest_failures = 0;  // expected > 0
};

std::vector<SelftestRow> run_interval_selftest(std::uint64_t seed, long cases_per_operation,
                                               long nearest_cases_per_operation);

}  // namespace gradcert::interval_check
