// The independent certificate checker (verify/recheck, docs/certificate.md): hand-made
// certificates (tests/recheck/make_certificates.py) are confirmed, tampered ones rejected, and the
// checker's smoothing formulas agree with mpmath quadrature (make_smoothing_reference.py).
#include "verify/recheck/recheck.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "verify/recheck/smoothing.hpp"

namespace {

using gradcert::recheck::Outcome;
using nlohmann::json;

const std::string kData = std::string(GRADCERT_SOURCE_DIR) + "/tests/recheck/data/";

json load(const std::string& name) {
    std::ifstream in(kData + name + ".json");
    REQUIRE(in);
    return json::parse(in);
}

gradcert::recheck::Report run(const json& cert) {
    return gradcert::recheck::recheck_text(cert.dump(), "tampered.json");
}

std::string joined(const gradcert::recheck::Report& r) {
    std::string s;
    for (const std::string& l : r.lines) s += l + "\n";
    return s;
}

// Applies `edit` to a copy of the certificate and expects `expected` with `message` in the output.
void expect_rejected(const std::string& name, const std::function<void(json&)>& edit,
                     Outcome expected, const std::string& message) {
    json cert = load(name);
    edit(cert);
    const auto r = run(cert);
    INFO(joined(r));
    CHECK(r.outcome == expected);
    CHECK(joined(r).find(message) != std::string::npos);
}

json& first_node_with(json& n, const char* key) {
    if (n.contains(key)) return n;
    if (n.contains("children"))
        for (json& c : n["children"]) {
            json& found = first_node_with(c, key);
            if (found.contains(key)) return found;
        }
    if (n.contains("child") && !n["child"].is_null()) {
        json& found = first_node_with(n["child"], key);
        if (found.contains(key)) return found;
    }
    return n;
}

}  // namespace

TEST_CASE("hand-made certificates are confirmed", "[recheck]") {
    for (const char* name : {"quad1", "quad1-hazan", "quartic1", "quad2", "quad2-sigma-m",
                             "rastrigin-gaussian", "rastrigin-ball", "cos2d", "exp1", "cosh1"}) {
        const auto r = gradcert::recheck::recheck_file(kData + name + ".json");
        INFO(name << "\n" << joined(r));
        CHECK(r.outcome == Outcome::confirmed);
        CHECK(r.lines.size() == load(name)["stages"].size() + 1);
    }
}

TEST_CASE("tampered partitions are rejected", "[recheck]") {
    // A node without its second child leaves part of the domain uncovered.
    expect_rejected(
        "quad1",
        [](json& c) {
            first_node_with(c["stages"][0]["minimizers"]["tree"], "split")["children"].erase(1);
        },
        Outcome::malformed, "split must be");
    expect_rejected(
        "quad1", [](json& c) { c["stages"][0]["minimizers"]["tree"]["split"][1] = "0x1p+3"; },
        Outcome::unconfirmed, "split point outside");
    expect_rejected(
        "quad1", [](json& c) { c["stages"][0]["minimizers"]["points"][0][0] = "0x1.8p+0"; },
        Outcome::unconfirmed, "not certainly in the domain");
    expect_rejected(
        "quad1",
        [](json& c) {
            auto& box = c["stages"][1]["minimizers"]["clusters"][0]["box"][0];
            box[1] = box[0];
        },
        Outcome::unconfirmed, "not inside cluster");
    // A value prune turned into a keep of a box far from the cluster, and a keep into a prune.
    expect_rejected(
        "quad1",
        [](json& c) {
            first_node_with(c["stages"][0]["minimizers"]["tree"], "prune") = json{{"keep", 0}};
        },
        Outcome::unconfirmed, "not inside cluster");
    expect_rejected(
        "quartic1",
        [](json& c) {
            first_node_with(c["stages"][0]["minimizers"]["tree"], "keep") =
                json{{"prune", "value"}, {"point", 0}};
        },
        Outcome::unconfirmed, "value prune");
    expect_rejected(
        "exp1", [](json& c) { c["stages"][0]["minimizers"]["tree"]["reduce"][1] = "upper"; },
        Outcome::unconfirmed, "reduce");
}

