// Kernel moments, norms and projection laws against Arb (Gamma functions, a formula independent
// of the implementation's recurrence and double-factorial products) and Monte Carlo estimates.
#include "theory/kernel.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "arb_oracle.hpp"
#include "numerics/util/error.hpp"
#include "printed.hpp"

using namespace gradcert;
using namespace gradcert::theory;
using gradcert::test::Ball;

namespace {

Ball half_integer(int twice) {
    return Ball(twice) / Ball(2);
}

// E[u^α] for u uniform on the d-ball: Γ(d/2+1)/Γ(d/2+|α|/2+1) · Π Γ((α_i+1)/2)/Γ(1/2), a
// Dirichlet-integral form independent of the implementation's double-factorial product.
Ball ball_moment_oracle(int d, const std::vector<int>& alpha) {
    for (int a : alpha)
        if (a % 2 != 0) return Ball(0);
    int total = 0;
    Ball product(1);
    for (int a : alpha) {
        total += a;
        product = product * gamma(half_integer(a + 1)) / gamma(half_integer(1));
    }
    return gamma(half_integer(d + 2)) / gamma(half_integer(d + total + 2)) * product;
}

// E[g^α] for g ~ N(0, s²I): Π s^{α_i} 2^{α_i/2} Γ((α_i+1)/2)/√π.
Ball gaussian_moment_oracle(const Ball& s2, const std::vector<int>& alpha) {
    for (int a : alpha)
        if (a % 2 != 0) return Ball(0);
    Ball product(1);
    for (int a : alpha)
        product = product * pow(s2 * Ball(2), half_integer(a)) * gamma(half_integer(a + 1)) /
                  sqrt(Ball::pi());
    return product;
}

}  // namespace

TEST_CASE("kernel names round-trip and bad names are input errors", "[theory][kernel]") {
    for (Kernel::Kind k :
         {Kernel::Kind::uniform_ball, Kernel::Kind::gaussian_unit, Kernel::Kind::gaussian})
        CHECK(parse_kernel_kind(kernel_kind_name(k)) == k);
    CHECK_THROWS_AS(parse_kernel_kind("ball"), InputError);
    CHECK_THROWS_AS(validate_kernel(Kernel{Kernel::Kind::gaussian, 0}), InputError);
}

TEST_CASE("Gamma half ratio matches Arb for d = 1..80 and 1000", "[theory][kernel]") {
    std::vector<int> dims;
    for (int d = 1; d <= 80; ++d) dims.push_back(d);
    dims.push_back(1000);
    for (int d : dims) {
        const IntervalM r = gamma_half_ratio(d);
        const Ball oracle = gamma(half_integer(d + 1)) / gamma(half_integer(d));
        INFO("d = " << d << ": " << gradcert::test::describe(r, oracle));
        CHECK(gradcert::test::encloses(r, oracle));
        CHECK(gradcert::test::tighter_than(r, 110));
    }
}

TEST_CASE("E|u| per kernel: exact ball value, Gamma ratio for Gaussians, gaussian-unit <= 1",
          "[theory][kernel]") {
    for (int d : {1, 2, 3, 4, 7, 10, 50, 333}) {
        const IntervalM ball = kernel_mean_norm({Kernel::Kind::uniform_ball, d});
        CHECK(contains(ball * (d + 1), IntervalM(d)));  // d/(d+1)
        const Ball g = sqrt(Ball(2)) * gamma(half_integer(d + 1)) / gamma(half_integer(d));
        const IntervalM gauss = kernel_mean_norm({Kernel::Kind::gaussian, d});
        const IntervalM unit = kernel_mean_norm({Kernel::Kind::gaussian_unit, d});
        INFO("d = " << d);
        CHECK(gradcert::test::encloses(gauss, g));
        CHECK(gradcert::test::encloses(unit, g / sqrt(Ball(d))));
        CHECK(certainly_lt(unit, IntervalM(1)));
        // Jensen: E|u| <= sqrt(E|u|^2) for every kernel.
        for (Kernel::Kind k :
             {Kernel::Kind::uniform_ball, Kernel::Kind::gaussian_unit, Kernel::Kind::gaussian})
            CHECK(certainly_le(kernel_mean_norm({k, d}), sqrt(kernel_mean_square_norm({k, d}))));
    }
    // d = 1 Gaussian: E|g| = sqrt(2/pi).
    CHECK(gradcert::test::encloses(kernel_mean_norm({Kernel::Kind::gaussian, 1}),
                                   sqrt(Ball(2) / Ball::pi())));
}

TEST_CASE("coordinate variance: 1/(d+2), 1/d, 1 and equal to the alpha = (2) moment",
          "[theory][kernel]") {
    for (int d : {1, 2, 5, 30}) {
        CHECK(contains(kernel_coordinate_variance({Kernel::Kind::uniform_ball, d}) * (d + 2),
                       IntervalM(1)));
        CHECK(contains(kernel_coordinate_variance({Kernel::Kind::gaussian_unit, d}) * d,
                       IntervalM(1)));
        CHECK(contains(kernel_coordinate_variance({Kernel::Kind::gaussian, d}), IntervalM(1)));
        for (Kernel::Kind k :
             {Kernel::Kind::uniform_ball, Kernel::Kind::gaussian_unit, Kernel::Kind::gaussian}) {
            const IntervalM v = kernel_coordinate_variance({k, d});
            CHECK(overlaps(v, kernel_moment({k, d}, {2})));
            // E|u|^2 = d E[u_i^2].
            CHECK(overlaps(kernel_mean_square_norm({k, d}), v * d));
        }
    }
}

