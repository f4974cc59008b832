#pragma once
// How a family's smoothed objective is solved at one smoothing degree: directly (branch and
// bound in d dimensions) or coordinate by coordinate for separable families. Both give results
// in the full space with the same contracts as global_minimizer.hpp and curvature.hpp.
#include <memory>
#include <optional>
#include <string>

#include "theory/kernel.hpp"
#include "verify/curvature.hpp"
#include "verify/family_file.hpp"
#include "verify/global_minimizer.hpp"
#include "verify/lipschitz.hpp"

namespace gradcert::verify {

class StageGeometry {
  public:
    virtual ~StageGeometry() = default;
    virtual std::string method() const = 0;
    // Every global minimizer of f̂_δ on the domain lies in a returned cluster.
    virtual MinimizerResult minimizers(const IntervalM& delta) = 0;
    // λ_min(∇²f̂_δ) on the union of balls B(x; r), x ∈ cluster (see certify_curvature).
    virtual CurvatureResult curvature(const IntervalM& delta, const Box& cluster,
                                      const IntervalM& radius,
                                      const std::optional<IntervalM>& sigma) = 0;
    // Encloses max ‖∇f‖ over the domain for the unsmoothed f.
    virtual IntervalM lipschitz() = 0;
    // Non-rigorous values of f̂_δ at points, for figures.
    virtual double value_estimate(const IntervalM& delta, const Eigen::VectorXd& x) = 0;
};

// The objective f̂_δ of a decomposition under a kernel (δ = 0 gives f itself).
Objective smoothed_objective(const expr::Decomposition& decomposition, const theory::Kernel& kernel,
                             const IntervalM& delta);

// The objective f̂_δ of a family: the closed forms of theory/smoothed_function.hpp, or verified
// cubature when family.cubature (verify/cubature_objective.hpp; δ = 0 gives f itself).
Objective family_objective(const FamilySpec& family, const theory::Kernel& kernel,
                           const IntervalM& delta);

std::unique_ptr<StageGeometry> make_stage_geometry(const FamilySpec& family,
                                                   const theory::Kernel& kernel,
                                                   const MinimizerOptions& minimizer,
                                                   const CurvatureOptions& curvature,
                                                   bool use_separability,
                                                   const LipschitzOptions& lipschitz = {});

}  // namespace gradcert::verify
