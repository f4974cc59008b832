#pragma once
// reports/{full,quick}/README.md: the index of every regenerated report with a one-line verdict
// each, and the status of each of the paper's claims (docs/mathematics.md §3, §5, §6) with the
// evidence the suite has for it: certified rows from the verification reports and the constants,
// empirical rows from the experiments' claim findings (estimates, labelled so).
#include <string>
#include <vector>

#include "verify/experiment.hpp"
#include "verify/family_check.hpp"

namespace gradcert::reports {

struct IndexInputs {
    std::string mode;                                    // "quick" or "full"
    std::vector<verify::FamilyCheckResult> families;     // in report order
    std::vector<verify::ExperimentOutcome> experiments;  // in report order
    // Parallel to `experiments` (may be shorter): where an experiment's data come from, e.g.
    // "ingested runs (gradcert_probe)"; stated in its claims' status cells when not empty.
    std::vector<std::string> experiment_sources;
    size_t constant_count = 0;
    long precision_bits = 128;
    double seconds = 0;
};

std::string verification_index_markdown(const IndexInputs& in);

// The empirical claims only (no certified rows): one row per claim id of verify/experiment.hpp
// with the status and evidence of every experiment's findings ("not run" when none tests it).
std::string empirical_claims_table(const IndexInputs& in);

// One line: "fails: σ = 2 holds at 3 of 8 stages (δ ≤ 0.0833); …".
std::string family_one_line(const verify::FamilyCheckResult& r);

}  // namespace gradcert::reports
