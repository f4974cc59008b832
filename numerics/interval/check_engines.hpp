#pragma once
// Interval engines evaluated by containment checks: the rigorous Interval<T>, and a deliberately
// NON-rigorous reference variant (Boost.Interval with round-to-nearest arithmetic and libm /
// MPFR-round-to-nearest transcendentals) that checks must catch. The non-rigorous variant exists
// only to show that a check is not vacuous; nothing else may use it.
#include <functional>
#include <utility>

#include "numerics/interval/check_cases.hpp"

namespace gradcert::interval_check {

// Output [lo, hi] as exact MPFR copies of the engine's endpoints.
using Enclosure = std::pair<Mpfr, Mpfr>;
using Engine = std::function<Enclosure(Op, const Case&)>;

Engine rigorous_double_engine();
Engine rigorous_mpfr_engine();  // at the caller's working_precision()
Engine nearest_double_engine();
Engine
nearest_mpfr_engine();  // Boost default precision set to ~working precision (not thread-safe)

}  // namespace gradcert::interval_check
