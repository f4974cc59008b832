#include "verify/global_minimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <queue>
#include <random>
#include <stdexcept>

#include "numerics/linalg/krawczyk.hpp"
#include "numerics/util/error.hpp"
#include "verify/certificate.hpp"

namespace gradcert::verify {

namespace {

// Only points certainly inside the declared domain (its inner box) give upper bounds.
bool in_domain(const Eigen::VectorXd& p, const Domain& domain) {
    return domain.certainly_inside(p);
}

Eigen::VectorXd project(const Eigen::VectorXd& p, const Domain& domain) {
    return domain.project_inside(p);
}

// Projected descent with backtracking (any decrease) on the estimate; the Newton direction is
// used when the Hessian estimate is positive definite, the negative gradient otherwise.
Eigen::VectorXd local_descent(const Objective& f, Eigen::VectorXd x, const Domain& domain,
                              const MinimizerOptions& options) {
    double fx = f.value_estimate(x);
    for (int it = 0; it < options.descent_iterations; ++it) {
        Eigen::VectorXd g = f.gradient_estimate(x);
        if (!g.allFinite() || g.norm() < options.descent_gradient_tolerance) break;
        Eigen::VectorXd dir = -g;
        Eigen::LLT<Eigen::MatrixXd> llt(f.hessian_estimate(x));
        if (llt.info() == Eigen::Success) {
            Eigen::VectorXd newton = -llt.solve(g);
            if (newton.allFinite() && newton.dot(g) < 0) dir = newton;
        }
        double t = 1.0;
        bool moved = false;
        for (int k = 0; k < options.descent_backtracks; ++k, t *= 0.5) {
            Eigen::VectorXd y = project(x + t * dir, domain);
            double fy = f.value_estimate(y);
            if (std::isfinite(fy) && fy < fx) {
                moved = (y - x).norm() > options.descent_move_tolerance * (1 + x.norm());
                x = y;
                fx = fy;
                break;
            }
        }
        if (!moved) break;
    }
    return x;
}

std::vector<Eigen::VectorXd> start_points(const Box& domain,  // outer box
                                          const MinimizerOptions& options) {
    const int per_dim = options.starts_per_dim;
    const int d = static_cast<int>(domain.size());
    Eigen::VectorXd lo(d), hi(d);
    for (int i = 0; i < d; ++i) lo[i] = domain[i].lower_double(), hi[i] = domain[i].upper_double();
    std::vector<Eigen::VectorXd> starts;
    double grid = std::pow(per_dim, d);
    if (grid <= options.max_grid_starts) {
        std::vector<int> idx(d, 0);
        for (int n = 0; n < static_cast<int>(grid); ++n) {
            Eigen::VectorXd p(d);
            for (int i = 0; i < d; ++i) p[i] = lo[i] + (hi[i] - lo[i]) * (idx[i] + 0.5) / per_dim;
            starts.push_back(p);
            for (int i = 0; i < d && ++idx[i] == per_dim; ++i) idx[i] = 0;
        }
    } else {
        std::mt19937_64 rng(options.start_seed);  // fixed: the proposal is reproducible
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int n = 0; n < options.random_starts; ++n) {
            Eigen::VectorXd p(d);
            for (int i = 0; i < d; ++i) p[i] = lo[i] + (hi[i] - lo[i]) * u(rng);
            starts.push_back(p);
        }
    }
    return starts;
}

struct Leaf {
    Box box;
    IntervalM value;
    bool unique_stationary = false;
    int node = -1;  // certificate trace node (docs/certificate.md)
};

struct Pending {
    Box box;
    double lower;
    int node = 0;  // certificate trace node; 0 is the root
    bool operator<(const Pending& o) const { return lower > o.lower; }  // min-heap on lower
};

// Faces relative to the inner box (Domain::touches_*): "interior" means strictly inside it.
bool touches_lower_face(const Box& x, const Domain& domain, int i) {
    return domain.touches_lower_face(x, i);
}
bool touches_upper_face(const Box& x, const Domain& domain, int i) {
    return domain.touches_upper_face(x, i);
}
bool interior(const Box& x, const Domain& domain) {
    for (Eigen::Index i = 0; i < x.size(); ++i)
        if (touches_lower_face(x, domain, static_cast<int>(i)) ||
            touches_upper_face(x, domain, static_cast<int>(i)))
            return false;
    return true;
}

enum class Monotonicity { keep, discard, reduced };

// X_i ∩ face (the enclosure of the bound); false when empty. Sets `changed` if X_i shrank.
bool restrict_to_face(IntervalM& xi, const IntervalM& face, bool& changed) {
    std::optional<IntervalM> cut = intersect(xi, face);
    if (!cut) return false;
    if (!(cut->lower() == xi.lower() && cut->upper() == xi.upper())) xi = *cut, changed = true;
    return true;
}

// First-order test per coordinate: where ∂_i f has a certain sign on X, a minimizer in X must sit
// on the domain face it decreases towards, x_i = lo_i (resp. hi_i), a point of the bound's
// enclosure; X_i is intersected with that enclosure (docs/certificate.md, "reduce"), or X is
// discarded when it cannot reach the face or the intersection is empty.
Monotonicity apply_monotonicity(Box& x, const Jet<IntervalM>& j, const Domain& domain) {
    Monotonicity result = Monotonicity::keep;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const IntervalM& g = j.grad[i];
        const int c = static_cast<int>(i);
        bool changed = false;
        if (certainly_positive(g)) {
            if (!touches_lower_face(x, domain, c)) return Monotonicity::discard;
            if (!restrict_to_face(x[i], domain.lo[i], changed)) return Monotonicity::discard;
        } else if (certainly_negative(g)) {
            if (!touches_upper_face(x, domain, c)) return Monotonicity::discard;
            if (!restrict_to_face(x[i], domain.hi[i], changed)) return Monotonicity::discard;
        }
        if (changed) result = Monotonicity::reduced;
    }
    return result;
}

