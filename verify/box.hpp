#pragma once
// Interval boxes (vectors of MPFR intervals) and the geometry the checks need. Every bound is
// rigorous: lower bounds round down, upper bounds round up.
#include <Eigen/Dense>
#include <utility>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert::verify {

using Box = VectorI<Mpfr>;

Box make_box(
    const std::vector<std::pair<IntervalM, IntervalM>>& bounds);  // [lo_i.lower, hi_i.upper]
Box point_box(const Eigen::VectorXd& p);                          // exact thin box
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
std::vector<double> box_lower(const Box& b);
std::vector<double> box_upper(const Box& b);

}  // namespace gradcert::verify
