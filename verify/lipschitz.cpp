#include "verify/lipschitz.hpp"

#include <algorithm>
#include <queue>

namespace gradcert::verify {

namespace {

IntervalM gradient_norm(const VectorI<Mpfr>& g) {
    IntervalM s(0);
    for (Eigen::Index i = 0; i < g.size(); ++i) s += sqr(g[i]);
    return sqrt(s);
}

struct Pending {
    Box box;
    double upper;
    bool operator<(const Pending& o) const { return upper < o.upper; }  // max-heap on upper
};

}  // namespace

IntervalM lipschitz_on_box(const Objective& f, const Box& box, const LipschitzOptions& options) {
    double lower = 0;
    auto try_point = [&](const Box& b) {
        Box p = point_box(box_mid(b));
        if (box_subset(p, box))
            lower = std::max(lower, gradient_norm(f.enclose(p).grad).lower_double());
    };
    std::priority_queue<Pending> queue;
    queue.push({box, gradient_norm(f.enclose(box).grad).upper_double()});
    int processed = 0;
    while (processed < options.max_boxes &&
           queue.top().upper > lower * (1 + options.relative_gap)) {
        Pending item = queue.top();
        queue.pop();
        ++processed;
        try_point(item.box);
        auto [left, right] = bisect(item.box, widest_coordinate(item.box));
        for (const Box& child : {left, right})
            queue.push(
                {child, std::min(item.upper, gradient_norm(f.enclose(child).grad).upper_double())});
    }
    double upper = queue.top().upper;
    return IntervalM(Mpfr(std::min(lower, upper)), Mpfr(upper));
}

}  // namespace gradcert::verify
