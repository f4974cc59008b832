// SmoothedFunction: closed forms (quadratics, 1-D Rastrigin, joint ball moments), Monte Carlo
// estimates (labelled as estimates, tolerance from the standard error), Arb's Bessel functions,
// box enclosures and separable pieces.
#include "theory/smoothed_function.hpp"

#include <arb_hypgeom.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "arb_oracle.hpp"
#include "numerics/util/error.hpp"
#include "theory/rastrigin.hpp"

using namespace gradcert;
using namespace gradcert::theory;
using gradcert::test::Ball;

namespace {

expr::Monomial monomial(std::vector<int> exponents, const char* coeff) {
    expr::Monomial m;
    m.exponents = std::move(exponents);
    m.coeff = IntervalM::from_string(coeff);
    return m;
}

expr::RidgeTerm ridge(expr::RidgeKind kind, const char* coeff, std::vector<IntervalM> w,
                      IntervalM offset, expr::RidgeFunction g = expr::RidgeFunction::none) {
    expr::RidgeTerm t;
    t.kind = kind;
    t.g = g;
    t.coeff = IntervalM::from_string(coeff);
    t.w = std::move(w);
    t.offset = std::move(offset);
    return t;
}

expr::Decomposition decomposition(int dim, std::vector<expr::Monomial> monomials,
                                  std::vector<expr::RidgeTerm> ridges = {}) {
    expr::Decomposition f;
    f.dim = dim;
    f.poly.dim = dim;
    f.poly.terms = std::move(monomials);
    f.ridges = std::move(ridges);
    return f;
}

VectorI<Mpfr> point(std::initializer_list<const char*> xs) {
    VectorI<Mpfr> x(static_cast<Eigen::Index>(xs.size()));
    Eigen::Index i = 0;
    for (const char* v : xs) x[i++] = IntervalM::from_string(v);
    return x;
}

Eigen::VectorXd to_vector(const VectorI<Mpfr>& X) {
    Eigen::VectorXd x(X.size());
    for (Eigen::Index i = 0; i < X.size(); ++i) x[i] = X[i].mid().convert_to<double>();
    return x;
}

const std::vector<Kernel::Kind> kKinds = {Kernel::Kind::uniform_ball, Kernel::Kind::gaussian_unit,
                                          Kernel::Kind::gaussian};

// A sample of u from the d-dimensional kernel.
std::vector<double> sample(const Kernel& k, std::mt19937_64& rng) {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> u(k.dim);
    double n2 = 0;
    for (double& x : u) {
        x = normal(rng);
        n2 += x * x;
    }
    if (k.kind == Kernel::Kind::uniform_ball) {
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        const double r = std::pow(uniform(rng), 1.0 / k.dim) / std::sqrt(n2);
        for (double& x : u) x *= r;
    } else if (k.kind == Kernel::Kind::gaussian_unit) {
        for (double& x : u) x /= std::sqrt(static_cast<double>(k.dim));
    }
    return u;
}

}  // namespace

