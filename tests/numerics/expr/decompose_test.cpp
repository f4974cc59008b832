// Decomposition f = polynomial + Σ ridge terms: identities at random points, structure of the
// result (product-to-sum, merging, folding), and refusals.
#include "numerics/expr/decompose.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "numerics/autodiff/jet.hpp"
#include "numerics/expr/expr.hpp"
#include "numerics/util/error.hpp"

using namespace gradcert;
using namespace gradcert::expr;

namespace {

ParseContext context(int dim) {
    return ParseContext{"fam.toml", 4, dim, {{"a", IntervalM(10)}}};
}

Decomposition decomposed(const std::string& f, int dim) {
    const ParseContext ctx = context(dim);
    return decompose(parse(f, ctx), ctx);
}

bool is_exactly(const IntervalM& x, double v) {
    return x.is_point() && contains(x, Mpfr(v));
}

bool tight(const IntervalM& x) {
    return x.width() < Mpfr(1e-20);
}

// f and its decomposition evaluated at 20 random points (values, gradients and Hessians through
// interval jets): both are rigorous enclosures of the same numbers, so they must overlap, and
// both must be tight enough that an error in the decomposition could not hide.
void check_identity(const std::string& f, int dim) {
    INFO("f = " << f);
    const ParseContext ctx = context(dim);
    const Expr e = parse(f, ctx);
    const Decomposition d = decompose(e, ctx);
    INFO("decomposition: " << to_string(d));
    std::mt19937_64 rng(12345);
    std::uniform_real_distribution<double> coordinate(-3.0, 3.0);
    for (int trial = 0; trial < 20; ++trial) {
        Eigen::Matrix<IntervalM, Eigen::Dynamic, 1> x(dim);
        std::vector<double> xd;
        for (int i = 0; i < dim; ++i) {
            xd.push_back(coordinate(rng));
            x[i] = IntervalM(xd.back());
        }
        const std::vector<Jet<IntervalM>> jets = make_variables(x);
        const Jet<IntervalM> jf = evaluate<Jet<IntervalM>>(e, jets);
        const Jet<IntervalM> jd = evaluate<Jet<IntervalM>>(d, jets);
        REQUIRE(overlaps(jf.value, jd.value));
        REQUIRE(tight(jf.value));
        REQUIRE(tight(jd.value));
        for (int i = 0; i < dim; ++i) {
            REQUIRE(overlaps(jf.grad[i], jd.grad[i]));
            for (int j = 0; j < dim; ++j) REQUIRE(overlaps(jf.hess(i, j), jd.hess(i, j)));
        }
        // Floating point: the double value of each lies within rounding error of the other's
        // enclosure.
        const double vf = evaluate<double>(e, xd);
        const double vd = evaluate<double>(d, xd);
        const double scale = 1e-12 * (1 + std::abs(vf));
        CHECK(vf == Approx(jd.value.mid().convert_to<double>()).margin(scale));
        CHECK(vd == Approx(jf.value.mid().convert_to<double>()).margin(scale));
    }
}

std::string message_of(const std::string& f, int dim) {
    try {
        (void)decomposed(f, dim);
    } catch (const UnsupportedExpression& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("decomposition identities at random points", "[expr][decompose]") {
    check_identity("x^2 - a*cos(2*pi*x) + a", 1);
    check_identity("(x^2 - 1)^2 + 0.3*x", 1);
    check_identity("x1^2 + x2^2 + 0.5*cos(3*x1 + 2*x2)", 2);
    check_identity("1 + (x1^2 + x2^2)/4000 - cos(x1)*cos(x2/sqrt(2))", 2);
    check_identity("1 + sum(i, x[i]^2)/4000 - cos(x1/sqrt(1))*cos(x2/sqrt(2))*cos(x3/sqrt(3))", 3);
    check_identity("cos(x1)^2 - sin(2*x2 + 1)^3 + cos(x1)*sin(x1)", 2);
    check_identity("cos(2*x1 + 1)*sin(x2 - 0.5) - sin(x1)*sin(pi*x2)", 2);
    check_identity("exp(x1/4)*exp(-x2/2) + 2^(x1/3) - e^(0.1*(x1 + x2))", 2);
    check_identity("(1 + cos(x1))*cos(x1) - (cos(x2) - 2)^2", 2);
    check_identity("softplus(-(1.2*x1 - 0.5*x2)) + tanh(x1/3) - 2*softplus(x2)/8", 2);
    check_identity("sum(i, x[i]^2 - 10*cos(2*pi*x[i])) + 10*dim", 4);
    check_identity("sum(i, 1, dim - 1, 100*(x[i+1] - x[i]^2)^2 + (1 - x[i])^2)", 3);
    check_identity("(x1 + 2*x2 - x3)^3/7 + x1*x2*x3", 3);
}

TEST_CASE("rastrigin decomposes into x^2 + a and one cosine ridge", "[expr][decompose]") {
    const Decomposition d = decomposed("x^2 - a*cos(2*pi*x) + a", 1);
    REQUIRE(d.poly.terms.size() == 2);
    CHECK(d.poly.terms[0].exponents == std::vector<int>{0});
    CHECK(is_exactly(d.poly.terms[0].coeff, 10));
    CHECK(d.poly.terms[1].exponents == std::vector<int>{2});
    CHECK(is_exactly(d.poly.terms[1].coeff, 1));
    REQUIRE(d.ridges.size() == 1);
    const RidgeTerm& r = d.ridges[0];
    CHECK(r.kind == RidgeKind::cos);
    CHECK(is_exactly(r.coeff, -10));
    CHECK(overlaps(r.w[0], 2 * IntervalM::pi()));
    CHECK(tight(r.w[0]));
    CHECK(is_exactly(r.offset, 0));
    CHECK(d.separable());
    CHECK(d.poly.degree() == 2);
}

TEST_CASE("product-to-sum: griewank", "[expr][decompose]") {
    // cos(x1)cos(x2/√2) = ½cos(x1 − x2/√2) + ½cos(x1 + x2/√2).
    const Decomposition d = decomposed("1 + (x1^2 + x2^2)/4000 - cos(x1)*cos(x2/sqrt(2))", 2);
    REQUIRE(d.ridges.size() == 2);
    const IntervalM inv_sqrt2 = 1 / sqrt(IntervalM(2));
    for (const RidgeTerm& r : d.ridges) {
        CHECK(r.kind == RidgeKind::cos);
        CHECK(is_exactly(r.coeff, -0.5));
        CHECK(is_exactly(r.w[0], 1));
        CHECK(overlaps(abs(r.w[1]), inv_sqrt2));
    }
    CHECK(certainly_negative(d.ridges[0].w[1]) != certainly_negative(d.ridges[1].w[1]));
    CHECK(!d.separable());
    // Π_{i≤3} cos(x_i/√i) = 2^{1−3} Σ over the 4 sign patterns (±) of x2, x3.
    const Decomposition d3 = decomposed("cos(x1/sqrt(1))*cos(x2/sqrt(2))*cos(x3/sqrt(3))", 3);
    REQUIRE(d3.ridges.size() == 4);
    for (const RidgeTerm& r : d3.ridges) CHECK(is_exactly(r.coeff, 0.25));
    CHECK(d3.poly.terms.empty());
}

TEST_CASE("double angles, cancellations and merging are exact", "[expr][decompose]") {
    const Decomposition one = decomposed("cos(2*pi*x)^2 + sin(2*pi*x)^2", 1);
    CHECK(one.ridges.empty());
    REQUIRE(one.poly.terms.size() == 1);
    CHECK(is_exactly(one.poly.terms[0].coeff, 1));

    const Decomposition sq = decomposed("cos(pi*x)^2", 1);
    REQUIRE(sq.ridges.size() == 1);
    CHECK(is_exactly(sq.ridges[0].coeff, 0.5));
    CHECK(overlaps(sq.ridges[0].w[0], 2 * IntervalM::pi()));
    REQUIRE(sq.poly.terms.size() == 1);
    CHECK(is_exactly(sq.poly.terms[0].coeff, 0.5));

    const Decomposition even = decomposed("cos(-3*x) + cos(3*x)", 1);
    REQUIRE(even.ridges.size() == 1);
    CHECK(is_exactly(even.ridges[0].coeff, 2));
    CHECK(is_exactly(even.ridges[0].w[0], 3));

    CHECK(decomposed("sin(-x) + sin(x)", 1).ridges.empty());
    const Decomposition ex = decomposed("exp(x)*exp(-x)", 1);
    CHECK(ex.ridges.empty());
    CHECK(is_exactly(ex.poly.terms.at(0).coeff, 1));
    CHECK(decomposed("2*pi*x - pi*x - pi*x", 1).poly.terms.empty());

    const Decomposition e2 = decomposed("e^(2*x)", 1);
    REQUIRE(e2.ridges.size() == 1);
    CHECK(e2.ridges[0].kind == RidgeKind::exp);
    CHECK(is_exactly(e2.ridges[0].w[0], 2));

    const Decomposition mixed = decomposed("(x1 + x2)^2", 2);
    CHECK(mixed.poly.terms.size() == 3);
    CHECK(!mixed.separable());
    CHECK(decomposed("x1^2 + cos(x2)", 2).separable());
}

TEST_CASE("general ridge terms keep their linear form", "[expr][decompose]") {
    const Decomposition d = decomposed("softplus(-(1.2*x1 - 0.5*x2))/8 + tanh(x1)", 2);
    REQUIRE(d.ridges.size() == 2);
    CHECK(d.ridges[0].kind == RidgeKind::general);
    CHECK(d.ridges[0].g == RidgeFunction::softplus);
    CHECK(is_exactly(d.ridges[0].coeff, 0.125));
    CHECK(overlaps(d.ridges[0].w[0], IntervalM::from_string("-1.2")));
    CHECK(is_exactly(d.ridges[0].w[1], 0.5));
    CHECK(d.ridges[1].g == RidgeFunction::tanh);
}

TEST_CASE("expressions outside the class are refused with the sub-expression",
          "[expr][decompose]") {
    CHECK(message_of("x^2 + x*cos(x)", 1) ==
          "fam.toml:4: f, column 7: 'x*cos(x)' is outside the supported class: a non-constant "
          "polynomial times a ridge term (cos, sin, exp, softplus, tanh of a linear form) is not a "
          "sum of ridge terms");
    CHECK(message_of("x^2 + abs(x)", 1)
              .find("column 7: 'abs(x)' is outside the supported class: "
                    "abs is not differentiable") != std::string::npos);
    CHECK(message_of("cos(x^2)", 1).find("the argument of cos is not affine") != std::string::npos);
    CHECK(message_of("softplus(x1*x2)", 2).find("the argument of softplus is not affine") !=
          std::string::npos);
    CHECK(message_of("sqrt(x)", 1)
              .find("'sqrt(x)' is outside the supported class: sqrt of a "
                    "non-constant") != std::string::npos);
    CHECK(message_of("log(1 + x^2)", 1).find("log of a non-constant") != std::string::npos);
    CHECK(message_of("1/x", 1).find("division by the non-constant 'x'") != std::string::npos);
    CHECK(message_of("x^0.5", 1).find("only integer powers") != std::string::npos);
    CHECK(message_of("x^-1", 1).find("only integer powers") != std::string::npos);
    CHECK(message_of("exp(x)*cos(x)", 1).find("exp of a linear form times cos or sin") !=
          std::string::npos);
    CHECK(message_of("softplus(x)*cos(x)", 1).find("softplus or tanh") != std::string::npos);
    CHECK(message_of("x^x", 1).find("variable raised to a variable power") != std::string::npos);
    CHECK(message_of("(a - 11)^x", 1).find("must be certainly > 0") != std::string::npos);
    CHECK(message_of("sum(i, x[i]*cos(x[i]))", 2).find("'x[i]*cos(x[i])' with i = 1 is outside") !=
          std::string::npos);
    std::string product = "cos(x1)";
    for (int i = 2; i <= 20; ++i) product += "*cos(x" + std::to_string(i) + ")";
    CHECK(message_of(product, 20).find("more than 200000 terms") != std::string::npos);
}

TEST_CASE("growth bounds and ridge function jets", "[expr][decompose]") {
    CHECK(growth_bound(RidgeFunction::softplus).a == 1.0);
    CHECK(growth_bound(RidgeFunction::softplus).b == 1.0);
    CHECK(growth_bound(RidgeFunction::tanh).a == 1.0);
    CHECK(growth_bound(RidgeFunction::tanh).b == 0.0);
    CHECK_THROWS_AS(growth_bound(RidgeFunction::none), gradcert::InternalError);
    // softplus at 0: (log 2, 1/2, 1/4); check the bound |g^(k)(y)| <= a + b|y| at a few points.
    const auto g = ridge_function_jet(RidgeFunction::softplus);
    const Jet<IntervalM> at0 = g(Jet<IntervalM>::variable(IntervalM(0), 0, 1));
    CHECK(overlaps(at0.value, IntervalM::ln2()));
    CHECK(contains(at0.grad[0], Mpfr(0.5)));
    CHECK(contains(at0.hess(0, 0), Mpfr(0.25)));
    for (const auto fn : {RidgeFunction::softplus, RidgeFunction::tanh}) {
        const GrowthBound b = growth_bound(fn);
        for (double y : {-30.0, -2.0, -0.5, 0.0, 0.7, 3.0, 40.0}) {
            const Jet<IntervalM> j =
                ridge_function_jet(fn)(Jet<IntervalM>::variable(IntervalM(y), 0, 1));
            const IntervalM bound = IntervalM(b.a) + IntervalM(b.b) * IntervalM(std::abs(y));
            CHECK(certainly_le(abs(j.value), bound));
            CHECK(certainly_le(abs(j.grad[0]), bound));
            CHECK(certainly_le(abs(j.hess(0, 0)), bound));
        }
    }
}

TEST_CASE("decompositions print readably", "[expr][decompose]") {
    CHECK(to_string(decomposed("x^2 - a*cos(2*pi*x) + a", 1)) == "10 + 1*x^2 + -10*cos(6.28319*x)");
    CHECK(to_string(decomposed("0*x", 1)) == "0");
}
