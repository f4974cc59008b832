#pragma once
// Random interval inputs with exact endpoints, for containment checks of interval engines (the
// Arb harness in tests/numerics/interval and `gradcert selftest`).
//
// Endpoints are MPFR values of P bits generated exactly (P = 53: every endpoint is exactly a
// double, subnormals included), so that they reach an engine and an oracle without rounding
// (pitfall 7: building endpoints with double arithmetic silently shrinks the boxes). Values are
// drawn from several kinds (uniform in [-4, 4], log-uniform over the whole exponent range, near
// zero, huge, within a few ulps of k*pi/2, small exact numbers), and intervals from four shapes
// (point, a few ulps, relative width 2^-j, two independent values).
#include <gmp.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "numerics/interval/precision.hpp"

namespace gradcert::interval_check {

enum class Op { add, sub, mul, div, sqr, pow_int, pow_real, sqrt, exp, log, sin, cos, tanh, atan };

const std::vector<Op>& all_ops();
std::string op_name(Op op);
bool is_binary(Op op);  // add sub mul div pow_real (pow_real: x^y with y = [yl, yh])

// One input: X = [xl, xh], Y = [yl, yh] (binary operations), n (pow_int, in [-8, 8]).
// Inputs respect the domain: sqrt X >= 0, log and pow_real X > 0.
struct Case {
    Mpfr xl, xh, yl, yh;
    long n = 0;
};

// Deterministic for a given (precision_bits, seed).
class CaseGenerator {
  public:
    CaseGenerator(long precision_bits, std::uint64_t seed);
    ~CaseGenerator();
    CaseGenerator(const CaseGenerator&) = delete;
    CaseGenerator& operator=(const CaseGenerator&) = delete;

    Case make_case(Op op);
    // Points of [lo, hi] to evaluate f at: lo, hi, two random interior points, and (with
    // near_extrema) the P-bit numbers nearest to the multiples of pi/2 that lie inside.
    std::vector<Mpfr> sample_points(const Mpfr& lo, const Mpfr& hi, bool near_extrema);
    long precision() const { return P_; }

  private:
    enum Kind { kUniform, kWide, kNearZero, kHuge, kNearPiHalf, kSimple, kKinds };
    int pick(int lo, int hi);
    long pick_long(long lo, long hi);
    Mpfr unit();
    Mpfr scaled(long min_exp, long max_exp);
    Mpfr near_half_pi_multiple();
    Mpfr simple();
    Mpfr value(int kind);
    std::pair<Mpfr, Mpfr> interval(int kind);
    Mpfr interior(const Mpfr& lo, const Mpfr& hi);
    void make_nonnegative(Mpfr& lo, Mpfr& hi);
    void make_positive(Mpfr& lo, Mpfr& hi);
    std::vector<Mpfr> near_extrema(const Mpfr& lo, const Mpfr& hi);

    long P_;
    std::mt19937_64 rng_;
    gmp_randstate_t state_;
};

// Decimal text of an MPFR value (40 significant digits) for failure messages.
std::string show(const Mpfr& v);

}  // namespace gradcert::interval_check
