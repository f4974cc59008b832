#include "verify/stage_geometry.hpp"

#include <fmt/format.h>

#include <map>

#include "theory/smoothed_function.hpp"
#include "verify/certificate.hpp"
#include "verify/cubature_objective.hpp"
#include "verify/lipschitz.hpp"
#include "verify/separable.hpp"

namespace gradcert::verify {

Objective smoothed_objective(const expr::Decomposition& decomposition, const theory::Kernel& kernel,
                             const IntervalM& delta) {
    auto f = std::make_shared<theory::SmoothedFunction>(decomposition, kernel, delta);
    Objective o;
    o.dim = decomposition.dim;
    o.enclose = [f](const Box& x) { return f->evaluate(x); };
    o.value = [f](const Box& x) { return f->value(x); };
    o.value_estimate = [f](const Eigen::VectorXd& x) { return f->value_estimate(x); };
    o.gradient_estimate = [f](const Eigen::VectorXd& x) { return f->gradient_estimate(x); };
    o.hessian_estimate = [f](const Eigen::VectorXd& x) { return f->hessian_estimate(x); };
    return o;
}

Objective family_objective(const FamilySpec& family, const theory::Kernel& kernel,
                           const IntervalM& delta) {
    if (!family.cubature) return smoothed_objective(family.decomposition, kernel, delta);
    if (!possibly_gt(delta, IntervalM(0))) return expression_objective(family.f);
    IntervalD domain(0);
    bool first = true;
    for (const auto& [lo, hi] : family.domain) {
        const IntervalD side = hull(to_double(lo), to_double(hi));
        domain = first ? side : hull(domain, side);
        first = false;
    }
    return cubature_objective(family.f, family.growth, kernel, delta, domain);
}

namespace {

// Exact (hexadecimal endpoints): two deltas share a cache entry only if they are equal.
std::string delta_key(const IntervalM& delta) {
    return exact_key(delta);
}

class DirectGeometry : public StageGeometry {
  public:
    DirectGeometry(const FamilySpec& family, const theory::Kernel& kernel,
                   const MinimizerOptions& m, const CurvatureOptions& c, const LipschitzOptions& l)
        : family_(family),
          kernel_(kernel),
          minimizer_(m),
          curvature_(c),
          lipschitz_(l),
          domain_(make_domain(family.domain)) {}

    std::string method() const override {
        return fmt::format("interval branch and bound in {} dimension{}", family_.dim,
                           family_.dim == 1 ? "" : "s");
    }
    MinimizerResult minimizers(const IntervalM& delta) override {
        return enclose_global_minimizers(objective(delta), domain_, minimizer_);
    }
    CurvatureResult curvature(const IntervalM& delta, const Box& cluster, const IntervalM& radius,
                              const std::optional<IntervalM>& sigma) override {
        return certify_curvature(objective(delta), cluster, radius, radius, sigma, curvature_);
    }
    // Over the outer box ⊇ domain: still an upper bound of max ‖∇f‖ on the domain.
    IntervalM lipschitz() override {
        return lipschitz_on_box(objective(IntervalM(0)), domain_.outer(), lipschitz_);
    }
    double value_estimate(const IntervalM& delta, const Eigen::VectorXd& x) override {
        return objective(delta).value_estimate(x);
    }

  private:
    const Objective& objective(const IntervalM& delta) {
        auto [it, fresh] = cache_.try_emplace(delta_key(delta));
        if (fresh) it->second = family_objective(family_, kernel_, delta);
        return it->second;
    }

