#pragma once
// Judgement of experiment 2 (schedules with equal δ decay, verify/empirical/schedules.hpp): the
// claims "delta-vs-smith", "decay-beats-constant", "batch-beats-lr" and "poly-optimal" of
// docs/mathematics.md §6, the tolerance checks CI compares on regeneration, and the setup text.
// Every number is an estimate; reports/ only renders the outcome.
#include "verify/empirical/schedules.hpp"
#include "verify/experiment.hpp"

namespace gradcert::verify {

inline constexpr double kScheduleZ = 2.0;  // the one-look criterion

// Decision rule used throughout: a difference of arm means counts when it exceeds z standard
// errors of the paired per-seed differences (sd(d)/√n; the arms share initial weights and
// example order per seed), z = bonferroni_look_z(one_look_z, planned looks) with the sequential
// seeds of r.config (verify/claims/sequential.hpp; one_look_z itself without them). δ-vs-Smith
// is decided by the equal-update designs when their arms ran (they must agree), the equal-epoch
// verdict beside; batch-beats-lr at equal epochs, the equal-update comparisons beside. Every
// finding carries its flip probability over seed resamples (verify/claims/stability.hpp) and its
// power statement (verify/claims/power.hpp).
ExperimentOutcome schedules_outcome(const SchedulesResult& r, double one_look_z = kScheduleZ);

// The sequential seeds' question (verify/empirical/schedules.hpp): is any schedule claim's
// verdict still inconclusive at the per-look criterion?
bool schedules_undecided(const SchedulesResult& r);

// The arm comparisons the findings use, each paired with its unpaired SE beside it (for the
// report's "paired versus unpaired" table).
std::vector<ArmDifference> schedules_comparisons(const SchedulesResult& r);

}  // namespace gradcert::verify
