// Parsing and evaluation of the expression language against hand-computed values.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "numerics/autodiff/jet.hpp"
#include "numerics/expr/expr.hpp"
#include "numerics/util/error.hpp"

using namespace gradcert;
using namespace gradcert::expr;

namespace {

ParseContext context(int dim, std::map<std::string, IntervalM> params = {}) {
    return ParseContext{"fam.toml", 7, dim, std::move(params)};
}

double eval_double(const std::string& f, std::vector<double> x, ParseContext ctx) {
    return evaluate<double>(parse(f, ctx), x);
}

IntervalM eval_interval(const std::string& f, std::vector<IntervalM> x, ParseContext ctx) {
    return evaluate<IntervalM>(parse(f, ctx), x);
}

IntervalM point(double v) {
    return IntervalM(v);
}

// Both arguments enclose the same real number, so they must overlap; the first must be narrow.
bool tight_and_overlapping(const IntervalM& a, const IntervalM& b) {
    return overlaps(a, b) && a.width() < Mpfr(1e-25);
}

}  // namespace

TEST_CASE("rastrigin: double, interval and jet values at hand-computed points", "[expr]") {
    const ParseContext ctx = context(1, {{"a", IntervalM(10)}});
    const Expr f = parse("x^2 - a*cos(2*pi*x) + a", ctx);
    CHECK(eval_double("x^2 - a*cos(2*pi*x) + a", {0.5}, ctx) == Approx(20.25).epsilon(1e-15));
    // x = 1/4: cos(pi/2) = 0, so f = 1/16 + 10.
    const std::vector<IntervalM> x{point(0.25)};
    const IntervalM v = evaluate<IntervalM>(f, x);
    CHECK(contains(v, Mpfr(10.0625)));
    CHECK(v.width() < Mpfr(1e-30));
    const std::vector<IntervalD> xd{IntervalD(0.25)};
    CHECK(contains(evaluate<IntervalD>(f, xd), 10.0625));
    // f' = 2x + 20π sin(2πx) = 1/2 + 20π; f'' = 2 + 40π² cos(2πx) = 2 at x = 1/4.
    const Eigen::Matrix<IntervalM, Eigen::Dynamic, 1> xs =
        Eigen::Matrix<IntervalM, 1, 1>(point(0.25));
    const std::vector<Jet<IntervalM>> jets = make_variables(xs);
    const Jet<IntervalM> j = evaluate<Jet<IntervalM>>(f, jets);
    CHECK(contains(j.value, Mpfr(10.0625)));
    CHECK(tight_and_overlapping(j.grad[0], IntervalM(0.5) + 20 * IntervalM::pi()));
    CHECK(contains(j.hess(0, 0), Mpfr(2)));
    CHECK(j.hess(0, 0).width() < Mpfr(1e-25));
}

TEST_CASE("operator precedence and associativity", "[expr]") {
    const ParseContext ctx = context(1);
    CHECK(eval_double("-x^2", {3}, ctx) == -9);
    CHECK(eval_double("2^3^2", {0}, ctx) == 512);
    CHECK(eval_double("2^-1", {0}, ctx) == 0.5);
    CHECK(eval_double("-2^2", {0}, ctx) == -4);
    CHECK(eval_double("(-2)^2", {0}, ctx) == 4);
    CHECK(eval_double("x^-1", {4}, ctx) == 0.25);
    CHECK(eval_double("8/4/2", {0}, ctx) == 1);
    CHECK(eval_double("1-2-3", {0}, ctx) == -4);
    CHECK(eval_double("2*-x", {3}, ctx) == -6);
    CHECK(eval_double("x - -x", {3}, ctx) == 6);
    CHECK(eval_double("+x*.5e1", {3}, ctx) == 15);
    CHECK(eval_double("0.08*x + 007 + 0.0 + 00.50", {100}, ctx) == 15.5);  // decimal, not octal
    CHECK(eval_double("2^x", {3}, ctx) == Approx(8).epsilon(1e-14));
    CHECK(eval_double("x^x", {2}, ctx) == Approx(4).epsilon(1e-14));
    CHECK(eval_double("x^0.5", {4}, ctx) == Approx(2).epsilon(1e-15));
}