TEST_CASE("tampered curvature claims are rejected", "[recheck]") {
    // quad1: f̂'' = 2 exactly; a bound just above 2 is false.
    expect_rejected(
        "quad1",
        [](json& c) {
            first_node_with(c["stages"][0]["curvature"][0]["tree"], "bound")["bound"] =
                "0x1.0000000000001p+1";
        },
        Outcome::unconfirmed, "λ_min ≥");
    // quad2: λ_min = 3 − √2 ≈ 1.5858 < 1.6.
    expect_rejected(
        "quad2",
        [](json& c) {
            json& cv = c["stages"][0]["curvature"][0];
            first_node_with(cv["tree"], "bound")["bound"] = "0x1.999999999999ap+0";
        },
        Outcome::unconfirmed, "λ_min ≥");
    expect_rejected(
        "quad1", [](json& c) { c["stages"][0]["curvature"][0]["certified_lower"] = "0x1.8p+1"; },
        Outcome::unconfirmed, "below certified_lower");
    expect_rejected(
        "quartic1",
        [](json& c) {
            auto& p = c["stages"][0]["curvature"][0]["witness"]["point"][0];
            p = "0x1.8p+1";  // 3, farther than 3δ = 1.5 from the cluster near 0
        },
        Outcome::unconfirmed, "not within 3δ");
    expect_rejected(
        "quartic1", [](json& c) { c["stages"][0]["curvature"][0]["witness"]["upper"] = "0x1p-10"; },
        Outcome::unconfirmed, "Rayleigh");
    expect_rejected(
        "quartic1", [](json& c) { c["stages"][0]["curvature"][0]["claim"] = "holds"; },
        Outcome::unconfirmed, "certified_lower");
    expect_rejected(
        "quad1",
        [](json& c) {
            first_node_with(c["stages"][0]["curvature"][0]["tree"], "bound") = json{{"far", true}};
        },
        Outcome::unconfirmed, "far leaf");
}

TEST_CASE("flipped verdicts are rejected", "[recheck]") {
    expect_rejected(
        "quad1", [](json& c) { c["overall"] = "fails"; }, Outcome::unconfirmed, "overall");
    expect_rejected(
        "quad1", [](json& c) { c["stages"][0]["verdict"] = "fails"; }, Outcome::unconfirmed,
        "verdict");
    expect_rejected(
        "quartic1", [](json& c) { c["stages"][1]["convexity"] = "holds"; }, Outcome::unconfirmed,
        "convexity");
    expect_rejected(
        "quad1", [](json& c) { c["stages"][0]["centering"][0]["verdict"] = "fails"; },
        Outcome::unconfirmed, "centering");
    expect_rejected(
        "quad1", [](json& c) { c["stages"][0]["gamma"] = "fails"; }, Outcome::unconfirmed, "gamma");
    expect_rejected(
        "quad1", [](json& c) { c["stages"][0]["centering"].erase(1); }, Outcome::unconfirmed,
        "missing");
    // δ_m comes from the schedule: a different schedule changes what the claims mean.
    expect_rejected(
        "quad1", [](json& c) { c["family"]["schedule"]["deltas"][1] = "0.2"; },
        Outcome::unconfirmed, "gamma");
}

TEST_CASE("malformed and unsupported certificates", "[recheck]") {
    const auto bad = gradcert::recheck::recheck_text("{\"format\": ", "broken.json");
    CHECK(bad.outcome == Outcome::malformed);
    REQUIRE(bad.lines.size() == 1);
    CHECK(bad.lines[0].rfind("broken.json: ", 0) == 0);
    CHECK(gradcert::recheck::recheck_file(kData + "does-not-exist.json").outcome ==
          Outcome::malformed);
    expect_rejected(
        "quad1", [](json& c) { c.erase("stages"); }, Outcome::malformed, "missing \"stages\"");
    expect_rejected(
        "quad1", [](json& c) { c["stages"][0]["minimizers"]["points"][0][0] = "0.5"; },
        Outcome::malformed, "not a hex float");
    expect_rejected(
        "quad1", [](json& c) { c["family"]["f"] = "x^2 + log(x + 2)"; }, Outcome::not_supported,
        "not supported: log(x + 2)");
    expect_rejected(
        "quad1", [](json& c) { c["family"]["f"] = "x*cos(x)"; }, Outcome::not_supported,
        "verdict not independently re-checked");
    expect_rejected(
        "quad1",
        [](json& c) {
            c["recheck"] = {{"supported", false}, {"reason", "softplus ridge"}};
        },
        Outcome::not_supported, "softplus ridge");
}

TEST_CASE("the family given with --family must agree with the certificate", "[recheck]") {
    const json cert = load("quad1");
    json family = cert["family"];
    family["domain"][0][1] = "1.0";  // the same number written differently agrees
    CHECK(gradcert::recheck::recheck_text(cert.dump(), "c.json", family).outcome ==
          Outcome::confirmed);
    family["sigma"] = "1.5";
    const auto r = gradcert::recheck::recheck_text(cert.dump(), "c.json", family);
    CHECK(r.outcome == Outcome::malformed);
    CHECK(joined(r).find("family.sigma differs") != std::string::npos);
}

