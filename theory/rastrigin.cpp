#include "theory/rastrigin.hpp"

#include <stdexcept>
#include <vector>

#include "numerics/util/error.hpp"

namespace gradcert::theory {

namespace {

// 40π² e^{−2π²δ²}: the amplitude of the smoothed cosine's curvature.
IntervalM smoothed_amplitude(const IntervalM& delta) {
    const IntervalM pi2 = sqr(IntervalM::pi());
    return 40 * pi2 * exp(-2 * pi2 * sqr(delta));
}

// κ on δ ≤ 1/6, where min_{|x|≤3δ} cos(2πx) = cos(6πδ).
IntervalM inner_branch(const IntervalM& delta) {
    return 2 + smoothed_amplitude(delta) * cos(6 * IntervalM::pi() * delta);
}

// κ on δ ≥ 1/6, where the ball contains a point with cos(2πx) = −1.
IntervalM outer_branch(const IntervalM& delta) {
    return 2 - smoothed_amplitude(delta);
}

}  // namespace

IntervalM rastrigin_smoothed_curvature(const IntervalM& delta, const IntervalM& x) {
    return 2 + smoothed_amplitude(delta) * cos(2 * IntervalM::pi() * x);
}

IntervalM rastrigin_min_curvature_on_ball(const IntervalM& delta) {
    if (certainly_lt(delta, IntervalM(0)))
        throw InternalError("rastrigin_min_curvature_on_ball: delta must be >= 0");
    const IntervalM sixth = IntervalM(1) / 6;
    if (certainly_le(delta, sixth)) return inner_branch(delta);
    if (certainly_ge(delta, sixth)) return outer_branch(delta);
    // δ straddles 1/6: both branches are valid enclosures of their part.
    return hull(inner_branch(IntervalM(delta.lower(), sixth.upper())),
                outer_branch(IntervalM(sixth.lower(), delta.upper())));
}

IntervalM rastrigin_curvature_two_threshold() {
    return IntervalM(1) / 12;
}

NonconvexityInterval rastrigin_nonconvexity_interval(const NonconvexityOptions& options) {
    // Bisection on [1/12, 1/6]: keep the boxes where κ may vanish; stop when they are narrow.
    const IntervalM a = IntervalM(1) / 12, b = IntervalM(1) / 6;
    std::vector<IntervalM> boxes{IntervalM(a.lower(), b.upper())};
    const Mpfr target_width = Mpfr(1) / Mpfr(options.inverse_target_width);
    for (int round = 0; round < options.max_rounds; ++round) {
        Mpfr widest(0);
        for (const IntervalM& box : boxes)
            if (box.width() > widest) widest = box.width();
        if (widest < target_width) break;
        std::vector<IntervalM> next;
        for (const IntervalM& box : boxes) {
            const Mpfr mid = box.mid();
            for (const IntervalM& half : {IntervalM(box.lower(), mid), IntervalM(mid, box.upper())})
                if (possibly_zero(inner_branch(half))) next.push_back(half);
        }
        boxes = std::move(next);
        if (boxes.empty()) throw InternalError("rastrigin: no sign change of kappa found");
    }
    IntervalM lower = boxes.front();
    for (const IntervalM& box : boxes) lower = hull(lower, box);
    const IntervalM pi2 = sqr(IntervalM::pi());
    const IntervalM upper = sqrt(log(20 * pi2) / (2 * pi2));
    return {lower, upper};
}

}  // namespace gradcert::theory