TEST_CASE("to_string prints an expression that parses to the same tree", "[expr]") {
    const ParseContext ctx = context(3, {{"a", IntervalM(2)}});
    for (const std::string f :
         {"-x1^2", "(-x1)^2", "2^3^2", "(2^3)^2", "x1 - (x2 - x3)", "x1 - x2 - x3", "x1/(x2*x3)",
          "x1*-x2", "-(-x1)", "x1^-2", "a*cos(2*pi*x1) + sum(i, x[i]^2/sqrt(i))",
          "sum(i, 1, dim - 1, (x[i + 1] - x[i])^2)", "exp(-x1)*softplus(x2 + e)"}) {
        const Expr once = parse(f, ctx);
        const Expr twice = parse(once.to_string(), ctx);
        CHECK(once.to_string() == twice.to_string());
        const std::vector<double> x{0.3, -1.7, 2.2};
        CHECK(evaluate<double>(once, x) == evaluate<double>(twice, x));
    }
    CHECK(parse("x1 - (x2 - x3)", ctx).to_string() == "x1 - (x2 - x3)");
    CHECK(parse("((x1))*(x2+1)", ctx).to_string() == "x1*(x2 + 1)");
}

TEST_CASE("constants fold exactly", "[expr]") {
    const ParseContext ctx = context(1, {{"a", IntervalM(10)}});
    auto folded = [&](const std::string& f) {
        const Expr e = parse(f, ctx);
        REQUIRE(e.root().is_constant());
        return e.root().enclosure;
    };
    CHECK(folded("0.1*3 - 0.3").is_point());
    CHECK(contains(folded("0.1*3 - 0.3"), Mpfr(0)));
    CHECK(folded("2*pi - pi - pi").is_point());
    CHECK(contains(folded("1/sqrt(2)*sqrt(2)"), Mpfr(1)));
    CHECK(folded("1/sqrt(2)*sqrt(2)").is_point());
    CHECK(folded("sqrt(2)^2").is_point());
    CHECK(contains(folded("log(e^3)"), Mpfr(3)));
    CHECK(folded("log(e^3)").is_point());
    CHECK(contains(folded("sqrt(9/4)"), Mpfr(1.5)));
    CHECK(contains(folded("a/4000"), Mpfr(0.0025)) == false);  // 1/400 is not a double...
    CHECK(tight_and_overlapping(folded("a/4000"), IntervalM::from_string("0.0025")));
    CHECK(tight_and_overlapping(folded("cos(pi/3)"), IntervalM::from_string("0.5")));
    CHECK(tight_and_overlapping(folded("e^2.5"), exp(IntervalM::from_string("2.5"))));
    // 0.1 is read as 1/10, not as the nearest double.
    CHECK(!contains(folded("0.1"), Mpfr(0.1)));
    CHECK(tight_and_overlapping(folded("0.1"), IntervalM::from_string("0.1")));
}

TEST_CASE("sums over coordinates, bounded sums, nested sums", "[expr]") {
    const ParseContext ctx = context(3);
    CHECK(eval_double("sum(i, x[i]^2)", {1, 2, 3}, ctx) == 14);
    CHECK(eval_double("sum(i, 1, dim - 1, (x[i+1] - x[i])^2)", {1, 2, 4}, ctx) == 5);
    CHECK(eval_double("sum(i, sum(j, x[i]*x[j]))", {1, 2, 4}, ctx) == 49);
    CHECK(eval_double("sum(i, x[i]^i)", {2, 2, 2}, ctx) == 14);
    CHECK(eval_double("x[2] + x2", {1, 2, 4}, ctx) == 4);
    const Expr constant = parse("sum(i, i)", ctx);
    REQUIRE(constant.root().is_constant());
    CHECK(constant.root().enclosure.is_point());
    CHECK(contains(constant.root().enclosure, Mpfr(6)));
    const std::vector<IntervalM> ones{point(1), point(1), point(1)};
    const IntervalM v = eval_interval("sum(i, x[i]/sqrt(i))", ones, ctx);
    CHECK(tight_and_overlapping(v, 1 + 1 / sqrt(IntervalM(2)) + 1 / sqrt(IntervalM(3))));
    CHECK(eval_double("sum(i, 3, 2, x[i])", {1, 2, 4}, ctx) == 0);  // empty range
}

