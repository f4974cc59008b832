#pragma once
// Rigorous enclosure of every global minimizer of an objective over a box (interval branch and
// bound). Contract: every global minimizer of the objective on `domain` (the exact set the bounds'
// decimals state; see Domain) lies in the union of the
// returned clusters, whatever the budget; `complete` says whether the search finished (if not,
// unresolved boxes are returned as clusters too, so the result stays sound but wide).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "verify/box.hpp"
#include "verify/objective.hpp"

namespace gradcert::verify {

struct MinimizerTrace;  // verify/certificate.hpp

struct MinimizerOptions {
    int max_boxes = 50000;         // boxes processed before giving up refinement
    double box_tolerance = 1e-7;   // boxes narrower than this are not split further
    int krawczyk_iterations = 30;  // refinement steps of a proved cluster
    int starts_per_dim = 9;        // multi-start grid for the upper bound (capped at 4096 starts)
    // Called with the boxes processed so far, every 4096 boxes (progress on stderr). May be empty.
    std::function<void(int)> progress;
    bool record_certificate = false;  // fill MinimizerResult::trace (docs/certificate.md)
};

struct MinimizerCluster {
    Box box;                         // contains the cluster's candidate minimizers
    bool unique_stationary = false;  // Krawczyk proved exactly one stationary point in `box`
    bool interior = false;           // box lies strictly inside the domain's inner box
    IntervalM value;                 // enclosure of the objective over `box`
};

struct MinimizerResult {
    std::vector<MinimizerCluster> clusters;
    IntervalM min_value;         // encloses min over the domain
    Eigen::VectorXd best_point;  // the point giving the upper bound (certainly in the domain)
    int boxes_processed = 0;
    bool complete = false;
    std::string note;
    std::shared_ptr<const MinimizerTrace> trace;  // with options.record_certificate
};

MinimizerResult enclose_global_minimizers(const Objective& f, const Domain& domain,
                                          const MinimizerOptions& options = {});

// Floating-point local minimisation from a grid of starts, projected into the inner box; returns
// the best point found (an estimate, used only to seed the rigorous upper bound).
Eigen::VectorXd estimate_global_minimizer(const Objective& f, const Domain& domain,
                                          int starts_per_dim);

}  // namespace gradcert::verify
