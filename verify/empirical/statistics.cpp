#include "verify/empirical/statistics.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include "numerics/engine/train_rng.hpp"

namespace gradcert::verify {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require_same_size(std::span<const double> x, std::span<const double> y, const char* who) {
    if (x.size() != y.size())
        throw std::invalid_argument(std::string(who) + ": inputs of different lengths");
}

// Percentile interval of the finite replicate values.
BootstrapInterval percentile_interval(double estimate, std::vector<double> values,
                                      double confidence) {
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    BootstrapInterval r;
    r.estimate = estimate;
    r.replicates = static_cast<int>(values.size());
    if (values.empty()) {
        r.lo = r.hi = kNaN;
        return r;
    }
    const double alpha = 1.0 - confidence;
    r.lo = quantile(values, alpha / 2);
    r.hi = quantile(values, 1 - alpha / 2);
    return r;
}

void check_confidence(double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0))
        throw std::invalid_argument("confidence must lie in (0, 1)");
}

}  // namespace

double mean(std::span<const double> x) {
    if (x.empty()) return kNaN;
    double s = 0.0;
    for (double v : x) s += v;
    return s / static_cast<double>(x.size());
}

double sample_sd(std::span<const double> x) {
    if (x.empty()) return kNaN;
    if (x.size() == 1) return 0.0;
    const double m = mean(x);
    double ss = 0.0;
    for (double v : x) ss += (v - m) * (v - m);
    return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

double quantile(std::span<const double> x, double p) {
    if (x.empty()) throw std::invalid_argument("quantile of an empty sample");
    if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("quantile level outside [0, 1]");
    std::vector<double> s(x.begin(), x.end());
    std::sort(s.begin(), s.end());
    const double h = (static_cast<double>(s.size()) - 1.0) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, s.size() - 1);
    return s[lo] + (h - static_cast<double>(lo)) * (s[hi] - s[lo]);
}

namespace {

double log_choose(int n, int k) {
    return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

}  // namespace

double fisher_one_sided(int a, int b, int n) {
    // Two groups of n; K = a + b successes in total. P(X >= a), X ~ Hypergeometric(2n, K, n).
    const int K = a + b;
    double p = 0.0;
    for (int x = a; x <= std::min(K, n); ++x)
        p += std::exp(log_choose(n, x) + log_choose(n, K - x) - log_choose(2 * n, K));
    return std::min(1.0, p);
}

std::vector<double> average_ranks(std::span<const double> x) {
    const std::size_t n = x.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> rank(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j + 1 < n && x[order[j + 1]] == x[order[i]]) ++j;
        const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
        i = j + 1;
    }
    return rank;
}

double pearson(std::span<const double> x, std::span<const double> y) {
    require_same_size(x, y, "pearson");
    if (x.size() < 2) return kNaN;
    const double mx = mean(x), my = mean(y);
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0.0 || syy == 0.0) return kNaN;
    return sxy / std::sqrt(sxx * syy);
}

double spearman(std::span<const double> x, std::span<const double> y) {
    require_same_size(x, y, "spearman");
    const std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
    return pearson(rx, ry);
}

LinearFit fit_line(std::span<const double> x, std::span<const double> y) {
    require_same_size(x, y, "fit_line");
    const std::size_t n = x.size();
    if (n < 2) throw std::invalid_argument("fit_line: need at least 2 points");
    const double mx = mean(x), my = mean(y);
    double sxx = 0.0, sxy = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0.0) throw std::invalid_argument("fit_line: x is constant");
    LinearFit f;
    f.n = static_cast<int>(n);
    f.slope = sxy / sxx;
    f.intercept = my - f.slope * mx;
    double rss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double r = y[i] - f.intercept - f.slope * x[i];
        rss += r * r;
    }
    f.r2 = syy > 0.0 ? 1.0 - rss / syy : 1.0;
    if (n > 2) {
        const double s2 = rss / static_cast<double>(n - 2);
        f.slope_se = std::sqrt(s2 / sxx);
        f.intercept_se = std::sqrt(s2 * (1.0 / static_cast<double>(n) + mx * mx / sxx));
    } else {
        f.slope_se = f.intercept_se = kNaN;
    }
    return f;
}