TEST_CASE("quadratic: f_delta = f + (delta^2/2) tr(A Sigma_u), gradient Ax + b, Hessian A",
          "[theory][smoothing]") {
    // f = ½xᵀAx + bᵀx + c with A = [[2, 1, 0], [1, 4, 0.5], [0, 0.5, 6]], b = (1, -2, 0.5), c = 3.
    const auto f = decomposition(
        3, {monomial({2, 0, 0}, "1"), monomial({1, 1, 0}, "1"), monomial({0, 2, 0}, "2"),
            monomial({0, 1, 1}, "0.5"), monomial({0, 0, 2}, "3"), monomial({1, 0, 0}, "1"),
            monomial({0, 1, 0}, "-2"), monomial({0, 0, 1}, "0.5"), monomial({0, 0, 0}, "3")});
    const IntervalM delta = IntervalM::from_string("0.3");
    const IntervalM traceA(12);
    for (Kernel::Kind kind : kKinds)
        for (int d : {3, 7}) {
            const Kernel k{kind, d};
            const SmoothedFunction s(f, k, delta);
            const VectorI<Mpfr> x = point({"0.25", "-1.5", "2"});
            const IntervalM fx =
                IntervalM::from_string("0.0625") + IntervalM::from_string("-0.375") +
                IntervalM::from_string("4.5") + IntervalM::from_string("-1.5") + IntervalM(12) +
                IntervalM::from_string("0.25") + IntervalM(3) + IntervalM(1) + IntervalM(3);
            const IntervalM expected = fx + sqr(delta) / 2 * kernel_coordinate_variance(k) * traceA;
            const Jet<IntervalM> j = s.evaluate(x);
            INFO(kernel_kind_name(kind)
                 << " d = " << d << " value " << j.value << " expected " << expected);
            CHECK(overlaps(j.value, expected));
            CHECK(certainly_lt(IntervalM(j.value.width()), IntervalM(1e-30)));
            // ∇f = Ax + b = (2·0.25 − 1.5 + 1, 0.25 − 6 + 1 − 2, −0.75 + 12 + 0.5).
            CHECK(overlaps(j.grad[0], IntervalM(0)));
            CHECK(overlaps(j.grad[1], IntervalM::from_string("-6.75")));
            CHECK(overlaps(j.grad[2], IntervalM::from_string("11.75")));
            CHECK(contains(j.hess(0, 1), IntervalM(1)));
            CHECK(contains(j.hess(1, 2), IntervalM::from_string("0.5")));
            CHECK(contains(j.hess(2, 2), IntervalM(6)));
            CHECK(std::abs(s.value_estimate(to_vector(x)) - expected.mid().convert_to<double>()) <
                  1e-12);
        }
}

TEST_CASE("joint ball moments: E[(x1 - d u1)^2 (x2 - d u2)^2] uses 1/((d+2)(d+4))",
          "[theory][smoothing]") {
    const auto f = decomposition(2, {monomial({2, 2}, "1")});
    for (int d : {2, 3, 10}) {
        const Kernel k{Kernel::Kind::uniform_ball, d};
        const IntervalM delta = IntervalM::from_string("0.7");
        const SmoothedFunction s(f, k, delta);
        const auto& p = s.smoothed_polynomial();
        REQUIRE(p.count({0, 0}) == 1);
        CHECK(overlaps(p.at({0, 0}), pow(delta, 4) / ((d + 2) * (d + 4))));
        CHECK(overlaps(p.at({2, 0}), sqr(delta) / (d + 2)));
        CHECK(overlaps(p.at({0, 2}), sqr(delta) / (d + 2)));
        CHECK(overlaps(p.at({2, 2}), IntervalM(1)));
        CHECK(p.count({1, 1}) == 0);
    }
}

TEST_CASE("1-D Rastrigin under u ~ N(0,1): f_delta'' = 2 + 40 pi^2 e^(-2 pi^2 delta^2) cos(2 pi x)",
          "[theory][smoothing]") {
    const IntervalM two_pi = 2 * IntervalM::pi();
    const auto f = decomposition(1, {monomial({2}, "1"), monomial({0}, "10")},
                                 {ridge(expr::RidgeKind::cos, "-10", {two_pi}, IntervalM(0))});
    for (const char* d : {"0.05", "1/12", "0.2", "0.6"}) {
        const IntervalM delta =
            std::string(d) == "1/12" ? IntervalM(1) / 12 : IntervalM::from_string(d);
        const SmoothedFunction s(f, Kernel{Kernel::Kind::gaussian, 1}, delta);
        for (const char* x : {"0", "0.1", "0.25", "-0.4"}) {
            const Jet<IntervalM> j = s.evaluate(point({x}));
            const IntervalM expected =
                rastrigin_smoothed_curvature(delta, IntervalM::from_string(x));
            INFO("delta " << d << " x " << x << ": " << j.hess(0, 0) << " vs " << expected);
            CHECK(overlaps(j.hess(0, 0), expected));
            CHECK(certainly_lt(IntervalM(j.hess(0, 0).width()), IntervalM(1e-28)));
        }
        // x* = 0 is a stationary point.
        CHECK(contains(s.evaluate(point({"0"})).grad[0], IntervalM(0)));
    }
}

