#pragma once
// CI's regression on regenerated reports: a freshly generated report tree `actual` against a
// committed tree `reference`.
//  - Certified results (families/*.json and constants/constants.json: intervals at fixed
//    precision) must be byte-identical.
//  - Empirical results (experiments/<name>.json) are estimates: every ToleranceCheck of the
//    reference outcome must exist in `actual` with |actual − reference| ≤ the reference's band.
#include <filesystem>
#include <string>
#include <vector>

namespace gradcert::reports {

struct CompareOptions {
    // Reference files with no counterpart in `actual` are differences unless this is set (used
    // to compare a quick report with the full one, which certifies more families).
    bool allow_missing = false;
    // Compare the experiments' estimates (off when the reference ran another experiment scale).
    bool experiments = true;
};

// One line per difference (file and what differs); empty when the trees agree. Throws
// gradcert::InputError naming the file for unreadable or malformed JSON.
std::vector<std::string> compare_reports(const std::filesystem::path& actual,
                                         const std::filesystem::path& reference,
                                         const CompareOptions& options = {});

}  // namespace gradcert::reports
