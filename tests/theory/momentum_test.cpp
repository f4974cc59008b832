// Momentum smoothing degrees against the paper's printed values and Arb.
#include "theory/momentum.hpp"

#include <catch2/catch.hpp>

#include "arb_oracle.hpp"
#include "numerics/util/error.hpp"
#include "printed.hpp"
#include "theory/schedule.hpp"

using namespace gradcert;
using namespace gradcert::theory;
using gradcert::test::Ball;

namespace {

Ball beta_hat_oracle(const Ball& b) {
    return b * (b * b - b + Ball(1)) / ((Ball(1) - b) * (Ball(1) - b));
}

}  // namespace

TEST_CASE("paper example: ResNet-18, eta = 0.1, b = 128, beta = 0.9", "[theory][momentum]") {
    const auto constants = reported_noise_constants();
    REQUIRE(constants.size() == 4);
    const ReportedNoiseConstants& shb = constants[0];
    const ReportedNoiseConstants& nshb = constants[1];
    REQUIRE(shb.model == "ResNet-18");
    REQUIRE(shb.optimizer == "SHB");
    REQUIRE(nshb.optimizer == "NSHB");
    const IntervalM eta = IntervalM::from_string("0.1");
    const IntervalM beta = IntervalM::from_string("0.9");
    const IntervalM b(128);
    const IntervalM sgd = sgd_smoothing_degree_from_variance(eta, shb.noise_variance, b);
    const IntervalM d_shb = shb_smoothing_degree(eta, shb.noise_variance, b, beta, shb.grad_bound);
    const IntervalM d_nshb =
        nshb_smoothing_degree(eta, nshb.noise_variance, b, beta, nshb.grad_bound);
    CHECK(gradcert::test::rounds_to(sgd, "0.0445"));
    CHECK(gradcert::test::rounds_to(d_shb, "1.652"));
    CHECK(gradcert::test::rounds_to(d_nshb, "0.836"));
    CHECK(gradcert::test::rounds_to(shb_beta_hat(beta), "81.9"));
    CHECK(overlaps(shb_beta_hat(beta), IntervalM::from_string("81.9")));
}

TEST_CASE("momentum formulas match Arb for every reported (C^2, K) and reduce to SGD at beta = 0",
          "[theory][momentum]") {
    const IntervalM eta = IntervalM::from_string("0.1");
    for (const ReportedNoiseConstants& r : reported_noise_constants()) {
        const Ball c2 = Ball::decimal(r.variance_text.c_str());
        const Ball k = Ball::decimal(r.grad_bound_text.c_str());
        for (int b : {32, 128, 1024})
            for (const char* beta_text : {"0", "0.5", "0.9", "0.99"}) {
                const IntervalM beta = IntervalM::from_string(beta_text);
                const Ball bb = Ball::decimal(beta_text);
                const Ball per_batch = c2 / Ball(b);
                const Ball shb_oracle = Ball::decimal("0.1") *
                                        sqrt(per_batch + beta_hat_oracle(bb) * (per_batch + k * k));
                const Ball nshb_oracle = Ball::decimal("0.1") *
                                         sqrt(per_batch + Ball(4) * bb * bb * (per_batch + k * k));
                INFO(r.model << " " << r.optimizer << " b = " << b << " beta = " << beta_text);
                const IntervalM shb =
                    shb_smoothing_degree(eta, r.noise_variance, IntervalM(b), beta, r.grad_bound);
                const IntervalM nshb =
                    nshb_smoothing_degree(eta, r.noise_variance, IntervalM(b), beta, r.grad_bound);
                CHECK(gradcert::test::encloses(shb, shb_oracle));
                CHECK(gradcert::test::encloses(nshb, nshb_oracle));
                if (std::string(beta_text) == "0") {
                    const IntervalM sgd =
                        sgd_smoothing_degree_from_variance(eta, r.noise_variance, IntervalM(b));
                    CHECK(overlaps(shb, sgd));
                    CHECK(overlaps(nshb, sgd));
                }
            }
    }
    CHECK_THROWS_AS(shb_beta_hat(IntervalM(1)), gradcert::InternalError);
    CHECK_THROWS_AS(
        nshb_smoothing_degree(eta, IntervalM(1), IntervalM(1), IntervalM(1), IntervalM(1)),
        gradcert::InternalError);
}

TEST_CASE("lr-batch-poly: the SHB rule is exact, the NSHB rule overshoots gamma when K > 0",
          "[theory][momentum]") {
    const auto constants = reported_noise_constants();
    const IntervalM p = IntervalM::from_string("0.9");
    const IntervalM beta = IntervalM::from_string("0.9");
    const IntervalM eta = IntervalM::from_string("0.1");
    for (int m : {1, 100, 199}) {
        const IntervalM gamma = poly_gamma(200, m, p);
        const IntervalM b0(128);
        const IntervalM b1 = b0 * batch_poly_factor(200, m, p, IntervalM(1));
        const ReportedNoiseConstants& shb = constants[0];
        const IntervalM eta_shb =
            shb_lr_batch_poly_next_lr(gamma, eta, b0, b1, shb.noise_variance, beta, shb.grad_bound);
        const IntervalM shb_ratio =
            shb_smoothing_degree(eta_shb, shb.noise_variance, b1, beta, shb.grad_bound) /
            shb_smoothing_degree(eta, shb.noise_variance, b0, beta, shb.grad_bound);
        CHECK(overlaps(shb_ratio, gamma));
        const ReportedNoiseConstants& nshb = constants[1];
        const IntervalM eta_nshb = nshb_lr_batch_poly_next_lr(gamma, eta, b0, b1);
        const IntervalM nshb_ratio =
            nshb_smoothing_degree(eta_nshb, nshb.noise_variance, b1, beta, nshb.grad_bound) /
            nshb_smoothing_degree(eta, nshb.noise_variance, b0, beta, nshb.grad_bound);
        CHECK(certainly_gt(nshb_ratio, gamma));
        // With K = 0 the NSHB rule is exact.
        const IntervalM exact_ratio =
            nshb_smoothing_degree(eta_nshb, nshb.noise_variance, b1, beta, IntervalM(0)) /
            nshb_smoothing_degree(eta, nshb.noise_variance, b0, beta, IntervalM(0));
        CHECK(overlaps(exact_ratio, gamma));
    }
}
