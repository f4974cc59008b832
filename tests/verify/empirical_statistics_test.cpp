// The statistics helpers of the empirical experiments against values computed by hand (or with
// exact rational arithmetic), and the determinism of the seeded bootstrap.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "verify/empirical/statistics.hpp"

using namespace gradcert::verify;

TEST_CASE("empirical statistics: mean, sd, quantiles, ranks", "[verify][empirical]") {
    const std::vector<double> x{4, 1, 3, 2};
    CHECK(mean(x) == 2.5);
    CHECK(sample_sd(x) == Approx(std::sqrt(5.0 / 3.0)).epsilon(1e-14));
    CHECK(quantile(x, 0.25) == Approx(1.75));  // type 7: 1 + 0.75·(2 − 1)
    CHECK(quantile(x, 0.5) == Approx(2.5));
    CHECK(quantile(x, 1.0) == 4.0);
    CHECK(std::isnan(mean(std::vector<double>{})));
    CHECK(sample_sd(std::vector<double>{7.0}) == 0.0);
    CHECK_THROWS(quantile(std::vector<double>{}, 0.5));
    CHECK(average_ranks(std::vector<double>{10, 20, 20, 30}) ==
          std::vector<double>{1, 2.5, 2.5, 4});
}

TEST_CASE("empirical statistics: Spearman and Pearson", "[verify][empirical]") {
    // y ranks (1, 2, 3.5, 5, 3.5): ρ = 8/√95.
    const std::vector<double> x{1, 2, 3, 4, 5}, y{5, 6, 7, 8, 7};
    CHECK(spearman(x, y) == Approx(8.0 / std::sqrt(95.0)).epsilon(1e-14));
    const std::vector<double> down{9, 7, 4, 2, 1};
    CHECK(spearman(x, down) == Approx(-1.0));
    CHECK(pearson(x, std::vector<double>{2, 4, 6, 8, 10}) == Approx(1.0));
    CHECK(std::isnan(pearson(x, std::vector<double>{1, 1, 1, 1, 1})));
}

TEST_CASE("empirical statistics: least-squares line and quadratic", "[verify][empirical]") {
    // x = 0..3, y = (1, 3, 2, 5): slope 5.5/5, intercept 1.1, RSS 2.7, SE √(1.35/5).
    const std::vector<double> x{0, 1, 2, 3}, y{1, 3, 2, 5};
    const LinearFit f = fit_line(x, y);
    CHECK(f.slope == Approx(1.1).epsilon(1e-14));
    CHECK(f.intercept == Approx(1.1).epsilon(1e-14));
    CHECK(f.slope_se == Approx(std::sqrt(0.27)).epsilon(1e-13));
    CHECK(f.r2 == Approx(1.0 - 2.7 / 8.75).epsilon(1e-13));
    CHECK_THROWS(fit_line(std::vector<double>{1, 1}, std::vector<double>{1, 2}));

    // Exact rational solution: c = (16/35, 29/70, 9/14), RSS = 74/35, SE(c2) = 0.27479120088.
    const std::vector<double> qx{-1, 0, 1, 2, 3}, qy{1, 0, 1, 5, 7};
    const QuadraticFit q = fit_quadratic(qx, qy);
    CHECK(q.c0 == Approx(16.0 / 35).epsilon(1e-12));
    CHECK(q.c1 == Approx(29.0 / 70).epsilon(1e-12));
    CHECK(q.c2 == Approx(9.0 / 14).epsilon(1e-12));
    CHECK(q.c2_se == Approx(0.2747912008810192).epsilon(1e-10));
    CHECK(q.vertex == Approx(-29.0 / 90).epsilon(1e-12));
    // A concave parabola with its peak at x = 3 is recovered exactly.
    std::vector<double> px{0, 1, 2, 3, 4, 5}, py;
    for (double v : px) py.push_back(2 + 3 * v - 0.5 * v * v);
    const QuadraticFit p = fit_quadratic(px, py);
    CHECK(p.c2 == Approx(-0.5).epsilon(1e-12));
    CHECK(p.vertex == Approx(3.0).epsilon(1e-12));
}

TEST_CASE("empirical statistics: distribution quantiles", "[verify][empirical]") {
    CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-12));
    CHECK(student_t_multiplier(0.95, 4) == Approx(2.776445105197793).epsilon(1e-10));
    CHECK(scaled_chi_square_quantile(0.5, 2) == Approx(std::log(2.0)).epsilon(1e-12));
}

