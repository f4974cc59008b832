#include "numerics/quadrature/gaussian_cubature.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "numerics/interval/precision.hpp"
#include "numerics/special/erf.hpp"
#include "numerics/util/error.hpp"

namespace gradcert {

namespace {

constexpr double kRadii[] = {8, 10, 12, 16, 24, 32, 48, 64};

// [−r, r] for r >= 0 (r rounded up already).
IntervalD symmetric(double r) {
    return IntervalD(-r, r);
}

double up(const IntervalD& x) {
    return x.upper();
}

// The point interval of an upper bound v >= 0 that may have overflowed to +inf: IntervalD's point
// constructor throws std::domain_error at infinity, so callers test finite() first and give an
// unbounded result instead (the contract: unbounded enclosures, never a throw).
bool finite(double v) {
    return std::isfinite(v);
}

// The moments ∫_a^b z^n φ(z) dz, n = 0..4, enclosed in MPFR.
std::array<IntervalM, 5> cell_moments(const IntervalM& a, const IntervalM& b) {
    std::array<IntervalM, 5> m;
    const IntervalM pa = normal_density(a);
    const IntervalM pb = normal_density(b);
    m[0] = normal_probability(a, b);
    m[1] = pa - pb;
    IntervalM an = IntervalM(1), bn = IntervalM(1);  // a^{n−1}, b^{n−1}
    for (int n = 2; n <= 4; ++n) {
        an = an * a;
        bn = bn * b;
        m[static_cast<std::size_t>(n)] =
            an * pa - bn * pb + IntervalM(n - 1) * m[static_cast<std::size_t>(n - 2)];
    }
    return m;
}

// ∫ He_k φ and ∫ z·He_k φ from the moments.
IntervalM hermite_mass(const std::array<IntervalM, 5>& m, int k) {
    switch (k) {
        case 0:
            return m[0];
        case 1:
            return m[1];
        case 2:
            return m[2] - m[0];
        default:
            return m[3] - IntervalM(3) * m[1];
    }
}
IntervalM hermite_first(const std::array<IntervalM, 5>& m, int k) {
    switch (k) {
        case 0:
            return m[1];
        case 1:
            return m[2];
        case 2:
            return m[3] - m[1];
        default:
            return m[4] - IntervalM(3) * m[2];
    }
}

IntervalD hermite_value(const IntervalD& z, int k) {
    switch (k) {
        case 0:
            return IntervalD(1);
        case 1:
            return z;
        case 2:
            return sqr(z) - IntervalD(1);
        default:
            return z * (sqr(z) - IntervalD(3));
    }
}

}  // namespace

GaussianCubature::Cell GaussianCubature::make_cell(double a, double b) {
    Cell cell;
    cell.a = a;
    cell.b = b;
    cell.c = (a + b) / 2;  // exact: a, b are dyadic with few bits
    PrecisionScope scope(std::max<long>(working_precision(), 64) + 64);
    const IntervalM A(a), B(b), C(cell.c);
    const auto whole = cell_moments(A, B);
    const auto lo = cell_moments(A, C);
    const auto hi = cell_moments(C, B);
    const IntervalM sqrt3 = sqrt(IntervalM(3));
    for (int k = 0; k < 4; ++k) {
        const std::size_t i = static_cast<std::size_t>(k);
        cell.mass[i] = to_double(hermite_mass(whole, k));
        cell.left[i] = to_double(hermite_first(lo, k) - C * hermite_mass(lo, k));
        cell.right[i] = to_double(hermite_first(hi, k) - C * hermite_mass(hi, k));
        // Roots of He_k: He_1 {0}, He_2 {±1}, He_3 {0, ±√3}.
        std::vector<IntervalM> roots;
        if (k == 1) roots = {IntervalM(0)};
        if (k == 2) roots = {IntervalM(-1), IntervalM(1)};
        if (k == 3) roots = {IntervalM(0), sqrt3, -sqrt3};
        for (const IntervalM& r : roots)
            if (possibly_lt(A, r) && possibly_lt(r, B)) cell.mixed[i] = true;
        const IntervalD Z(a, b);
        cell.abs_mass[i] =
            up(IntervalD(hermite_value(Z, k).mag()) * IntervalD(to_double(whole[0]).upper()));
    }
    return cell;
}

GaussianCubature::GaussianCubature(CubatureIntegrand f, const IntervalM& t, const IntervalD& domain,
                                   GaussianCubatureOptions options)
    : f_(std::move(f)), t_(to_double(t)), options_(options) {
    if (!certainly_positive(t_)) throw std::invalid_argument("GaussianCubature: t must be > 0");
    const int n = options_.cells_per_unit;
    if (n < 1 || (n & (n - 1)) != 0 || n > (1 << 20))
        throw std::invalid_argument("GaussianCubature: cells_per_unit must be a power of two");
    if (options_.core < 1 || options_.core > 64)
        throw std::invalid_argument("GaussianCubature: core must be in 1..64");
    // The radius: smallest listed R with a tail below the target on the whole domain.
    const double magnitude = up(IntervalD(domain.mag()));
    const int count = static_cast<int>(f_.growth.size()) + 4;
    radius_ = kRadii[std::size(kRadii) - 1];
    for (double r : kRadii) {
        if (r < options_.core) continue;
        const auto tau = tail_moments(r, count);
        bool small = true;
        for (int k = 0; k < 4; ++k)
            small = small && tail_for(magnitude, k, r, tau) <= options_.tail_target;
        if (small) {
            radius_ = r;
            break;
        }
    }
    radius_ = std::max(radius_, static_cast<double>(options_.core));
    tau_ = tail_moments(radius_, count);
    const double h = 1.0 / n;
    for (int i = -options_.core * n; i < options_.core * n; ++i)
        cells_.push_back(make_cell(i * h, (i + 1) * h));
    for (double a = options_.core; a < radius_; a += 0.25) {
        cells_.push_back(make_cell(a, a + 0.25));
        cells_.push_back(make_cell(-a - 0.25, -a));
    }
    refine(domain);
}

std::vector<double> GaussianCubature::tail_moments(double radius, int count) {
    PrecisionScope scope(std::max<long>(working_precision(), 64) + 64);
    const IntervalM R(radius);
    std::vector<IntervalM> tau(static_cast<std::size_t>(count));
    tau[0] = erfc_enclosure(R / sqrt(IntervalM(2))) / IntervalM(2);
    const IntervalM phi = normal_density(R);
    if (count > 1) tau[1] = phi;
    IntervalM rn = IntervalM(1);  // R^{n−1}
    for (int n = 2; n < count; ++n) {
        rn = rn * R;
        tau[static_cast<std::size_t>(n)] =
            rn * phi + IntervalM(n - 1) * tau[static_cast<std::size_t>(n - 2)];
    }
    std::vector<double> out;
    for (const IntervalM& x : tau) out.push_back(to_double(x).upper());
    return out;
}

// 2 Σ e_n τ_n with Σ e_n v^n >= P(m + t v)·|He_k(v)| for v >= 0.
double GaussianCubature::tail_for(double magnitude, int k, double /*radius*/,
                                  const std::vector<double>& tau) const {
    const double t = t_.upper();
    if (!finite(magnitude) || !finite(t)) return HUGE_VAL;
    for (double c : f_.growth)
        if (!finite(c)) return HUGE_VAL;
    // Q(v) = P(m + t v) = Σ_j c_j (m + t v)^j, expanded in v (non-negative coefficients).
    const std::size_t K = f_.growth.size();
    std::vector<IntervalD> q(K, IntervalD(0));
    for (std::size_t j = 0; j < K; ++j) {
        // (m + t v)^j = Σ_n C(j, n) m^{j−n} t^n v^n
        IntervalD binom(1);
        for (std::size_t n = 0; n <= j; ++n) {
            if (n > 0)
                binom = binom * IntervalD(static_cast<double>(j - n + 1)) /
                        IntervalD(static_cast<double>(n));
            q[n] += IntervalD(f_.growth[j]) * binom *
                    pow(IntervalD(magnitude), static_cast<int>(j - n)) *
                    pow(IntervalD(t), static_cast<int>(n));
        }
    }
    // |He_k(v)| <= H_k(v): 1; v; v² + 1; v³ + 3v.
    std::vector<double> h;
    switch (k) {
        case 0:
            h = {1};
            break;
        case 1:
            h = {0, 1};
            break;
        case 2:
            h = {1, 0, 1};
            break;
        default:
            h = {0, 3, 0, 1};
            break;
    }
    IntervalD total(0);
    for (std::size_t i = 0; i < q.size(); ++i)
        for (std::size_t j = 0; j < h.size(); ++j) {
            if (h[j] == 0) continue;
            const std::size_t n = i + j;
            if (n >= tau.size()) throw InternalError("GaussianCubature: tail moment missing");
            // Q's coefficients (|x| up to 1e20 with |x|^20) or the moments (n ≈ 450) overflow.
            if (!finite(q[i].upper()) || !finite(tau[n])) return HUGE_VAL;
            total += IntervalD(q[i].upper()) * IntervalD(h[j]) * IntervalD(tau[n]);
        }
    return up(IntervalD(2) * total);
}

double GaussianCubature::tail_bound(const IntervalD& X, int k) const {
    return tail_for(up(IntervalD(X.mag())), k, radius_, tau_);
}

double GaussianCubature::add_cell(const Cell& cell, const IntervalD& X,
                                  std::array<IntervalD, 4>& sums) const {
    const IntervalD Z = X + t_ * IntervalD(cell.a, cell.b);
    const IntervalD Zc = X + t_ * IntervalD(cell.c);
    const CellEnclosure both = f_.value_and_slope(Z);
    const IntervalD& G = both.value;
    if (!G.is_finite()) {
        for (IntervalD& s : sums) s = IntervalD::entire();
        return HUGE_VAL;
    }
    const IntervalD gc = f_.value(Zc);
    std::optional<IntervalD> slope = both.slope;
    if (slope && !slope->is_finite()) slope.reset();
    const double half = (cell.b - cell.a) / 2;
    double width2 = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        IntervalD term;
        if (slope) {
            IntervalD rest;
            if (!cell.mixed[k]) {
                rest = t_ * (*slope * cell.left[k] + *slope * cell.right[k]);
            } else {
                rest = symmetric(up(IntervalD(t_.mag()) * IntervalD(slope->mag()) *
                                    IntervalD(half) * IntervalD(cell.abs_mass[k])));
            }
            term = gc * cell.mass[k] + rest;
            if (!cell.mixed[k]) {
                if (const auto both = intersect(term, G * cell.mass[k])) term = *both;
            }
        } else if (!cell.mixed[k]) {
            term = G * cell.mass[k];
        } else {
            term =
                gc * cell.mass[k] +
                symmetric(finite(G.width()) ? up(IntervalD(G.width()) * IntervalD(cell.abs_mass[k]))
                                            : HUGE_VAL);
        }
        if (k == 2) width2 = term.width();
        sums[k] += term;
    }
    return width2;
}

