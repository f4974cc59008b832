#pragma once
// Judgement of experiment 2 (schedules with equal δ decay, verify/empirical/schedules.hpp): the
// claims "delta-vs-smith", "decay-beats-constant", "batch-beats-lr" and "poly-optimal" of
// docs/mathematics.md §6, the tolerance checks CI compares on regeneration, and the setup text.
// Every number is an estimate; reports/ only renders the outcome.
#include "verify/empirical/schedules.hpp"
#include "verify/experiment.hpp"

namespace gradcert::verify {

// Decision rule used throughout: a difference of arm means counts when it exceeds `z` standard
// errors of the paired per-seed differences (sd(d)/√n; the arms share initial weights and
// example order per seed). Every finding carries its flip probability over seed resamples
// (verify/claims/stability.hpp) and its power statement (verify/claims/power.hpp).
ExperimentOutcome schedules_outcome(const SchedulesResult& r, double z = 2.0);

// The arm comparisons the findings use, each paired with its unpaired SE beside it (for the
// report's "paired versus unpaired" table).
std::vector<ArmDifference> schedules_comparisons(const SchedulesResult& r);

}  // namespace gradcert::verify