TEST_CASE("cos and exp smoothing factors match Arb (Bessel J and 0F1) and Gaussian closed forms",
          "[theory][smoothing]") {
    for (int d : {1, 2, 3, 8}) {
        for (const char* s_text : {"0.5", "2", "7.5"}) {
            const IntervalM s = IntervalM::from_string(s_text);
            const Kernel ball{Kernel::Kind::uniform_ball, d};
            // Λ_d(s) = Γ(d/2+1)(2/s)^{d/2} J_{d/2}(s).
            Ball nu = Ball(d) / Ball(2), bs = Ball::decimal(s_text), j;
            arb_hypgeom_bessel_j(j.get(), nu.get(), bs.get(), gradcert::test::kOraclePrecision);
            const Ball lambda = gamma(nu + Ball(1)) * pow(Ball(2) / bs, nu) * j;
            INFO("d = " << d << " s = " << s_text);
            CHECK(gradcert::test::encloses(kernel_cos_factor(ball, s), lambda));
            // ₀F₁(; d/2+1; s²/4) = Γ(d/2+1)(2/s)^{d/2} I_{d/2}(s).
            Ball i;
            arb_hypgeom_bessel_i(i.get(), nu.get(), bs.get(), gradcert::test::kOraclePrecision);
            CHECK(gradcert::test::encloses(kernel_exp_factor(ball, s),
                                           gamma(nu + Ball(1)) * pow(Ball(2) / bs, nu) * i));
            const Kernel unit{Kernel::Kind::gaussian_unit, d};
            CHECK(gradcert::test::encloses(kernel_cos_factor(unit, s),
                                           exp(Ball(0) - bs * bs / (Ball(2) * Ball(d)))));
            CHECK(gradcert::test::encloses(kernel_exp_factor(Kernel{Kernel::Kind::gaussian, d}, s),
                                           exp(bs * bs / Ball(2))));
        }
    }
}

TEST_CASE("Monte Carlo estimates of f_delta and its gradient fall within 5 standard errors",
          "[theory][smoothing]") {
    // f = x1^4 + x1 x2^2 − 3cos(2x1 − x2 + 0.3) + 0.5 exp(0.3 x2) + sin(x1 + x2), smoothed by
    // kernels of ambient dimension 2 and 5 (the latter: marginal of the 5-D kernel).
    const auto f = decomposition(
        2, {monomial({4, 0}, "1"), monomial({1, 2}, "1")},
        {ridge(expr::RidgeKind::cos, "-3", {IntervalM(2), IntervalM(-1)},
               IntervalM::from_string("0.3")),
         ridge(expr::RidgeKind::exp, "0.5", {IntervalM(0), IntervalM::from_string("0.3")},
               IntervalM(0)),
         ridge(expr::RidgeKind::sin, "1", {IntervalM(1), IntervalM(1)}, IntervalM(0))});
    const auto f_double = [](double x1, double x2) {
        return std::pow(x1, 4) + x1 * x2 * x2 - 3 * std::cos(2 * x1 - x2 + 0.3) +
               0.5 * std::exp(0.3 * x2) + std::sin(x1 + x2);
    };
    const auto grad_double = [](double x1, double x2) {
        return std::array<double, 2>{
            4 * std::pow(x1, 3) + x2 * x2 + 6 * std::sin(2 * x1 - x2 + 0.3) + std::cos(x1 + x2),
            2 * x1 * x2 - 3 * std::sin(2 * x1 - x2 + 0.3) + 0.15 * std::exp(0.3 * x2) +
                std::cos(x1 + x2)};
    };
    std::mt19937_64 rng(7);
    const double delta = 0.75;
    const VectorI<Mpfr> x = point({"0.4", "-0.8"});
    const int n = 100000;
    for (Kernel::Kind kind : kKinds)
        for (int d : {2, 5}) {
            const Kernel k{kind, d};
            const SmoothedFunction s(f, k, IntervalM::from_string("0.75"));
            const Jet<IntervalM> j = s.evaluate(x);
            double m[3] = {0, 0, 0}, m2[3] = {0, 0, 0};
            for (int i = 0; i < n; ++i) {
                const std::vector<double> u = sample(k, rng);
                const double y1 = 0.4 - delta * u[0], y2 = -0.8 - delta * u[1];
                const double v[3] = {f_double(y1, y2), grad_double(y1, y2)[0],
                                     grad_double(y1, y2)[1]};
                for (int c = 0; c < 3; ++c) {
                    m[c] += v[c];
                    m2[c] += v[c] * v[c];
                }
            }
            const IntervalM enclosures[3] = {j.value, j.grad[0], j.grad[1]};
            for (int c = 0; c < 3; ++c) {
                const double mean = m[c] / n;
                const double se = std::sqrt((m2[c] / n - mean * mean) / n);
                const double exact = enclosures[c].mid().convert_to<double>();
                INFO(kernel_kind_name(kind)
                     << " d = " << d << " component " << c << ": Monte Carlo estimate " << mean
                     << " +- " << se << ", enclosure " << enclosures[c]);
                CHECK(std::abs(mean - exact) < 5 * se);
            }
            // The floating-point estimates agree with the enclosures.
            CHECK(std::abs(s.value_estimate(to_vector(x)) - j.value.mid().convert_to<double>()) <
                  1e-12);
            const Eigen::VectorXd g = s.gradient_estimate(to_vector(x));
            CHECK(std::abs(g[0] - j.grad[0].mid().convert_to<double>()) < 1e-12);
            const Eigen::MatrixXd h = s.hessian_estimate(to_vector(x));
            CHECK(std::abs(h(0, 1) - j.hess(0, 1).mid().convert_to<double>()) < 1e-11);
            CHECK(std::abs(h(0, 1) - h(1, 0)) < 1e-15);
        }
}

