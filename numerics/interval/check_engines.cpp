// The engines of check_engines.hpp. The "nearest" engines are deliberately not rigorous.
#include "numerics/interval/check_engines.hpp"

#include <boost/numeric/interval.hpp>
#include <cmath>
#include <optional>

#include "numerics/interval/interval.hpp"

namespace gradcert::interval_check {

namespace {

template <class T>
Interval<T> to_interval(const Mpfr& lo, const Mpfr& hi) {
    if constexpr (std::is_same_v<T, double>)
        return Interval<T>(mpfr_get_d(raw(lo), MPFR_RNDN), mpfr_get_d(raw(hi), MPFR_RNDN));
    else
        return Interval<T>(lo, hi);
}

Mpfr exact(double v) {
    Mpfr m = mpfr_with_precision(53);
    mpfr_set_d(raw(m), v, MPFR_RNDN);
    return m;
}
const Mpfr& exact(const Mpfr& v) {
    return v;
}

template <class T>
Enclosure rigorous(Op op, const Case& c) {
    const Interval<T> x = to_interval<T>(c.xl, c.xh);
    Interval<T> r;
    if (is_binary(op)) {
        const Interval<T> y = to_interval<T>(c.yl, c.yh);
        switch (op) {
            case Op::add:
                r = x + y;
                break;
            case Op::sub:
                r = x - y;
                break;
            case Op::mul:
                r = x * y;
                break;
            case Op::div:
                r = x / y;
                break;
            default:
                r = pow(x, y);
                break;
        }
    } else {
        switch (op) {
            case Op::sqr:
                r = sqr(x);
                break;
            case Op::pow_int:
                r = pow(x, static_cast<int>(c.n));
                break;
            case Op::sqrt:
                r = sqrt(x);
                break;
            case Op::exp:
                r = exp(x);
                break;
            case Op::log:
                r = log(x);
                break;
            case Op::sin:
                r = sin(x);
                break;
            case Op::cos:
                r = cos(x);
                break;
            case Op::tanh:
                r = tanh(x);
                break;
            default:
                r = atan(x);
                break;
        }
    }
    return {exact(r.lower()), exact(r.upper())};
}

// Boost.Interval without directed rounding: arithmetic and transcendentals rounded to nearest
// (libm for double; Boost.Multiprecision's MPFR calls in round-to-nearest for Mpfr).
template <class T>
using NearestInterval =
    boost::numeric::interval<T,
                             boost::numeric::interval_lib::policies<
                                 boost::numeric::interval_lib::save_state_nothing<
                                     boost::numeric::interval_lib::rounded_transc_exact<
                                         T, boost::numeric::interval_lib::rounded_arith_exact<T>>>,
                                 boost::numeric::interval_lib::checking_base<T>>>;

template <class T>
NearestInterval<T> to_nearest_interval(const Mpfr& lo, const Mpfr& hi) {
    if constexpr (std::is_same_v<T, double>)
        return NearestInterval<T>(mpfr_get_d(raw(lo), MPFR_RNDN), mpfr_get_d(raw(hi), MPFR_RNDN));
    else
        return NearestInterval<T>(lo, hi);
}

// Sets Boost.Multiprecision's (process-wide) default precision to about the working precision
// for the lifetime of the object: Boost counts decimal digits (39 digits = 131 bits for 128).
// Test-only engine: not thread-safe.
class BoostDefaultPrecisionScope {
  public:
    BoostDefaultPrecisionScope() : saved_(Mpfr::default_precision()) {
        Mpfr::default_precision(static_cast<unsigned>(
            std::ceil(static_cast<double>(working_precision()) * 0.30102999566398119)));
    }
    ~BoostDefaultPrecisionScope() { Mpfr::default_precision(saved_); }
    BoostDefaultPrecisionScope(const BoostDefaultPrecisionScope&) = delete;
    BoostDefaultPrecisionScope& operator=(const BoostDefaultPrecisionScope&) = delete;

  private:
    unsigned saved_;
};

template <class T>
Enclosure nearest(Op op, const Case& c) {
    namespace bn = boost::numeric;
    std::optional<BoostDefaultPrecisionScope> boost_precision;
    if constexpr (!std::is_same_v<T, double>) boost_precision.emplace();
    const NearestInterval<T> x = to_nearest_interval<T>(c.xl, c.xh);
    NearestInterval<T> r;
    if (is_binary(op)) {
        const NearestInterval<T> y = to_nearest_interval<T>(c.yl, c.yh);
        switch (op) {
            case Op::add:
                r = x + y;
                break;
            case Op::sub:
                r = x - y;
                break;
            case Op::mul:
                r = x * y;
                break;
            case Op::div:
                if (bn::zero_in(y)) return {exact(-INFINITY), exact(INFINITY)};
                r = x / y;
                break;
            default:
                r = bn::exp(y * bn::log(x));
                break;
        }
    } else {
        switch (op) {
            case Op::sqr:
                r = bn::square(x);
                break;
            case Op::pow_int:
                if (c.n < 0 && bn::zero_in(x)) return {exact(-INFINITY), exact(INFINITY)};
                r = bn::pow(x, static_cast<int>(c.n));
                break;
            case Op::sqrt:
                r = bn::sqrt(x);
                break;
            case Op::exp:
                r = bn::exp(x);
                break;
            case Op::log:
                r = bn::log(x);
                break;
            case Op::sin:
                r = bn::sin(x);
                break;
            case Op::cos:
                r = bn::cos(x);
                break;
            case Op::tanh:
                r = bn::tanh(x);
                break;
            default:
                r = bn::atan(x);
                break;
        }
    }
    if (bn::empty(r)) return {exact(-INFINITY), exact(INFINITY)};
    Mpfr lo = exact(r.lower()), hi = exact(r.upper());
    if (mpfr_nan_p(raw(lo)) || mpfr_nan_p(raw(hi))) return {exact(-INFINITY), exact(INFINITY)};
    return {lo, hi};
}

}  // namespace

Engine rigorous_double_engine() {
    return rigorous<double>;
}
Engine rigorous_mpfr_engine() {
    return rigorous<Mpfr>;
}
Engine nearest_double_engine() {
    return nearest<double>;
}
Engine nearest_mpfr_engine() {
    return nearest<Mpfr>;
}

}  // namespace gradcert::interval_check
