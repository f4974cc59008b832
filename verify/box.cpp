#include "verify/box.hpp"

#include <stdexcept>

namespace gradcert::verify {

Box make_box(const std::vector<std::pair<IntervalM, IntervalM>>& bounds) {
    Box b(static_cast<Eigen::Index>(bounds.size()));
    for (size_t i = 0; i < bounds.size(); ++i)
        b[static_cast<Eigen::Index>(i)] =
            IntervalM(bounds[i].first.lower(), bounds[i].second.upper());
    return b;
}

Box point_box(const Eigen::VectorXd& p) {
    Box b(p.size());
    for (Eigen::Index i = 0; i < p.size(); ++i) b[i] = IntervalM(p[i]);
    return b;
}

Box hull(const Box& a, const Box& b) {
    Box h(a.size());
    for (Eigen::Index i = 0; i < a.size(); ++i) h[i] = gradcert::hull(a[i], b[i]);
    return h;
}

Eigen::VectorXd box_mid(const Box& b) {
    Eigen::VectorXd m(b.size());
    for (Eigen::Index i = 0; i < b.size(); ++i) m[i] = b[i].mid().template convert_to<double>();
    return m;
}

double max_width(const Box& b) {
    double w = 0;
    for (Eigen::Index i = 0; i < b.size(); ++i)
        w = std::max(w, IntervalM(b[i].width()).upper_double());
    return w;
}

int widest_coordinate(const Box& b) {
    int best = 0;
    for (Eigen::Index i = 1; i < b.size(); ++i)
        if (b[i].width() > b[best].width()) best = static_cast<int>(i);
    return best;
}

std::pair<Box, Box> bisect(const Box& b, int coordinate) {
    Box left = b, right = b;
    Mpfr m = b[coordinate].mid();
    left[coordinate] = IntervalM(b[coordinate].lower(), m);
    right[coordinate] = IntervalM(m, b[coordinate].upper());
    return {left, right};
}

Box inflate(const Box& b, const IntervalM& r) {
    Box out(b.size());
    for (Eigen::Index i = 0; i < b.size(); ++i) {
        IntervalM lo = IntervalM(b[i].lower()) - r;
        IntervalM hi = IntervalM(b[i].upper()) + r;
        out[i] = IntervalM(lo.lower(), hi.upper());
    }
    return out;
}

bool boxes_touch(const Box& a, const Box& b) {
    for (Eigen::Index i = 0; i < a.size(); ++i)
        if (!overlaps(a[i], b[i])) return false;
    return true;
}

bool box_subset(const Box& a, const Box& b) {
    for (Eigen::Index i = 0; i < a.size(); ++i)
        if (!subset(a[i], b[i])) return false;
    return true;
}

namespace {

// Per coordinate: the enclosures of the smallest and largest |x − y| over x ∈ a_i, y ∈ b_i.
IntervalM coordinate_gap(const IntervalM& a, const IntervalM& b) {
    if (overlaps(a, b)) return IntervalM(0);
    IntervalM d = certainly_lt(a, b) ? IntervalM(b.lower()) - IntervalM(a.upper())
                                     : IntervalM(a.lower()) - IntervalM(b.upper());
    return d;
}

IntervalM coordinate_span(const IntervalM& a, const IntervalM& b) {
    IntervalM d1 = abs(IntervalM(b.upper()) - IntervalM(a.lower()));
    IntervalM d2 = abs(IntervalM(a.upper()) - IntervalM(b.lower()));
    return max(d1, d2);
}

}  // namespace

IntervalM min_distance(const Box& a, const Box& b) {
    IntervalM s(0);
    for (Eigen::Index i = 0; i < a.size(); ++i) s += sqr(coordinate_gap(a[i], b[i]));
    return sqrt(s);
}

IntervalM max_distance(const Box& a, const Box& b) {
    IntervalM s(0);
    for (Eigen::Index i = 0; i < a.size(); ++i) s += sqr(coordinate_span(a[i], b[i]));
    return sqrt(s);
}

bool certainly_within(const Eigen::VectorXd& p, const Box& b, const IntervalM& r) {
    return certainly_le(max_distance(point_box(p), b), r);
}

std::vector<double> box_lower(const Box& b) {
    std::vector<double> v;
    for (Eigen::Index i = 0; i < b.size(); ++i) v.push_back(b[i].lower_double());
    return v;
}

std::vector<double> box_upper(const Box& b) {
    std::vector<double> v;
    for (Eigen::Index i = 0; i < b.size(); ++i) v.push_back(b[i].upper_double());
    return v;
}

}  // namespace gradcert::verify
