#pragma once
// Rigorous enclosure of every global minimizer of an objective over a box (interval branch and
// bound). Contract: every global minimizer of the objective on `domain` (the exact set the bounds'
// decimals state; see Domain) lies in the union of the
// returned clusters, whatever the budget; `status` says whether the search finished (if not,
// unresolved boxes are returned as clusters too, so the result stays sound but wide).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "verify/box.hpp"
#include "verify/objective.hpp"

namespace gradcert::verify {

struct MinimizerTrace;  // verify/certificate.hpp

// The budgets and tolerances of the search (docs/precision.md, "Budgets"). None of them affects
// soundness: the clusters contain every global minimizer whatever their values; they decide how
// much work is spent and so how narrow the clusters are.
struct MinimizerOptions {
    // --- the rigorous branch and bound ---
    int max_boxes = 50000;         // boxes processed before giving up refinement
    double box_tolerance = 1e-7;   // boxes narrower than this are not split further
    int krawczyk_iterations = 30;  // refinement steps of a proved cluster
    // Interior boxes narrower than this fraction of the domain's widest side are tried with the
    // Krawczyk test (no stationary point: discarded; exactly one: a leaf). Default 0.05.
    double krawczyk_width_fraction = 0.05;
    // Before proving an interior cluster holds one stationary point, its box is inflated by this
    // fraction of its widest side (at least min_cluster_inflation). Defaults 0.05 and 1e-12.
    double cluster_inflation = 0.05;
    double min_cluster_inflation = 1e-12;
    // Separable search: above this many combinations of per-coordinate clusters, each
    // coordinate's clusters are merged into their hull. Default 16.
    int max_product_clusters = 16;

    // --- the floating-point multi-start estimate that seeds the upper bound (estimates only) ---
    int starts_per_dim = 9;      // grid points per coordinate of the start grid
    int max_grid_starts = 4096;  // a larger grid is replaced by random_starts random points
    int random_starts = 256;     // uniform random starts when the grid is too large
    unsigned long long start_seed = 12345;  // seed of those random starts (reproducible)
    int descent_iterations = 200;           // projected descent steps per start
    int descent_backtracks = 40;            // step halvings tried before a descent step gives up
    double descent_gradient_tolerance = 1e-14;  // descent stops once ‖∇f‖ is below this
    double descent_move_tolerance = 1e-15;  // a step moving < this·(1 + ‖x‖) counts as no move

    // Called with the boxes processed so far, every progress_every boxes (progress on stderr).
    // May be empty.
    std::function<void(int)> progress;
    int progress_every = 4096;
    bool record_certificate = false;  // fill MinimizerResult::trace (docs/certificate.md)
};

struct MinimizerCluster {
    Box box;                         // contains the cluster's candidate minimizers
    bool unique_stationary = false;  // Krawczyk proved exactly one stationary point in `box`
    bool interior = false;           // box lies strictly inside the domain's inner box
    IntervalM value;                 // enclosure of the objective over `box`
};

// How a minimizer search ended; in every case each global minimizer lies in the clusters.
enum class SearchStatus {
    complete,                    // every box was resolved within the budget
    budget_exhausted,            // max_boxes reached: unresolved boxes are candidate clusters
    coordinate_budget_exhausted  // separable search: the budget ran out in some coordinate
};
// The sentence reports print for an incomplete search; "" for SearchStatus::complete.
std::string_view search_status_note(SearchStatus status);

struct MinimizerResult {
    std::vector<MinimizerCluster> clusters;
    IntervalM min_value;         // encloses min over the domain
    Eigen::VectorXd best_point;  // the point giving the upper bound (certainly in the domain)
    int boxes_processed = 0;
    SearchStatus status = SearchStatus::budget_exhausted;
    bool complete() const { return status == SearchStatus::complete; }
    std::shared_ptr<const MinimizerTrace> trace;  // with options.record_certificate
};

MinimizerResult enclose_global_minimizers(const Objective& f, const Domain& domain,
                                          const MinimizerOptions& options = {});

// Floating-point local minimisation from a grid of starts, projected into the inner box; returns
// the best point found (an estimate, used only to seed the rigorous upper bound). Uses the
// multi-start fields of `options`.
Eigen::VectorXd estimate_global_minimizer(const Objective& f, const Domain& domain,
                                          const MinimizerOptions& options);

}  // namespace gradcert::verify
