#pragma once
// The point explicit graduated optimization is measured against: the global minimizer of f (or
// of f̂_δ) on the family's domain, CERTIFIED by interval branch and bound
// (verify/stage_geometry.hpp; separable families coordinate by coordinate). What is certified:
// every global minimizer lies in the union of the cluster boxes, and min f lies in
// min_value. What is an estimate: the distance from a floating-point iterate to a cluster's
// midpoint (the true minimizer is within `radius` of that midpoint).
#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "numerics/interval/interval.hpp"
#include "theory/kernel.hpp"
#include "verify/family_file.hpp"
#include "verify/stage_geometry.hpp"

namespace gradcert::verify::go {

struct CertifiedTarget {
    IntervalM delta;                       // 0 for f itself
    std::vector<Eigen::VectorXd> centers;  // cluster midpoints (doubles)
    std::vector<double> radii;             // upper bound of the Euclidean half-diagonal per cluster
    std::vector<Box> boxes;                // the cluster boxes themselves
    IntervalM min_value;                   // encloses min over the domain
    bool complete = false;                 // branch and bound finished (else boxes are wide)
    bool unique = false;                   // one cluster with a proved unique stationary point
    int boxes_processed = 0;

    // Euclidean / max-norm distance from x to the nearest cluster midpoint (estimates).
    double distance(const Eigen::VectorXd& x) const;
    double max_norm_distance(const Eigen::VectorXd& x) const;
    double max_radius() const;
};

// Certifies minimizers of f̂_δ for one family; memoises like the family check does.
class TargetCertifier {
  public:
    explicit TargetCertifier(const FamilySpec& family);
    CertifiedTarget at(const IntervalM& delta);
    // Encloses max ‖∇f‖ over the domain (unsmoothed f).
    IntervalM lipschitz();
    const std::string& method() const { return method_; }
    const theory::Kernel& kernel() const { return kernel_; }

  private:
    theory::Kernel kernel_;
    std::unique_ptr<StageGeometry> geometry_;
    std::string method_;
};

}  // namespace gradcert::verify::go