std::array<IntervalD, 4> GaussianCubature::hermite_sums(const IntervalD& X) const {
    std::array<IntervalD, 4> sums{IntervalD(0), IntervalD(0), IntervalD(0), IntervalD(0)};
    for (const Cell& cell : cells_) {
        add_cell(cell, X, sums);
        if (!sums[0].is_finite()) return sums;
    }
    for (int k = 0; k < 4; ++k) sums[static_cast<std::size_t>(k)] += symmetric(tail_bound(X, k));
    return sums;
}

std::array<IntervalD, 3> GaussianCubature::enclose(const IntervalD& X) const {
    const auto s = hermite_sums(X);
    const IntervalD inv = IntervalD(1) / t_;
    std::array<IntervalD, 3> out{s[0], s[1] * inv, s[2] * sqr(inv)};
    if (X.is_point() || !s[0].is_finite()) return out;
    const IntervalD xc(static_cast<double>(X.mid()));
    const auto c = hermite_sums(xc);
    if (!c[0].is_finite()) return out;
    const IntervalD dx = X - xc;
    const std::array<IntervalD, 3> centered{c[0] + s[1] * inv * dx,
                                            c[1] * inv + s[2] * sqr(inv) * dx,
                                            c[2] * sqr(inv) + s[3] * sqr(inv) * inv * dx};
    for (std::size_t k = 0; k < 3; ++k) {
        const auto both = intersect(out[k], centered[k]);
        // Two enclosures of the same set of reals cannot be disjoint.
        if (!both) throw InternalError("GaussianCubature: disjoint enclosures (a bug)");
        out[k] = *both;
    }
    return out;
}

