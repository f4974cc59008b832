#include "numerics/quadrature/sigmoid_ridge.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "numerics/special/erf.hpp"
#include "numerics/util/error.hpp"

namespace gradcert {
namespace {

// Precision of the box-independent tables before they are rounded outward to double; the
// moment recurrence loses about n·log2(2/h) bits on a piece of width h.
constexpr long kTableBits = 256;
constexpr double kMaxSpread = 1000;
// The partition reaches at least this far; Q(9) < 1.2e−19, φ(9) < 1.1e−18.
constexpr double kMinCutoff = 9;
// Widest piece (the tails) and the number of subintervals of the global derivative bounds.
constexpr double kMaxPieceWidth = 4;
constexpr int kBoundSubdivisions = 4096;
// Highest derivative tabulated: order 12 + 2.
constexpr int kMaxDerivative = 14;

using Poly = std::vector<double>;  // coefficients, index = power (exact integers)

Poly derivative_of(const Poly& q) {
    Poly d;
    for (size_t i = 1; i < q.size(); ++i) d.push_back(static_cast<double>(i) * q[i]);
    return d.empty() ? Poly{0} : d;
}

Poly product(const Poly& a, const Poly& b) {
    Poly r(a.size() + b.size() - 1, 0.0);
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < b.size(); ++j) r[i + j] += a[i] * b[j];
    return r;
}

// Q_j for j = 0..top with g^{(j)} = Q_j(p); Q_0 is empty for softplus (not a polynomial in σ).
// Throws if a coefficient leaves the range where doubles hold integers exactly.
std::vector<Poly> derivative_polynomials(SigmoidRidge g, int top) {
    const Poly slope = g == SigmoidRidge::softplus ? Poly{0, 1, -1} : Poly{1, 0, -1};
    std::vector<Poly> q(top + 1);
    int first = 0;
    if (g == SigmoidRidge::softplus) {
        q[1] = {0, 1};
        first = 1;
    } else {
        q[0] = {0, 1};
    }
    for (int j = first; j < top; ++j) {
        q[j + 1] = product(derivative_of(q[j]), slope);
        for (double c : q[j + 1])
            if (!(std::abs(c) < 0x1p52))
                throw InputError("GaussianSigmoidRidge: derivative order " + std::to_string(top) +
                                 " too high for exact coefficients");
    }
    return q;
}

IntervalD horner(const Poly& q, const IntervalD& p) {
    IntervalD r(q.back());
    for (size_t i = q.size() - 1; i-- > 0;) r = r * p + IntervalD(q[i]);
    return r;
}

// [−M, M] with M >= sup |Q(p)| over the range of p ([0, 1] for σ, [−1, 1] for tanh): the
// centred form Q(c) + Q'(P)(P − c) on each of kBoundSubdivisions pieces P (plain Horner on a piece
// overestimates by about Σ|coefficients|·width, 1e6 for Q_12).
IntervalD global_bound(const Poly& q, SigmoidRidge g) {
    const double lo = g == SigmoidRidge::softplus ? 0.0 : -1.0;
    const double step = (1.0 - lo) / kBoundSubdivisions;  // exact (power of two)
    const Poly dq = derivative_of(q);
    double m = 0;
    for (int i = 0; i < kBoundSubdivisions; ++i) {
        const double a = lo + step * i, b = a + step, c = a + step / 2;  // exact
        const IntervalD piece(a, b);
        const IntervalD centred = horner(q, IntervalD(c)) + horner(dq, piece) * (piece - c);
        const std::optional<IntervalD> r = intersect(centred, horner(q, piece));
        m = std::max(m, (r ? *r : centred).mag());
    }
    return IntervalD(-m, m);
}

// The polynomials Q_0..Q_kMaxDerivative and their bounds, built once per function (thread-safe
// static initialisation).
struct DerivativeTables {
    std::vector<Poly> q;
    std::vector<IntervalD> bound;
};

const DerivativeTables& derivative_tables(SigmoidRidge g) {
    static const auto build = [](SigmoidRidge f) {
        DerivativeTables t;
        t.q = derivative_polynomials(f, kMaxDerivative);
        t.bound.assign(kMaxDerivative + 1, IntervalD(0));
        for (int j = f == SigmoidRidge::softplus ? 1 : 0; j <= kMaxDerivative; ++j)
            t.bound[j] = global_bound(t.q[j], f);
        return t;
    };
    static const DerivativeTables softplus = build(SigmoidRidge::softplus);
    static const DerivativeTables tanh = build(SigmoidRidge::tanh);
    return g == SigmoidRidge::softplus ? softplus : tanh;
}

// Breakpoints 0 < t_1 < … < t_K (t_K >= kMinCutoff) of the positive half-axis.
std::vector<double> positive_breakpoints(double h0, int order) {
    std::vector<double> t{0.0};
    while (t.back() < kMinCutoff) {
        const double x = t.back();
        const double h = std::min(kMaxPieceWidth, h0 * std::exp(x * x / (2.0 * (order + 1))));
        t.push_back(x + h);
    }
    return t;
}

// μ_i = ∫_a^b (t − m)^i φ(t) dt, i = 0..n, at the working precision:
// μ_0 = Φ(b) − Φ(a), μ_1 = −m μ_0 + φ(a) − φ(b),
// μ_i = (i−1) μ_{i−2} − m μ_{i−1} − [(t − m)^{i−1} φ(t)]_a^b.
std::vector<IntervalM> gaussian_moments(double a, double b, double m, int n) {
    const IntervalM A(a), B(b), M(m);
    const IntervalM phi_a = normal_density(A), phi_b = normal_density(B);
    const IntervalM ua = A - M, ub = B - M;
    std::vector<IntervalM> mu(n + 1);
    mu[0] = normal_probability(A, B);
    if (n >= 1) mu[1] = -M * mu[0] + (phi_a - phi_b);
    for (int i = 2; i <= n; ++i)
        mu[i] =
            (i - 1) * mu[i - 2] - M * mu[i - 1] - (pow(ub, i - 1) * phi_b - pow(ua, i - 1) * phi_a);
    return mu;
}

IntervalM factorial(int n) {
    IntervalM f(1);
    for (int i = 2; i <= n; ++i) f *= IntervalM(i);
    return f;
}

// Enclosures of the critical points of Q_0..Q_3 inside p's range (the roots of Q_j' = Q_{j+1}/p'):
// softplus Q_2 = p − p² at 1/2, Q_3 = p − 3p² + 2p³ at (3 ± √3)/6; tanh Q_1 = 1 − p² at 0,
// Q_2 = 2p³ − 2p at ±1/√3, Q_3 = −6p⁴ + 8p² − 2 at 0 and ±√(2/3).
std::vector<std::vector<IntervalD>> critical_points(SigmoidRidge g) {
    const IntervalD root3 = sqrt(IntervalD(3));
    if (g == SigmoidRidge::softplus)
        return {{}, {}, {IntervalD(0.5)}, {(3 - root3) / 6, (3 + root3) / 6}};
    const IntervalD a = 1 / root3, b = sqrt(IntervalD(2) / 3);
    return {{}, {IntervalD(0)}, {-a, a}, {-b, IntervalD(0), b}};
}

}  // namespace

