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

#include <boost/numeric/interval.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert::test {

enum class Op { add, sub, mul, div, sqr, pow_int, pow_real, sqrt, exp, log, sin, cos, tanh, atan };

inline const std::vector<Op>& all_ops() {
    static const std::vector<Op> ops = {Op::add,     Op::sub,      Op::mul,  Op::div, Op::sqr,
                                        Op::pow_int, Op::pow_real, Op::sqrt, Op::exp, Op::log,
                                        Op::sin,     Op::cos,      Op::tanh, Op::atan};
    return ops;
}

std::string op_name(Op op);
bool is_binary(Op op);

// One input: X = [xl, xh], Y = [yl, yh] (binary ops and pow_real), n (pow_int).
struct Case {
    Mpfr xl, xh, yl, yh;
    long n = 0;
};

// Output endpoints as exact MPFR values.
using Enclosure = std::pair<Mpfr, Mpfr>;
using Engine = std::function<Enclosure(Op, const Case&)>;

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

// Engines: the rigorous Interval<T> (T = double needs P = 53), and Boost.Interval with
// round-to-nearest arithmetic and libm / MPFR-nearest transcendentals (not rigorous).
Engine rigorous_double_engine();
Engine rigorous_mpfr_engine();  // at the caller's working_precision()
Engine nearest_double_engine();
Engine nearest_mpfr_engine();

}  // namespace gradcert::test
