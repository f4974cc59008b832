// Verdict certificates (docs/certificate.md): the JSON that `gradcert check --certificate` writes
// parses, its partition trees are complete (every node resolved, every split point inside its
// node, the reduce children as the format derives them), every upper-bound point lies certainly
// inside the domain (decided on exact values against the decimal bounds), every kept box lies in
// its cluster box, and a `fails` convexity claim carries a witness within 3δ of its cluster.
// Boxes are rebuilt here from the root and the splits only, with exact (256-bit) arithmetic on the
// hex numbers, as an independent checker would.
#include "verify/certificate.hpp"

#include <mpfr.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "numerics/util/error.hpp"
#include "verify/family_check.hpp"
#include "verify/family_file.hpp"

using namespace gradcert;
using namespace gradcert::verify;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// An exact binary number (256 bits hold every 128-bit hex of the certificates exactly).
class Exact {
  public:
    Exact() { mpfr_init2(v_, 256); }
    Exact(const Exact& o) : Exact() { mpfr_set(v_, o.v_, MPFR_RNDN); }
    Exact& operator=(const Exact& o) {
        mpfr_set(v_, o.v_, MPFR_RNDN);
        return *this;
    }
    ~Exact() { mpfr_clear(v_); }
    static Exact hex(const std::string& s) {
        Exact x;
        char* end = nullptr;
        const int inexact = mpfr_strtofr(x.v_, s.c_str(), &end, 0, MPFR_RNDN);
        INFO("number " << s);
        REQUIRE(*end == '\0');
        REQUIRE(inexact == 0);
        return x;
    }
    // The decimal text rounded down (up = false) or up at `bits`.
    static Exact decimal(const std::string& s, long bits, bool up) {
        mpfr_t t;
        mpfr_init2(t, bits);
        mpfr_strtofr(t, s.c_str(), nullptr, 10, up ? MPFR_RNDU : MPFR_RNDD);
        Exact x;
        mpfr_set(x.v_, t, MPFR_RNDN);
        mpfr_clear(t);
        return x;
    }
    friend bool operator<=(const Exact& a, const Exact& b) { return mpfr_lessequal_p(a.v_, b.v_); }
    friend bool operator<(const Exact& a, const Exact& b) { return mpfr_less_p(a.v_, b.v_); }
    double to_double() const { return mpfr_get_d(v_, MPFR_RNDN); }

  private:
    mpfr_t v_;
};

struct Side {
    Exact lo, hi;
};
using ExactBox = std::vector<Side>;

ExactBox box_of(const json& b) {
    ExactBox out;
    for (const json& s : b) out.push_back({Exact::hex(s[0]), Exact::hex(s[1])});
    return out;
}

bool inside(const ExactBox& a, const ExactBox& b) {
    for (size_t i = 0; i < a.size(); ++i)
        if (!(b[i].lo <= a[i].lo && a[i].hi <= b[i].hi)) return false;
    return true;
}

struct Walk {
    std::vector<Side> faces;  // per coordinate: [lo.lower, lo.upper] and [hi.lower, hi.upper]
    std::vector<Side> upper_faces;
    std::vector<ExactBox> clusters;
    size_t points = 0;
    std::vector<int> keeps_per_cluster;
    int leaves = 0;
};

