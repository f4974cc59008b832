// The Arb-free selftest behind `gradcert selftest`: no failure for the rigorous engines, failures
// for the round-to-nearest variant, deterministic for a seed.
#include <catch2/catch.hpp>

#include "numerics/interval/selftest.hpp"

using namespace gradcert::interval_check;

TEST_CASE("interval selftest: rigorous engines pass, round-to-nearest is caught", "[interval]") {
    const auto rows = run_interval_selftest(7, 150, 100);
    REQUIRE(rows.size() == 28);
    long nearest_failures = 0;
    for (const auto& r : rows) {
        INFO(r.operation << " " << r.endpoints);
        CHECK(r.cases == 150);
        CHECK(r.failures == 0);
        nearest_failures += r.nearest_failures;
    }
    CHECK(nearest_failures > 100);
    const auto again = run_interval_selftest(7, 150, 100);
    for (size_t i = 0; i < rows.size(); ++i)
        CHECK(again[i].nearest_failures == rows[i].nearest_failures);
}