QuadraticFit fit_quadratic(std::span<const double> x, std::span<const double> y) {
    require_same_size(x, y, "fit_quadratic");
    const auto n = static_cast<Eigen::Index>(x.size());
    if (n < 3) throw std::invalid_argument("fit_quadratic: need at least 3 points");
    std::vector<double> distinct(x.begin(), x.end());
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() < 3) throw std::invalid_argument("fit_quadratic: need 3 distinct x");
    // Centre and scale x for conditioning, then map the coefficients back.
    const double cx = mean(x);
    double scale = 0.0;
    for (double v : x) scale = std::max(scale, std::abs(v - cx));
    Eigen::MatrixXd a(n, 3);
    Eigen::VectorXd b(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double t = (x[static_cast<std::size_t>(i)] - cx) / scale;
        a(i, 0) = 1.0;
        a(i, 1) = t;
        a(i, 2) = t * t;
        b(i) = y[static_cast<std::size_t>(i)];
    }
    const Eigen::MatrixXd ata = a.transpose() * a;
    const Eigen::Vector3d k = ata.ldlt().solve(a.transpose() * b);
    // y = k0 + k1 t + k2 t², t = (x − cx)/s.
    QuadraticFit f;
    f.n = static_cast<int>(n);
    f.c2 = k(2) / (scale * scale);
    f.c1 = k(1) / scale - 2.0 * k(2) * cx / (scale * scale);
    f.c0 = k(0) - k(1) * cx / scale + k(2) * cx * cx / (scale * scale);
    if (n > 3) {
        const double rss = (b - a * k).squaredNorm();
        const double s2 = rss / static_cast<double>(n - 3);
        const Eigen::Matrix3d cov = s2 * ata.inverse();
        f.c2_se = std::sqrt(cov(2, 2)) / (scale * scale);
    } else {
        f.c2_se = kNaN;
    }
    f.vertex = f.c2 != 0.0 ? -f.c1 / (2.0 * f.c2) : kNaN;
    return f;
}

double student_t_multiplier(double confidence, double dof) {
    check_confidence(confidence);
    if (!(dof > 0.0)) return kNaN;
    return boost::math::quantile(boost::math::students_t(dof), 0.5 + 0.5 * confidence);
}

double normal_quantile(double p) {
    return boost::math::quantile(boost::math::normal(0.0, 1.0), p);
}

double scaled_chi_square_quantile(double p, double dof) {
    return boost::math::quantile(boost::math::chi_squared(dof), p) / dof;
}

BootstrapInterval bootstrap_ci(int n, const std::function<double(std::span<const int>)>& statistic,
                               int replicates, double confidence, std::uint64_t seed) {
    check_confidence(confidence);
    if (n < 1 || replicates < 1) throw std::invalid_argument("bootstrap_ci: n, replicates ≥ 1");
    std::vector<int> idx(static_cast<std::size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    const double estimate = statistic(idx);
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(replicates));
    for (int r = 0; r < replicates; ++r) {
        engine::RunRng rng(
            engine::stream_key(seed, engine::Stream::subset, 0xb007, static_cast<unsigned>(r)));
        for (int& i : idx) i = static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
        values.push_back(statistic(idx));
    }
    return percentile_interval(estimate, std::move(values), confidence);
}

