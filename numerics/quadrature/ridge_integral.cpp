#include "numerics/quadrature/ridge_integral.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "numerics/special/ball.hpp"
#include "numerics/special/erf.hpp"
#include "numerics/special/moments.hpp"
#include "numerics/util/error.hpp"

namespace gradcert {
namespace {

using J = Jet<IntervalM>;

// Initial number of uniform pieces before adaptive refinement.
constexpr int kInitialPieces = 8;
// Extra bits for the cancellation in the moment recurrences on narrow pieces.
constexpr long kGuardBits = 48;

IntervalM symmetric(const Mpfr& bound) {
    return IntervalM(Mpfr(-bound), bound);
}

// The weight W(x) of the integration variable. Gaussian (x = t): P(t)·φ(t) with the polynomial
// P = Σ poly[l] t^l. Ball (x = θ): Σ_terms coef · cos^a θ · sin^b θ on [0, π].
struct BallTerm {
    IntervalM coef;
    int cos_power;
    int sin_power;
};
struct Weight {
    std::vector<IntervalM> poly;
    std::vector<BallTerm> terms;
};

// One rigorous formula for E[g^{(k)}]: factor · (∫ g^{(j)}(z + s c(x)) W(x) dx + additive), the
// additive part being the Gaussian tail enclosure or a boundary term of the integration by parts.
struct Variant {
    int k;
    int j;
    Weight weight;
    IntervalM factor;
    int tail_poly = 0;  // Gaussian: |W(t)| <= P(|t|)φ(t) with P = 1, t, t² + 1
    IntervalM additive;
};

// A breakpoint x with the transcendental values the moment formulas need there (computed once
// per breakpoint): Gaussian erfc(|x|/√2) and φ(x); ball sin x and cos x.
struct Node {
    IntervalM x;
    IntervalM first;   // Gaussian: erfc(|x|/√2); ball: sin x
    IntervalM second;  // Gaussian: φ(x);          ball: cos x
};

// ∫_a^b (c(x) − c_m)^i W(x) dx for the weights of one law, on one interval.
class MomentTable {
  public:
    virtual ~MomentTable() = default;
    virtual IntervalM moment(const Weight& w, int i) = 0;
};

// The law after the change of variables: c(x), the integration range, exact weight moments, and
// the sign and magnitude of a weight over an interval.
class LawModel {
  public:
    virtual ~LawModel() = default;
    virtual IntervalM inner(const IntervalM& x) const = 0;
    virtual Node node(const IntervalM& x) const = 0;
    virtual std::unique_ptr<MomentTable> moments(const Node& a, const Node& b,
                                                 const IntervalM& c_m) const = 0;
    // +1 / −1 when W certainly has that sign on [a, b] ⊂ H, 0 when unknown.
    virtual int sign(const Weight& w, const IntervalM& H) const = 0;
    virtual IntervalM value(const Weight& w, const IntervalM& H) const = 0;
};

// ---- Gaussian: x = t, W = P(t) φ(t) -----------------------------------------------------------

// K_n = ∫_{a−m}^{b−m} u^n φ(u + m) du for n <= 4 (m = c_m): K_0 = Φ(b) − Φ(a) and
// K_n = (n−1) K_{n−2} − m K_{n−1} − [u^{n−1} φ(u + m)].
class GaussianMoments : public MomentTable {
  public:
    GaussianMoments(const Node& a, const Node& b, const IntervalM& m) : m_(m) {
        const IntervalM& phi_a = a.second;
        const IntervalM& phi_b = b.second;
        const IntervalM ua = a.x - m, ub = b.x - m;
        k_[0] = probability(a, b);
        k_[1] = -m * k_[0] + (phi_a - phi_b);
        for (int n = 2; n <= 4; ++n)
            k_[n] = (n - 1) * k_[n - 2] - m * k_[n - 1] -
                    (pow(ub, n - 1) * phi_b - pow(ua, n - 1) * phi_a);
    }
    IntervalM moment(const Weight& w, int i) override {
        // P(u + m) = Σ_l shifted[l] u^l for P of degree <= 2.
        const std::vector<IntervalM>& p = w.poly;
        IntervalM shifted[3] = {IntervalM(0), IntervalM(0), IntervalM(0)};
        for (size_t l = 0; l < p.size(); ++l) {
            if (l == 0) shifted[0] += p[0];
            if (l == 1) {
                shifted[0] += p[1] * m_;
                shifted[1] += p[1];
            }
            if (l == 2) {
                shifted[0] += p[2] * sqr(m_);
                shifted[1] += 2 * p[2] * m_;
                shifted[2] += p[2];
            }
        }
        IntervalM r(0);
        for (size_t l = 0; l < p.size(); ++l) r += shifted[l] * k_[i + l];
        return r;
    }

