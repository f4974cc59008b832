#include "numerics/interval/boost_policies.hpp"

namespace gradcert::detail {

double mpfr_directed_double(MpfrUnary f, double x, mpfr_rnd_t rnd) {
    const SseDefault sse_guard;
    mpfr_ptr in = scratch(0, 53), out = scratch(1, 53);
    mpfr_set_d(in, x, MPFR_RNDN);  // exact
    f(out, in, rnd);
    return mpfr_get_d(out, rnd);
}

Mpfr mpfr_directed(MpfrUnary f, const Mpfr& x, mpfr_rnd_t rnd) {
    Mpfr r = mpfr_with_precision(working_precision());
    f(raw(r), raw(x), rnd);
    return r;
}

namespace {
// pi * 2^scale rounded in `rnd` (scaling by a power of two is exact).
Mpfr scaled_pi(long scale, mpfr_rnd_t rnd) {
    Mpfr r = mpfr_with_precision(working_precision());
    mpfr_const_pi(raw(r), rnd);
    mpfr_mul_2si(raw(r), raw(r), scale, rnd);
    return r;
}
}  // namespace

}  // namespace gradcert::detail

namespace boost::numeric::interval_lib::constants {
using gradcert::Mpfr;
using gradcert::detail::scaled_pi;
template <>
Mpfr pi_lower<Mpfr>() {
    return scaled_pi(0, MPFR_RNDD);
}
template <>
Mpfr pi_upper<Mpfr>() {
    return scaled_pi(0, MPFR_RNDU);
}
template <>
Mpfr pi_half_lower<Mpfr>() {
    return scaled_pi(-1, MPFR_RNDD);
}
template <>
Mpfr pi_half_upper<Mpfr>() {
    return scaled_pi(-1, MPFR_RNDU);
}
template <>
Mpfr pi_twice_lower<Mpfr>() {
    return scaled_pi(1, MPFR_RNDD);
}
template <>
Mpfr pi_twice_upper<Mpfr>() {
    return scaled_pi(1, MPFR_RNDU);
}
}  // namespace boost::numeric::interval_lib::constants
