#pragma once
// Judgement of experiment 2 (schedules with equal δ decay, verify/empirical/schedules.hpp): the
// claims "delta-vs-smith", "decay-beats-constant", "batch-beats-lr" and "poly-optimal" of
// docs/mathematics.md §6, the tolerance checks CI compares on regeneration, and the setup text.
// Every number is an estimate; reports/ only renders the outcome.
#include "verify/empirical/schedules.hpp"
#include "verify/experiment.hpp"

namespace gradcert::verify {

// Decision rule used throughout: a difference of arm means counts when it exceeds `z` standard
// errors sqrt(sd₁²/n₁ + sd₂²/n₂) of the seed-to-seed spread.
ExperimentOutcome schedules_outcome(const SchedulesResult& r, double z = 2.0);

}  // namespace gradcert::verify