  private:
    // Φ(b) − Φ(a) from erfc(|·|/√2) at the nodes, without cancellation in the tails.
    static IntervalM probability(const Node& a, const Node& b) {
        IntervalM r;
        if (certainly_ge(a.x, 0.0))
            r = (a.first - b.first) / 2;
        else if (certainly_le(b.x, 0.0))
            r = (b.first - a.first) / 2;
        else
            r = (2 - a.first - b.first) / 2;
        return max(r, IntervalM(0));
    }

    IntervalM m_;
    IntervalM k_[5];
};

class GaussianModel : public LawModel {
  public:
    IntervalM inner(const IntervalM& x) const override { return x; }
    Node node(const IntervalM& x) const override {
        return {x, erfc_enclosure(abs(x) / sqrt(IntervalM(2))), normal_density(x)};
    }
    std::unique_ptr<MomentTable> moments(const Node& a, const Node& b,
                                         const IntervalM& c_m) const override {
        return std::make_unique<GaussianMoments>(a, b, c_m);
    }
    int sign(const Weight& w, const IntervalM& H) const override {
        const IntervalM p = polynomial(w, H);
        if (certainly_ge(p, 0.0)) return 1;
        if (certainly_le(p, 0.0)) return -1;
        return 0;
    }
    IntervalM value(const Weight& w, const IntervalM& H) const override {
        return polynomial(w, H) * normal_density(H);
    }

  private:
    static IntervalM polynomial(const Weight& w, const IntervalM& t) {
        IntervalM r(0);
        for (size_t l = 0; l < w.poly.size(); ++l)
            r += w.poly[l] * (l == 0 ? IntervalM(1) : l == 1 ? t : sqr(t));
        return r;
    }
};

// ---- ball marginal: x = θ ∈ [0, π], W = Σ coef cos^a sin^b ------------------------------------

// I(p, q) = ∫_a^b sin^p θ cos^q θ dθ by the reduction formulas
//   I(p, q) = ( [sin^{p+1} cos^{q−1}] + (q−1) I(p, q−2)) / (p+q)
//   I(p, q) = (−[sin^{p−1} cos^{q+1}] + (p−1) I(p−2, q)) / (p+q).
class BallMoments : public MomentTable {
  public:
    BallMoments(const Node& a, const Node& b, const IntervalM& cos_m)
        : a_(a.x),
          b_(b.x),
          sa_(a.first),
          ca_(a.second),
          sb_(b.first),
          cb_(b.second),
          cos_m_(cos_m) {}

    IntervalM moment(const Weight& w, int i) override {
        IntervalM r(0);
        for (const BallTerm& t : w.terms)
            for (int l = 0; l <= i; ++l) {
                const IntervalM binomial(l == 0 || l == i ? 1 : i);  // i <= 2
                r += t.coef * binomial * pow(-cos_m_, i - l) *
                     integral(t.sin_power, t.cos_power + l);
            }
        return r;
    }

