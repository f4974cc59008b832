// Jets: the Hessian (and gradient) enclosures contain exact and high-precision finite-difference
// values at random points and over boxes; double jets agree with finite differences.
#include "numerics/autodiff/jet.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "numerics/util/error.hpp"
#include "tests/numerics/autodiff/test_functions.hpp"

using namespace gradcert;

namespace {

constexpr int kDim = 3;

std::vector<double> random_point(std::mt19937_64& rng, double radius) {
    std::uniform_real_distribution<double> u(-radius, radius);
    std::vector<double> x(kDim);
    for (double& v : x) v = u(rng);
    return x;
}

template <class S>
std::vector<S> as_intervals(const std::vector<double>& x) {
    return std::vector<S>(x.begin(), x.end());
}

template <class S, class F>
Jet<S> jet_at(F&& f, const std::vector<S>& x) {
    Eigen::Matrix<S, Eigen::Dynamic, 1> v(kDim);
    for (int i = 0; i < kDim; ++i) v[i] = x[i];
    return f(make_variables(v));
}

// Second-order central difference of f at 512 bits with step 2^-100: accurate to ~2^-190.
template <class F>
Mpfr finite_difference_hessian(F&& f, const std::vector<double>& x, int i, int j) {
    PrecisionScope scope(512);
    Mpfr h = mpfr_with_precision(512);
    mpfr_set_ui_2exp(raw(h), 1, -100, MPFR_RNDN);
    auto shifted = [&](int si, int sj) {
        std::vector<IntervalM> y = as_intervals<IntervalM>(x);
        y[i] += IntervalM(Mpfr(si * h));
        y[j] += IntervalM(Mpfr(sj * h));
        return f(y);
    };
    const IntervalM fd = (shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) /
                         (4 * sqr(IntervalM(h)));
    return fd.mid();
}

template <class F>
Mpfr finite_difference_gradient(F&& f, const std::vector<double>& x, int i) {
    PrecisionScope scope(512);
    Mpfr h = mpfr_with_precision(512);
    mpfr_set_ui_2exp(raw(h), 1, -100, MPFR_RNDN);
    auto shifted = [&](int si) {
        std::vector<IntervalM> y = as_intervals<IntervalM>(x);
        y[i] += IntervalM(Mpfr(si * h));
        return f(y);
    };
    return ((shifted(1) - shifted(-1)) / (2 * IntervalM(h))).mid();
}

bool encloses(const IntervalM& a, const Mpfr& v) {
    return contains(a, v);
}
bool encloses(const IntervalD& a, const Mpfr& v) {
    return contains(to_mpfr(a), v);
}

auto f1_generic = [](const auto& x) { return test::f1(x); };
auto f2_generic = [](const auto& x) { return test::f2(x); };

}  // namespace

TEMPLATE_TEST_CASE("jet Hessian of f1 contains the exact Hessian at random points", "[autodiff]",
                   IntervalD, IntervalM) {
    std::mt19937_64 rng(11);
    for (int trial = 0; trial < 40; ++trial) {
        const std::vector<double> x = random_point(rng, 2.0);
        const Jet<TestType> jet = jet_at(f1_generic, as_intervals<TestType>(x));
        PrecisionScope scope(256);
        const auto exact = test::hessian_f1(as_intervals<IntervalM>(x));
        for (int i = 0; i < kDim; ++i)
            for (int j = 0; j < kDim; ++j) {
                INFO("trial " << trial << " entry " << i << "," << j);
                const IntervalM enclosure = [&] {
                    if constexpr (std::is_same_v<TestType, IntervalD>)
                        return to_mpfr(jet.hess(i, j));
                    else
                        return jet.hess(i, j);
                }();
                CHECK(contains(enclosure, exact[i][j]));
            }
    }
}

TEMPLATE_TEST_CASE("jet gradient and Hessian of f2 contain high-precision finite differences",
                   "[autodiff]", IntervalD, IntervalM) {
    std::mt19937_64 rng(12);
    for (int trial = 0; trial < 25; ++trial) {
        const std::vector<double> x = random_point(rng, 1.5);
        const Jet<TestType> jet = jet_at(f2_generic, as_intervals<TestType>(x));
        for (int i = 0; i < kDim; ++i) {
            INFO("trial " << trial << " gradient " << i);
            CHECK(encloses(jet.grad[i], finite_difference_gradient(f2_generic, x, i)));
            for (int j = i; j < kDim; ++j) {
                INFO("Hessian " << i << "," << j);
                CHECK(encloses(jet.hess(i, j), finite_difference_hessian(f2_generic, x, i, j)));
                CHECK(encloses(jet.hess(j, i), finite_difference_hessian(f2_generic, x, i, j)));
            }
        }
    }
}