BootstrapInterval bootstrap_ci_grouped(
    std::span<const int> sizes,
    const std::function<double(const std::vector<std::vector<int>>&)>& statistic, int replicates,
    double confidence, std::uint64_t seed) {
    check_confidence(confidence);
    if (replicates < 1) throw std::invalid_argument("bootstrap_ci_grouped: replicates ≥ 1");
    std::vector<std::vector<int>> idx(sizes.size());
    for (std::size_t g = 0; g < sizes.size(); ++g) {
        if (sizes[g] < 1) throw std::invalid_argument("bootstrap_ci_grouped: empty group");
        idx[g].resize(static_cast<std::size_t>(sizes[g]));
        std::iota(idx[g].begin(), idx[g].end(), 0);
    }
    const double estimate = statistic(idx);
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(replicates));
    for (int r = 0; r < replicates; ++r) {
        engine::RunRng rng(
            engine::stream_key(seed, engine::Stream::subset, 0xb008, static_cast<unsigned>(r)));
        for (std::size_t g = 0; g < sizes.size(); ++g)
            for (int& i : idx[g])
                i = static_cast<int>(rng.below(static_cast<std::uint64_t>(sizes[g])));
        values.push_back(statistic(idx));
    }
    return percentile_interval(estimate, std::move(values), confidence);
}

BootstrapInterval spearman_ci(std::span<const double> x, std::span<const double> y, int replicates,
                              double confidence, std::uint64_t seed) {
    require_same_size(x, y, "spearman_ci");
    std::vector<double> xs, ys;
    return bootstrap_ci(
        static_cast<int>(x.size()),
        [&](std::span<const int> idx) {
            xs.clear();
            ys.clear();
            for (int i : idx) {
                xs.push_back(x[static_cast<std::size_t>(i)]);
                ys.push_back(y[static_cast<std::size_t>(i)]);
            }
            return spearman(xs, ys);
        },
        replicates, confidence, seed);
}

namespace {

// The permutation distribution of ρ(x, y∘π) as (value → probability), keys rounded to 1e-9.
std::map<long long, double> permutation_distribution(const std::vector<double>& x,
                                                     const std::vector<double>& y, int draws,
                                                     std::uint64_t seed) {
    constexpr double kKey = 1e9;
    std::map<long long, double> dist;
    std::vector<double> perm = y;
    auto add = [&](double w) { dist[std::llround(spearman(x, perm) * kKey)] += w; };
    if (x.size() <= 7) {
        std::vector<std::size_t> order(y.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::vector<std::vector<std::size_t>> all;
        do all.push_back(order);
        while (std::next_permutation(order.begin(), order.end()));
        for (const auto& o : all) {
            for (std::size_t i = 0; i < o.size(); ++i) perm[i] = y[o[i]];
            add(1.0 / static_cast<double>(all.size()));
        }
        return dist;
    }
    engine::RunRng rng(seed);
    for (int d = 0; d < draws; ++d) {
        perm = y;
        engine::shuffle_in_place(perm, rng);
        add(1.0 / draws);
    }
    return dist;
}

}  // namespace

StratifiedSpearman stratified_spearman_test(const std::vector<std::vector<double>>& x,
                                            const std::vector<std::vector<double>>& y, int draws,
                                            std::uint64_t seed) {
    if (x.size() != y.size())
        throw std::invalid_argument("stratified_spearman_test: x and y need the same groups");
    constexpr double kKey = 1e9;
    StratifiedSpearman r;
    std::map<long long, double> total{{0, 1.0}};
    for (std::size_t g = 0; g < x.size(); ++g) {
        require_same_size(x[g], y[g], "stratified_spearman_test");
        const double rho = spearman(x[g], y[g]);
        if (x[g].size() < 2 || !std::isfinite(rho)) continue;
        ++r.groups;
        r.statistic += rho;
        const auto dist = permutation_distribution(
            x[g], y[g], draws, engine::stream_key(seed, engine::Stream::subset, 0x57a7, g));
        std::map<long long, double> next;
        for (const auto& [a, pa] : total)
            for (const auto& [b, pb] : dist) next[a + b] += pa * pb;
        total = std::move(next);
    }
    const long long observed = std::llround(r.statistic * kKey);
    const long long tolerance = r.groups + 1;  // rounding of the summed keys
    r.p_upper = r.p_lower = 0.0;
    for (const auto& [k, p] : total) {
        if (k >= observed - tolerance) r.p_upper += p;
        if (k <= observed + tolerance) r.p_lower += p;
    }
    r.p_upper = std::min(r.p_upper, 1.0);
    r.p_lower = std::min(r.p_lower, 1.0);
    return r;
}

}  // namespace gradcert::verify