std::array<double, 3> GaussianCubature::estimate(double x) const {
    const int n = std::max(options_.estimate_nodes, 3);
    const double t = static_cast<double>(t_.mid());
    const double step = 18.0 / (n - 1);
    double s0 = 0, s1 = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
        const double z = -9 + i * step;
        const double w = std::exp(-z * z / 2) * 0.3989422804014327 * step;
        const double v = f_.estimate(x + t * z) * w;
        s0 += v;
        s1 += v * z;
        s2 += v * (z * z - 1);
    }
    return {s0, s1 / t, s2 / (t * t)};
}

void GaussianCubature::refine(const IntervalD& domain) {
    const int samples = std::max(options_.refine_samples, 1);
    std::vector<IntervalD> xs;
    const double lo = domain.lower(), hi = domain.upper();
    for (int i = 0; i < samples; ++i)
        xs.emplace_back(samples == 1 ? (lo + hi) / 2 : lo + (hi - lo) * i / (samples - 1));
    for (int round = 0; round < options_.refine_rounds; ++round) {
        std::vector<std::pair<double, std::size_t>> score;
        for (std::size_t i = 0; i < cells_.size(); ++i) {
            double worst = 0;
            for (const IntervalD& x : xs) {
                std::array<IntervalD, 4> sink{IntervalD(0), IntervalD(0), IntervalD(0),
                                              IntervalD(0)};
                worst = std::max(worst, add_cell(cells_[i], x, sink));
            }
            score.emplace_back(worst, i);
        }
        const std::size_t count = static_cast<std::size_t>(
            std::ceil(options_.refine_fraction * static_cast<double>(cells_.size())));
        std::sort(score.begin(), score.end(), [](const auto& a, const auto& b) {
            return a.first > b.first || (a.first == b.first && a.second < b.second);
        });
        std::vector<bool> split(cells_.size(), false);
        for (std::size_t i = 0; i < std::min(count, score.size()); ++i)
            split[score[i].second] = true;
        std::vector<Cell> next;
        for (std::size_t i = 0; i < cells_.size(); ++i) {
            if (!split[i]) {
                next.push_back(cells_[i]);
                continue;
            }
            next.push_back(make_cell(cells_[i].a, cells_[i].c));
            next.push_back(make_cell(cells_[i].c, cells_[i].b));
        }
        cells_ = std::move(next);
    }
}

}  // namespace gradcert
