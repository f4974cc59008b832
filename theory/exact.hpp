#pragma once
// Small helpers for building exact or tightly enclosed interval inputs in theory/.
#include <string_view>

#include "numerics/interval/interval.hpp"

namespace gradcert::theory {

// The integer v as a point interval (exact at every working precision ≥ 64 bits; the tightest
// enclosure otherwise).
inline IntervalM exact_integer(long v) {
    return IntervalM(v);
}

// The enclosure of a decimal literal such as "25.318" (contains the exact decimal value).
inline IntervalM decimal(std::string_view text) {
    return IntervalM::from_string(text);
}

}  // namespace gradcert::theory
