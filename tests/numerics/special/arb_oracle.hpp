#pragma once
// Arb (libflint-arb) as an independent oracle for the special-function tests: values of ₀F₁ and
// Γ as MPFR intervals, at a precision raised until Arb reports enough accuracy (Arb can lose
// accuracy non-monotonically in precision, so the reported accuracy is always checked).
#include <arb.h>
#include <arb_hypgeom.h>

#include <stdexcept>

#include "numerics/interval/interval.hpp"

namespace gradcert::test {

// [lo, hi] of an Arb ball, as an IntervalM with endpoints of `bits` bits (rounded outward).
inline IntervalM arb_to_interval(const arb_t x, long bits) {
    Mpfr lo = mpfr_with_precision(bits), hi = mpfr_with_precision(bits);
    arb_get_interval_mpfr(raw(lo), raw(hi), x);
    return IntervalM(lo, hi);
}

// True when the ball is accurate to `bits` bits relative, or absolutely below 2^-(bits+20).
inline bool accurate_enough(const arb_t x, long bits) {
    if (arb_rel_accuracy_bits(x) >= bits) return true;
    return arb_is_finite(x) && mag_cmp_2exp_si(arb_radref(x), -(bits + 20)) < 0 &&
           arf_cmpabs_2exp_si(arb_midref(x), 0) < 0;
}

// ₀F₁(; d/2 + 1; sign·s²/4) at the double s, accurate to `bits` bits.
inline IntervalM arb_hyp0f1_ball(int d, double s, int sign, long bits) {
    arb_t a, z, r;
    arb_init(a);
    arb_init(z);
    arb_init(r);
    IntervalM result;
    bool done = false;
    for (long prec = 4 * bits + static_cast<long>(2 * std::abs(s)) + 64; prec < 100000; prec *= 2) {
        arb_set_si(a, d + 2);
        arb_mul_2exp_si(a, a, -1);
        arb_set_d(z, s);
        arb_sqr(z, z, prec);
        arb_mul_2exp_si(z, z, -2);
        if (sign < 0) arb_neg(z, z);
        arb_hypgeom_0f1(r, a, z, 0, prec);
        if (accurate_enough(r, bits)) {
            result = arb_to_interval(r, 2 * bits);
            done = true;
            break;
        }
    }
    arb_clear(a);
    arb_clear(z);
    arb_clear(r);
    if (!done) throw std::runtime_error("Arb oracle: 0F1 not accurate enough");
    return result;
}

// Γ(m/2), accurate to `bits` bits.
inline IntervalM arb_gamma_half(int m, long bits) {
    arb_t x, r;
    arb_init(x);
    arb_init(r);
    arb_set_si(x, m);
    arb_mul_2exp_si(x, x, -1);
    arb_gamma(r, x, 4 * bits);
    const bool ok = accurate_enough(r, bits);
    IntervalM result = arb_to_interval(r, 2 * bits);
    arb_clear(x);
    arb_clear(r);
    if (!ok) throw std::runtime_error("Arb oracle: gamma not accurate enough");
    return result;
}

}  // namespace gradcert::test