TEST_CASE("jet enclosures at points are a few ulp wide at 128 bits", "[autodiff]") {
    std::mt19937_64 rng(13);
    for (int trial = 0; trial < 10; ++trial) {
        const Jet<IntervalM> jet =
            jet_at(f2_generic, as_intervals<IntervalM>(random_point(rng, 1.5)));
        CHECK(jet.value.width() < 1e-33);
        for (int i = 0; i < kDim; ++i)
            for (int j = 0; j < kDim; ++j) CHECK(jet.hess(i, j).width() < 1e-32);
    }
}

TEST_CASE("double jets agree with finite differences", "[autodiff]") {
    std::mt19937_64 rng(14);
    for (int trial = 0; trial < 20; ++trial) {
        const std::vector<double> x = random_point(rng, 1.5);
        const Jet<double> jet = jet_at(f2_generic, x);
        CHECK(jet.value == Approx(test::f2(x)).epsilon(1e-14));
        for (int i = 0; i < kDim; ++i) {
            CHECK(jet.grad[i] ==
                  Approx(finite_difference_gradient(f2_generic, x, i).convert_to<double>())
                      .epsilon(1e-12)
                      .margin(1e-12));
            for (int j = 0; j < kDim; ++j)
                CHECK(jet.hess(i, j) ==
                      Approx(finite_difference_hessian(f2_generic, x, i, j).convert_to<double>())
                          .epsilon(1e-12)
                          .margin(1e-12));
        }
    }
}

TEST_CASE("jet over a box contains the exact Hessian at every sampled point of the box",
          "[autodiff]") {
    std::mt19937_64 rng(15);
    for (int trial = 0; trial < 8; ++trial) {
        // Dyadic centre, radius and samples: every endpoint and sample is exact in double.
        std::vector<double> c = random_point(rng, 1.5);
        for (double& v : c) v = std::ldexp(std::round(std::ldexp(v, 10)), -10);
        const double r = 0.125;
        VectorI<Mpfr> box(kDim);
        for (int i = 0; i < kDim; ++i) box[i] = IntervalM(Mpfr(c[i] - r), Mpfr(c[i] + r));
        const Jet<IntervalM> f1_box = test::f1(make_variables(box));
        const Jet<IntervalM> f2_box = test::f2(make_variables(box));
        std::uniform_real_distribution<double> u(-r, r);
        for (int sample = 0; sample < 20; ++sample) {
            std::vector<double> x(kDim);
            for (int i = 0; i < kDim; ++i)
                x[i] = c[i] + std::ldexp(std::round(std::ldexp(u(rng), 20)), -20);
            PrecisionScope scope(256);
            const auto exact = test::hessian_f1(as_intervals<IntervalM>(x));
            for (int i = 0; i < kDim; ++i)
                for (int j = 0; j < kDim; ++j) {
                    CHECK(contains(f1_box.hess(i, j), exact[i][j]));
                    CHECK(contains(f2_box.hess(i, j),
                                   finite_difference_hessian(f2_generic, x, i, j)));
                }
            CHECK(contains(f2_box.value, test::f2(as_intervals<IntervalM>(x))));
        }
    }
}

TEST_CASE("derivative triples of tanh, atan and softplus are tight ranges", "[autodiff]") {
    const IntervalM u = hull(IntervalM(-1), IntervalM(1));
    // atan''(u) = −2u/(1+u²)² has extrema ±9/(8√3) = ±0.649519… at u = ∓1/√3.
    const auto atan_triple = scalar_ops::atan_d(u);
    CHECK(contains(atan_triple.second, IntervalM::from_string("0.6495190528")));
    CHECK(contains(atan_triple.second, IntervalM::from_string("-0.6495190528")));
    CHECK(atan_triple.second.upper_double() < 0.649520);
    // tanh''(u) = −2t(1 − t²): extrema ±4/(3√3) = ±0.7698… at t = ∓1/√3 (inside tanh([−1,1])).
    const auto tanh_triple = scalar_ops::tanh_d(u);
    CHECK(contains(tanh_triple.second, IntervalM::from_string("0.7698003589")));
    CHECK(tanh_triple.second.upper_double() < 0.769801);
    // softplus''(u) = σ(1 − σ) on [−1, 1]: [σ(1)(1 − σ(1)), 1/4].
    const auto sp = scalar_ops::softplus_d(u);
    CHECK(contains(sp.second, IntervalM::from_string("0.25")));
    CHECK(sp.second.upper_double() <= 0.25);
    CHECK(sp.second.lower_double() > 0.19661193);  // σ(1)(1 − σ(1)) = 0.1966119332…
    CHECK(sp.second.lower_double() < 0.19661194);
}