// Walks a MINIMIZERS tree deriving each node's box from the root and the splits.
void walk_minimizer_node(const json& n, ExactBox box, Walk& w) {
    REQUIRE(n.is_object());
    REQUIRE_FALSE(n.contains("unresolved"));
    if (n.contains("split")) {
        const size_t i = n["split"][0];
        const Exact s = Exact::hex(n["split"][1]);
        REQUIRE(i < box.size());
        REQUIRE(box[i].lo <= s);
        REQUIRE(s <= box[i].hi);
        ExactBox left = box, right = box;
        left[i].hi = s;
        right[i].lo = s;
        walk_minimizer_node(n["children"][0], left, w);
        walk_minimizer_node(n["children"][1], right, w);
        return;
    }
    if (n.contains("reduce")) {
        const size_t i = n["reduce"][0];
        const Side face = n["reduce"][1] == "lower" ? w.faces[i] : w.upper_faces[i];
        Side cut{box[i].lo < face.lo ? face.lo : box[i].lo,
                 face.hi < box[i].hi ? face.hi : box[i].hi};
        if (n["child"].is_null()) {
            REQUIRE(cut.hi < cut.lo);  // empty intersection
            ++w.leaves;
            return;
        }
        REQUIRE(cut.lo <= cut.hi);
        box[i] = cut;
        walk_minimizer_node(n["child"], box, w);
        return;
    }
    ++w.leaves;
    if (n.contains("keep")) {
        const size_t k = n["keep"];
        REQUIRE(k < w.clusters.size());
        CHECK(inside(box, w.clusters[k]));
        ++w.keeps_per_cluster[k];
        return;
    }
    REQUIRE(n.contains("prune"));
    if (n["prune"] == "value") {
        REQUIRE(n["point"].get<size_t>() < w.points);
        Exact::hex(n["lower"]);
    } else if (n["prune"] == "gradient" || n["prune"] == "concave") {
        REQUIRE(n["coord"].get<size_t>() < box.size());
    } else {
        REQUIRE(n["prune"] == "no-stationary");
    }
}

// Checks one direct-geometry MINIMIZERS against the family's decimal domain `domain`.
void check_direct_minimizers(const json& m, const json& domain, long bits) {
    Walk w;
    ExactBox root = box_of(m["root"]);
    REQUIRE(root.size() == domain.size());
    for (size_t i = 0; i < domain.size(); ++i) {
        const std::string lo = domain[i][0], hi = domain[i][1];
        w.faces.push_back({Exact::decimal(lo, bits, false), Exact::decimal(lo, bits, true)});
        w.upper_faces.push_back({Exact::decimal(hi, bits, false), Exact::decimal(hi, bits, true)});
        // The root is the outer box [lo.lower, hi.upper].
        CHECK_FALSE(w.faces[i].lo < root[i].lo);
        CHECK_FALSE(root[i].hi < w.upper_faces[i].hi);
    }
    // Upper-bound points lie certainly inside the domain: lo ≤ p ≤ hi on exact values (the
    // 512-bit outward roundings of the decimals make the test sufficient).
    for (const json& p : m["points"]) {
        REQUIRE(p.size() == domain.size());
        for (size_t i = 0; i < p.size(); ++i) {
            const Exact x = Exact::hex(p[i]);
            INFO("point coordinate " << i << " = " << x.to_double());
            CHECK(Exact::decimal(domain[i][0], 512, true) <= x);
            CHECK(x <= Exact::decimal(domain[i][1], 512, false));
        }
    }
    w.points = m["points"].size();
    REQUIRE(w.points > 0);
    for (const json& c : m["clusters"]) w.clusters.push_back(box_of(c["box"]));
    w.keeps_per_cluster.assign(w.clusters.size(), 0);
    REQUIRE_FALSE(w.clusters.empty());
    walk_minimizer_node(m["tree"], root, w);
    for (int keeps : w.keeps_per_cluster) CHECK(keeps > 0);  // each cluster holds a kept box
    CHECK(w.leaves > 1);
}

// CNODE trees: complete, split points inside their nodes, `certified_lower` ≤ every bound.
void walk_curvature_node(const json& n, ExactBox box, const Exact& certified, int& bounds) {
    REQUIRE_FALSE(n.contains("unresolved"));
    if (n.contains("split")) {
        const size_t i = n["split"][0];
        const Exact s = Exact::hex(n["split"][1]);
        REQUIRE(box[i].lo <= s);
        REQUIRE(s <= box[i].hi);
        ExactBox left = box, right = box;
        left[i].hi = s;
        right[i].lo = s;
        walk_curvature_node(n["children"][0], left, certified, bounds);
        walk_curvature_node(n["children"][1], right, certified, bounds);
        return;
    }
    if (n.contains("far")) return;
    REQUIRE(n.contains("bound"));
    CHECK(certified <= Exact::hex(n["bound"]));
    ++bounds;
}

