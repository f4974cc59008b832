#pragma once
// MPFR endpoint type and the thread's working precision for new MPFR endpoints.
//
// Boost.Multiprecision counts mpfr_float precision in decimal digits (39 digits -> 131 bits) and
// keeps it in one process-wide variable; gradcert never relies on it. Every MPFR endpoint that the
// interval code creates gets exactly working_precision() bits, set through MPFR (mpfr_set_prec).
#include <mpfr.h>

#include <boost/multiprecision/mpfr.hpp>

namespace gradcert {

using Mpfr = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<0>,
                                           boost::multiprecision::et_off>;

// Smallest and largest accepted working precision, in bits.
inline constexpr long kMinPrecisionBits = 16;
inline constexpr long kMaxPrecisionBits = 1L << 20;
inline constexpr long kDefaultPrecisionBits = 128;

// Bits of the MPFR endpoints that interval operations create on this thread (default 128).
long working_precision();

// Sets the working precision of this thread for its lifetime and restores the previous one.
// Throws std::invalid_argument unless kMinPrecisionBits <= bits <= kMaxPrecisionBits.
class PrecisionScope {
  public:
    explicit PrecisionScope(long bits);
    ~PrecisionScope();
    PrecisionScope(const PrecisionScope&) = delete;
    PrecisionScope& operator=(const PrecisionScope&) = delete;

  private:
    long previous_;
};

// The effective precision of an MPFR number in bits (mpfr_get_prec).
inline long precision_bits(const Mpfr& x) {
    return mpfr_get_prec(x.backend().data());
}

// Raw MPFR handles of a Boost number (no copy).
inline mpfr_ptr raw(Mpfr& x) {
    return x.backend().data();
}
inline mpfr_srcptr raw(const Mpfr& x) {
    return x.backend().data();
}

// A zero with exactly `bits` bits of precision.
Mpfr mpfr_with_precision(long bits);

}  // namespace gradcert
