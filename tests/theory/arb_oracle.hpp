#pragma once
// Arb as an independent oracle for the theory tests: an RAII ball and containment checks of
// Arb's (much tighter, 4× precision) ball inside gradcert's enclosures.
#include <arb.h>

#include <string>

#include "numerics/interval/interval.hpp"

namespace gradcert::test {

inline constexpr slong kOraclePrecision = 512;

class Ball {
  public:
    Ball() { arb_init(b_); }
    explicit Ball(long v) : Ball() { arb_set_si(b_, v); }
    static Ball decimal(const char* text) {
        Ball x;
        arb_set_str(x.b_, text, kOraclePrecision);
        return x;
    }
    static Ball from_double(double v) {
        Ball x;
        arb_set_d(x.b_, v);
        return x;
    }
    static Ball pi() {
        Ball x;
        arb_const_pi(x.b_, kOraclePrecision);
        return x;
    }
    Ball(const Ball& o) : Ball() { arb_set(b_, o.b_); }
    Ball& operator=(const Ball& o) {
        arb_set(b_, o.b_);
        return *this;
    }
    ~Ball() { arb_clear(b_); }
    arb_ptr get() { return b_; }
    arb_srcptr get() const { return b_; }

  private:
    arb_t b_;
};

inline Ball operator+(const Ball& a, const Ball& b) {
    Ball r;
    arb_add(r.get(), a.get(), b.get(), kOraclePrecision);
    return r;
}
inline Ball operator-(const Ball& a, const Ball& b) {
    Ball r;
    arb_sub(r.get(), a.get(), b.get(), kOraclePrecision);
    return r;
}
inline Ball operator*(const Ball& a, const Ball& b) {
    Ball r;
    arb_mul(r.get(), a.get(), b.get(), kOraclePrecision);
    return r;
}
inline Ball operator/(const Ball& a, const Ball& b) {
    Ball r;
    arb_div(r.get(), a.get(), b.get(), kOraclePrecision);
    return r;
}
inline Ball sqrt(const Ball& a) {
    Ball r;
    arb_sqrt(r.get(), a.get(), kOraclePrecision);
    return r;
}
inline Ball gamma(const Ball& a) {
    Ball r;
    arb_gamma(r.get(), a.get(), kOraclePrecision);
    return r;
}
inline Ball pow(const Ball& a, const Ball& e) {
    Ball r;
    arb_pow(r.get(), a.get(), e.get(), kOraclePrecision);
    return r;
}
inline Ball exp(const Ball& a) {
    Ball r;
    arb_exp(r.get(), a.get(), kOraclePrecision);
    return r;
}
inline Ball log(const Ball& a) {
    Ball r;
    arb_log(r.get(), a.get(), kOraclePrecision);
    return r;
}
inline Ball cos(const Ball& a) {
    Ball r;
    arb_cos(r.get(), a.get(), kOraclePrecision);
    return r;
}

// The endpoints of Arb's ball, rounded outward, as an interval.
inline IntervalM to_interval(const Ball& b) {
    arf_t lo, hi;
    arf_init(lo);
    arf_init(hi);
    arb_get_lbound_arf(lo, b.get(), kOraclePrecision);
    arb_get_ubound_arf(hi, b.get(), kOraclePrecision);
    Mpfr l = mpfr_with_precision(kOraclePrecision), h = mpfr_with_precision(kOraclePrecision);
    arf_get_mpfr(raw(l), lo, MPFR_RNDD);
    arf_get_mpfr(raw(h), hi, MPFR_RNDU);
    arf_clear(lo);
    arf_clear(hi);
    return IntervalM(l, h);
}

// Arb's ball lies inside x (so x contains the true value, which Arb's ball contains). When x is
// at least as tight as Arb's ball (x exact, e.g. a rational computed exactly), the two must
// overlap instead.
inline bool encloses(const IntervalM& x, const Ball& b) {
    const IntervalM a = to_interval(b);
    if (contains(x, a)) return true;
    return !(IntervalM(x.width()).upper() > IntervalM(a.width()).upper()) && overlaps(x, a);
}

inline std::string describe(const IntervalM& x, const Ball& b) {
    return "gradcert " + to_string(x, 40) + " vs arb " + to_string(to_interval(b), 40);
}

}  // namespace gradcert::test
