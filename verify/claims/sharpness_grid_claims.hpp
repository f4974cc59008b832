#pragma once
// Judgement of experiment 3 (batch size, δ, sharpness and generalisation,
// verify/empirical/sharpness_grid.hpp): the claims "large-batch-sharp",
// "delta-sharpness-monotone" and "accuracy-concave-delta" of docs/mathematics.md §6, the
// tolerance checks CI compares on regeneration, and the setup text. reports/ only renders it.
#include "verify/empirical/sharpness_grid.hpp"
#include "verify/experiment.hpp"

namespace gradcert::verify {

ExperimentOutcome sharpness_grid_outcome(const SharpnessGridResult& r);

}  // namespace gradcert::verify
