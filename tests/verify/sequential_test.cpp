// The sequential seeds' stopping rule (verify/claims/sequential.hpp): the Bonferroni-over-looks
// criterion z_K against mpmath values at 50 digits (tests/verify/make_bonferroni_looks.py,
// tests/verify/data/bonferroni_looks.json), K looks spending at most the one-look level, and the
// planned look count.
#include "verify/claims/sequential.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

using namespace gradcert::verify;

TEST_CASE("Bonferroni over looks matches mpmath", "[verify][claims][sequential]") {
    std::ifstream in(std::filesystem::path(GRADCERT_SOURCE_DIR) /
                     "tests/verify/data/bonferroni_looks.json");
    REQUIRE(in);
    const nlohmann::json j = nlohmann::json::parse(in);
    REQUIRE(j.at("rows").size() == 40);
    for (const auto& row : j.at("rows")) {
        const double z = row.at("z").get<double>();
        const int looks = row.at("looks").get<int>();
        const double alpha = std::stod(row.at("alpha").get<std::string>());
        const double zk = std::stod(row.at("z_looks").get<std::string>());
        const double per_look = std::stod(row.at("level_per_look").get<std::string>());
        INFO("z = " << z << ", K = " << looks);
        CHECK(two_sided_level(z) == Approx(alpha).epsilon(1e-13));
        const double got = bonferroni_look_z(z, looks);
        CHECK(std::abs(got - zk) <= 1e-12 * zk);
        // K looks at z_K spend the one-look level (the union bound's total), no more.
        CHECK(looks * two_sided_level(got) == Approx(alpha).epsilon(1e-12));
        CHECK(two_sided_level(got) == Approx(per_look).epsilon(1e-12));
        if (looks > 1) CHECK(got > z);
    }
}

TEST_CASE("one look is the one-look rule; planned looks", "[verify][claims][sequential]") {
    CHECK(bonferroni_look_z(2.0, 1) == 2.0);
    CHECK(bonferroni_look_z(2.0, 2) < bonferroni_look_z(2.0, 3));
    CHECK(planned_looks(3, 0) == 1);
    CHECK(planned_looks(3, 3) == 1);
    CHECK(planned_looks(3, 5) == 3);
    CHECK(planned_looks(4, 6) == 3);
    CHECK_THROWS_AS(bonferroni_look_z(2.0, 0), std::invalid_argument);
    CHECK_THROWS_AS(bonferroni_look_z(-1.0, 2), std::invalid_argument);
    CHECK_THROWS_AS(bonferroni_look_z(std::nan(""), 2), std::invalid_argument);
}
