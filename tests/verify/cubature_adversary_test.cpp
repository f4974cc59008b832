// Adversarial review of the verified Gaussian cubature (numerics/quadrature/gaussian_cubature.hpp,
// verify/cubature_objective.hpp, docs/mathematics.md §2 "Terms without closed-form smoothing"),
// of the growth bound (numerics/expr/growth_bound.hpp) and of the Clarke jets of abs
// (numerics/autodiff/jet.hpp). Ground truth: tests/redteam/data/adversary_cubature.json, written by
// tests/redteam/gen_adversary_cubature.py (mpmath, no gradcert code); the growth bounds are checked
// against rigorous interval evaluations of f (a violation is certain when |f(y)| is enclosed
// above the bound's upper end).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>

#include "numerics/autodiff/jet.hpp"
#include "numerics/expr/growth_bound.hpp"
#include "numerics/quadrature/gaussian_cubature.hpp"
#include "numerics/util/error.hpp"
#include "verify/cubature_objective.hpp"
#include "verify/family_check.hpp"
#include "verify/family_file.hpp"

using namespace gradcert;

namespace {

nlohmann::json adversary_data() {
    std::ifstream in(std::string(GRADCERT_SOURCE_DIR) +
                     "/tests/redteam/data/adversary_cubature.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

expr::Expr parse1(const std::string& f) {
    expr::ParseContext ctx;
    ctx.file = "test";
    ctx.dim = 1;
    return expr::parse(f, ctx);
}

GaussianCubature make_cubature(const std::string& f, const std::string& t,
                               const IntervalD& domain) {
    const expr::Expr e = parse1(f);
    const auto g = expr::polynomial_growth(e);
    INFO("f = " << f << ": " << g.refusal.term << " " << g.refusal.reason);
    REQUIRE(g.bound);
    return GaussianCubature(verify::expression_integrand(e, g.bound->coefficients),
                            IntervalM::from_string(t), domain);
}

IntervalD decimal(const nlohmann::json& s) {
    return to_double(IntervalM::from_string(s.get<std::string>()));
}

// The mpmath value (20 digits, quadrature error far below) widened by 1e-17 relative.
IntervalD truth_of(const nlohmann::json& s) {
    const IntervalD v = decimal(s);
    const double slack = 1e-17 * v.mag() + 1e-300;
    return IntervalD(v.lower() - slack, v.upper() + slack);
}

void check_contains(const std::array<IntervalD, 3>& e, const nlohmann::json& p,
                    const std::string& where) {
    const char* keys[] = {"value", "d1", "d2"};
    for (int k = 0; k < 3; ++k) {
        const IntervalD truth = truth_of(p.at(keys[k]));
        INFO(where << " derivative " << k << ": enclosure " << e[k] << " mpmath " << truth);
        CHECK(overlaps(e[k], truth));
    }
}

}  // namespace

TEST_CASE("adversary: point enclosures contain the mpmath f̂, f̂', f̂''", "[cubature][adversary]") {
    // The JSON is held by a local: `for (... : adversary_data().at(...))` would iterate over a
    // destroyed temporary (the range-for keeps only the reference at() returns alive).
    const nlohmann::json data = adversary_data();
    int checked = 0;
    for (const auto& p : data.at("points")) {
        ++checked;
        const std::string text = p.at("text");
        const std::string t = p.at("t");
        const IntervalD X = decimal(p.at("x"));
        const double x = X.mid();
        if (!expr::polynomial_growth(parse1(text)).bound) {
            // only the overflowing growth case may be refused (a refusal is sound)
            CHECK(text == "1e-300*((2*x + 2)^64)^9");
            continue;
        }
        const GaussianCubature c = make_cubature(text, t, IntervalD(x - 1, x + 1));
        const auto e = c.enclose(X);
        std::printf("adversary point %-26s t = %-6s x = %-9s widths %.2e %.2e %.2e (R %g)\n",
                    text.c_str(), t.c_str(), p.at("x").get<std::string>().c_str(), e[0].width(),
                    e[1].width(), e[2].width(), c.radius());
        check_contains(e, p, text + " t = " + t + " x = " + p.at("x").get<std::string>());
    }
    CHECK(checked == 36);
}

TEST_CASE("adversary: box enclosures contain f̂, f̂', f̂'' at every sample", "[cubature][adversary]") {
    const nlohmann::json data = adversary_data();
    int checked = 0;
    for (const auto& b : data.at("boxes")) {
        ++checked;
        const std::string text = b.at("text");
        const std::string t = b.at("t");
        const IntervalD X = hull(decimal(b.at("lo")), decimal(b.at("hi")));
        const GaussianCubature c = make_cubature(text, t, X);
        const auto e = c.enclose(X);
        std::printf("adversary box %-26s t = %-6s X = %s widths %.2e %.2e %.2e\n", text.c_str(),
                    t.c_str(), to_string(X).c_str(), e[0].width(), e[1].width(), e[2].width());
        for (const auto& s : b.at("samples"))
            check_contains(e, s, text + " t = " + t + " x = " + s.at("x").get<std::string>());
    }
    CHECK(checked == 7);
}

TEST_CASE("adversary: bad t and unbounded boxes", "[cubature][adversary]") {
    const expr::Expr e = parse1("abs(x)");
    const auto in = verify::expression_integrand(e, {0, 1});
    for (const char* t : {"0", "-0.5", "[0, 1]", "[-1, 1]"}) {
        INFO("t = " << t);
        CHECK_THROWS_AS(GaussianCubature(in, IntervalM::from_string(t), IntervalD(-1, 1)),
                        std::invalid_argument);
    }
    const GaussianCubature c(in, IntervalM(1), IntervalD(-1, 1));
    const auto whole = c.enclose(IntervalD::entire());
    for (const IntervalD& w : whole) CHECK_FALSE(w.is_finite());
    const double big = std::numeric_limits<double>::max();
    const auto edge = c.enclose(IntervalD(big / 2, big));
    // f̂(x) = x + O(e^{-x²/2}) for |x| = 1 at x near the top of the doubles: contained or unbounded
    CHECK((!edge[0].is_finite() || (edge[0].lower() <= big / 2 && edge[0].upper() >= big)));
}

TEST_CASE("adversary: growth bounds are true bounds", "[growth][adversary]") {
    // (expression, points y including the maximiser of |f|/P): a violation is certain when the
    // rigorous enclosure of |f(y)| lies above P(|y|).
    const std::vector<std::pair<std::string, std::vector<double>>> cases = {
        {"1/(x^2 - 2*x + 1.0001)", {1, 0.999, 0, -3, 1e6}},
        {"(x^3 - 5*x)/(0.25*x^2 - x + 1.01)", {2, 1.9, 0, 10, -1e4}},
        {"1/(x^2 + x + 0.2500000000000000001)", {-0.5, -0.49, 0}},
        {"1/(1.00000000000000000001 - cos(x))", {0, 1e-10, 3}},
        {"1/(2 + cos(x) + 0.5*sin(3*x))", {0, 3.14159, 2.1, -1.57}},
        {"1/(x^2 - 4*x + 4.5)", {2, 0, 1e3}},
        {"sin(x)/(x^2 + 1e-8)", {1e-4, 1e-3, 0}},
        {"sqrt((x - 3)^2)", {3, 0, -1e5}},
        {"sqrt(x^2 + 1)*abs(x - 1000)^3", {1000, 0, -1e3, 1e7}},
        {"softplus(-x^3)", {-10, 10, -1e3}},
        {"tanh(x)*x^3 - 7*x^2", {0.5, -2, 1e5}},
        {"-(x - 1)*(x + 1)*(x - 2)", {0, 1.5, -1e6}},
        {"1e-300*((2*x + 2)^64)^9", {0, -1, 1e-3}},
        {"abs(abs(x) - 1)^5", {0, 1, 1e4}},
        {"x*sin(sqrt(abs(x)))", {0, 1e-6, 420.9687, -1e8}},
        {"1/(x^2 + 2 + 1.5*cos(3*x - 1))", {0, 0.33, 1.38}},
    };
    for (const auto& [text, ys] : cases) {
        const auto g = expr::polynomial_growth(parse1(text));
        if (!g.bound) {
            std::printf("adversary growth %-40s refused: %s\n", text.c_str(),
                        g.refusal.reason.c_str());
            continue;  // a refusal is safe
        }
        const auto& c = g.bound->coefficients;
        for (double y : ys) {
            const std::array<IntervalM, 1> X{IntervalM(y)};
            IntervalM fy;
            try {
                fy = expr::evaluate<IntervalM>(parse1(text), std::span<const IntervalM>(X));
            } catch (const std::domain_error&) {
                FAIL("growth bound given but f is undefined at " << y << ": " << text);
            }
            IntervalM p(0);
            for (std::size_t k = 0; k < c.size(); ++k)
                p = p + IntervalM(c[k]) * pow(IntervalM(std::abs(y)), static_cast<int>(k));
            INFO(text << " at y = " << y << ": |f| in " << abs(fy) << ", P(|y|) in " << p);
            CHECK_FALSE(certainly_lt(p, abs(fy)));
        }
    }
}

TEST_CASE("adversary: growth refusals that must happen", "[growth][adversary]") {
    // Each is undefined somewhere on R or has no polynomial growth bound.
    for (const char* text : {"1/(x^2 + x + 0.25)",
                             "1/(1 - cos(x))",
                             "1/sin(x)",
                             "1/(x^2 - 1)",
                             "1/(x^2 + 1 - 1.5*cos(x))",
                             "sqrt(x)",
                             "sqrt(x^3)",
                             "sqrt(-(x^2))",
                             "sqrt(x^2 - 1)",
                             "sqrt(abs(x) - 1)",
                             "log(x^2 + 1)",
                             "exp(x)",
                             "exp(-x)",
                             "x^(-2)",
                             "x^0.5",
                             "1/x",
                             "1/(x - 1)",
                             "2^x",
                             "1/(0.5*x^2 + 5 + 4*sin(x)*x)",
                             "sqrt(abs(x)*(0 - 1))",
                             "sqrt(cos(x))",
                             "sqrt(x^2*sin(x))",
                             "1/(x^2 - 2*x + 1)"}) {
        INFO(text);
        bool refused = true;
        try {
            refused = !expr::polynomial_growth(parse1(text)).bound;
        } catch (const InputError&) {
            refused = true;  // not even parsed: refused too
        }
        CHECK(refused);
    }
}

TEST_CASE("adversary: Clarke jets of abs never give a finite wrong Hessian on a box",
          "[jet][adversary]") {
    // On boxes holding a kink, a finite Hessian must enclose f'' wherever f'' exists; we check
    // the exact f'' at sample points where it exists (f'' = 0 for |x|).
    struct Case {
        const char* text;
        double lo, hi;
        double (*d2)(double);  // exact f'' away from the kinks
    };
    const Case cases[] = {
        {"abs(x)", -1, 1, [](double) { return 0.0; }},
        {"abs(x - 0.5)", 0, 1, [](double) { return 0.0; }},
        {"abs(sin(x))", -0.1, 0.1, [](double y) { return -std::abs(std::sin(y)); }},
        {"x*abs(x)", -0.5, 0.5, [](double y) { return y > 0 ? 2.0 : -2.0; }},
        {"abs(x)^3", -0.5, 0.5, [](double y) { return 6 * std::abs(y); }},
        {"abs(abs(x) - 1)", 0.5, 1.5, [](double) { return 0.0; }},
        {"abs(x)*abs(x)", -0.5, 0.5, [](double) { return 2.0; }},
        {"cos(abs(x)) + abs(x)", -0.5, 0.5, [](double y) { return -std::cos(y); }},
        {"abs(x) - abs(x)", -0.5, 0.5, [](double) { return 0.0; }},
        {"sqrt(abs(x) + 1)", -0.5, 0.5,
         [](double y) { return -0.25 * std::pow(std::abs(y) + 1, -1.5); }},
    };
    for (const Case& c : cases) {
        const expr::Expr e = parse1(c.text);
        const std::array<Jet<IntervalD>, 1> x{
            Jet<IntervalD>::variable(IntervalD(c.lo, c.hi), 0, 1)};
        const Jet<IntervalD> j =
            expr::evaluate<Jet<IntervalD>>(e, std::span<const Jet<IntervalD>>(x));
        INFO(c.text << " on [" << c.lo << ", " << c.hi << "]: f'' in " << j.hess(0, 0));
        if (!j.hess(0, 0).is_finite()) continue;
        for (int i = 0; i <= 40; ++i) {
            const double y = c.lo + (c.hi - c.lo) * i / 40;
            if (y == 0 || y == 0.5 || y == 1 || y == -1) continue;
            CHECK(contains(j.hess(0, 0), c.d2(y)));
        }
    }
}

TEST_CASE("adversary: a finite Hessian at a point box on the kink is not a C² certificate",
          "[jet][adversary][!mayfail]") {
    // jet.hpp says callers needing C² must test the Hessian for finiteness. For x·|x| at the
    // point box x = 0 the entire() Hessian of |x| is multiplied by the exact 0 value of x, and a
    // finite Hessian comes out although x·|x| has no second derivative at 0 (f' = 2|x|).
    const expr::Expr e = parse1("x*abs(x)");
    const std::array<Jet<IntervalD>, 1> x{Jet<IntervalD>::variable(IntervalD(0), 0, 1)};
    const Jet<IntervalD> j = expr::evaluate<Jet<IntervalD>>(e, std::span<const Jet<IntervalD>>(x));
    INFO("f'' at the point 0 enclosed by " << j.hess(0, 0));
    CHECK_FALSE(j.hess(0, 0).is_finite());
}

TEST_CASE("adversary: overflowing growth coefficients are refused, not thrown",
          "[growth][adversary]") {
    // (2x + 2)^576 has coefficients up to 2^576·C(576, 288) ≈ 1e346 > DBL_MAX: the bound must be
    // a refusal (exit 2 upstream), never a std::domain_error from a point interval at +inf.
    for (const char* text : {"1e-300*((2*x + 2)^64)^9", "1e200*1e200*x^2", "(1e300*x)^2"}) {
        INFO(text);
        expr::GrowthResult g;
        REQUIRE_NOTHROW(g = expr::polynomial_growth(parse1(text)));
        if (g.bound)
            for (double c : g.bound->coefficients) CHECK(std::isfinite(c));
    }
}

TEST_CASE("adversary: a tail bound that overflows gives unbounded enclosures, never a throw",
          "[cubature][adversary]") {
    // abs(x)^20 at |x| ~ 1e20: P(|x| + tv) overflows; the contract of cubature_objective says
    // unbounded enclosures, never a throw (f̂ >= x^20 >= 1e400 there).
    const expr::Expr e = parse1("abs(x)^20");
    const auto in = verify::expression_integrand(e, expr::polynomial_growth(e).bound->coefficients);
    std::optional<GaussianCubature> c;
    REQUIRE_NOTHROW(c.emplace(in, IntervalM(1), IntervalD(-1e16, 1e16)));
    std::array<IntervalD, 3> out;
    REQUIRE_NOTHROW(out = c->enclose(IntervalD(1e20, 2e20)));
    CHECK_FALSE(out[0].is_finite());
    // |x|^448: the tail moments ∫_R^∞ v^n φ overflow binary64 for n ≈ 448 (447!! ≈ 1e490).
    const expr::Expr big = parse1("(abs(x)^64)^7");
    const auto g = expr::polynomial_growth(big);
    REQUIRE(g.bound);
    std::optional<GaussianCubature> d;
    REQUIRE_NOTHROW(d.emplace(verify::expression_integrand(big, g.bound->coefficients),
                              IntervalM(1), IntervalD(-1, 1)));
    REQUIRE_NOTHROW(out = d->enclose(IntervalD(0)));
    CHECK_FALSE(out[0].is_finite());  // E|z|^448 ≈ 1e490 > DBL_MAX
}

TEST_CASE("adversary: edge families are never a wrong holds (adv-cub-* red-team cases)",
          "[cubature][adversary][redteam]") {
    // The cases and their mpmath truth: tests/redteam/gen_adversary_families.py writes
    // tests/redteam/families/adv-cub-*.toml and their entries of tests/redteam/ground_truth.json.
    // (run_redteam.py checks the same cases through the gradcert binary; this runs them
    // in-process.)
    std::ifstream in(std::string(GRADCERT_SOURCE_DIR) + "/tests/redteam/ground_truth.json");
    REQUIRE(in);
    const auto truth = nlohmann::json::parse(in);
    int seen = 0;
    for (const auto& c : truth.at("cases")) {
        const std::string name = c.at("name");
        if (name.rfind("adv-cub-", 0) != 0) continue;
        ++seen;
        const std::string file =
            std::string(GRADCERT_SOURCE_DIR) + "/tests/redteam/" + c.at("file").get<std::string>();
        INFO(name);
        if (c.at("exit_allowed") == nlohmann::json::array({2})) {
            CHECK_THROWS_AS(verify::load_family(file, {}), InputError);
            continue;
        }
        const verify::FamilyCheckResult r = verify::check_family(verify::load_family(file, {}));
        REQUIRE(r.stages.size() == c.at("stages").size());
        for (std::size_t i = 0; i < r.stages.size(); ++i) {
            const auto& tr = c.at("stages")[i];
            const auto& st = r.stages[i];
            const std::string sc = tr.at("strong_convexity").at("truth");
            const double lam =
                std::stod(tr.at("strong_convexity").at("lambda_min").get<std::string>());
            INFO("stage " << i + 1 << ": convexity " << static_cast<int>(st.convexity.verdict)
                          << " truth " << sc << ", certified λ_min >= " << st.certified_sigma
                          << " true λ_min " << lam);
            std::printf("adversary family %-28s stage %zu: convexity %s (truth %s), stage %s\n",
                        name.c_str(), i + 1, verify::verdict_name(st.convexity.verdict), sc.c_str(),
                        verify::verdict_name(st.verdict));
            // The true minimizer lies in a cluster box and the true minimum in min_value.
            const IntervalM xstar =
                IntervalM::from_string(tr.at("minimizers")[0][0].get<std::string>());
            bool in_cluster = false;
            for (const auto& cl : st.minimizers.clusters)
                in_cluster = in_cluster || overlaps(cl.box[0], xstar);
            CHECK(in_cluster);
            CHECK(overlaps(st.minimizers.min_value,
                           IntervalM::from_string(tr.at("min_value").get<std::string>()) +
                               IntervalM::from_string("[-1e-25, 1e-25]")));
            if (sc == "fails") CHECK(st.convexity.verdict != verify::Verdict::holds);
            if (sc == "holds") CHECK(st.convexity.verdict != verify::Verdict::fails);
            CHECK(st.certified_sigma <= lam * (1 + 1e-15));
            const std::string allowed = tr.at("verdict_allowed")[0];
            if (allowed == "fails") CHECK(st.verdict != verify::Verdict::holds);
            if (allowed == "holds") CHECK(st.verdict != verify::Verdict::fails);
        }
        if (c.at("overall_allowed")[0] == "fails") CHECK(r.overall != verify::Verdict::holds);
    }
    CHECK(seen == 8);
}
