#pragma once
// Containment harness: random interval inputs (exact endpoints), an interval engine under test,
// and Arb as the independent oracle. For every case the engine's output Y = f(X) must contain
// the Arb ball of f(x) for every sampled point x of X (the endpoints, random interior points and,
// for sin/cos, the representable points nearest to the extrema k*pi/2 inside X).
//
// Endpoints are generated exactly as MPFR values of P bits (P = 53: exactly doubles); they reach
// the engine and Arb without any rounding (pitfall 7). A sample is "contained" when the Arb ball
// lies inside Y, "failed" when it is disjoint from Y (a proven counterexample), and otherwise
// re-evaluated at twice the precision (up to 64 P); what is still undecided is "unresolved".
#include <arb.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "numerics/interval/check_engines.hpp"
#include "numerics/interval/interval.hpp"

namespace gradcert::test {

using interval_check::all_ops;
using interval_check::Case;
using interval_check::CaseGenerator;
using interval_check::Enclosure;
using interval_check::Engine;
using interval_check::is_binary;
using interval_check::Op;
using interval_check::op_name;
using interval_check::show;

struct Stats {
    long cases = 0;
    long failed_cases = 0;      // cases with at least one proven counterexample
    long unresolved_cases = 0;  // cases with an undecided sample and no counterexample
    long samples = 0;           // point evaluations compared with Arb
    long skipped_samples = 0;   // f undefined at the sample (e.g. division by 0)
    std::string first_failure;  // a readable description of the first failure
};

// Runs `cases` random cases of `op` with P-bit endpoints through `engine`.
Stats run_containment(const Engine& engine, Op op, long precision_bits, long cases,
                      std::uint64_t seed);

// Engines (numerics/interval/check_engines.hpp).
using interval_check::nearest_double_engine;
using interval_check::nearest_mpfr_engine;
using interval_check::rigorous_double_engine;
using interval_check::rigorous_mpfr_engine;

}  // namespace gradcert::test
