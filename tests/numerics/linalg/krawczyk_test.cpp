// Krawczyk: proves the unique stationary point of 4-D test functions (gradient and Hessian from
// interval jets), refuses to claim uniqueness on a box with two stationary points, and excludes
// boxes without one.
#include "numerics/linalg/krawczyk.hpp"

#include <catch2/catch.hpp>

#include "numerics/autodiff/jet.hpp"

using namespace gradcert;

namespace {

// 4-D Rosenbrock: Σ_{i<3} 100(x_{i+1} − x_i²)² + (1 − x_i)²; global minimizer (1, 1, 1, 1).
template <class S>
S rosenbrock(const std::vector<S>& x) {
    S f = 100 * sqr(x[1] - sqr(x[0])) + sqr(1 - x[0]);
    for (int i = 1; i < 3; ++i) f += 100 * sqr(x[i + 1] - sqr(x[i])) + sqr(1 - x[i]);
    return f;
}

// (x_1² − 1)² + x_2² + x_3² + x_4² + x_1 x_2 sin(x_3)/10: stationary points (±1, 0, 0, 0) and 0.
template <class S>
S double_well(const std::vector<S>& x) {
    return sqr(sqr(x[0]) - 1) + sqr(x[1]) + sqr(x[2]) + sqr(x[3]) + x[0] * x[1] * sin(x[2]) / 10;
}

template <class T, class F>
std::pair<std::function<VectorI<T>(const VectorI<T>&)>,
          std::function<MatrixI<T>(const VectorI<T>&)>>
gradient_and_hessian(F f) {
    auto jet = [f](const VectorI<T>& X) { return f(make_variables(X)); };
    return {[jet](const VectorI<T>& X) { return VectorI<T>(jet(X).grad); },
            [jet](const VectorI<T>& X) { return MatrixI<T>(jet(X).hess); }};
}

template <class T>
VectorI<T> box(const std::vector<double>& lo, const std::vector<double>& hi) {
    VectorI<T> X(lo.size());
    for (size_t i = 0; i < lo.size(); ++i) X[i] = Interval<T>(T(lo[i]), T(hi[i]));
    return X;
}

}  // namespace

TEMPLATE_TEST_CASE("Krawczyk proves the unique minimizer of 4-D Rosenbrock", "[linalg]", double,
                   Mpfr) {
    const auto [F, J] = gradient_and_hessian<TestType>([](const auto& x) { return rosenbrock(x); });
    for (double r : {5e-4, 1e-4, 1e-5}) {
        // Off-centre box, so that the midpoint is not the zero itself. (Rosenbrock is
        // ill-conditioned, cond ∇²f(x*) ≈ 2500: at r >= 1e-3 the test is inconclusive.)
        const VectorI<TestType> X = box<TestType>({1 - r, 1 - r / 2, 1 - r, 1 - r / 4},
                                                  {1 + r / 2, 1 + r, 1 + r / 4, 1 + r});
        const KrawczykResult<TestType> k = krawczyk_iterate(X, F, J);
        INFO("r = " << r);
        REQUIRE(k.verdict == KrawczykVerdict::unique_zero);
        for (int i = 0; i < 4; ++i) {
            CHECK(contains(k.refined[i], TestType(1)));
            CHECK(subset(k.refined[i], X[i]));
        }
    }
    // One step at r = 1e-5 already proves it and refines the box.
    const VectorI<TestType> X =
        box<TestType>({0.99999, 0.99999, 0.99999, 0.99999}, {1.000005, 1.00001, 1.00001, 1.000002});
    const KrawczykResult<TestType> once = krawczyk(X, F, J);
    REQUIRE(once.verdict == KrawczykVerdict::unique_zero);
    for (int i = 0; i < 4; ++i) CHECK(once.refined[i].width() < X[i].width() / 4);
}

