#pragma once
// Judgement of experiment 1 (mini-batch gradient noise against b,
// verify/empirical/noise_scaling.hpp): the claim "noise-scaling" of docs/mathematics.md §6, the
// tolerance checks CI compares on regeneration, and the setup text. reports/ only renders it.
#include "verify/empirical/noise_scaling.hpp"
#include "verify/experiment.hpp"

namespace gradcert::verify {

ExperimentOutcome noise_scaling_outcome(const NoiseScalingResult& r);

}  // namespace gradcert::verify
