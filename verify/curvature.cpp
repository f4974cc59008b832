#include "verify/curvature.hpp"

#include <algorithm>
#include <cmath>
#include <queue>
#include <random>

#include "numerics/linalg/lambda_min.hpp"
#include "verify/certificate.hpp"

namespace gradcert::verify {

namespace {

// Candidate witness points: a grid (1-D, 2-D) or seeded random points in the ball of radius
// `r` around c (higher dimensions), plus the axis points at distance r.
std::vector<Eigen::VectorXd> witness_candidates(const Eigen::VectorXd& c, double r,
                                                const CurvatureOptions& options) {
    const int d = static_cast<int>(c.size());
    std::vector<Eigen::VectorXd> pts;
    if (d == 1) {
        const int n = options.witness_grid_1d;
        for (int k = -n; k <= n; ++k)
            pts.push_back(c + Eigen::VectorXd::Constant(1, r * k / static_cast<double>(n)));
        return pts;
    }
    if (d == 2) {
        const int n = options.witness_grid_2d;
        const double steps = static_cast<double>(n);
        for (int a = -n; a <= n; ++a)
            for (int b = -n; b <= n; ++b) {
                Eigen::Vector2d off(r * a / steps, r * b / steps);
                if (off.norm() <= r) pts.push_back(c + off);
            }
    } else {
        std::mt19937_64 rng(options.witness_seed);
        std::normal_distribution<double> g;
        for (int n = 0; n < options.witness_random_points; ++n) {
            Eigen::VectorXd v(d);
            for (int i = 0; i < d; ++i) v[i] = g(rng);
            double radius =
                r * std::pow(std::uniform_real_distribution<double>(0, 1)(rng), 1.0 / d);
            pts.push_back(c + radius * v.normalized());
        }
    }
    for (int i = 0; i < d; ++i)
        for (double s : {-1.0, 1.0}) {
            Eigen::VectorXd p = c;
            p[i] += s * r;
            pts.push_back(p);
        }
    return pts;
}

double estimated_lambda_min(const Objective& f, const Eigen::VectorXd& p) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(f.hessian_estimate(p));
    return es.eigenvalues()[0];
}

// Rigorous Rayleigh quotient upper bound at p along the estimated lowest eigenvector.
void certify_witness(const Objective& f, const Eigen::VectorXd& p, const Box& center,
                     const IntervalM& witness_radius, CurvatureResult& out) {
    if (!certainly_within(p, center, witness_radius)) return;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(f.hessian_estimate(p));
    Eigen::VectorXd v = es.eigenvectors().col(0);
    Jet<IntervalM> j = f.enclose(point_box(p));
    IntervalM num(0), den(0);
    for (Eigen::Index a = 0; a < v.size(); ++a) {
        den += sqr(IntervalM(v[a]));
        for (Eigen::Index b = 0; b < v.size(); ++b)
            num += IntervalM(v[a]) * j.hess(a, b) * IntervalM(v[b]);
    }
    const IntervalM quotient = num / den;
    const double q = quotient.upper_double();
    if (!out.witness_upper || q < *out.witness_upper) {  // the first of equal doubles stays
        out.witness_quotient = quotient;
        out.witness_upper = q;
        out.witness_point = p;
        out.witness_direction = v;
    }
}

void search_witness(const Objective& f, const Box& center, const IntervalM& witness_radius,
                    const CurvatureOptions& options, CurvatureResult& out) {
    Eigen::VectorXd c = box_mid(center);
    // Shrink the radius by the cluster's extent and a relative margin so that candidates lie
    // certainly within the radius of every point of the cluster.
    double extent = max_distance(point_box(c), center).upper_double();
    double r = (witness_radius.lower_double() - extent) * (1 - options.witness_margin);
    if (!(r > 0)) return;
    std::vector<Eigen::VectorXd> pts = witness_candidates(c, r, options);
    std::vector<std::pair<double, int>> ranked;
    for (int k = 0; k < static_cast<int>(pts.size()); ++k)
        ranked.push_back({estimated_lambda_min(f, pts[k]), k});
    const size_t certified = std::min<size_t>(
        static_cast<size_t>(std::max(options.witnesses_certified, 0)), ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(certified),
                      ranked.end());
    for (size_t k = 0; k < certified; ++k)
        certify_witness(f, pts[ranked[k].second], center, witness_radius, out);
}

struct Pending {
    Box box;
    double lower;
    int node = 0;  // certificate trace node; 0 is the root
    bool operator<(const Pending& o) const { return lower > o.lower; }
};

// Certificate: the split node of bisect(x) (the coordinate is the one `left` narrowed).
std::pair<int, int> record_bisection(CurvatureRecorder& rec, int node, const Box& x,
                                     const Box& left) {
    for (Eigen::Index i = 0; i < x.size(); ++i)
        if (left[i].upper() != x[i].upper())
            return rec.split(node, static_cast<int>(i), left[i].upper());
    return rec.split(node, widest_coordinate(x), left[widest_coordinate(x)].upper());
}

// Certificate: boxes still pending carry their parent's bound (their Hessians are among the
// parent's); every leaf states its bound rounded down (stated_curvature_bound) and the trace's
// certified_lower is the least stated bound; the witness is copied into the trace. The search's
// own result (out.certified_lower) is unchanged.
std::shared_ptr<const CurvatureTrace> finish_trace(CurvatureRecorder& rec,
                                                   std::priority_queue<Pending> pending,
                                                   const CurvatureResult& out,
                                                   const std::optional<IntervalM>& sigma,
                                                   bool failed) {
    for (; !pending.empty(); pending.pop()) rec.bound(pending.top().node, pending.top().lower);
    std::shared_ptr<CurvatureTrace> t = rec.finish();
    t->certified_lower = HUGE_VAL;
    // With a witness below σ the claim is `fails` and no bound is compared with σ: the plain
    // slack applies (a leaf bound equal to σ_hi may exceed the truth by less than any enclosure
    // error, rastrigin-1d-gaussian stage 2).
    const std::optional<IntervalM> threshold = failed ? std::nullopt : sigma;
    for (TraceNode& n : t->nodes)
        if (n.kind == TraceKind::bound) {
            n.claim = stated_curvature_bound(n.claim, threshold);
            t->certified_lower = std::min(t->certified_lower, n.claim);
        }
    t->witness_upper = out.witness_upper;
    t->witness_point = out.witness_point;
    t->witness_direction = out.witness_direction;
    return t;
}

}  // namespace