TEMPLATE_TEST_CASE("Krawczyk proves the stationary point of a coupled quadratic on a wide box",
                   "[linalg]", double, Mpfr) {
    // Σ (x_i − a_i)² + Σ_i (1 − cos(x_i − a_i))(x_{i+1} − a_{i+1})/10: ∇f(a) = 0, ∇²f(a) = 2I.
    const std::vector<double> a = {0.5, -0.25, 1.0, 2.0};
    const auto [F, J] = gradient_and_hessian<TestType>([a](const auto& x) {
        auto f = sqr(x[0] - a[0]);
        for (int i = 1; i < 4; ++i) f += sqr(x[i] - a[i]);
        for (int i = 0; i < 3; ++i) f += (1 - cos(x[i] - a[i])) * (x[i + 1] - a[i + 1]) / 10;
        return f;
    });
    const VectorI<TestType> X = box<TestType>({0.4, -0.3, 0.9, 1.95}, {0.55, -0.1, 1.2, 2.1});
    const KrawczykResult<TestType> k = krawczyk(X, F, J);
    REQUIRE(k.verdict == KrawczykVerdict::unique_zero);
    for (int i = 0; i < 4; ++i) CHECK(contains(k.refined[i], TestType(a[i])));
}

TEMPLATE_TEST_CASE("Krawczyk separates one, two and no stationary points", "[linalg]", double,
                   Mpfr) {
    const auto [F, J] =
        gradient_and_hessian<TestType>([](const auto& x) { return double_well(x); });
    // One stationary point, (1, 0, 0, 0).
    const auto one =
        krawczyk_iterate(box<TestType>({0.9, -0.1, -0.1, -0.1}, {1.1, 0.1, 0.1, 0.1}), F, J);
    CHECK(one.verdict == KrawczykVerdict::unique_zero);
    // Two stationary points, (0, 0, 0, 0) and (1, 0, 0, 0): never "unique".
    for (double hi : {1.05, 1.2, 1.5}) {
        const auto two =
            krawczyk_iterate(box<TestType>({-0.3, -0.1, -0.1, -0.1}, {hi, 0.1, 0.1, 0.1}), F, J);
        CHECK(two.verdict == KrawczykVerdict::inconclusive);
        CHECK(contains(two.refined[0], TestType(0)));
        CHECK(contains(two.refined[0], TestType(1)));
    }
    // Three: (−1, 0, 0, 0), 0, (1, 0, 0, 0).
    const auto three =
        krawczyk_iterate(box<TestType>({-1.5, -0.2, -0.2, -0.2}, {1.5, 0.2, 0.2, 0.2}), F, J);
    CHECK(three.verdict == KrawczykVerdict::inconclusive);
    // None: x_1 ∈ [1.5, 2] has ∂f/∂x_1 > 0.
    const auto none =
        krawczyk_iterate(box<TestType>({1.5, -0.1, -0.1, -0.1}, {2.0, 0.1, 0.1, 0.1}), F, J);
    CHECK(none.verdict == KrawczykVerdict::no_zero);
    CHECK(none.refined.size() == 0);
}

TEST_CASE("Krawczyk with a singular midpoint Jacobian is inconclusive", "[linalg]") {
    const std::function<VectorI<double>(const VectorI<double>&)> F = [](const VectorI<double>& x) {
        VectorI<double> y(2);
        y[0] = x[0] * x[0];
        y[1] = x[1];
        return y;
    };
    const std::function<MatrixI<double>(const VectorI<double>&)> J = [](const VectorI<double>& x) {
        MatrixI<double> m(2, 2);
        m(0, 0) = 2 * x[0];
        m(0, 1) = IntervalD(0);
        m(1, 0) = IntervalD(0);
        m(1, 1) = IntervalD(1);
        return m;
    };
    const auto r = krawczyk(box<double>({-1, -1}, {1, 1}), F, J);
    CHECK(r.verdict == KrawczykVerdict::inconclusive);
    CHECK(r.refined.size() == 2);
}