  private:
    IntervalM boundary(int p, int q) const {
        return pow(sb_, p) * pow(cb_, q) - pow(sa_, p) * pow(ca_, q);
    }
    IntervalM integral(int p, int q) {
        const auto key = std::make_pair(p, q);
        for (const auto& [k, v] : memo_)
            if (k == key) return v;
        IntervalM r;
        if (q >= 2)
            r = (boundary(p + 1, q - 1) + (q - 1) * integral(p, q - 2)) / (p + q);
        else if (p >= 2)
            r = ((p - 1) * integral(p - 2, q) - boundary(p - 1, q + 1)) / (p + q);
        else if (p == 0 && q == 0)
            r = b_ - a_;
        else if (p == 1 && q == 0)
            r = ca_ - cb_;
        else if (p == 0 && q == 1)
            r = sb_ - sa_;
        else
            r = (sqr(sb_) - sqr(sa_)) / 2;
        memo_.emplace_back(key, r);
        return r;
    }

    IntervalM a_, b_, sa_, ca_, sb_, cb_, cos_m_;
    std::vector<std::pair<std::pair<int, int>, IntervalM>> memo_;
};

class BallModel : public LawModel {
  public:
    IntervalM inner(const IntervalM& x) const override { return cos(x); }
    Node node(const IntervalM& x) const override { return {x, sin(x), cos(x)}; }
    std::unique_ptr<MomentTable> moments(const Node& a, const Node& b,
                                         const IntervalM& c_m) const override {
        return std::make_unique<BallMoments>(a, b, c_m);
    }
    // sin θ >= 0 on [0, π]: the sign is that of Σ coef cos^a sin^{b − b_min}.
    int sign(const Weight& w, const IntervalM& H) const override {
        int b_min = w.terms.front().sin_power;
        for (const BallTerm& t : w.terms) b_min = std::min(b_min, t.sin_power);
        IntervalM q(0);
        for (const BallTerm& t : w.terms)
            q += t.coef * pow(cos(H), t.cos_power) * pow(sine_on_range(H), t.sin_power - b_min);
        if (certainly_ge(q, 0.0)) return 1;
        if (certainly_le(q, 0.0)) return -1;
        return 0;
    }
    IntervalM value(const Weight& w, const IntervalM& H) const override {
        IntervalM r(0);
        for (const BallTerm& t : w.terms)
            r += t.coef * pow(cos(H), t.cos_power) * pow(sine_on_range(H), t.sin_power);
        return r;
    }