// Certificate: the reduce nodes of a reduction (the returned node is the reduced box's) or the
// prune of a discard, stated on the box `before` apply_monotonicity changed it to `after`.
int record_monotonicity(MinimizerRecorder& rec, int node, const Box& before, const Box& after,
                        const Jet<IntervalM>& j, const Domain& domain, Monotonicity mono) {
    for (Eigen::Index i = 0; i < before.size(); ++i) {
        const int c = static_cast<int>(i);
        const bool upper = certainly_negative(j.grad[i]);
        if (!upper && !certainly_positive(j.grad[i])) continue;
        if (mono == Monotonicity::discard) {
            if (upper ? touches_upper_face(before, domain, c)
                      : touches_lower_face(before, domain, c))
                continue;
            const bool meets_other = upper ? touches_lower_face(before, domain, c)
                                           : touches_upper_face(before, domain, c);
            rec.set(node, meets_other ? TraceKind::reduce_empty : TraceKind::prune_gradient, c,
                    upper);
            return -1;
        }
        if (before[i].lower() != after[i].lower() || before[i].upper() != after[i].upper())
            node = rec.reduce(node, c, upper);
    }
    return node;
}

// Certificate: the split node of bisect(x) (the coordinate is the one `left` narrowed).
std::pair<int, int> record_bisection(MinimizerRecorder& rec, int node, const Box& x,
                                     const Box& left) {
    for (Eigen::Index i = 0; i < x.size(); ++i)
        if (left[i].upper() != x[i].upper())
            return rec.split(node, static_cast<int>(i), left[i].upper());
    return rec.split(node, widest_coordinate(x), left[widest_coordinate(x)].upper());
}

void record_leaf(MinimizerRecorder& rec, Leaf& leaf, int node, const Box& node_box, int proof) {
    leaf.node = node;
    rec.leaf(node, node_box, proof);
}

// Second-order test: along a coordinate in which X is interior, a minimizer has ∂_ii f ≥ 0.
bool certainly_not_minimum(const Box& x, const Jet<IntervalM>& j, const Domain& domain) {
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const int c = static_cast<int>(i);
        if (!touches_lower_face(x, domain, c) && !touches_upper_face(x, domain, c) &&
            certainly_negative(j.hess(i, i)))
            return true;
    }
    return false;
}

// Certificate: the coordinate certainly_not_minimum found.
void record_concave(MinimizerRecorder& rec, int node, const Box& x, const Jet<IntervalM>& j,
                    const Domain& domain) {
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const int c = static_cast<int>(i);
        if (!touches_lower_face(x, domain, c) && !touches_upper_face(x, domain, c) &&
            certainly_negative(j.hess(i, i)))
            return rec.set(node, TraceKind::prune_concave, c);
    }
}

KrawczykResult<Mpfr> krawczyk_on_gradient(const Objective& f, const Box& x) {
    auto F = [&](const Box& b) { return VectorI<Mpfr>(f.enclose(b).grad); };
    auto J = [&](const Box& b) { return MatrixI<Mpfr>(f.enclose(b).hess); };
    return krawczyk<Mpfr>(x, F, J);
}