GaussianSigmoidRidge::GaussianSigmoidRidge(SigmoidRidge g, const IntervalM& S,
                                           SigmoidRidgeOptions options)
    : g_(g), order_(options.order) {
    if (options.order < 2 || options.order > 12 || options.order % 2 != 0)
        throw InputError("GaussianSigmoidRidge: order " + std::to_string(options.order) +
                         " must be even and in [2, 12]");
    if (!(options.spread_per_piece > 0) || !std::isfinite(options.spread_per_piece))
        throw InputError("GaussianSigmoidRidge: spread_per_piece must be finite and > 0");
    if (!S.is_finite() || !certainly_ge(S, 0.0))
        throw InputError("GaussianSigmoidRidge: spread " + to_string(S) +
                         " must be finite and >= 0");
    // The table has ~|S|/spread_per_piece pieces (S = 100: seconds, S = 5·10^5: hours); beyond
    // kMaxSpread the input is refused (docs/family-language.md).
    if (certainly_gt(S, kMaxSpread))
        throw InputError("smoothing of a softplus/tanh ridge term: its spread |w|·δ = " +
                         std::to_string(S.lower_double()) + " is above the supported " +
                         std::to_string(static_cast<int>(kMaxSpread)) +
                         " (use smaller weights or a smaller δ)");
    S_ = to_double(S);
    zero_spread_ = S.is_point() && !certainly_positive(S);
    const int n = order_;
    const DerivativeTables& tables = derivative_tables(g);
    q_.assign(tables.q.begin(), tables.q.begin() + n + 3);
    bound_.assign(tables.bound.begin(), tables.bound.begin() + n + 3);
    critical_ = critical_points(g);
    if (zero_spread_) return;

    PrecisionScope precision(kTableBits);
    const double s_hi = S.upper_double();
    // tanh's derivatives grow like j!/(π/2)^j (poles at ±iπ/2), σ's like j!/π^j: half the width.
    const double reach = g == SigmoidRidge::softplus ? 1.0 : 0.5;
    const double h0 = std::min(2.0, reach * options.spread_per_piece / s_hi);
    const std::vector<double> half = positive_breakpoints(h0, n);
    std::vector<double> t;
    for (size_t i = half.size(); i-- > 1;) t.push_back(-half[i]);
    t.insert(t.end(), half.begin(), half.end());
    cutoff_ = half.back();

    const IntervalM rate = g == SigmoidRidge::softplus ? S : 2 * S;
    for (size_t i = 0; i + 1 < t.size(); ++i) {
        const double a = t[i], b = t[i + 1], m = 0.5 * (a + b);
        const std::vector<IntervalM> mu = gaussian_moments(a, b, m, n);
        Piece piece;
        piece.growth = to_double(exp(-rate * IntervalM(m)));
        for (int k = 0; k < n; ++k)
            piece.weights.push_back(to_double(pow(S, k) * mu[k] / factorial(k)));
        const IntervalM top = max(mu[n], IntervalM(0));  // μ_n >= 0 (n even)
        piece.remainder = to_double(pow(S, n) * top / factorial(n));
        pieces_.push_back(std::move(piece));
    }
    const IntervalM L(cutoff_);
    tail_q_ = to_double(erfc_enclosure(L / sqrt(IntervalM(2))) / 2);
    tail_phi_ = to_double(normal_density(L));
}