TEST_CASE("empirical statistics: seeded bootstrap", "[verify][empirical]") {
    std::vector<double> x;
    for (int i = 0; i < 40; ++i) x.push_back(std::sin(1.7 * i) + 0.01 * i);
    auto mean_of = [&](std::span<const int> idx) {
        double s = 0.0;
        for (int i : idx) s += x[static_cast<std::size_t>(i)];
        return s / static_cast<double>(idx.size());
    };
    const BootstrapInterval a = bootstrap_ci(40, mean_of, 500, 0.95, 7);
    const BootstrapInterval b = bootstrap_ci(40, mean_of, 500, 0.95, 7);
    const BootstrapInterval c = bootstrap_ci(40, mean_of, 500, 0.95, 8);
    CHECK(a.estimate == Approx(mean(x)));
    CHECK(a.lo == b.lo);
    CHECK(a.hi == b.hi);
    CHECK(a.lo != c.lo);
    CHECK(a.lo < a.estimate);
    CHECK(a.hi > a.estimate);
    // The percentile interval of the mean is close to the normal-theory one, ±1.96·sd/√n.
    const double half = 1.96 * sample_sd(x) / std::sqrt(40.0);
    CHECK((a.hi - a.lo) / 2 == Approx(half).epsilon(0.2));

    // Perfectly monotone pairs: every resample has ρ = 1 (or NaN for a constant resample).
    const std::vector<double> u{1, 2, 3, 4, 5, 6}, v{2, 3, 5, 8, 13, 21};
    const BootstrapInterval s = spearman_ci(u, v, 200, 0.95, 1);
    CHECK(s.estimate == Approx(1.0));
    CHECK(s.lo == Approx(1.0));
    CHECK(s.replicates > 150);

    // Grouped: two groups, the difference of their means.
    const std::vector<double> g0{1, 2, 3, 4}, g1{10, 11, 12};
    const std::vector<int> sizes{4, 3};
    const BootstrapInterval d = bootstrap_ci_grouped(
        sizes,
        [&](const std::vector<std::vector<int>>& idx) {
            double m0 = 0, m1 = 0;
            for (int i : idx[0]) m0 += g0[static_cast<std::size_t>(i)] / 4.0;
            for (int i : idx[1]) m1 += g1[static_cast<std::size_t>(i)] / 3.0;
            return m1 - m0;
        },
        300, 0.9, 3);
    CHECK(d.estimate == Approx(8.5));
    // Bootstrap sd ≈ √(2/9 + 5/16) ≈ 0.73: the 90% interval lies well inside the range [6, 11]
    // of possible resample differences and contains the estimate.
    CHECK(d.lo > 6.5);
    CHECK(d.hi < 10.5);
    CHECK(d.lo < 8.5);
    CHECK(d.hi > 8.5);
}

TEST_CASE("empirical statistics: stratified Spearman permutation test", "[verify][empirical]") {
    // Four groups of 3 with within-group ρ = 1, 1, 0.5, 0.5. Each group's ρ under the null takes
    // 1, 0.5, −0.5, −1 with probabilities 1/6, 2/6, 2/6, 1/6, so P(S ≥ 3) = (1 + 8 + 24)/1296.
    const std::vector<std::vector<double>> x{{1, 2, 3}, {1, 2, 3}, {1, 2, 3}, {1, 2, 3}};
    const std::vector<std::vector<double>> y{{1, 2, 3}, {5, 6, 9}, {1, 3, 2}, {2, 1, 3}};
    const StratifiedSpearman t = stratified_spearman_test(x, y, 1000, 1);
    CHECK(t.groups == 4);
    CHECK(t.statistic == Approx(3.0));
    CHECK(t.p_upper == Approx(33.0 / 1296.0).epsilon(1e-9));
    CHECK(t.p_lower == Approx(1.0 - 9.0 / 1296.0).epsilon(1e-9));  // 1 − P(S ≥ 3.5)
    // A group with a constant y carries no information and is skipped.
    const StratifiedSpearman one =
        stratified_spearman_test({{1, 2, 3}, {1, 2}}, {{3, 2, 1}, {4, 4}}, 100, 1);
    CHECK(one.groups == 1);
    CHECK(one.p_lower == Approx(1.0 / 6.0).epsilon(1e-9));
    CHECK(one.p_upper == Approx(1.0).epsilon(1e-9));
}

TEST_CASE("Fisher's one-sided exact test", "[verify][statistics]") {
    // 10/10 against 0/10: 1/C(20,10).
    CHECK(fisher_one_sided(10, 0, 10) == Approx(1.0 / 184756.0).epsilon(1e-9));
    CHECK(fisher_one_sided(5, 5, 10) > 0.5);
    CHECK(fisher_one_sided(0, 0, 10) == Approx(1.0));
    // 3/3 against 0/3: 1/C(6,3) = 0.05.
    CHECK(fisher_one_sided(3, 0, 3) == Approx(0.05));
}