TEST_CASE("box enclosures contain the values at points of the box; centered forms tighten",
          "[theory][smoothing]") {
    const auto f = decomposition(
        2, {monomial({2, 0}, "1"), monomial({1, 1}, "-0.5"), monomial({0, 3}, "0.2")},
        {ridge(expr::RidgeKind::cos, "-2", {IntervalM(3), IntervalM(1)}, IntervalM(0))});
    const Kernel k{Kernel::Kind::uniform_ball, 4};
    const SmoothedFunction s(f, k, IntervalM::from_string("0.4"));
    SmoothingOptions natural_only;
    natural_only.centered_forms = false;
    const SmoothedFunction s_natural(f, k, IntervalM::from_string("0.4"), natural_only);
    const auto box_of = [](const char* r) {
        const IntervalM radius = IntervalM::from_string(r);
        VectorI<Mpfr> box(2);
        box[0] = IntervalM::from_string("0.25") + IntervalM(-radius.upper(), radius.upper());
        box[1] = IntervalM::from_string("-0.5") + IntervalM(-radius.upper(), radius.upper());
        return box;
    };
    // Overestimation: O(r) for the natural enclosure, O(r²) with the centered forms.
    const auto width = [](const IntervalM& x) { return IntervalM(x.width()); };
    const VectorI<Mpfr> big = box_of("0.01"), small = box_of("0.001");
    const IntervalM centered_big = width(s.evaluate(big).value);
    const IntervalM centered_small = width(s.evaluate(small).value);
    const IntervalM natural_big = width(s_natural.evaluate(big).value);
    const IntervalM natural_small = width(s_natural.evaluate(small).value);
    INFO("widths: centered " << centered_big << " -> " << centered_small << ", natural "
                             << natural_big << " -> " << natural_small);
    CHECK(certainly_le(centered_big, natural_big));
    CHECK(certainly_le(centered_small, natural_small));
    // The value's range over a box of radius r has width ≈ (|∂₁f̂| + |∂₂f̂|)·2r at the center; the
    // centered enclosure exceeds it by O(r²), the natural one by O(r).
    const Jet<IntervalM> c = s.evaluate(point({"0.25", "-0.5"}));
    const IntervalM range = (abs(c.grad[0]) + abs(c.grad[1])) * 2 * IntervalM::from_string("0.001");
    INFO("range " << range);
    CHECK(certainly_lt(centered_small, range * IntervalM::from_string("1.01")));
    CHECK(certainly_gt(natural_small - range, 5 * (centered_small - range)));

    const VectorI<Mpfr> box = box_of("0.05");
    const Jet<IntervalM> over = s.evaluate(box);
    const IntervalM value_only = s.value(box);
    CHECK(overlaps(value_only, over.value));
    CHECK(overlaps(s.gradient(box)[1], over.grad[1]));
    for (int a = -2; a <= 2; ++a)
        for (int b = -2; b <= 2; ++b) {
            VectorI<Mpfr> p(2);
            p[0] = IntervalM((IntervalM::from_string("0.25") + IntervalM(a) / 50).mid());
            p[1] = IntervalM((IntervalM::from_string("-0.5") + IntervalM(b) / 50).mid());
            REQUIRE(subset(p[0], box[0]));
            REQUIRE(subset(p[1], box[1]));
            const Jet<IntervalM> at = s.evaluate(p);
            CHECK(subset(at.value, over.value));
            CHECK(subset(at.value, value_only));
            for (int i = 0; i < 2; ++i) {
                CHECK(subset(at.grad[i], over.grad[i]));
                for (int j = 0; j < 2; ++j) CHECK(subset(at.hess(i, j), over.hess(i, j)));
            }
        }
}

