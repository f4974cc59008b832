#include "numerics/interval/precision.hpp"

#include <stdexcept>
#include <string>

#include "numerics/interval/endpoint_pool.hpp"
#include "numerics/util/error.hpp"

namespace gradcert {

namespace {
thread_local long tl_working_precision = kDefaultPrecisionBits;
}  // namespace

long working_precision() {
    return tl_working_precision;
}

PrecisionScope::PrecisionScope(long bits) : previous_(tl_working_precision) {
    if (bits < kMinPrecisionBits || bits > kMaxPrecisionBits)
        throw InternalError("working precision " + std::to_string(bits) + " bits is outside [" +
                            std::to_string(kMinPrecisionBits) + ", " +
                            std::to_string(kMaxPrecisionBits) + "]");
    tl_working_precision = bits;
}

PrecisionScope::~PrecisionScope() {
    tl_working_precision = previous_;
}

Mpfr mpfr_with_precision(long bits) {
    return detail::acquire_mpfr(bits);
}

}  // namespace gradcert