void check_curvature_tree(const json& c) {
    int bounds = 0;
    walk_curvature_node(c["tree"], box_of(c["root"]), Exact::hex(c["certified_lower"]), bounds);
    CHECK(bounds > 0);
}

json certificate_of(const FamilyCheckResult& r) {
    const std::string text = certificate_json(r);
    json j = json::parse(text);  // throws on malformed JSON
    REQUIRE(j["format"] == "gradcert-certificate");
    REQUIRE(j["version"] == 1);
    REQUIRE(j["stages"].size() == r.stages.size());
    return j;
}

FamilyCheckResult check_recorded(const FamilySpec& family) {
    CheckOptions options;
    options.minimizer.record_certificate = options.curvature.record_certificate = true;
    return check_family(family, options);
}

std::string rastrigin(int dim, const std::string& deltas) {
    std::string domain = "[";
    for (int i = 0; i < dim; ++i) domain += std::string(i ? ", " : "") + "[-5.12, 5.12]";
    return "name = \"r\"\ndim = " + std::to_string(dim) +
           "\nf = \"10*dim + sum(i, x[i]^2 - 10*cos(2*pi*x[i]))\"\ndomain = " + domain +
           "]\n[smoothing]\nkernel = \"gaussian\"\n[schedule]\ndeltas = " + deltas +
           "\n[check]\ndefinition = \"new-sigma-nice\"\nsigma = 2.0\n";
}

}  // namespace

TEST_CASE("certificate of a 2-D family: trees complete, points inside, kept boxes in clusters",
          "[certificate]") {
    FamilySpec family =
        load_family(fs::path(GRADCERT_SOURCE_DIR) / "verify/families/quadratic-2d.toml", {});
    FamilyCheckResult r = check_recorded(family);
    json j = certificate_of(r);
    CHECK(j["geometry"] == "direct");
    CHECK(j["recheck"]["supported"] == true);
    CHECK(j["family"]["domain"] == json::parse(R"([["-5.0", "5.0"], ["-5.0", "5.0"]])"));
    CHECK(j["family"]["schedule"]["deltas"].size() == 5);
    CHECK(j["overall"] == verdict_name(r.overall));
    for (size_t m = 0; m < r.stages.size(); ++m) {
        const json& st = j["stages"][m];
        INFO("stage " << m + 1);
        check_direct_minimizers(st["minimizers"], j["family"]["domain"], j["precision_bits"]);
        REQUIRE(st["curvature"].size() == st["minimizers"]["clusters"].size());
        for (const json& c : st["curvature"]) {
            check_curvature_tree(c);
            CHECK(c["claim"] == "holds");
        }
        CHECK(st["verdict"] == verdict_name(r.stages[m].verdict));
    }
}