TEST_CASE("smoothing formulas agree with mpmath quadrature", "[recheck]") {
    using namespace gradcert::recheck;
    prec() = 192;
    const json cases = load("smoothing_reference");
    REQUIRE(cases.size() >= 11);
    for (const json& c : cases) {
        INFO(c["f"].get<std::string>() << " under " << c["kernel"].get<std::string>());
        gradcert::expr::ParseContext ctx;
        ctx.dim = c["dim"].get<int>();
        const auto f = gradcert::expr::parse(c["f"].get<std::string>(), ctx);
        const std::string k = c["kernel"];
        const Kernel kernel = k == "gaussian"        ? Kernel::gaussian
                              : k == "gaussian-unit" ? Kernel::gaussian_unit
                                                     : Kernel::uniform_ball;
        const Smoothed s =
            smooth(expand(f, {}), ctx.dim, kernel, ball(parse_decimal_exact(c["delta"], "delta")));
        Vec x;
        for (const json& p : c["point"]) x.push_back(ball(parse_hex(p, "point")));
        Box xb;
        for (const Ball& b : x) xb.push_back({lower(b), upper(b)});
        const Jet j = evaluate(s, xb, 2);
        const auto agrees = [](const Ball& b, const std::string& ref) {
            Ball r, diff, tol;
            arb_set_str(r.p(), ref.c_str(), 192);
            arb_sub(diff.p(), b.p(), r.p(), 192);
            arb_abs(diff.p(), diff.p());
            arb_set_str(tol.p(), "1e-22", 192);
            INFO(str(b) << " vs " << ref);
            CHECK(arb_le(diff.p(), tol.p()));
            CHECK(mag_cmp_2exp_si(arb_radref(b.p()), -80) < 0);  // and it is a narrow ball
        };
        agrees(j.value, c["value"]);
        for (std::size_t i = 0; i < x.size(); ++i) {
            agrees(j.grad[i], c["grad"][i]);
            for (std::size_t l = 0; l < x.size(); ++l) agrees(j.hess[i][l], c["hess"][i][l]);
        }
    }
}

TEST_CASE("kernel moments and ridge factors in closed form", "[recheck]") {
    using namespace gradcert::recheck;
    prec() = 192;
    // Ball in d = 3: E u1^2 u2^2 = 1/((5)(7)) = 1/35; E u1^4 = 3/35; odd moments vanish.
    Ball m = kernel_moment(Kernel::uniform_ball, 3, {2, 2, 0}), r;
    arb_set_si(r.p(), 35);
    arb_inv(r.p(), r.p(), 192);
    CHECK(arb_overlaps(m.p(), r.p()));
    CHECK(arb_is_zero(kernel_moment(Kernel::uniform_ball, 3, {1, 2, 0}).p()));
    CHECK(arb_is_zero(kernel_moment(Kernel::gaussian, 2, {3, 0}).p()));
    // Gaussian-unit in d = 4: E u1^4 = 3/16.
    m = kernel_moment(Kernel::gaussian_unit, 4, {4, 0, 0, 0});
    CHECK(arf_equal_si(arb_midref(m.p()), 0) == 0);
    arb_set_si(r.p(), 3);
    arb_div_si(r.p(), r.p(), 16, 192);
    CHECK(arb_equal(m.p(), r.p()));
    // Ball in d = 1: φ(t) = sin t / t at t = π is 0 (the uniform-ball Rastrigin edge case).
    Ball t2, pi;
    arb_const_pi(pi.p(), 192);
    arb_sqr(t2.p(), pi.p(), 192);
    const Ball phi = ridge_factor(Kernel::uniform_ball, 1, Ridge::cos, t2);
    CHECK(arb_contains_zero(phi.p()));
    CHECK(mag_cmp_2exp_si(arb_radref(phi.p()), -100) < 0);
}

// separable3.json: `gradcert check tests/recheck/data/separable3.toml --certificate` (pieces of
// x1 and x2 equal, x3's differs; the writer states coordinate 2 as {"same_as": 1}).
TEST_CASE("same_as coordinates are confirmed only against the checker's own pieces", "[recheck]") {
    const json cert = load("separable3");
    REQUIRE(cert["stages"][0]["minimizers"]["coordinates"][1] == json::parse(R"({"same_as": 0})"));
    CHECK(run(cert).outcome == Outcome::confirmed);
    expect_rejected(
        "separable3",
        [](json& c) {
            c["stages"][0]["minimizers"]["coordinates"][2] = {{"same_as", 1}};
        },
        Outcome::unconfirmed, "its piece or domain side differs");
    expect_rejected(
        "separable3",
        [](json& c) {
            c["stages"][0]["curvature"][0]["coordinates"][2] = {{"same_as", 0}};
        },
        Outcome::unconfirmed, "its piece or cluster side differs");
    expect_rejected(
        "separable3",
        [](json& c) {
            c["stages"][0]["minimizers"]["coordinates"][1] = {{"same_as", 2}};
        },
        Outcome::malformed, "same_as must name an earlier coordinate");
}
