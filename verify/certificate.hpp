#pragma once
// Verdict certificates (docs/certificate.md, format version 1): the trees the searches record
// when asked (MinimizerOptions::record_certificate, CurvatureOptions::record_certificate) and
// the JSON writer of `gradcert check --certificate`.
//
// The searches stay untrusted: a trace only states what they did (splits, reductions, prune
// reasons with the point or proof they rest on, which cluster a kept box belongs to); the
// independent checker (`gradcert recheck`) recomputes every number from the family. Recording
// costs nothing when no certificate is requested (the recorder pointers are null).
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "numerics/expr/decompose.hpp"
#include "verify/box.hpp"

namespace gradcert::verify {

struct FamilyCheckResult;

// The node kinds of docs/certificate.md (`open` is a node not yet resolved: a recording bug,
// written as {"unresolved": true} so that any checker rejects it).
enum class TraceKind {
    open,
    split,           // children[0]: coordinate `coord` ≤ at, children[1]: ≥ at
    reduce,          // children[0]: the box on the domain face (`upper` says which)
    reduce_empty,    // reduce whose face intersection is empty (a leaf)
    prune_value,     // inf f̂(box) ≥ claim > sup f̂(points[index])
    prune_gradient,  // ∂_coord f̂ has one sign, the box meets no face in `coord`
    prune_concave,   // ∂²_coord f̂ < 0, the box meets no face in `coord`
    no_stationary,   // ∇f̂ ≠ 0 on the box (index: the Krawczyk proof it rests on, or −1)
    keep,            // the box lies in clusters[index].box
    bound,           // curvature: λ_min ≥ claim on the box
    far              // curvature: the box is farther than the radius from the cluster
};

struct TraceNode {
    TraceKind kind = TraceKind::open;
    int coord = -1;
    Mpfr at;             // split point
    bool upper = false;  // reduce: the upper face
    int children[2] = {-1, -1};
    int index = -1;
    double claim = 0;  // prune_value: claimed lower bound of f̂; bound: claimed λ_min bound
};

// "Every zero of ∇f̂ in `box` lies in `refined`" (one Krawczyk step, K(box) ∩ box; `unique`:
// K(box) ⊂ int(box), so exactly one zero).
struct KrawczykProof {
    Box box;
    Box refined;
    bool unique = false;
};

struct MinimizerTrace {
    Box root;
    std::vector<TraceNode> nodes;         // nodes[0] is the root
    std::vector<Eigen::VectorXd> points;  // every point that improved the upper bound
    std::vector<KrawczykProof> krawczyk;
    std::vector<Box> clusters;                       // the result's clusters, in order
    std::vector<std::vector<int>> cluster_krawczyk;  // per result cluster: proofs of its box
    // Separable geometry: the 1-D traces per coordinate (shared where the search's cache was hit).
    std::vector<std::shared_ptr<const MinimizerTrace>> coordinates;
};

struct CurvatureTrace {
    Box root;
    std::vector<TraceNode> nodes;
    double certified_lower = -HUGE_VAL;
    std::optional<double> witness_upper;
    Eigen::VectorXd witness_point, witness_direction;
    std::vector<std::shared_ptr<const CurvatureTrace>> coordinates;  // separable geometry
};

// Records what enclose_global_minimizers does (verify/global_minimizer.cpp).
class MinimizerRecorder {
  public:
    explicit MinimizerRecorder(const Box& root);
    static constexpr int root_node = 0;

    void point(const Eigen::VectorXd& p);  // p improved the upper bound
    std::pair<int, int> split(int node, int coord, const Mpfr& at);
    int reduce(int node, int coord, bool upper);  // returns the child
    void set(int node, TraceKind kind, int coord = -1, bool upper = false);
    void prune_value(int node, double lower);  // against the current best point
    int krawczyk(const Box& box, const Box& refined, bool unique);
    // A search leaf: node `node` with box `node_box`; `proof` (or −1) shows every stationary
    // point of the node box lies in the leaf's (smaller) box.
    void leaf(int node, const Box& node_box, int proof);
    // Final fate of a leaf: carved down through `proofs` (the leaf's own first, then those of
    // its cluster, ending in the cluster box), the slabs cut off become no-stationary, the rest
    // is kept in `cluster` or, with cluster = −1, pruned by value with `lower`.
    void settle_leaf(int node, const std::vector<int>& proofs, int cluster, double lower);
    // The next result cluster and the proofs its box rests on.
    void cluster(const Box& box, std::vector<int> proofs);
    std::shared_ptr<const MinimizerTrace> finish() { return trace_; }

  private:
    struct LeafRecord {
        Box box;
        int proof = -1;
    };
    std::shared_ptr<MinimizerTrace> trace_;
    std::unordered_map<int, LeafRecord> leaves_;
};

// Records what certify_curvature does (verify/curvature.cpp).
class CurvatureRecorder {
  public:
    explicit CurvatureRecorder(const Box& root);
    std::pair<int, int> split(int node, int coord, const Mpfr& at);
    void far(int node);
    void bound(int node, double lower);
    std::shared_ptr<CurvatureTrace> finish() { return trace_; }

  private:
    std::shared_ptr<CurvatureTrace> trace_;
};

// Whether `gradcert recheck` covers every term of f (polynomials and cos/sin/exp ridge terms,
// under all three kernels); softplus/tanh ridge terms are not covered.
struct RecheckSupport {
    bool supported = true;
    std::string reason;
};
RecheckSupport recheck_support(const expr::Decomposition& d);
struct FamilySpec;
// The same for a family: a family smoothed by verified cubature (FamilySpec::cubature) is not
// covered (the checker has no cubature; docs/certificate.md).
RecheckSupport recheck_support(const FamilySpec& family);

// The certificate of a check (docs/certificate.md). Throws std::logic_error when the check was
// run without recording (options.minimizer/curvature.record_certificate).
std::string certificate_json(const FamilyCheckResult& r);

// The bound a certificate states for a curvature `bound` leaf whose search bound is `lb`: rounded
// down by slack = 2^-40·max(|lb|, 2^-60) so that an independent enclosure can confirm a bound
// that equals the true λ_min at a point of the box, but never across the verdict threshold:
// with σ (its enclosure) and lb ≥ σ_hi the result stays ≥ σ_hi (slack at most (lb − σ_hi)/2,
// none when lb = σ_hi); without σ (σ_m mode) and lb > 0 it stays > 0 (slack at most lb/2).
// Always ≤ lb; infinite bounds are stated as they are (docs/certificate.md, "Stated bounds").
double stated_curvature_bound(double lb, const std::optional<IntervalM>& sigma);

// Exact C99 hexadecimal form of a number, as MPFR's %Ra prints it ("inf"/"-inf" for infinities).
std::string hex_number(const Mpfr& x);
std::string hex_number(double x);

}  // namespace gradcert::verify