// Iterates the Krawczyk operator on a box proved to hold one stationary point.
// `proofs` (certificates) receives each step.
Box refine_stationary_box(const Objective& f, Box x, int iterations,
                          std::vector<KrawczykProof>* proofs = nullptr) {
    for (int k = 0; k < iterations; ++k) {
        KrawczykResult<Mpfr> r = krawczyk_on_gradient(f, x);
        if (r.verdict != KrawczykVerdict::unique_zero) break;
        if (proofs) proofs->push_back({x, r.refined, true});
        double before = max_width(x);
        x = r.refined;
        if (max_width(x) > 0.5 * before) break;
    }
    return x;
}

// Groups leaves whose closed boxes touch (connected components).
std::vector<std::vector<int>> touching_components(const std::vector<Leaf>& leaves) {
    const int n = static_cast<int>(leaves.size());
    std::vector<int> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](int a) {
        while (parent[a] != a) a = parent[a] = parent[parent[a]];
        return a;
    };
    for (int a = 0; a < n; ++a)
        for (int b = a + 1; b < n; ++b)
            if (boxes_touch(leaves[a].box, leaves[b].box)) parent[find(a)] = find(b);
    std::vector<std::vector<int>> groups;
    std::vector<int> slot(n, -1);
    for (int a = 0; a < n; ++a) {
        int r = find(a);
        if (slot[r] < 0) slot[r] = static_cast<int>(groups.size()), groups.emplace_back();
        groups[slot[r]].push_back(a);
    }
    return groups;
}

MinimizerCluster make_cluster(const Objective& f, const std::vector<Leaf>& leaves,
                              const std::vector<int>& members, const Domain& domain,
                              const MinimizerOptions& options,
                              std::vector<KrawczykProof>* proofs = nullptr) {
    MinimizerCluster c;
    c.box = leaves[members[0]].box;
    for (int m : members) c.box = hull(c.box, leaves[m].box);
    c.interior = interior(c.box, domain);
    if (members.size() == 1 && leaves[members[0]].unique_stationary) {
        c.unique_stationary = true;
    } else if (c.interior) {
        // A minimizer inside an interior cluster is stationary: prove there is only one.
        Box wide =
            inflate(c.box, IntervalM(std::max(options.min_cluster_inflation,
                                              options.cluster_inflation * max_width(c.box))));
        if (interior(wide, domain)) {
            KrawczykResult<Mpfr> r = krawczyk_on_gradient(f, wide);
            if (r.verdict == KrawczykVerdict::unique_zero) {
                c.unique_stationary = true;
                c.box = r.refined;
                if (proofs) proofs->push_back({wide, r.refined, true});
            }
        }
    }
    if (c.unique_stationary)
        c.box = refine_stationary_box(f, c.box, options.krawczyk_iterations, proofs);
    c.box = clip_to_outer(c.box, domain);  // the domain holds every minimizer
    c.value = f.value(c.box);
    return c;
}

// Certificate: the fate of a cluster's member leaves (kept in cluster `index`, or pruned by value
// when index = −1) and the Krawczyk proofs its box rests on.
void record_cluster(MinimizerRecorder& rec, const std::vector<Leaf>& leaves,
                    const std::vector<int>& members, const std::vector<KrawczykProof>& proofs,
                    const MinimizerCluster& c, int index) {
    std::vector<int> ids;
    for (const KrawczykProof& p : proofs) ids.push_back(rec.krawczyk(p.box, p.refined, p.unique));
    for (int m : members) rec.settle_leaf(leaves[m].node, ids, index, c.value.lower_double());
    if (index >= 0) rec.cluster(c.box, ids);
}

}  // namespace

std::string_view search_status_note(SearchStatus status) {
    switch (status) {
        case SearchStatus::complete:
            return "";
        case SearchStatus::budget_exhausted:
            return "box budget exhausted: unresolved boxes are kept as candidate clusters";
        case SearchStatus::coordinate_budget_exhausted:
            return "box budget exhausted in some coordinate";
    }
    throw InternalError("search_status_note: invalid status");
}

Eigen::VectorXd estimate_global_minimizer(const Objective& f, const Domain& domain,
                                          const MinimizerOptions& options) {
    Eigen::VectorXd best = project(box_mid(domain.outer()), domain);
    double best_value = f.value_estimate(best);
    for (const Eigen::VectorXd& s : start_points(domain.outer(), options)) {
        Eigen::VectorXd x = local_descent(f, project(s, domain), domain, options);
        double v = f.value_estimate(x);
        if (v < best_value) best = x, best_value = v;
    }
    return best;
}

