// Certified λ_min bounds never exceed the smallest eigenvalue of any sampled symmetric member of
// random interval matrices (every method separately), are tight for point matrices, and the
// interval Cholesky test separates definite from indefinite matrices.
#include "numerics/linalg/lambda_min.hpp"

#include <Eigen/Eigenvalues>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "numerics/util/error.hpp"

using namespace gradcert;

namespace {

struct RandomIntervalMatrix {
    Eigen::MatrixXd lo, hi;  // symmetric, lo <= hi entrywise
};

// Midpoints: a random symmetric matrix shifted by `shift`·I; radii up to `max_radius`. Endpoints
// are dyadic (multiples of 2^-20) so that they and the samples are exact doubles.
RandomIntervalMatrix random_interval_matrix(std::mt19937_64& rng, int n, double shift,
                                            double max_radius) {
    std::uniform_real_distribution<double> u(-1, 1), r(0, max_radius);
    auto dyadic = [](double v) { return std::ldexp(std::round(std::ldexp(v, 20)), -20); };
    RandomIntervalMatrix m{Eigen::MatrixXd(n, n), Eigen::MatrixXd(n, n)};
    for (int j = 0; j < n; ++j)
        for (int i = 0; i <= j; ++i) {
            const double c = dyadic(u(rng) + (i == j ? shift : 0)), rad = dyadic(r(rng));
            m.lo(i, j) = m.lo(j, i) = c - rad;
            m.hi(i, j) = m.hi(j, i) = c + rad;
        }
    return m;
}

template <class T>
MatrixI<T> to_interval(const RandomIntervalMatrix& m) {
    MatrixI<T> A(m.lo.rows(), m.lo.cols());
    for (Eigen::Index i = 0; i < A.rows(); ++i)
        for (Eigen::Index j = 0; j < A.cols(); ++j)
            A(i, j) = Interval<T>(T(m.lo(i, j)), T(m.hi(i, j)));
    return A;
}

// A symmetric member: each entry at an endpoint (probability 1/4 each) or a dyadic interior point.
Eigen::MatrixXd sample_member(std::mt19937_64& rng, const RandomIntervalMatrix& m) {
    std::uniform_int_distribution<int> pick(0, 3);
    std::uniform_real_distribution<double> t(0, 1);
    const Eigen::Index n = m.lo.rows();
    Eigen::MatrixXd B(n, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i <= j; ++i) {
            const int k = pick(rng);
            double v = k == 0   ? m.lo(i, j)
                       : k == 1 ? m.hi(i, j)
                                : m.lo(i, j) + t(rng) * (m.hi(i, j) - m.lo(i, j));
            v = std::min(std::max(v, m.lo(i, j)), m.hi(i, j));
            B(i, j) = B(j, i) = v;
        }
    return B;
}

double smallest_eigenvalue(const Eigen::MatrixXd& B) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> s(B, Eigen::EigenvaluesOnly);
    return s.eigenvalues()(0);
}

}  // namespace

TEMPLATE_TEST_CASE("certified lambda_min bounds never exceed any sampled member's lambda_min",
                   "[linalg]", double, Mpfr) {
    std::mt19937_64 rng(21);
    int cholesky_wins = 0, perturbation_wins = 0, cases = 0;
    for (int n : {2, 3, 5, 8})
        for (double max_radius : {0.0, 1e-6, 1e-3, 0.05, 0.3})
            for (int trial = 0; trial < 4; ++trial) {
                const RandomIntervalMatrix m = random_interval_matrix(rng, n, 1.5, max_radius);
                const MatrixI<TestType> A = to_interval<TestType>(m);
                const LambdaMinBounds all = all_lambda_min_bounds(A);
                const LambdaMinBound best = certified_lambda_min(A);
                CHECK(best.lower >= all.gershgorin);
                CHECK(best.lower >= all.cholesky);
                CHECK(best.lower >= all.perturbation);
                cholesky_wins += best.method == "cholesky";
                perturbation_wins += best.method == "perturbation";
                ++cases;
                double smallest_sampled = HUGE_VAL;
                for (int s = 0; s < 150; ++s)
                    smallest_sampled =
                        std::min(smallest_sampled, smallest_eigenvalue(sample_member(rng, m)));
                // Eigen's eigenvalues are accurate to ~1e-15·‖B‖; the margin is 1e-12.
                INFO("n = " << n << ", radius " << max_radius << ": best " << best.lower << " ("
                            << best.method << "), sampled min " << smallest_sampled);
                CHECK(all.gershgorin <= smallest_sampled + 1e-12);
                CHECK(all.cholesky <= smallest_sampled + 1e-12);
                CHECK(all.perturbation <= smallest_sampled + 1e-12);
            }
    // Gershgorin alone is weak: the other methods give the best bound in most cases.
    CHECK(cholesky_wins + perturbation_wins > cases / 2);
}

TEST_CASE("lambda_min bound of a point matrix is tight", "[linalg]") {
    std::mt19937_64 rng(22);
    for (int n : {2, 4, 10}) {
        const RandomIntervalMatrix m = random_interval_matrix(rng, n, 0.0, 0.0);
        const double exact = smallest_eigenvalue(m.lo);
        const LambdaMinBound b = certified_lambda_min(to_interval<double>(m));
        INFO("n = " << n << ": " << b.lower << " vs " << exact << " (" << b.method << ")");
        CHECK(b.lower <= exact + 1e-12);
        CHECK(b.lower >= exact - 1e-9);
    }
}

TEST_CASE("interval Cholesky separates definite and indefinite matrices", "[linalg]") {
    MatrixI<double> A(2, 2);
    A(0, 0) = IntervalD(2.0, 2.5);
    A(1, 1) = IntervalD(1.0, 1.25);
    A(0, 1) = A(1, 0) = IntervalD(-0.5, 0.5);
    CHECK(certainly_positive_definite(A));
    CHECK(certainly_lambda_min_at_least(A, IntervalD(0.5)));
    CHECK(!certainly_lambda_min_at_least(A, IntervalD(1.1)));  // B = diag(2, 1) ∈ A
    A(0, 1) = A(1, 0) = IntervalD(1.0, 2.0);                   // [[2, 2], [2, 1]] is indefinite
    CHECK(!certainly_positive_definite(A));
    CHECK(certified_lambda_min(A).lower < 0);
    MatrixI<double> one(1, 1);
    one(0, 0) = IntervalD(0.25, 3.0);
    CHECK(certified_lambda_min(one).lower == 0.25);
    CHECK(certified_lambda_min(one).method == "exact");
}

TEST_CASE("lambda_min uses the symmetric part and rejects matrices without one", "[linalg]") {
    MatrixI<double> A(2, 2);
    A(0, 0) = IntervalD(3.0);
    A(1, 1) = IntervalD(3.0);
    A(0, 1) = IntervalD(-1.0, 1.0);
    A(1, 0) = IntervalD(0.0, 0.0);  // symmetric members have B_01 = B_10 = 0
    CHECK(certified_lambda_min(A).lower >= 3.0 - 1e-9);
    A(1, 0) = IntervalD(2.0, 2.5);
    CHECK_THROWS_AS(certified_lambda_min(A), InputError);
}
