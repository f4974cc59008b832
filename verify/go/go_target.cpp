#include "verify/go/go_target.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "verify/box.hpp"
#include "verify/family_check.hpp"

namespace gradcert::verify::go {

double CertifiedTarget::distance(const Eigen::VectorXd& x) const {
    double best = std::numeric_limits<double>::infinity();
    for (const auto& c : centers) best = std::min(best, (x - c).norm());
    return best;
}

double CertifiedTarget::max_norm_distance(const Eigen::VectorXd& x) const {
    double best = std::numeric_limits<double>::infinity();
    for (const auto& c : centers) best = std::min(best, (x - c).lpNorm<Eigen::Infinity>());
    return best;
}

double CertifiedTarget::max_radius() const {
    double r = 0.0;
    for (double v : radii) r = std::max(r, v);
    return r;
}

TargetCertifier::TargetCertifier(const FamilySpec& family)
    : kernel_(family_kernel(family)),
      geometry_(make_stage_geometry(family, kernel_, MinimizerOptions{}, CurvatureOptions{}, true)),
      method_(geometry_->method()) {}

CertifiedTarget TargetCertifier::at(const IntervalM& delta) {
    const MinimizerResult r = geometry_->minimizers(delta);
    CertifiedTarget t;
    t.delta = delta;
    t.min_value = r.min_value;
    t.complete = r.complete();
    t.boxes_processed = r.boxes_processed;
    t.unique = r.clusters.size() == 1 && r.clusters.front().unique_stationary;
    for (const MinimizerCluster& c : r.clusters) {
        t.boxes.push_back(c.box);
        t.centers.push_back(box_mid(c.box));
        // Half-diagonal: ‖width/2‖₂, rounded up generously (+1 ulp-scale relative slack).
        double sq = 0.0;
        for (Eigen::Index i = 0; i < c.box.size(); ++i) {
            const double half = static_cast<double>(c.box[i].width()) / 2.0;
            sq += half * half;
        }
        t.radii.push_back(std::sqrt(sq) * (1.0 + 1e-12) + 1e-300);
    }
    return t;
}

IntervalM TargetCertifier::lipschitz() {
    return geometry_->lipschitz();
}

}  // namespace gradcert::verify::go
