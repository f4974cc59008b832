#pragma once
// CI's regression on regenerated reports: a freshly generated report tree `actual` against a
// committed tree `reference`. Compared:
//  - Certified results, byte for byte: families/*.json and constants/*.json (intervals at fixed
//    precision).
//  - Certified text, line for line: families/*.md and constants/*.md, i.e. every enclosure and
//    verdict a reader sees. Only timing cells differ between runs and are skipped: the row
//    "wall time" of a settings table and every table column headed "seconds".
//  - The index README.md: the status of every claim of the paper (table "The paper's claims")
//    and the verdict of every family (table "Verification reports").
//  - Empirical results (experiments/<name>.json) are estimates: every ToleranceCheck of the
//    reference outcome must exist in `actual` with |actual − reference| ≤ the reference's band,
//    and every claim finding must keep its status, unless the reference marks that claim
//    "unstable at this scale" (its flip probability over seed resamples exceeds 10%). The index's
//    claim statuses are compared by their status words in the same way.
// A reference holding none of these files is always a difference (a gate against nothing passes
// anything); so is a file present on one side only, unless `allow_missing`.
#include <filesystem>
#include <string>
#include <vector>

namespace gradcert::reports {

struct CompareOptions {
    // Files present on one side only are not differences when this is set (used to compare a
    // quick report with the full one, which may certify more families). An empty reference is a
    // difference regardless.
    bool allow_missing = false;
    // Compare the experiments' estimates and the claim statuses that rest on estimates (off when
    // the reference ran another experiment scale). Certified statuses are always compared.
    bool experiments = true;
};

// One line per difference (file and what differs); empty when the trees agree. Throws
// gradcert::InputError naming the path when `actual` or `reference` is not a directory, or for
// unreadable or malformed JSON.
std::vector<std::string> compare_reports(const std::filesystem::path& actual,
                                         const std::filesystem::path& reference,
                                         const CompareOptions& options = {});

}  // namespace gradcert::reports