TEST_CASE("certificate of a 1-D family with a failing stage carries the witness", "[certificate]") {
    // δ = 0.1 > 1/12: 2-strong convexity fails on B(0; 3δ); δ = 0.05 holds (docs/mathematics.md
    // §4).
    FamilySpec family = parse_family(rastrigin(1, "[0.1, 0.05]"), "r.toml", {});
    FamilyCheckResult r = check_recorded(family);
    REQUIRE(r.stages[0].convexity.verdict == Verdict::fails);
    json j = certificate_of(r);
    const json& st = j["stages"][0];
    check_direct_minimizers(st["minimizers"], j["family"]["domain"], j["precision_bits"]);
    for (const json& c : st["curvature"]) {
        CHECK(c["claim"] == "fails");
        REQUIRE(c["witness"].is_object());
        const Exact upper = Exact::hex(c["witness"]["upper"]);
        CHECK(upper < Exact::hex("0x1p+1"));  // below σ = 2
        // The witness lies within 3δ = 0.3 of every point of the cluster box (1-D: of both ends).
        const ExactBox cluster = box_of(st["minimizers"]["clusters"][0]["box"]);
        const double p = Exact::hex(c["witness"]["point"][0]).to_double();
        CHECK(std::abs(p - cluster[0].lo.to_double()) < 0.3);
        CHECK(std::abs(p - cluster[0].hi.to_double()) < 0.3);
        CHECK(Exact::hex(c["witness"]["direction"][0]).to_double() != 0.0);
        check_curvature_tree(c);
    }
    CHECK(j["stages"][1]["convexity"] == "holds");
    CHECK(j["stages"][0]["gamma"] == "holds");
    CHECK(j["stages"][1]["gamma"].is_null());
}

TEST_CASE("certificate of a separable family has per-coordinate trees", "[certificate]") {
    FamilySpec family = parse_family(rastrigin(3, "[0.05, 0.04]"), "r3.toml", {});
    FamilyCheckResult r = check_recorded(family);
    json j = certificate_of(r);
    REQUIRE(j["geometry"] == "separable");
    const json& st = j["stages"][0];
    REQUIRE(st["minimizers"]["coordinates"].size() == 3);
    // Equal coordinates reuse the search's one 1-D result, written {"same_as": j} (coordinate
    // 1's piece also holds the constant 10·dim, so only coordinates 2 and 3 are equal pieces).
    CHECK(st["minimizers"]["coordinates"][2] == json::parse(R"({"same_as": 1})"));
    CHECK(st["minimizers"]["coordinates"][0] != st["minimizers"]["coordinates"][1]);
    for (const json& c : st["minimizers"]["coordinates"])
        if (!c.contains("same_as"))
            check_direct_minimizers(c, json::parse(R"([["-5.12", "5.12"]])"), j["precision_bits"]);
    for (const json& cur : st["curvature"]) {
        REQUIRE(cur["coordinates"].size() == 3);
        for (const json& c : cur["coordinates"])
            if (!c.contains("same_as")) check_curvature_tree(c);
        CHECK(cur["claim"] == "holds");
    }
}

TEST_CASE("recording a certificate does not change the search", "[certificate]") {
    FamilySpec family = parse_family(rastrigin(1, "[0.3, 0.1, 0.05]"), "r.toml", {});
    FamilyCheckResult plain = check_family(family);
    FamilyCheckResult recorded = check_recorded(family);
    REQUIRE(plain.stages.size() == recorded.stages.size());
    for (size_t m = 0; m < plain.stages.size(); ++m) {
        const auto& a = plain.stages[m].minimizers;
        const auto& b = recorded.stages[m].minimizers;
        CHECK(a.boxes_processed == b.boxes_processed);
        REQUIRE(a.clusters.size() == b.clusters.size());
        for (size_t k = 0; k < a.clusters.size(); ++k)
            CHECK(to_string(a.clusters[k].box[0], 40) == to_string(b.clusters[k].box[0], 40));
        CHECK(plain.stages[m].certified_sigma == recorded.stages[m].certified_sigma);
        CHECK(plain.stages[m].verdict == recorded.stages[m].verdict);
        CHECK_FALSE(a.trace);
    }
    CHECK_THROWS_AS(certificate_json(plain), gradcert::InternalError);
}

TEST_CASE("softplus ridge terms are marked as not re-checkable", "[certificate]") {
    FamilySpec family =
        load_family(fs::path(GRADCERT_SOURCE_DIR) / "verify/families/logistic-regression.toml", {});
    const RecheckSupport s = recheck_support(family.decomposition);
    CHECK_FALSE(s.supported);
    CHECK(s.reason.find("softplus") != std::string::npos);
    FamilySpec rastrigin1 = parse_family(rastrigin(1, "[0.05]"), "r.toml", {});
    CHECK(recheck_support(rastrigin1.decomposition).supported);
}

