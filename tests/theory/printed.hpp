#pragma once
// Checks of enclosures against numbers printed in the paper "to the printed digits".
#include <string>

#include "numerics/interval/interval.hpp"

namespace gradcert::test {

// 10^{-k} for k = number of digits after the decimal point of `printed`.
inline IntervalM last_digit_unit(const std::string& printed) {
    const auto dot = printed.find('.');
    const int k = dot == std::string::npos ? 0 : static_cast<int>(printed.size() - dot - 1);
    return pow(IntervalM(10), -k);
}

// x rounds to `printed` (round half away): x ⊂ [v − u/2, v + u/2).
inline bool rounds_to(const IntervalM& x, const std::string& printed) {
    const IntervalM v = IntervalM::from_string(printed);
    const IntervalM half = last_digit_unit(printed) / 2;
    return certainly_ge(x, v - half) && certainly_lt(x, v + half);
}

// x truncates to `printed` (as in "0.99549887…"): x ⊂ [v, v + u).
inline bool truncates_to(const IntervalM& x, const std::string& printed) {
    const IntervalM v = IntervalM::from_string(printed);
    return certainly_ge(x, v) && certainly_lt(x, v + last_digit_unit(printed));
}

// Relative width (upper − lower)/|mid| below 2^{-bits}.
inline bool tighter_than(const IntervalM& x, int bits) {
    const IntervalM w(x.width());
    const IntervalM m = abs(IntervalM(x.mid()));
    return certainly_lt(w, m * pow(IntervalM(2), -bits));
}

}  // namespace gradcert::test