bool certified_at_least(double certified_lower, const IntervalM& sigma) {
    return mpfr_cmp_d(raw(sigma.upper()), certified_lower) <= 0;  // exact: σ_hi ≤ bound
}

bool witnessed_below(const IntervalM& witness_quotient, const IntervalM& sigma) {
    return witness_quotient.upper() < sigma.lower();  // exact comparison of MPFR values
}

CurvatureResult certify_curvature(const Objective& f, const Box& center, const IntervalM& radius,
                                  const IntervalM& witness_radius,
                                  const std::optional<IntervalM>& sigma,
                                  const CurvatureOptions& options) {
    CurvatureResult out;
    search_witness(f, center, witness_radius, options, out);
    // Exact comparisons with σ's enclosure: below its lower end, at or above its upper end.
    const bool failed =
        sigma && out.witness_quotient && witnessed_below(*out.witness_quotient, *sigma);

    Box region = inflate(center, radius);
    std::unique_ptr<CurvatureRecorder> recorder;
    if (options.record_certificate) recorder = std::make_unique<CurvatureRecorder>(region);
    const double tolerance = options.relative_tolerance * max_width(region);
    const int budget =
        failed ? std::min(options.max_boxes, options.max_boxes_after_witness) : options.max_boxes;
    std::priority_queue<Pending> queue;
    queue.push({region, -HUGE_VAL});
    double settled = HUGE_VAL;  // min bound over boxes that need no more work
    while (!queue.empty()) {
        if (out.boxes >= budget) {
            out.budget_exhausted = !failed;
            break;
        }
        if (!sigma && out.witness_upper &&
            queue.top().lower >= *out.witness_upper - options.gap_tolerance)
            break;
        Box x = queue.top().box;
        const int node = queue.top().node;
        queue.pop();
        if (recorder && min_distance(x, center).lower_double() > radius.upper_double())
            recorder->far(node);
        if (min_distance(x, center).lower_double() > radius.upper_double()) continue;
        ++out.boxes;
        double lb = certified_lambda_min<Mpfr>(MatrixI<Mpfr>(f.enclose(x).hess)).lower;
        if ((sigma && certified_at_least(lb, *sigma)) || max_width(x) < tolerance) {
            if (recorder) recorder->bound(node, lb);
            settled = std::min(settled, lb);
            continue;
        }
        auto [left, right] = bisect(x, widest_coordinate(x));
        std::pair<int, int> kids{0, 0};
        if (recorder) kids = record_bisection(*recorder, node, x, left);
        queue.push({left, lb, kids.first});
        queue.push({right, lb, kids.second});
    }
    double pending = queue.empty() ? HUGE_VAL : queue.top().lower;
    out.certified_lower = std::min(settled, pending);
    if (recorder) out.trace = finish_trace(*recorder, queue, out, sigma, failed);
    return out;
}

}  // namespace gradcert::verify
