// Certified λ_min never exceeds the true λ_min of a sampled symmetric member; Krawczyk proves a
// known unique stationary point in 4-D and refuses a box holding two.
#include <Eigen/Eigenvalues>
#include <catch2/catch.hpp>
#include <random>

#include "numerics/linalg/krawczyk.hpp"
#include "numerics/linalg/lambda_min.hpp"

using namespace gradcert;

TEST_CASE("certified lambda_min bounds every sampled symmetric member", "[linalg]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(-1, 1), w(0, 0.2);
    int tight = 0;
    for (int trial = 0; trial < 200; ++trial) {
        const int n = 2 + trial % 5;
        Eigen::MatrixXd C(n, n);
        for (int i = 0; i < n; ++i)
            for (int j = i; j < n; ++j) C(i, j) = C(j, i) = u(rng) + (i == j ? 2.0 : 0.0);
        MatrixI<Mpfr> A(n, n);
        Eigen::MatrixXd lo(n, n), hi(n, n);
        for (int i = 0; i < n; ++i)
            for (int j = i; j < n; ++j) {
                double r = (trial % 3 == 0) ? 0.0 : w(rng);
                lo(i, j) = lo(j, i) = C(i, j) - r;
                hi(i, j) = hi(j, i) = C(i, j) + r;
                A(i, j) = A(j, i) = IntervalM(Mpfr(lo(i, j)), Mpfr(hi(i, j)));
            }
        LambdaMinBound b = certified_lambda_min<Mpfr>(A);
        for (int s = 0; s < 50; ++s) {
            Eigen::MatrixXd B(n, n);
            for (int i = 0; i < n; ++i)
                for (int j = i; j < n; ++j) {
                    double t = (u(rng) + 1) / 2;
                    if (s < 2) t = s;  // corners
                    B(i, j) = B(j, i) = lo(i, j) + t * (hi(i, j) - lo(i, j));
                }
            double exact = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(B).eigenvalues()[0];
            REQUIRE(b.lower <= exact + 1e-12 * std::abs(exact));
        }
        if (trial % 3 == 0) {
            double exact = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(C).eigenvalues()[0];
            tight += (exact - b.lower) < 1e-9;
        }
    }
    CHECK(tight > 50);  // point matrices: the Cholesky bisection is tight
}

TEST_CASE("the Cholesky method beats Gershgorin on a coupled matrix", "[linalg]") {
    MatrixI<Mpfr> A(2, 2);
    A(0, 0) = IntervalM(2);
    A(1, 1) = IntervalM(2);
    A(0, 1) = A(1, 0) = IntervalM(Mpfr("0.9"), Mpfr("1.0"));
    LambdaMinBound b = certified_lambda_min<Mpfr>(A);
    CHECK(b.lower > 0.999);  // exact minimum over the family: 2 − 1.0 = 1
    CHECK(b.lower <= 1.0);
    CHECK(certainly_positive_definite<Mpfr>(A));
}

namespace {
// f(x) = Σ (x_i − a_i)² + 0.1 Σ_{i<j} x_i x_j ... gradient is linear: g = H x − 2a, H = 2I +
// 0.1(11ᵀ − I).
VectorI<Mpfr> gradient(const VectorI<Mpfr>& x) {
    const double a[4] = {0.5, -1.0, 0.25, 2.0};
    VectorI<Mpfr> g(4);
    for (int i = 0; i < 4; ++i) {
        IntervalM s = IntervalM(2) * (x[i] - IntervalM(a[i]));
        for (int j = 0; j < 4; ++j)
            if (j != i) s += IntervalM::from_string("0.1") * x[j];
        g[i] = s;
    }
    return g;
}
MatrixI<Mpfr> hessian(const VectorI<Mpfr>&) {
    MatrixI<Mpfr> H(4, 4);
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) H(i, j) = i == j ? IntervalM(2) : IntervalM::from_string("0.1");
    return H;
}
// 1-D double well g(x) = 4x³ − 4x (f = (x² − 1)²): stationary points −1, 0, 1.
VectorI<Mpfr> well_gradient(const VectorI<Mpfr>& x) {
    VectorI<Mpfr> g(1);
    g[0] = IntervalM(4) * pow(x[0], 3) - IntervalM(4) * x[0];
    return g;
}
MatrixI<Mpfr> well_hessian(const VectorI<Mpfr>& x) {
    MatrixI<Mpfr> H(1, 1);
    H(0, 0) = IntervalM(12) * sqr(x[0]) - IntervalM(4);
    return H;
}
}  // namespace

TEST_CASE("Krawczyk proves the unique stationary point of a 4-D quadratic", "[linalg]") {
    VectorI<Mpfr> X(4);
    for (int i = 0; i < 4; ++i) X[i] = IntervalM(-3, 3);
    auto r = krawczyk<Mpfr>(X, gradient, hessian);
    REQUIRE(r.verdict == KrawczykVerdict::unique_zero);
    for (int k = 0; k < 3; ++k) r = krawczyk<Mpfr>(r.refined, gradient, hessian);
    // Solve H x = 2a in double and check containment up to the double's error.
    Eigen::MatrixXd H =
        Eigen::MatrixXd::Constant(4, 4, 0.1) + 1.9 * Eigen::MatrixXd::Identity(4, 4);
    Eigen::VectorXd a(4);
    a << 0.5, -1.0, 0.25, 2.0;
    Eigen::VectorXd x = H.ldlt().solve(2 * a);
    for (int i = 0; i < 4; ++i) {
        CHECK(IntervalM(r.refined[i].width()).upper_double() < 1e-25);
        CHECK(std::abs(r.refined[i].lower_double() - x[i]) < 1e-12);
    }
}

TEST_CASE("Krawczyk refuses a box with two stationary points and rejects an empty one",
          "[linalg]") {
    VectorI<Mpfr> two(1);
    two[0] = IntervalM(Mpfr("-0.5"), Mpfr("1.5"));  // holds 0 and 1
    CHECK(krawczyk<Mpfr>(two, well_gradient, well_hessian).verdict != KrawczykVerdict::unique_zero);
    VectorI<Mpfr> none(1);
    none[0] = IntervalM(Mpfr("1.5"), Mpfr("1.75"));
    CHECK(krawczyk<Mpfr>(none, well_gradient, well_hessian).verdict == KrawczykVerdict::no_zero);
    VectorI<Mpfr> one(1);
    one[0] = IntervalM(Mpfr("0.9"), Mpfr("1.1"));
    CHECK(krawczyk<Mpfr>(one, well_gradient, well_hessian).verdict == KrawczykVerdict::unique_zero);
}