MinimizerResult enclose_global_minimizers(const Objective& f, const Domain& domain,
                                          const MinimizerOptions& options) {
    MinimizerResult result;
    std::unique_ptr<MinimizerRecorder> recorder;
    if (options.record_certificate) recorder = std::make_unique<MinimizerRecorder>(domain.outer());
    result.best_point = estimate_global_minimizer(f, domain, options);
    double ub = std::numeric_limits<double>::infinity();
    auto try_upper_bound = [&](const Eigen::VectorXd& p) {
        if (!in_domain(p, domain)) return;
        double v = f.value(point_box(p)).upper_double();
        if (v < ub) {
            ub = v, result.best_point = p;
            if (recorder) recorder->point(p);
        }
    };
    try_upper_bound(result.best_point);

    std::priority_queue<Pending> queue;
    queue.push({domain.outer(), -std::numeric_limits<double>::infinity()});  // ⊇ domain
    std::vector<Leaf> leaves;
    const double krawczyk_width = options.krawczyk_width_fraction * max_width(domain.outer());
    while (!queue.empty()) {
        Pending item = queue.top();
        queue.pop();
        if (recorder && item.lower > ub) recorder->prune_value(item.node, item.lower);
        if (item.lower > ub) continue;
        if (result.boxes_processed >= options.max_boxes) {
            leaves.push_back({item.box, f.value(item.box), false});
            if (recorder) record_leaf(*recorder, leaves.back(), item.node, item.box, -1);
            continue;
        }
        ++result.boxes_processed;
        if (options.progress && result.boxes_processed % options.progress_every == 0)
            options.progress(result.boxes_processed);
        Box x = item.box;
        Jet<IntervalM> j = f.enclose(x);
        if (recorder && j.value.lower_double() > ub)
            recorder->prune_value(item.node, j.value.lower_double());
        if (j.value.lower_double() > ub) continue;
        const Box before = recorder ? x : Box();
        Monotonicity mono = apply_monotonicity(x, j, domain);
        const int node =
            recorder ? record_monotonicity(*recorder, item.node, before, x, j, domain, mono) : 0;
        if (mono == Monotonicity::discard) continue;
        if (mono == Monotonicity::reduced) {
            queue.push({x, j.value.lower_double(), node});
            continue;
        }
        if (recorder) record_concave(*recorder, item.node, x, j, domain);
        if (certainly_not_minimum(x, j, domain)) continue;
        if (interior(x, domain) && max_width(x) < krawczyk_width) {
            KrawczykResult<Mpfr> r = krawczyk_on_gradient(f, x);
            if (recorder && r.verdict == KrawczykVerdict::no_zero)
                recorder->set(item.node, TraceKind::no_stationary);
            if (r.verdict == KrawczykVerdict::no_zero) continue;
            if (r.verdict == KrawczykVerdict::unique_zero) {
                leaves.push_back({r.refined, f.value(r.refined), true});
                if (recorder)
                    record_leaf(*recorder, leaves.back(), item.node, x,
                                recorder->krawczyk(x, r.refined, true));
                try_upper_bound(box_mid(r.refined));
                continue;
            }
        }
        if (max_width(x) < options.box_tolerance) {
            leaves.push_back({x, j.value, false});
            if (recorder) record_leaf(*recorder, leaves.back(), item.node, x, -1);
            continue;
        }
        try_upper_bound(box_mid(x));
        auto [left, right] = bisect(x, widest_coordinate(x));
        std::pair<int, int> kids{0, 0};
        if (recorder) kids = record_bisection(*recorder, item.node, x, left);
        queue.push({left, j.value.lower_double(), kids.first});
        queue.push({right, j.value.lower_double(), kids.second});
    }
    result.status = result.boxes_processed < options.max_boxes ? SearchStatus::complete
                                                               : SearchStatus::budget_exhausted;

    std::vector<Leaf> kept;
    for (Leaf& l : leaves) {
        if (recorder && l.value.lower_double() > ub)
            recorder->settle_leaf(l.node, {}, -1, l.value.lower_double());
        if (!(l.value.lower_double() > ub)) kept.push_back(std::move(l));
    }
    double lowest = ub;
    for (const std::vector<int>& group : touching_components(kept)) {
        std::vector<KrawczykProof> proofs;
        MinimizerCluster c =
            make_cluster(f, kept, group, domain, options, recorder ? &proofs : nullptr);
        if (recorder)
            record_cluster(
                *recorder, kept, group, proofs, c,
                c.value.lower_double() > ub ? -1 : static_cast<int>(result.clusters.size()));
        if (c.value.lower_double() > ub) continue;
        lowest = std::min(lowest, c.value.lower_double());
        result.clusters.push_back(std::move(c));
    }
    result.min_value = IntervalM(Mpfr(lowest), Mpfr(ub));
    if (recorder) result.trace = recorder->finish();
    return result;
}

}  // namespace gradcert::verify