  private:
    // sin over H ∩ [0, π] (H may reach past π by the width of π's enclosure).
    static IntervalM sine_on_range(const IntervalM& H) {
        const std::optional<IntervalM> s = intersect(sin(H), hull(IntervalM(0), IntervalM(1)));
        return s ? *s : IntervalM(0);
    }
};

// ---- the integration problem and its partition ------------------------------------------------

struct Problem {
    std::unique_ptr<LawModel> model;
    IntervalM lo, hi;                    // integration interval (thin endpoints; hi may be π)
    std::vector<IntervalM> breakpoints;  // forced breakpoints (sign changes of the weights)
    std::vector<Variant> variants;
    std::array<std::vector<IntervalM>, 3> closed_forms;  // further exact enclosures (ball, d = 1)
    double cutoff = 0;
};

struct Piece {
    Node lo, hi;
    std::optional<Node> mid;              // the split point (absent if the piece is one ulp wide)
    std::vector<IntervalM> contribution;  // per variant
    double priority = 0;                  // width the remainder terms add (scaled by |factor|)
};

// (g, g', g'') enclosed at the ridge argument interval y.
std::array<IntervalM, 3> ridge_derivatives(const RidgeFunctionJet& g, const IntervalM& y) {
    const J r = g(J::variable(y, 0, 1));
    if (r.dim() != 1)
        throw InternalError("ridge_expectations: g returned a jet of dimension " +
                            std::to_string(r.dim()));
    return {r.value, r.grad[0], r.hess(0, 0)};
}

IntervalM factorial(int n) {
    return IntervalM(n == 2 ? 2 : 1);
}

// The three moment tables of a piece [lo, hi] split at m, about c_m = c(m).
struct PieceMoments {
    std::unique_ptr<MomentTable> whole, left, right;
};

// (s^n/n!) ∫ g''(ξ(x)) (c(x) − c_m)^n W(x) dx over [lo, hi] with g''(ξ) ∈ G2.
IntervalM remainder(const Problem& p, const Variant& v, int n, const IntervalM& S,
                    const IntervalM& G2, const Piece& piece, const IntervalM& c_m,
                    PieceMoments& mom) {
    const IntervalM H(piece.lo.x.lower(), piece.hi.x.upper());
    const IntervalM scale = pow(S, n) / factorial(n);
    if (p.model->sign(v.weight, H) != 0) {
        if (n != 1) return scale * (G2 * mom.whole->moment(v.weight, n));
        // (c(x) − c_m) changes sign at m (c is monotone): one mean value per half.
        return scale * (G2 * mom.left->moment(v.weight, 1) + G2 * mom.right->moment(v.weight, 1));
    }
    // Unknown sign: mid(G2)·μ_n plus rad(G2)·∫|(c − c_m)^n W|.
    const IntervalM magnitude =
        (piece.hi.x - piece.lo.x) *
        IntervalM((pow(p.model->inner(H) - c_m, n) * p.model->value(v.weight, H)).mag());
    const IntervalM spread = IntervalM(G2.rad()) * magnitude;
    return scale *
           (IntervalM(G2.mid()) * mom.whole->moment(v.weight, n) + symmetric(spread.upper()));
}

// A representable point strictly inside (lo, hi), if there is one.
std::optional<IntervalM> split_point(const IntervalM& lo, const IntervalM& hi) {
    if (!(lo.upper() < hi.lower())) return std::nullopt;
    const Mpfr m = IntervalM(lo.upper(), hi.lower()).mid();
    if (!(m > lo.upper() && m < hi.lower())) return std::nullopt;
    return IntervalM(m, m);
}

Piece integrate_piece(const Problem& p, const RidgeFunctionJet& g, const IntervalM& Z,
                      const IntervalM& S, Node lo, Node hi) {
    Piece piece{std::move(lo), std::move(hi), std::nullopt, {}, 0};
    const IntervalM H(piece.lo.x.lower(), piece.hi.x.upper());
    const std::array<IntervalM, 3> over = ridge_derivatives(g, Z + S * p.model->inner(H));
    const std::optional<IntervalM> m = split_point(piece.lo.x, piece.hi.x);
    if (!m) {  // a piece one ulp wide: crude bound (hi − lo)·g^{(j)}(Y(H))·W(H)
        for (const Variant& v : p.variants)
            piece.contribution.push_back((piece.hi.x - piece.lo.x) * over[v.j] *
                                         p.model->value(v.weight, H));
        return piece;
    }
    piece.mid = p.model->node(*m);
    const IntervalM c_m = p.model->inner(*m);
    const std::array<IntervalM, 3> at_m = ridge_derivatives(g, Z + S * c_m);
    PieceMoments mom{p.model->moments(piece.lo, piece.hi, c_m),
                     p.model->moments(piece.lo, *piece.mid, c_m),
                     p.model->moments(*piece.mid, piece.hi, c_m)};
    std::array<double, 3> best = {HUGE_VAL, HUGE_VAL, HUGE_VAL};
    for (const Variant& v : p.variants) {
        const int n = 2 - v.j;
        IntervalM main(0);
        for (int i = 0; i < n; ++i)
            main += at_m[v.j + i] * pow(S, i) * mom.whole->moment(v.weight, i) / factorial(i);
        const IntervalM rem = remainder(p, v, n, S, over[2], piece, c_m, mom);
        const double w = (rem.width() * v.factor.mag()).convert_to<double>();
        best[v.k] = std::min(best[v.k], std::isfinite(w) ? w : HUGE_VAL);
        piece.contribution.push_back(main + rem);
    }
    for (double b : best)
        if (b < HUGE_VAL) piece.priority += b;
    return piece;
}

// Breakpoints: n near-uniform exact points of [lo, hi] merged with the forced ones.
std::vector<IntervalM> initial_breakpoints(const Problem& p, int n) {
    std::vector<Mpfr> inner;
    for (int i = 1; i < n; ++i) inner.push_back((p.lo + (p.hi - p.lo) * i / n).mid());
    for (const IntervalM& b : p.breakpoints)
        if (certainly_gt(b, p.lo) && certainly_lt(b, p.hi)) inner.push_back(b.mid());
    std::sort(inner.begin(), inner.end());
    inner.erase(std::unique(inner.begin(), inner.end()), inner.end());
    std::vector<IntervalM> x{p.lo};
    for (const Mpfr& v : inner) x.emplace_back(v, v);
    x.push_back(p.hi);
    return x;
}

std::vector<Piece> partition(const Problem& p, const RidgeFunctionJet& g, const IntervalM& Z,
                             const IntervalM& S, const RidgeQuadratureOptions& opts) {
    const int uniform =
        opts.adaptive ? std::min(opts.subintervals, kInitialPieces) : opts.subintervals;
    std::vector<Node> x;
    for (const IntervalM& b : initial_breakpoints(p, uniform)) x.push_back(p.model->node(b));
    std::vector<Piece> pieces;
    for (size_t i = 0; i + 1 < x.size(); ++i)
        pieces.push_back(integrate_piece(p, g, Z, S, x[i], x[i + 1]));
    if (!opts.adaptive) return pieces;
    auto by_priority = [&pieces](size_t a, size_t b) {
        return pieces[a].priority < pieces[b].priority;
    };
    std::priority_queue<size_t, std::vector<size_t>, decltype(by_priority)> queue(by_priority);
    for (size_t i = 0; i < pieces.size(); ++i) queue.push(i);
    while (static_cast<int>(pieces.size()) < opts.subintervals && !queue.empty()) {
        const size_t i = queue.top();
        queue.pop();
        if (!pieces[i].mid) continue;  // too narrow to split at this precision
        const Node m = *pieces[i].mid;
        Piece right = integrate_piece(p, g, Z, S, m, pieces[i].hi);
        pieces[i] = integrate_piece(p, g, Z, S, pieces[i].lo, m);
        pieces.push_back(std::move(right));
        queue.push(i);
        queue.push(pieces.size() - 1);
    }
    return pieces;
}

void validate(RidgeLawSpec law, GrowthBound growth, const RidgeQuadratureOptions& opts) {
    if (law.law == RidgeLaw::ball_marginal && law.d < 1)
        throw InputError("ridge_expectations: ball dimension d = " + std::to_string(law.d) +
                         " must be >= 1");
    for (double v : {growth.a, growth.b, growth.c})
        if (!std::isfinite(v) || v < 0)
            throw InputError("ridge_expectations: growth constant " + std::to_string(v) +
                             " must be finite and >= 0");
    if (opts.subintervals < 1)
        throw InputError("ridge_expectations: subintervals = " + std::to_string(opts.subintervals) +
                         " must be >= 1");
}

// ---- Gaussian problem -----------------------------------------------------------------------

struct GrowthEnvelope {
    IntervalM A, B, lambda;  // |g^{(k)}(z + st)| <= (A + B|t|) e^{λ|t|}
};

GrowthEnvelope envelope(GrowthBound growth, const IntervalM& Z, const IntervalM& S) {
    const IntervalM absZ = abs(Z), absS = abs(S);
    const IntervalM ez = exp(growth.c * absZ);
    return {(growth.a + growth.b * absZ) * ez, growth.b * absS * ez, growth.c * absS};
}

double choose_cutoff(const GrowthEnvelope& e, const RidgeQuadratureOptions& opts) {
    const double lambda = e.lambda.upper_double();
    if (opts.gaussian_cutoff > 0) {
        if (!(opts.gaussian_cutoff > lambda))
            throw InputError("ridge_expectations: Gaussian cutoff " +
                             std::to_string(opts.gaussian_cutoff) +
                             " must exceed c·sup S = " + std::to_string(lambda));
        return opts.gaussian_cutoff;
    }
    Mpfr two_to_minus_p = mpfr_with_precision(32);
    mpfr_set_ui_2exp(raw(two_to_minus_p), 1, -working_precision(), MPFR_RNDN);
    const IntervalM target = IntervalM(two_to_minus_p) * max(IntervalM(1), e.A);
    double L = std::ceil(lambda) + 2;
    while (L < lambda + 200 && possibly_gt(gaussian_tail_bound(e.A, e.B, e.lambda, L, 0), target))
        L += 0.5;
    return L;
}

Problem gaussian_problem(GrowthBound growth, const IntervalM& Z, const IntervalM& S,
                         const RidgeQuadratureOptions& opts) {
    const GrowthEnvelope e = envelope(growth, Z, S);
    Problem p;
    p.model = std::make_unique<GaussianModel>();
    p.cutoff = choose_cutoff(e, opts);
    p.lo = IntervalM(-p.cutoff);
    p.hi = IntervalM(p.cutoff);
    p.breakpoints = {IntervalM(-1), IntervalM(0), IntervalM(1)};  // sign changes of t, t² − 1
    const Weight phi{{IntervalM(1)}, {}};
    const Weight t_phi{{IntervalM(0), IntervalM(1)}, {}};
    const Weight h2_phi{{IntervalM(-1), IntervalM(0), IntervalM(1)}, {}};
    for (int k = 0; k <= 2; ++k) p.variants.push_back({k, k, phi, IntervalM(1), 0, {}});
    if (certainly_positive(S)) {
        p.variants.push_back({1, 0, t_phi, 1 / S, 1, {}});
        p.variants.push_back({2, 1, t_phi, 1 / S, 1, {}});
        p.variants.push_back({2, 0, h2_phi, 1 / sqr(S), 2, {}});
    }
    for (Variant& v : p.variants)
        v.additive =
            symmetric(gaussian_tail_bound(e.A, e.B, e.lambda, p.cutoff, v.tail_poly).upper());
    return p;
}

// ---- ball problem (weights in θ, divided by B_d = ∫_0^π sin^d) ---------------------------------

Problem ball_problem(int d, const RidgeFunctionJet& g, const IntervalM& Z, const IntervalM& S) {
    Problem p;
    p.model = std::make_unique<BallModel>();
    p.lo = IntervalM(0);
    p.hi = IntervalM::pi();
    const IntervalM B = sine_power_integral(d);
    const Weight w{{}, {{1 / B, 0, d}}};
    for (int k = 0; k <= 2; ++k) p.variants.push_back({k, k, w, IntervalM(1), 0, IntervalM(0)});
    if (!certainly_positive(S)) return p;
    if (d == 1) {
        // Uniform on [−1, 1]: E[g^{(j+1)}(z + sT)] = (g^{(j)}(z + s) − g^{(j)}(z − s))/(2s).
        const auto plus = ridge_derivatives(g, Z + S), minus = ridge_derivatives(g, Z - S);
        p.closed_forms[1].push_back((plus[0] - minus[0]) / (2 * S));
        p.closed_forms[2].push_back((plus[1] - minus[1]) / (2 * S));
        return p;
    }
    // With w(t) = (1 − t²)^ν, ν = (d−1)/2, t = cos θ: ∫ g^{(j+1)}(z+st) w dt = −(1/s) ∫ g^{(j)} w'
    // dt and −w'(cos θ) sin θ = (d−1) cos θ sin^{d−2} θ.
    const Weight w1{{}, {{IntervalM(d - 1) / B, 1, d - 2}}};
    p.variants.push_back({1, 0, w1, 1 / S, 0, IntervalM(0)});
    p.variants.push_back({2, 1, w1, 1 / S, 0, IntervalM(0)});
    if (d >= 3) {
        // ∫ g'' w dt = (1/s²)(−[g w'] + ∫ g w'' dt), w''(cos θ) sin θ =
        // −(d−1) sin^{d−2} θ + (d−1)(d−3) cos² θ sin^{d−4} θ; −[g w'] = 2(g(z+s) + g(z−s)) for d
        // = 3.
        Weight w2{{}, {{IntervalM(-(d - 1)) / B, 0, d - 2}}};
        if (d >= 4) w2.terms.push_back({IntervalM((d - 1) * (d - 3)) / B, 2, d - 4});
        IntervalM boundary(0);
        if (d == 3)
            boundary = 2 * (ridge_derivatives(g, Z + S)[0] + ridge_derivatives(g, Z - S)[0]) / B;
        p.variants.push_back({2, 0, w2, 1 / sqr(S), 0, boundary});
    }
    return p;
}

IntervalM intersect_all(const std::vector<IntervalM>& enclosures) {
    IntervalM r = enclosures.front();
    for (size_t i = 1; i < enclosures.size(); ++i) {
        const std::optional<IntervalM> x = intersect(r, enclosures[i]);
        // Every enclosure contains the exact value; disjoint ones mean a soundness bug.
        if (!x) throw InternalError("ridge_expectations: disjoint enclosures");
        r = *x;
    }
    return r;
}

}  // namespace

IntervalM gaussian_tail_bound(const IntervalM& A, const IntervalM& B, const IntervalM& lambda,
                              double L, int poly) {
    const IntervalM M = IntervalM(L) - lambda;
    if (!certainly_positive(M))
        throw InputError("gaussian_tail_bound: cutoff " + std::to_string(L) +
                         " does not exceed the growth rate");
    // I_m = ∫_M^∞ u^m φ(u) du.
    const IntervalM phi = normal_density(M);
    const IntervalM I0 = erfc_enclosure(M / sqrt(IntervalM(2))) / 2;
    const IntervalM I1 = phi, I2 = M * phi + I0, I3 = (sqr(M) + 2) * phi;
    // ∫_L^∞ t^i e^{λt} φ(t) dt = e^{λ²/2} ∫_{L−λ}^∞ (u + λ)^i φ(u) du.
    const IntervalM e = exp(sqr(lambda) / 2), l = lambda;
    const IntervalM m0 = e * I0, m1 = e * (I1 + l * I0), m2 = e * (I2 + 2 * l * I1 + sqr(l) * I0);
    const IntervalM m3 = e * (I3 + 3 * l * I2 + 3 * sqr(l) * I1 + pow(l, 3) * I0);
    IntervalM one_side;
    switch (poly) {
        case 0:
            one_side = A * m0 + B * m1;
            break;
        case 1:
            one_side = A * m1 + B * m2;
            break;
        case 2:
            one_side = A * (m2 + m0) + B * (m3 + m1);
            break;
        default:
            throw InternalError("gaussian_tail_bound: poly must be 0, 1 or 2");
    }
    return IntervalM(Mpfr(0), (2 * one_side).upper());
}

RidgeQuadratureResult ridge_expectations_detailed(const RidgeFunctionJet& g, const IntervalM& Z,
                                                  const IntervalM& S, RidgeLawSpec law,
                                                  GrowthBound growth, RidgeQuadratureOptions opts) {
    validate(law, growth, opts);
    RidgeQuadratureResult r;
    {
        PrecisionScope guarded(working_precision() + kGuardBits);
        const Problem p = law.law == RidgeLaw::standard_normal
                              ? gaussian_problem(growth, Z, S, opts)
                              : ball_problem(law.d, g, Z, S);
        const std::vector<Piece> pieces = partition(p, g, Z, S, opts);
        std::array<std::vector<IntervalM>, 3> enclosures = p.closed_forms;
        for (size_t v = 0; v < p.variants.size(); ++v) {
            IntervalM integral = p.variants[v].additive;
            for (const Piece& piece : pieces) integral += piece.contribution[v];
            enclosures[p.variants[v].k].push_back(p.variants[v].factor * integral);
        }
        for (int k = 0; k <= 2; ++k) r.values[k] = intersect_all(enclosures[k]);
        r.cutoff = p.cutoff;
        r.tail = p.variants.front().additive;
        r.subintervals = static_cast<int>(pieces.size());
    }
    for (IntervalM& v : r.values) v = round_out_to_working_precision(v);
    r.tail = round_out_to_working_precision(r.tail);
    return r;
}

std::array<IntervalM, 3> ridge_expectations(const RidgeFunctionJet& g, const IntervalM& Z,
                                            const IntervalM& S, RidgeLawSpec law,
                                            GrowthBound growth, RidgeQuadratureOptions opts) {
    return ridge_expectations_detailed(g, Z, S, law, growth, opts).values;
}

}  // namespace gradcert