TEST_CASE("separable pieces sum to the whole; non-separable functions are refused",
          "[theory][smoothing]") {
    const IntervalM two_pi = 2 * IntervalM::pi();
    const IntervalM zero(0);
    // 3-D Rastrigin: Σ x_i² − 10cos(2πx_i) + 10, smoothed with a 3-D ball kernel.
    const auto f = decomposition(3,
                                 {monomial({2, 0, 0}, "1"), monomial({0, 2, 0}, "1"),
                                  monomial({0, 0, 2}, "1"), monomial({0, 0, 0}, "30")},
                                 {ridge(expr::RidgeKind::cos, "-10", {two_pi, zero, zero}, zero),
                                  ridge(expr::RidgeKind::cos, "-10", {zero, two_pi, zero}, zero),
                                  ridge(expr::RidgeKind::cos, "-10", {zero, zero, two_pi}, zero)});
    const Kernel k{Kernel::Kind::uniform_ball, 3};
    const SmoothedFunction s(f, k, IntervalM::from_string("0.3"));
    const std::vector<SmoothedFunction> pieces = s.separable_pieces();
    REQUIRE(pieces.size() == 3);
    const VectorI<Mpfr> x = point({"0.1", "-0.35", "0.6"});
    IntervalM total(0);
    for (int i = 0; i < 3; ++i) {
        CHECK(pieces[i].dim() == 1);
        CHECK(pieces[i].kernel().dim == 3);
        VectorI<Mpfr> xi(1);
        xi[0] = x[i];
        const Jet<IntervalM> ji = pieces[i].evaluate(xi);
        total += ji.value;
        CHECK(overlaps(ji.hess(0, 0), s.evaluate(x).hess(i, i)));
    }
    const Jet<IntervalM> whole = s.evaluate(x);
    CHECK(overlaps(total, whole.value));
    CHECK(contains(whole.hess(0, 1), IntervalM(0)));
    const auto mixed = decomposition(2, {monomial({1, 1}, "1")});
    CHECK_THROWS_AS(
        SmoothedFunction(mixed, Kernel{Kernel::Kind::gaussian, 2}, IntervalM(1)).separable_pieces(),
        gradcert::InternalError);
    CHECK_THROWS_AS(SmoothedFunction(mixed, Kernel{Kernel::Kind::gaussian, 1}, IntervalM(1)),
                    gradcert::InternalError);
}

