// Polynomial growth bounds of one-variable expressions (numerics/expr/growth_bound.hpp): the
// bound holds at sampled points (the exact value against the bound) and the refusals name the
// sub-expression and the reason.
#include "numerics/expr/growth_bound.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <span>

using namespace gradcert;
using namespace gradcert::expr;

namespace {

Expr parse1(const std::string& f) {
    ParseContext ctx;
    ctx.file = "test";
    ctx.dim = 1;
    return parse(f, ctx);
}

double bound_at(const PolynomialGrowth& g, double y) {
    double s = 0;
    for (int k = 0; k <= g.degree(); ++k)
        s += g.coefficients[static_cast<std::size_t>(k)] * std::pow(std::abs(y), k);
    return s;
}

}  // namespace

TEST_CASE("growth bounds hold on a grid", "[expr][growth]") {
    for (const char* f : {"-(1 + cos(12*x))/(0.5*x^2 + 2)", "418.9829 - x*sin(sqrt(abs(x)))",
                          "abs(x)", "abs(x - 3)^3 + tanh(x)", "softplus(2*x) - x^2",
                          "(x^2 + 1)/(x^2 - 2*x + 5 + 0.5*cos(x))", "sqrt(x^2 + abs(x))"}) {
        const Expr e = parse1(f);
        const GrowthResult g = polynomial_growth(e);
        INFO(f << ": " << (g.bound ? "" : g.refusal.term + ": " + g.refusal.reason));
        REQUIRE(g.bound);
        for (int i = -400; i <= 400; ++i) {
            const double y = i * 0.37;
            const std::array<IntervalM, 1> x{IntervalM(y)};
            const IntervalM v = evaluate<IntervalM>(e, std::span<const IntervalM>(x));
            CHECK(v.mag() <= bound_at(*g.bound, y) * (1 + 1e-12));
        }
    }
    // Drop-Wave: |f| <= 2/2 = 1.
    const GrowthResult dw = polynomial_growth(parse1("-(1 + cos(12*x))/(0.5*x^2 + 2)"));
    REQUIRE(dw.bound);
    CHECK(dw.bound->degree() == 0);
    CHECK(dw.bound->coefficients[0] <= 1 + 1e-15);
}

TEST_CASE("growth bounds are refused with the term and the reason", "[expr][growth]") {
    struct Case {
        const char* f;
        const char* term;
        const char* reason;
    };
    for (const Case& c : {
             Case{"exp(x)", "exp(x)", "exp of a non-constant has no polynomial growth bound"},
             Case{"x^2 + 1/x", "1/x", "is linear: it vanishes somewhere"},
             Case{"1/(x^2 - 1)", "1/(x^2 - 1)", "not certainly bounded below by a positive number"},
             Case{"1/(x^4 + 1)", "1/(x^4 + 1)", "has degree above 2"},
             Case{"log(x^2 + 1)", "log(x^2 + 1)", "log of a non-constant"},
             Case{"sqrt(x)", "sqrt(x)", "not certainly >= 0"},
             Case{"x^-2", "x^-2", "only integer powers"},
         }) {
        const GrowthResult g = polynomial_growth(parse1(c.f));
        INFO(c.f);
        REQUIRE_FALSE(g.bound);
        CHECK(g.refusal.term == c.term);
        CHECK(g.refusal.reason.find(c.reason) != std::string::npos);
    }
}