TEST_CASE("joint moments of the ball are not products of marginal moments; match Arb",
          "[theory][kernel]") {
    const std::vector<std::vector<int>> alphas = {
        {0}, {2}, {4}, {2, 2}, {4, 2}, {2, 2, 2}, {6, 0, 4}, {8}, {2, 4, 6}, {1, 2}, {3}};
    for (int d : {3, 4, 7, 12}) {
        for (const auto& alpha : alphas) {
            INFO("d = " << d << ", alpha size " << alpha.size() << ", alpha[0] = " << alpha[0]);
            const IntervalM ball = kernel_moment({Kernel::Kind::uniform_ball, d}, alpha);
            CHECK(gradcert::test::encloses(ball, ball_moment_oracle(d, alpha)));
            const IntervalM unit = kernel_moment({Kernel::Kind::gaussian_unit, d}, alpha);
            CHECK(gradcert::test::encloses(unit, gaussian_moment_oracle(Ball(1) / Ball(d), alpha)));
            const IntervalM gauss = kernel_moment({Kernel::Kind::gaussian, d}, alpha);
            CHECK(gradcert::test::encloses(gauss, gaussian_moment_oracle(Ball(1), alpha)));
        }
    }
    // E[u1^2 u2^2] = 1/((d+2)(d+4)) differs from E[u1^2]^2 = 1/(d+2)^2.
    const int d = 3;
    const IntervalM joint = kernel_moment({Kernel::Kind::uniform_ball, d}, {2, 2});
    const IntervalM product = sqr(kernel_moment({Kernel::Kind::uniform_ball, d}, {2}));
    CHECK(certainly_lt(joint, product));
    CHECK_THROWS_AS(kernel_moment({Kernel::Kind::uniform_ball, 2}, {2, 2, 2}),
                    gradcert::InternalError);
}

TEST_CASE("ball marginal: normaliser matches Arb and the density integrates to 1",
          "[theory][kernel]") {
    for (int d : {1, 2, 3, 6, 25}) {
        const Ball oracle =
            gamma(half_integer(d + 2)) / (sqrt(Ball::pi()) * gamma(half_integer(d + 1)));
        CHECK(gradcert::test::encloses(ball_marginal_normalizer(d), oracle));
        // Interval Riemann sums over a partition of [-1, 1] enclose the integrals of the density
        // (= 1) and of t^2 times it (= E[u_1^2] = 1/(d+2)).
        const int n = 2000;
        IntervalM mass(0), second(0);
        for (int i = 0; i < n; ++i) {
            // Cell endpoints are doubles shared by neighbouring cells, so the cells tile [-1, 1].
            const IntervalM a(-1 + 2.0 * i / n), b(-1 + 2.0 * (i + 1) / n);
            const IntervalM t(a.lower(), b.upper());
            const IntervalM width = b - a;
            const IntervalM rho = ball_marginal_density(d, t);
            mass += rho * width;
            second += rho * sqr(t) * width;
        }
        INFO("d = " << d << " mass " << mass << " second " << second);
        CHECK(contains(mass, IntervalM(1)));
        CHECK(contains(second * (d + 2), IntervalM(1)));
        CHECK(certainly_lt(IntervalM(mass.width()), IntervalM(0.05)));
    }
    CHECK(contains(ball_marginal_density(1, IntervalM(2)), IntervalM(0)));
    CHECK(certainly_positive(ball_marginal_density(3, IntervalM(0.5))));
}

TEST_CASE("projection law scales: w.u has variance |w|^2 E[u_i^2]", "[theory][kernel]") {
    for (int d : {1, 4, 9}) {
        const ProjectionLaw ball = projection_law({Kernel::Kind::uniform_ball, d});
        CHECK(ball.shape == ProjectionLaw::Shape::ball_marginal);
        CHECK(ball.ball_dim == d);
        const ProjectionLaw unit = projection_law({Kernel::Kind::gaussian_unit, d});
        CHECK(unit.shape == ProjectionLaw::Shape::standard_normal);
        CHECK(overlaps(sqr(unit.scale),
                       kernel_coordinate_variance({Kernel::Kind::gaussian_unit, d})));
        const ProjectionLaw gauss = projection_law({Kernel::Kind::gaussian, d});
        CHECK(contains(gauss.scale, IntervalM(1)));
    }
}

TEST_CASE("Monte Carlo estimates of E|u| and E[u1^2 u2^2] fall within 5 standard errors",
          "[theory][kernel]") {
    std::mt19937_64 rng(20240611);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const int d = 4, n = 200000;
    double sum = 0, sum2 = 0, m22 = 0, m22sq = 0;
    for (int i = 0; i < n; ++i) {
        // Uniform on the ball: Gaussian direction, radius U^{1/d}.
        std::vector<double> g(d);
        double norm2 = 0;
        for (double& x : g) {
            x = normal(rng);
            norm2 += x * x;
        }
        const double r = std::pow(uniform(rng), 1.0 / d) / std::sqrt(norm2);
        double len2 = 0;
        for (double& x : g) {
            x *= r;
            len2 += x * x;
        }
        const double len = std::sqrt(len2);
        sum += len;
        sum2 += len * len;
        const double p = g[0] * g[0] * g[1] * g[1];
        m22 += p;
        m22sq += p * p;
    }
    const auto check = [&](double s, double s2, const IntervalM& exact, const char* what) {
        const double mean = s / n, se = std::sqrt((s2 / n - mean * mean) / n);
        INFO(what << " estimate " << mean << " +- " << se << " exact " << exact);
        CHECK(std::abs(mean - exact.mid().convert_to<double>()) < 5 * se);
    };
    check(sum, sum2, kernel_mean_norm({Kernel::Kind::uniform_ball, d}), "E|u| (estimate)");
    check(m22, m22sq, kernel_moment({Kernel::Kind::uniform_ball, d}, {2, 2}),
          "E[u1^2 u2^2] (estimate)");
}
