#include "numerics/special/erf.hpp"

namespace gradcert {
namespace {

using MpfrFunction = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);

// [f(lo_arg) rounded down, f(hi_arg) rounded up] at the working precision.
IntervalM directed(MpfrFunction f, const Mpfr& lo_arg, const Mpfr& hi_arg) {
    const long p = working_precision();
    Mpfr lo = mpfr_with_precision(p), hi = mpfr_with_precision(p);
    f(raw(lo), raw(lo_arg), MPFR_RNDD);
    f(raw(hi), raw(hi_arg), MPFR_RNDU);
    return IntervalM(lo, hi);
}

IntervalM inverse_sqrt2() {
    return 1 / sqrt(IntervalM(2));
}

}  // namespace

IntervalM erf_enclosure(const IntervalM& x) {
    return directed(mpfr_erf, x.lower(), x.upper());
}

IntervalM erfc_enclosure(const IntervalM& x) {
    return directed(mpfr_erfc, x.upper(), x.lower());
}

IntervalM normal_probability(const IntervalM& a, const IntervalM& b) {
    const IntervalM s = inverse_sqrt2();
    IntervalM r;
    if (certainly_ge(a, 0.0))
        r = (erfc_enclosure(a * s) - erfc_enclosure(b * s)) / 2;
    else if (certainly_le(b, 0.0))
        r = (erfc_enclosure(-b * s) - erfc_enclosure(-a * s)) / 2;
    else
        r = (erf_enclosure(b * s) - erf_enclosure(a * s)) / 2;
    return max(r, IntervalM(0));
}

IntervalM normal_density(const IntervalM& x) {
    return exp(-sqr(x) / 2) / sqrt(2 * IntervalM::pi());
}

}  // namespace gradcert
