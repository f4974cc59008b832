#pragma once
// Interval boxes (vectors of MPFR intervals) and the geometry the checks need. Every bound is
// rigorous: lower bounds round down, upper bounds round up.
#include <Eigen/Dense>
#include <string>
#include <utility>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert::verify {

using Box = VectorI<Mpfr>;

Box make_box(
    const std::vector<std::pair<IntervalM, IntervalM>>& bounds);  // [lo_i.lower, hi_i.upper]

// The domain a family file states, ∏ [lo_i, hi_i] for the exact decimal bounds, kept as the
// enclosures lo_i, hi_i of those bounds (docs/certificate.md, "MINIMIZERS"). Every decision is
// one-sided: the outer box ⊇ domain serves lower bounds and the root of a search; only points of
// the inner box [lo_i.upper, hi_i.lower] ⊆ domain (certainly inside) serve upper bounds.
struct Domain {
    std::vector<IntervalM> lo, hi;  // enclosures of the bounds, lo_i certainly < hi_i

    int dim() const { return static_cast<int>(lo.size()); }
    Box outer() const;  // [lo_i.lower, hi_i.upper]
    // lo_i.upper ≤ p_i ≤ hi_i.lower for every i (exact comparisons; false for NaN or ±inf).
    bool certainly_inside(const Eigen::VectorXd& p) const;
    // p moved into the inner box coordinate by coordinate, at doubles strictly inside it, the
    // first double above lo_i.upper and the last below hi_i.lower at most (coordinates
    // whose inner side holds no double are left as they are: certainly_inside stays false).
    Eigen::VectorXd project_inside(Eigen::VectorXd p) const;
    // A box of the search may hold a point of the domain's face x_i = lo_i (resp. hi_i): it
    // reaches lo_i.upper (resp. hi_i.lower). A box touching neither lies strictly inside the
    // inner box in coordinate i, so all its points are interior to the domain there.
    bool touches_lower_face(const Box& x, int i) const;
    bool touches_upper_face(const Box& x, int i) const;
};
Domain make_domain(const std::vector<std::pair<IntervalM, IntervalM>>& bounds);
// b ∩ outer box coordinate by coordinate (b must meet it).
Box clip_to_outer(const Box& b, const Domain& domain);
Box point_box(const Eigen::VectorXd& p);  // exact thin box
Box hull(const Box& a, const Box& b);
// The double nearest to each midpoint: inside b unless a side is thinner than a double's
// spacing; callers that need containment check it.
Eigen::VectorXd box_mid(const Box& b);
double max_width(const Box& b);  // upper bound of the largest side
int widest_coordinate(const Box& b);
std::pair<Box, Box> bisect(const Box& b, int coordinate);
Box inflate(const Box& b, const IntervalM& r);  // b + [−r, r] on every side (r ≥ 0), rounded out
bool boxes_touch(const Box& a, const Box& b);   // the closed boxes intersect
bool box_subset(const Box& a, const Box& b);    // a ⊆ b
// Enclosure of min/max over x ∈ a, y ∈ b of ‖x − y‖₂.
IntervalM min_distance(const Box& a, const Box& b);
IntervalM max_distance(const Box& a, const Box& b);
// The point p lies within distance r of every point of box b (certainly).
bool certainly_within(const Eigen::VectorXd& p, const Box& b, const IntervalM& r);
// Both endpoints exactly, as hexadecimal floats ("[0x1.8p+1,0x1.8p+1]"): equal texts ⇔ equal
// intervals at any precision. For cache keys (a rounded decimal print would alias).
std::string exact_key(const IntervalM& x);
std::vector<double> box_lower(const Box& b);
std::vector<double> box_upper(const Box& b);

}  // namespace gradcert::verify
