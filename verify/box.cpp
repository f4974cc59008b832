#include "verify/box.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gradcert::verify {

Box make_box(const std::vector<std::pair<IntervalM, IntervalM>>& bounds) {
    Box b(static_cast<Eigen::Index>(bounds.size()));
    for (size_t i = 0; i < bounds.size(); ++i)
        b[static_cast<Eigen::Index>(i)] =
            IntervalM(bounds[i].first.lower(), bounds[i].second.upper());
    return b;
}

Domain make_domain(const std::vector<std::pair<IntervalM, IntervalM>>& bounds) {
    Domain d;
    for (const auto& [lo, hi] : bounds) {
        d.lo.push_back(lo);
        d.hi.push_back(hi);
    }
    return d;
}

Box Domain::outer() const {
    Box b(dim());
    for (int i = 0; i < dim(); ++i) b[i] = IntervalM(lo[i].lower(), hi[i].upper());
    return b;
}

bool Domain::certainly_inside(const Eigen::VectorXd& p) const {
    if (p.size() != dim()) return false;
    for (int i = 0; i < dim(); ++i) {
        if (!std::isfinite(p[i])) return false;
        // mpfr_cmp_d is exact: lo_i.upper ≤ p_i and p_i ≤ hi_i.lower.
        if (mpfr_cmp_d(raw(lo[i].upper()), p[i]) > 0) return false;
        if (mpfr_cmp_d(raw(hi[i].lower()), p[i]) < 0) return false;
    }
    return true;
}

Eigen::VectorXd Domain::project_inside(Eigen::VectorXd p) const {
    for (int i = 0; i < dim() && i < p.size(); ++i) {
        // The first double above lo_i.upper and the last below hi_i.lower (strictly inside).
        const double lo_d = std::nextafter(mpfr_get_d(raw(lo[i].upper()), MPFR_RNDD), HUGE_VAL);
        const double hi_d = std::nextafter(mpfr_get_d(raw(hi[i].lower()), MPFR_RNDU), -HUGE_VAL);
        if (!(lo_d <= hi_d)) continue;
        p[i] = std::isnan(p[i]) ? lo_d : std::clamp(p[i], lo_d, hi_d);
    }
    return p;
}

bool Domain::touches_lower_face(const Box& x, int i) const {
    return !(x[i].lower() > lo[i].upper());
}

bool Domain::touches_upper_face(const Box& x, int i) const {
    return !(x[i].upper() < hi[i].lower());
}

Box clip_to_outer(const Box& b, const Domain& domain) {
    const Box outer = domain.outer();
    Box out = b;
    for (Eigen::Index i = 0; i < b.size(); ++i)
        if (auto c = intersect(b[i], outer[i])) out[i] = *c;
    return out;
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

namespace {

std::string exact_hex(const Mpfr& v) {
    char* text = nullptr;
    if (mpfr_asprintf(&text, "%Ra", raw(v)) < 0 || !text)
        throw std::runtime_error("exact_key: mpfr_asprintf failed");
    std::string out(text);
    mpfr_free_str(text);
    return out;
}

}  // namespace

std::string exact_key(const IntervalM& x) {
    return "[" + exact_hex(x.lower()) + "," + exact_hex(x.upper()) + "]";
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
