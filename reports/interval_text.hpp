#pragma once
// Text and JSON forms of interval enclosures used by every report. Text is "[lo, hi]" rounded
// outward to the requested digits (so it still encloses); JSON gives each number as [lo, hi]
// with both ends outward-rounded to double (reproducible bit for bit at fixed precision).
#include <nlohmann/json.hpp>
#include <string>

#include "numerics/interval/interval.hpp"

namespace gradcert::reports {

std::string interval_text(const IntervalM& x, int digits = 10);
nlohmann::json interval_json(const IntervalM& x);

}  // namespace gradcert::reports