TEST_CASE("elementary functions", "[expr]") {
    const ParseContext ctx = context(1);
    const std::vector<IntervalM> zero{point(0)};
    CHECK(tight_and_overlapping(eval_interval("softplus(x)", zero, ctx), IntervalM::ln2()));
    CHECK(eval_double("softplus(x)", {800}, ctx) == 800);
    CHECK(eval_double("abs(x) + tanh(x) + exp(x) + log(x) + sqrt(x) + sin(x)", {1}, ctx) ==
          Approx(1 + std::tanh(1) + std::exp(1) + 0 + 1 + std::sin(1)).epsilon(1e-15));
    CHECK(eval_double("x1", {5}, ctx) == 5);  // x1 is also accepted when dim = 1
    const std::vector<double> two{1, 2};
    CHECK_THROWS_AS(evaluate<double>(parse("x", ctx), two), gradcert::InternalError);
}

TEST_CASE("parse errors name the file, the line, the column and the problem", "[expr]") {
    const ParseContext ctx1 = context(1, {{"a", IntervalM(10)}});
    const ParseContext ctx2 = context(2, {{"a", IntervalM(10)}});
    auto message = [](const std::string& f, const ParseContext& ctx) -> std::string {
        try {
            (void)parse(f, ctx);
        } catch (const InputError& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(message("x^2 +", ctx1) ==
          "fam.toml:7: f, column 6: expected a number, a name or '(', found end of expression");
    CHECK(message("x1 + x3", ctx2) ==
          "fam.toml:7: f, column 6: x3 is not a variable of this 2-dimensional family "
          "(variables: x1, x2)");
    CHECK(message("x + 1", ctx2).find("column 1: x is not a variable of this 2-dimensional") !=
          std::string::npos);
    CHECK(message("x0", ctx1).find("x0 is not a variable") != std::string::npos);
    CHECK(message("y + x", ctx1) ==
          "fam.toml:7: f, column 1: unknown name 'y' (variables: x; parameters: a; constants: pi, "
          "e, dim)");
    CHECK(message("foo(x)", ctx1).find("column 1: unknown function 'foo'") != std::string::npos);
    CHECK(message("2x", ctx1) ==
          "fam.toml:7: f, column 2: unexpected name 'x' (missing operator?)");
    CHECK(message("x**2", ctx1).find("column 2: '**' is not an operator") != std::string::npos);
    CHECK(message("(x", ctx1).find("column 3: expected ')', found end of expression") !=
          std::string::npos);
    CHECK(message("x)", ctx1).find("column 2: unmatched ')'") != std::string::npos);
    CHECK(message("x + log(0)", ctx1).find("column 5: the constant 'log(0)' is undefined") !=
          std::string::npos);
    CHECK(message("x/(a - 10)", ctx1).find("column 3: the constant 'a - 10' is undefined") ==
          std::string::npos);  // the constant itself is fine ...
    CHECK(message("x + 1/(a - 10)", ctx1).find("is undefined: division by zero") !=
          std::string::npos);  // ... but dividing by it is not
    CHECK(message("sum(i, x[i+1])", ctx2) ==
          "fam.toml:7: f, column 8: 'x[i + 1]' with i = 2 refers to coordinate 3, outside 1..2");
    CHECK(message("sum(i, x[i/2])", ctx2)
              .find("the coordinate index 'i/2' with i = 1 is not an "
                    "integer") != std::string::npos);
    CHECK(message("sum(pi, x[pi])", ctx2).find("the sum index 'pi' is a reserved name") !=
          std::string::npos);
    CHECK(message("sum(a, x[a])", ctx2).find("is also a parameter") != std::string::npos);
    CHECK(message("sum(i, sum(i, x[i]))", ctx2).find("already in use") != std::string::npos);
    CHECK(message("sum(i, i, 2, x[i])", ctx2).find("must not depend on the variables or on i") !=
          std::string::npos);
    CHECK(message("sum(i, x[i], 2)", ctx2).find("expected ',' before the body") !=
          std::string::npos);
    CHECK(message("cos x", ctx1).find("the function 'cos' needs an argument in parentheses") !=
          std::string::npos);
    CHECK(message("a(x + 1)", ctx1).find("'a' is not a function") != std::string::npos);
    CHECK(message("cos(x, 1)", ctx1).find("takes one argument") != std::string::npos);
    CHECK(message("x π", ctx1) == "fam.toml:7: f, column 3: unexpected character 'π'");
    CHECK(message("π*x + y", ctx1).find("column 1: unexpected character 'π'") != std::string::npos);
    CHECK(message("   ", ctx1).find("the expression is empty") != std::string::npos);
    CHECK(message("x", context(1, {{"pi", IntervalM(3)}})).find("is reserved") !=
          std::string::npos);
    CHECK(message("x + sqrt(-1)", ctx1).find("is undefined: sqrt of -1 (negative)") !=
          std::string::npos);
    CHECK(message("x + 0^-1", ctx1).find("0 raised to the negative power") != std::string::npos);
}

TEST_CASE("parameters given as decimal text fold to the exact rational", "[expr]") {
    ParseContext ctx = context(1, {{"a", IntervalM::from_string("0.1")}});
    ctx.param_texts["a"] = "0.1";
    const Expr e = parse("10*a - 1", ctx);
    REQUIRE(e.root().is_constant());
    CHECK(e.root().enclosure.is_point());
    CHECK(contains(e.root().enclosure, Mpfr(0)));
    // Without the text, a is an opaque constant known by its enclosure.
    ParseContext no_text = context(1, {{"a", IntervalM::from_string("0.1")}});
    const Expr g = parse("10*a - 1", no_text);
    CHECK(!g.root().enclosure.is_point());
    CHECK(contains(g.root().enclosure, Mpfr(0)));
}

TEST_CASE("errors in a multi-line f give the line and column inside f", "[expr]") {
    const ParseContext ctx = context(2);
    try {
        (void)parse("x1^2 +\n  x2^2 +\n  y", ctx);
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("fam.toml:7: f, line 3, column 3: unknown name 'y'") == 0);
    }
    CHECK(source_position("ab\ncd", 5) == "line 2, column 2");
    CHECK(source_position("abcd", 3) == "column 3");
    CHECK(is_reserved_name("x12"));
    CHECK(is_reserved_name("softplus"));
    CHECK(!is_reserved_name("alpha"));
    CHECK(is_identifier("a_1"));
    CHECK(!is_identifier("1a"));
}

TEST_CASE("evaluation on double and IntervalD jets", "[expr]") {
    // f = x1^2 x2 + sin(x2) at (3, 0): value 0, gradient (0, 9 + 1), Hessian [[0, 6], [6, 0]].
    const Expr f = parse("x1^2*x2 + sin(x2)", context(2));
    Eigen::VectorXd xd(2);
    xd << 3.0, 0.0;
    const std::vector<Jet<double>> jd = make_variables(xd);
    const Jet<double> vd = evaluate<Jet<double>>(f, jd);
    CHECK(vd.value == 0);
    CHECK(vd.grad[1] == 10);
    CHECK(vd.hess(0, 1) == 6);
    CHECK(vd.hess(1, 1) == 0);
    Eigen::Matrix<IntervalD, Eigen::Dynamic, 1> xi(2);
    xi << IntervalD(3.0), IntervalD(0.0);
    const std::vector<Jet<IntervalD>> ji = make_variables(xi);
    const Jet<IntervalD> vi = evaluate<Jet<IntervalD>>(f, ji);
    CHECK(contains(vi.grad[1], 10.0));
    CHECK(contains(vi.hess(1, 0), 6.0));
    CHECK(contains(vi.hess(1, 1), 0.0));
}
