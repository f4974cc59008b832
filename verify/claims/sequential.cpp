#include "verify/claims/sequential.hpp"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>

namespace gradcert::verify {

namespace {

const boost::math::normal kStandardNormal(0.0, 1.0);

}  // namespace

double two_sided_level(double z) {
    return 2.0 * boost::math::cdf(kStandardNormal, -z);
}

double bonferroni_look_z(double z, int looks) {
    if (looks < 1) throw std::invalid_argument("bonferroni_look_z: looks must be ≥ 1");
    if (!(std::isfinite(z) && z > 0.0))
        throw std::invalid_argument("bonferroni_look_z: z must be positive and finite");
    if (looks == 1) return z;
    // The lower tail avoids the cancellation of 1 − p near p = 1.
    return -boost::math::quantile(kStandardNormal, boost::math::cdf(kStandardNormal, -z) / looks);
}

int planned_looks(int initial_units, int max_units) {
    return max_units > initial_units ? 1 + (max_units - initial_units) : 1;
}

}  // namespace gradcert::verify
