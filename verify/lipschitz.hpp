#pragma once
// Certified Lipschitz constant of f on a box: L = max ‖∇f‖₂ over the box, enclosed by branch and
// bound on the gradient enclosure (upper) and point evaluations (lower).
#include "verify/box.hpp"
#include "verify/objective.hpp"

namespace gradcert::verify {

// Budgets of the search (docs/precision.md, "Budgets"); the result is a rigorous enclosure
// whatever their values, they decide how tight it is.
struct LipschitzOptions {
    int max_boxes = 4000;        // boxes refined before the enclosure is returned as it stands
    double relative_gap = 1e-3;  // stop when upper ≤ lower·(1 + gap)
};

// Encloses max_{x ∈ box} ‖∇f(x)‖₂: the lower end is attained at a point (rigorous), the upper
// end bounds every point of the box (rigorous).
IntervalM lipschitz_on_box(const Objective& f, const Box& box,
                           const LipschitzOptions& options = {});

}  // namespace gradcert::verify