TEST_CASE("general ridge terms (softplus, tanh) by verified quadrature vs Monte Carlo",
          "[theory][smoothing][quadrature]") {
    const auto f = decomposition(
        2, {monomial({2, 0}, "0.5")},
        {ridge(expr::RidgeKind::general, "1", {IntervalM(1), IntervalM(-2)},
               IntervalM::from_string("0.1"), expr::RidgeFunction::softplus),
         ridge(expr::RidgeKind::general, "2", {IntervalM::from_string("0.5"), IntervalM(1)},
               IntervalM(0), expr::RidgeFunction::tanh)});
    const auto softplus_d = [](double y) {
        return y > 0 ? y + std::log1p(std::exp(-y)) : std::log1p(std::exp(y));
    };
    const auto f_double = [&](double x1, double x2) {
        return 0.5 * x1 * x1 + softplus_d(x1 - 2 * x2 + 0.1) + 2 * std::tanh(0.5 * x1 + x2);
    };
    std::mt19937_64 rng(11);
    const VectorI<Mpfr> x = point({"0.3", "0.2"});
    const int n = 100000;
    SmoothingOptions options;
    options.quadrature.subintervals = 256;
    for (Kernel::Kind kind : kKinds) {
        const Kernel k{kind, 3};
        const SmoothedFunction s(f, k, IntervalM::from_string("0.8"), options);
        const Jet<IntervalM> j = s.evaluate(x);
        INFO("width " << IntervalM(j.value.width()));
        CHECK(certainly_lt(IntervalM(j.value.width()), IntervalM(1e-6)));
        double m = 0, m2 = 0;
        for (int i = 0; i < n; ++i) {
            const std::vector<double> u = sample(k, rng);
            const double v = f_double(0.3 - 0.8 * u[0], 0.2 - 0.8 * u[1]);
            m += v;
            m2 += v * v;
        }
        const double mean = m / n, se = std::sqrt((m2 / n - mean * mean) / n);
        INFO(kernel_kind_name(kind)
             << ": Monte Carlo estimate " << mean << " +- " << se << ", enclosure " << j.value);
        CHECK(std::abs(mean - j.value.mid().convert_to<double>()) < 5 * se);
        // The Simpson-rule estimate lies within 1e-9 of the enclosure.
        const double est = s.value_estimate(to_vector(x));
        CHECK(certainly_lt(IntervalM(abs(j.value - est).mig()), IntervalM(1e-9)));
        const Eigen::MatrixXd h = s.hessian_estimate(to_vector(x));
        CHECK(certainly_lt(IntervalM(abs(j.hess(0, 1) - h(0, 1)).mig()), IntervalM(1e-9)));
    }
}

TEST_CASE("closed forms agree with verified quadrature of the same ridge term",
          "[theory][smoothing][quadrature]") {
    // c·cos(w·x + φ) and c·exp(w·x + φ) in 2-D, smoothed in closed form, against
    // ridge_expectations of g = cos / exp under the kernel's projection law (d = 4 ambient).
    const std::vector<IntervalM> w = {IntervalM::from_string("1.5"),
                                      IntervalM::from_string("-0.5")};
    const IntervalM phi = IntervalM::from_string("0.2");
    const VectorI<Mpfr> x = point({"0.3", "0.7"});
    const IntervalM z = w[0] * x[0] + w[1] * x[1] + phi;
    const IntervalM norm_w = sqrt(sqr(w[0]) + sqr(w[1]));
    const IntervalM delta = IntervalM::from_string("0.9");
    const RidgeFunctionJet cos_jet = [](const Jet<IntervalM>& y) { return cos(y); };
    const RidgeFunctionJet exp_jet = [](const Jet<IntervalM>& y) { return exp(y); };
    RidgeQuadratureOptions q;
    q.subintervals = 256;
    for (Kernel::Kind kind : kKinds) {
        const Kernel k{kind, 4};
        const ProjectionLaw law = projection_law(k);
        const RidgeLawSpec spec = kind == Kernel::Kind::uniform_ball
                                      ? RidgeLawSpec{RidgeLaw::ball_marginal, 4}
                                      : RidgeLawSpec{RidgeLaw::standard_normal, 1};
        const IntervalM spread = delta * norm_w * law.scale;
        const SmoothedFunction c(decomposition(2, {}, {ridge(expr::RidgeKind::cos, "2", w, phi)}),
                                 k, delta);
        const auto qc = ridge_expectations(cos_jet, z, spread, spec, GrowthBound{1, 0}, q);
        const Jet<IntervalM> jc = c.evaluate(x);
        INFO(kernel_kind_name(kind) << " cos: " << jc.value << " vs quadrature " << 2 * qc[0]);
        CHECK(overlaps(jc.value, 2 * qc[0]));
        CHECK(overlaps(jc.grad[0], 2 * qc[1] * w[0]));
        CHECK(overlaps(jc.hess(0, 1), 2 * qc[2] * w[0] * w[1]));
        CHECK(certainly_lt(IntervalM((2 * qc[0]).width()), IntervalM(1e-5)));
        // exp: growth bound |g^{(k)}(y)| <= e^{|y|}.
        const SmoothedFunction e(decomposition(2, {}, {ridge(expr::RidgeKind::exp, "1", w, phi)}),
                                 k, delta);
        const auto qe = ridge_expectations(exp_jet, z, spread, spec, GrowthBound{1, 0, 1}, q);
        const Jet<IntervalM> je = e.evaluate(x);
        CHECK(overlaps(je.value, qe[0]));
        CHECK(overlaps(je.hess(1, 1), qe[2] * sqr(w[1])));
    }
}