TEST_CASE("softplus is stable and monotone on intervals", "[autodiff]") {
    const IntervalM big = softplus(IntervalM(1000));
    CHECK(contains(big, Mpfr(1000)));
    CHECK(big.width() < 1e-30);
    const IntervalM tiny = softplus(IntervalM(-1000));
    CHECK(certainly_ge(tiny, 0.0));
    CHECK(tiny.upper() < Mpfr(1e-300));
    CHECK(tiny.width() < Mpfr("1e-470"));  // relative accuracy kept: softplus(−1000) ≈ 5.1e−435
    const IntervalM wide = softplus(hull(IntervalM(-2), IntervalM(3)));
    CHECK(contains(wide, softplus(IntervalM(-2))));
    CHECK(contains(wide, softplus(IntervalM(3))));
    CHECK(softplus(IntervalM::entire()).lower() == 0);
    CHECK(softplus(0.0) == Approx(std::log(2.0)));
}

TEST_CASE("jet operations check dimensions and domains", "[autodiff]") {
    const Jet<double> a = Jet<double>::variable(1.0, 0, 2);
    const Jet<double> b = Jet<double>::variable(1.0, 0, 3);
    CHECK_THROWS_AS(a + b, gradcert::InternalError);
    CHECK_THROWS_AS(a * b, gradcert::InternalError);
    CHECK_THROWS_AS(Jet<double>::variable(1.0, 2, 2), gradcert::InternalError);
    const Jet<IntervalM> z = Jet<IntervalM>::variable(hull(IntervalM(-1), IntervalM(1)), 0, 1);
    // |x| on a box holding its kink: value [0, 1], Clarke gradient [−1, 1], Hessian unbounded
    // (a Dirac mass), never a finite and therefore wrong second derivative.
    const Jet<IntervalM> k = abs(z);
    CHECK(k.value.lower() == 0);
    CHECK(k.value.upper() == 1);
    CHECK(k.grad[0].lower() == -1);
    CHECK(k.grad[0].upper() == 1);
    CHECK_FALSE(k.hess(0, 0).is_finite());
    CHECK_THROWS_AS(abs(Jet<double>::variable(0.0, 0, 1)), gradcert::DomainError);
    // A variable |u| does not touch keeps exact zeros.
    const Jet<IntervalM> w = abs(Jet<IntervalM>::variable(hull(IntervalM(-1), IntervalM(1)), 0, 2));
    CHECK(w.hess(1, 1).is_point());
    CHECK_FALSE(w.hess(0, 0).is_finite());
    const Jet<IntervalM> p = abs(Jet<IntervalM>::variable(IntervalM(-2), 0, 1));
    CHECK(contains(p.grad[0], Mpfr(-1)));
}

TEST_CASE("jet arithmetic with scalars matches the jet-jet operations", "[autodiff]") {
    const Jet<IntervalM> x = Jet<IntervalM>::variable(IntervalM(2), 0, 2);
    const Jet<IntervalM> y = Jet<IntervalM>::variable(IntervalM(3), 1, 2);
    const Jet<IntervalM> q = (2 * x - 1) / (y + x * y) + 5 / x - pow(y, 3);
    // q = (2x − 1)/(y(1 + x)) + 5/x − y³ at (2, 3): value 1/3 + 5/2 − 27.
    CHECK(contains(q.value, IntervalM(1) / 3 + IntervalM(5) / 2 - 27));
    // ∂²q/∂y² = 2(2x − 1)/((1 + x) y³) − 6y = 2/27 − 18.
    CHECK(contains(q.hess(1, 1), IntervalM(2) / 27 - 18));
}