TEST_CASE("check --certificate to an unusable path exits 2 before any work", "[certificate]") {
    const fs::path exe = fs::path(GRADCERT_BINARY_DIR) / "gradcert";
    INFO("needs the gradcert executable: build the `gradcert` target in " << GRADCERT_BINARY_DIR);
    REQUIRE(fs::exists(exe));
    const fs::path dir = fs::temp_directory_path() / "gradcert-certificate-tests";
    fs::create_directories(dir);
    const fs::path file = dir / "plain-file";
    std::ofstream(file) << "x";
    const fs::path family = fs::path(GRADCERT_SOURCE_DIR) / "verify/families/rastrigin-50d.toml";
    for (const fs::path& bad : {file / "out.cert.json", dir}) {
        const fs::path log = dir / "log.txt";
        const std::string cmd = exe.string() + " check " + family.string() + " --certificate " +
                                bad.string() + " > " + log.string() + " 2>&1";
        const int status = std::system(cmd.c_str());
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 2);
        std::stringstream out;
        out << std::ifstream(log).rdbuf();
        INFO(out.str());
        CHECK(out.str().find("--certificate") != std::string::npos);
        CHECK(out.str().find("m=") == std::string::npos);  // no stage was checked
    }
}

TEST_CASE("stated curvature bounds are rounded down but never across the threshold",
          "[certificate]") {
    const double slack = std::ldexp(1.0, -40);
    // Plain slack: 2^-40 relative (absolute 2^-100 near zero), rounded down.
    CHECK(stated_curvature_bound(8.0, std::nullopt) <= 8.0 - 8.0 * slack);
    CHECK(stated_curvature_bound(8.0, std::nullopt) >= 8.0 - 8.0 * slack * 1.0000001);
    CHECK(stated_curvature_bound(-3.0, IntervalM(2.0)) <= -3.0 - 3.0 * slack);
    CHECK(stated_curvature_bound(0.0, IntervalM(2.0)) < 0.0);
    CHECK(stated_curvature_bound(-HUGE_VAL, std::nullopt) == -HUGE_VAL);
    CHECK(stated_curvature_bound(HUGE_VAL, IntervalM(1.0)) == HUGE_VAL);
    // lb ≥ σ_hi stays ≥ σ_hi: zero slack at equality, at most half the gap otherwise.
    const IntervalM sigma(2.0);
    CHECK(stated_curvature_bound(2.0, sigma) == 2.0);
    const double just_above = std::nextafter(2.0, 3.0);
    CHECK(stated_curvature_bound(just_above, sigma) >= 2.0);
    CHECK(stated_curvature_bound(just_above, sigma) <= just_above);
    CHECK(stated_curvature_bound(2.5, sigma) < 2.5);
    CHECK(stated_curvature_bound(2.5, sigma) >= 2.0);
    // σ_hi not a double (σ = 0.1 at 128 bits): the stated bound stays ≥ σ_hi exactly.
    const IntervalM tenth = IntervalM(1) / IntervalM(10);
    const double above_tenth = mpfr_get_d(raw(tenth.upper()), MPFR_RNDU);
    const double stated = stated_curvature_bound(above_tenth, tenth);
    CHECK(mpfr_cmp_d(raw(tenth.upper()), stated) <= 0);
    CHECK(stated <= above_tenth);
    // σ_m mode: positive stays positive.
    const double tiny = std::ldexp(1.0, -1070);  // subnormal
    CHECK(stated_curvature_bound(tiny, std::nullopt) > 0);
    CHECK(stated_curvature_bound(1e-30, std::nullopt) > 0);
    CHECK(stated_curvature_bound(1e-30, std::nullopt) < 1e-30);
}