    const FamilySpec& family_;
    theory::Kernel kernel_;
    MinimizerOptions minimizer_;
    CurvatureOptions curvature_;
    LipschitzOptions lipschitz_;
    Domain domain_;
    std::map<std::string, Objective> cache_;
};

// Cartesian product of per-coordinate clusters; beyond `limit` combinations each coordinate's
// clusters are merged into their hull (still containing every global minimizer).
std::vector<MinimizerCluster> product_clusters(const std::vector<const MinimizerResult*>& parts,
                                               size_t limit) {
    double combos = 1;
    for (const MinimizerResult* p : parts) combos *= static_cast<double>(p->clusters.size());
    std::vector<std::vector<MinimizerCluster>> choices;
    for (const MinimizerResult* p : parts) {
        if (combos <= static_cast<double>(limit)) {
            choices.push_back(p->clusters);
            continue;
        }
        MinimizerCluster merged = p->clusters[0];
        for (const MinimizerCluster& c : p->clusters) {
            merged.box = hull(merged.box, c.box);
            merged.value = gradcert::hull(merged.value, c.value);
            merged.unique_stationary = merged.unique_stationary && p->clusters.size() == 1;
            merged.interior = merged.interior && c.interior;
        }
        choices.push_back({merged});
    }
    std::vector<MinimizerCluster> out(1);
    out[0].box = Box(0);
    out[0].value = IntervalM(0);
    out[0].unique_stationary = out[0].interior = true;
    for (const auto& options : choices) {
        std::vector<MinimizerCluster> next;
        for (const MinimizerCluster& prefix : out)
            for (const MinimizerCluster& c : options) {
                MinimizerCluster joined = prefix;
                joined.box.conservativeResize(prefix.box.size() + 1);
                joined.box[prefix.box.size()] = c.box[0];
                joined.value = prefix.value + c.value;
                joined.unique_stationary = prefix.unique_stationary && c.unique_stationary;
                joined.interior = prefix.interior && c.interior;
                next.push_back(joined);
            }
        out = std::move(next);
    }
    return out;
}

// Certificates of separable geometry: the per-coordinate 1-D traces (the same object wherever the
// search's cache was hit).
std::shared_ptr<const MinimizerTrace> coordinate_traces(
    const std::vector<const MinimizerResult*>& parts) {
    auto t = std::make_shared<MinimizerTrace>();
    for (const MinimizerResult* p : parts) t->coordinates.push_back(p->trace);
    return t;
}

std::shared_ptr<const CurvatureTrace> curvature_trace(
    const CurvatureResult& r, std::vector<std::shared_ptr<const CurvatureTrace>> coordinates) {
    auto t = std::make_shared<CurvatureTrace>();
    t->coordinates = std::move(coordinates);
    t->certified_lower = HUGE_VAL;  // the least stated bound of the coordinates' traces
    for (const auto& c : t->coordinates)
        t->certified_lower = std::min(t->certified_lower, c->certified_lower);
    t->witness_upper = r.witness_upper;
    t->witness_point = r.witness_point;
    t->witness_direction = r.witness_direction;
    return t;
}

class SeparableGeometry : public StageGeometry {
  public:
    SeparableGeometry(const FamilySpec& family, const theory::Kernel& kernel,
                      const MinimizerOptions& m, const CurvatureOptions& c,
                      const LipschitzOptions& l)
        : family_(family),
          kernel_(kernel),
          minimizer_(m),
          curvature_(c),
          lipschitz_(l),
          pieces_(split_separable(family.decomposition)) {
        for (const SeparablePiece& p : pieces_) unique_keys_[p.key] = &p;
    }

    std::string method() const override {
        return fmt::format(
            "separable: {} coordinates solved as 1-D problems ({} distinct), each smoothed by "
            "the marginal of the {}-dimensional kernel",
            family_.dim, unique_keys_.size(), family_.dim);
    }

    MinimizerResult minimizers(const IntervalM& delta) override {
        std::vector<const MinimizerResult*> parts;
        MinimizerResult out;
        out.min_value = IntervalM(0);
        bool complete = true;
        out.best_point = Eigen::VectorXd(family_.dim);
        for (int i = 0; i < family_.dim; ++i) {
            const MinimizerResult& r = piece_minimizers(i, delta);
            parts.push_back(&r);
            out.min_value += r.min_value;
            out.boxes_processed += r.boxes_processed;
            complete = complete && r.complete();
            out.best_point[i] = r.best_point[0];
        }
        out.clusters =
            product_clusters(parts, static_cast<size_t>(minimizer_.max_product_clusters));
        if (minimizer_.record_certificate) out.trace = coordinate_traces(parts);
        out.status = complete ? SearchStatus::complete : SearchStatus::coordinate_budget_exhausted;
        return out;
    }

    CurvatureResult curvature(const IntervalM& delta, const Box& cluster, const IntervalM& radius,
                              const std::optional<IntervalM>& sigma) override {
        // ∇²f̂ is diagonal: λ_min = min_i f̂_i''(x_i), and on the ball every x_i stays within r
        // of the cluster's i-th side. A 1-D witness p_i within r' = √(r² − Σ_j w_j²) of the
        // i-th side, placed in the cluster's midpoint, lies within r of every cluster point.
        IntervalM spread(0);
        for (Eigen::Index j = 0; j < cluster.size(); ++j)
            spread += sqr(IntervalM(cluster[j].width()));
        IntervalM slack = sqr(radius) - spread;
        IntervalM witness_radius =
            certainly_positive(slack) ? IntervalM(sqrt(slack).lower()) : IntervalM(0);
        CurvatureResult out;
        out.certified_lower = HUGE_VAL;
        Eigen::VectorXd mid = box_mid(cluster);
        std::vector<std::shared_ptr<const CurvatureTrace>> coordinate_curvature_traces;
        for (int i = 0; i < family_.dim; ++i) {
            Box side(1);
            side[0] = cluster[i];
            const CurvatureResult& r =
                piece_curvature(i, delta, side, radius, witness_radius, sigma);
            out.certified_lower = std::min(out.certified_lower, r.certified_lower);
            out.boxes += r.boxes;
            out.budget_exhausted = out.budget_exhausted || r.budget_exhausted;
            if (r.witness_upper && (!out.witness_upper || *r.witness_upper < *out.witness_upper)) {
                out.witness_quotient = r.witness_quotient;
                out.witness_upper = r.witness_upper;
                out.witness_point = mid;
                out.witness_point[i] = r.witness_point[0];
                out.witness_direction = Eigen::VectorXd::Unit(family_.dim, i);
            }
            if (curvature_.record_certificate) coordinate_curvature_traces.push_back(r.trace);
        }
        if (curvature_.record_certificate)
            out.trace = curvature_trace(out, std::move(coordinate_curvature_traces));
        return out;
    }

