#pragma once
// Judgement of experiment 4 (explicit graduated optimization, docs/mathematics.md §5,
// verify/go/explicit_go_experiment.hpp): the claims "go-rate" and "go-beats-gd", the tolerance
// checks CI compares on regeneration, and the summary statistics of a family's starts that both
// the judgement and the report page use. Every number is an estimate; reports/ only renders.
#include <vector>

#include "verify/experiment.hpp"
#include "verify/go/explicit_go_experiment.hpp"

namespace gradcert::verify::go {

// Starts whose final point reached the success radius of the certified minimizer.
int reached_count(const std::vector<Trajectory>& runs);
// Median over starts of the last entry of `field`.
double final_median(const std::vector<Trajectory>& runs, std::vector<double> Trajectory::*field);
// Median final distance over the starts that reached the target (NaN if none did).
double median_reached_distance(const std::vector<Trajectory>& runs);
// Median over GO's starts of the final distance to the last stage's certified minimizer x*_{δ_M}.
double median_final_target_distance(const GoFamilyResult& f);

// The findings ("go-rate", "go-beats-gd"; Fisher exact test at 0.05 for the latter), the
// tolerance checks and the index lines of one run of the experiment.
ExperimentOutcome explicit_go_outcome(const ExplicitGoResult& r);

}  // namespace gradcert::verify::go