IntervalD GaussianSigmoidRidge::derivative(int j, const IntervalD& p) const {
    IntervalD r = horner(q_[j], p);
    if (j < static_cast<int>(critical_.size()) && !p.is_point()) {
        // Q_j is monotone between its critical points: the exact range up to rounding.
        IntervalD range =
            hull(horner(q_[j], IntervalD(p.lower())), horner(q_[j], IntervalD(p.upper())));
        for (const IntervalD& c : critical_[j])
            if (overlaps(c, p)) range = hull(range, horner(q_[j], c));
        r = *intersect(r, range);
    }
    const std::optional<IntervalD> bounded = intersect(r, bound_[j]);
    return bounded ? *bounded : bound_[j];
}

std::array<IntervalD, 3> GaussianSigmoidRidge::zero_spread(const IntervalD& Z) const {
    if (g_ == SigmoidRidge::softplus) {
        const IntervalD p = 1 / (1 + exp(-Z));
        return {log(1 + exp(Z)), derivative(1, p), derivative(2, p)};
    }
    const IntervalD p = 2 / (1 + exp(-2 * Z)) - 1;
    return {derivative(0, p), derivative(1, p), derivative(2, p)};
}

std::optional<std::array<IntervalD, 3>> GaussianSigmoidRidge::expectations(
    const IntervalD& Z) const {
    if (!(Z.lower() >= -max_argument && Z.upper() <= max_argument)) return std::nullopt;
    if (zero_spread_) return zero_spread(Z);
    const bool softplus = g_ == SigmoidRidge::softplus;
    const double rate = softplus ? 1.0 : 2.0;
    if (!(rate * (Z.mag() + S_.upper() * cutoff_) <= max_exponent)) return std::nullopt;
    const IntervalD range = softplus ? IntervalD(0.0, 1.0) : IntervalD(-1.0, 1.0);
    const IntervalD ez = softplus ? exp(-Z) : exp(-2 * Z);
    const int n = order_;
    std::array<IntervalD, 3> F = {IntervalD(0), IntervalD(0), IntervalD(0)};
    std::vector<IntervalD> D(n + 2);
    for (const Piece& piece : pieces_) {
        const IntervalD u = ez * piece.growth;  // e^{−y_m} (tanh: e^{−2y_m}), y_m = z + s·m
        const IntervalD p_raw = softplus ? 1 / (1 + u) : 2 / (1 + u) - 1;
        const std::optional<IntervalD> p_in = intersect(p_raw, range);
        const IntervalD p = p_in ? *p_in : range;
        D[0] = softplus ? log(1 + 1 / u) : derivative(0, p);
        for (int j = 1; j <= n + 1; ++j) D[j] = derivative(j, p);
        for (int k = 0; k <= 2; ++k) {
            IntervalD sum = bound_[k + n] * piece.remainder;
            for (int i = 0; i < n; ++i) sum += D[k + i] * piece.weights[i];
            F[k] += sum;
        }
    }
    const IntervalD A = softplus ? 1 + IntervalD(Z.mag()) : IntervalD(1);
    const IntervalD B = softplus ? IntervalD(S_.upper()) : IntervalD(0);
    const double tail = (2 * (A * tail_q_ + B * tail_phi_)).upper();
    for (IntervalD& f : F) f += IntervalD(-tail, tail);
    return F;
}

}  // namespace gradcert