    IntervalM lipschitz() override {
        // max ‖∇f‖² = Σ_i max (f_i')², each over the i-th side of the domain.
        IntervalM sum_sq(0);
        std::map<std::string, IntervalM> memo;
        for (int i = 0; i < family_.dim; ++i) {
            std::string key = side_key(i);
            auto it = memo.find(key);
            if (it == memo.end()) {
                Box side = make_box({family_.domain[i]});
                it = memo.emplace(key, lipschitz_on_box(piece_objective(i, IntervalM(0)), side,
                                                        lipschitz_))
                         .first;
            }
            sum_sq += sqr(it->second);
        }
        return sqrt(sum_sq);
    }

    double value_estimate(const IntervalM& delta, const Eigen::VectorXd& x) override {
        double s = 0;
        for (int i = 0; i < family_.dim; ++i)
            s += piece_objective(i, delta).value_estimate(Eigen::VectorXd::Constant(1, x[i]));
        return s;
    }

  private:
    std::string side_key(int i) const {
        return pieces_[i].key + "|" + exact_key(family_.domain[i].first) + "," +
               exact_key(family_.domain[i].second);
    }

    const Objective& piece_objective(int i, const IntervalM& delta) {
        std::string key = pieces_[i].key + "@" + delta_key(delta);
        auto [it, fresh] = objectives_.try_emplace(key);
        if (fresh) it->second = smoothed_objective(pieces_[i].piece, kernel_, delta);
        return it->second;
    }

    const MinimizerResult& piece_minimizers(int i, const IntervalM& delta) {
        std::string key = side_key(i) + "@" + delta_key(delta);
        auto it = minimizers_.find(key);
        if (it == minimizers_.end()) {
            Domain side = make_domain({family_.domain[i]});
            it = minimizers_
                     .emplace(key, enclose_global_minimizers(piece_objective(i, delta), side,
                                                             minimizer_))
                     .first;
        }
        return it->second;
    }

    const CurvatureResult& piece_curvature(int i, const IntervalM& delta, const Box& side,
                                           const IntervalM& radius, const IntervalM& witness_radius,
                                           const std::optional<IntervalM>& sigma) {
        std::string key = pieces_[i].key + "@" + delta_key(delta) + "|" + exact_key(side[0]) + "|" +
                          exact_key(radius) + "|" + exact_key(witness_radius) + "|" +
                          (sigma ? exact_key(*sigma) : "m");
        auto it = curvatures_.find(key);
        if (it == curvatures_.end())
            it = curvatures_
                     .emplace(key, certify_curvature(piece_objective(i, delta), side, radius,
                                                     witness_radius, sigma, curvature_))
                     .first;
        return it->second;
    }

    const FamilySpec& family_;
    theory::Kernel kernel_;
    MinimizerOptions minimizer_;
    CurvatureOptions curvature_;
    LipschitzOptions lipschitz_;
    std::vector<SeparablePiece> pieces_;
    std::map<std::string, const SeparablePiece*> unique_keys_;
    std::map<std::string, Objective> objectives_;
    std::map<std::string, MinimizerResult> minimizers_;
    std::map<std::string, CurvatureResult> curvatures_;
};

}  // namespace

std::unique_ptr<StageGeometry> make_stage_geometry(
    const FamilySpec& family, const theory::Kernel& kernel, const MinimizerOptions& minimizer,
    const CurvatureOptions& curvature, bool use_separability, const LipschitzOptions& lipschitz) {
    if (use_separability && family.dim > 1 && !family.cubature && family.decomposition.separable())
        return std::make_unique<SeparableGeometry>(family, kernel, minimizer, curvature, lipschitz);
    return std::make_unique<DirectGeometry>(family, kernel, minimizer, curvature, lipschitz);
}

}  // namespace gradcert::verify