TEST_CASE("fast sigmoid ridges agree with the MPFR quadrature path at random boxes",
          "[theory][smoothing][quadrature]") {
    // Softplus and tanh ridges in 2-D under both Gaussian kernels: the fast double-interval
    // rule (default) and the MPFR quadrature (fast_sigmoid_ridges = false) both enclose the
    // same exact values, so every entry must overlap; at points the fast one is narrower.
    const auto f = decomposition(
        2, {monomial({2, 0}, "0.05"), monomial({0, 2}, "0.05")},
        {ridge(expr::RidgeKind::general, "0.125", {IntervalM(-1), IntervalM(-2)}, IntervalM(0),
               expr::RidgeFunction::softplus),
         ridge(expr::RidgeKind::general, "0.125", {IntervalM::from_string("0.5"), IntervalM(-2)},
               IntervalM::from_string("0.1"), expr::RidgeFunction::softplus),
         ridge(expr::RidgeKind::general, "2", {IntervalM::from_string("0.5"), IntervalM(1)},
               IntervalM(0), expr::RidgeFunction::tanh)});
    SmoothingOptions slow;
    slow.fast_sigmoid_ridges = false;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> corner(-4, 4), side(0, 1.5);
    for (Kernel::Kind kind : {Kernel::Kind::gaussian, Kernel::Kind::gaussian_unit})
        for (const char* delta : {"1", "0.1"}) {
            const Kernel k{kind, 2};
            const IntervalM d = IntervalM::from_string(delta);
            const SmoothedFunction fast(f, k, d), mpfr(f, k, d, slow);
            for (int trial = 0; trial < 4; ++trial) {
                VectorI<Mpfr> X(2);
                for (int i = 0; i < 2; ++i) {
                    const double lo = corner(rng), w = trial == 0 ? 0.0 : side(rng);
                    X[i] = IntervalM(Mpfr(lo), Mpfr(lo + w));  // lo + w rounded: any box will do
                }
                const Jet<IntervalM> a = fast.evaluate(X), b = mpfr.evaluate(X);
                INFO(kernel_kind_name(kind) << " δ = " << delta << " box " << X[0] << " × " << X[1]
                                            << ": " << a.value << " vs " << b.value);
                CHECK(overlaps(a.value, b.value));
                for (int i = 0; i < 2; ++i) {
                    CHECK(overlaps(a.grad[i], b.grad[i]));
                    for (int j = 0; j < 2; ++j) CHECK(overlaps(a.hess(i, j), b.hess(i, j)));
                }
                CHECK(overlaps(fast.value(X), mpfr.value(X)));
                if (trial == 0) CHECK(certainly_lt(IntervalM(a.value.width()), IntervalM(1e-9)));
            }
        }
}

TEST_CASE("fast sigmoid ridges fall back to the MPFR quadrature where doubles would overflow",
          "[theory][smoothing][quadrature]") {
    // δ = 30: e^{−s·t} over the fast rule's pieces would underflow, so both objects run the same
    // MPFR quadrature and agree exactly.
    const auto f = decomposition(
        2, {},
        {ridge(expr::RidgeKind::general, "1", {IntervalM(1), IntervalM(-2)}, IntervalM(0),
               expr::RidgeFunction::softplus),
         ridge(expr::RidgeKind::general, "2", {IntervalM::from_string("0.5"), IntervalM(1)},
               IntervalM(0), expr::RidgeFunction::tanh)});
    SmoothingOptions slow;
    slow.fast_sigmoid_ridges = false;
    const Kernel k{Kernel::Kind::gaussian, 2};
    const SmoothedFunction fast(f, k, IntervalM(30)), mpfr(f, k, IntervalM(30), slow);
    const VectorI<Mpfr> x = point({"0.3", "-0.2"});
    const Jet<IntervalM> a = fast.evaluate(x), b = mpfr.evaluate(x);
    CHECK(a.value.lower() == b.value.lower());
    CHECK(a.value.upper() == b.value.upper());
    CHECK(a.hess(0, 1).lower() == b.hess(0, 1).lower());
    CHECK(a.hess(0, 1).upper() == b.hess(0, 1).upper());
}
