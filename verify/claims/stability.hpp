#pragma once
// Stability of a claim's status under resampling of its experimental units (seeds, starts or
// grid points): the decision rule is re-applied to bootstrap resamples of the units (n draws
// with replacement; paired designs resample whole units, so every arm keeps the same seeds),
// and the share of resamples whose status differs from the verdict on all the data is the
// claim's flip probability. A verdict whose flip probability exceeds kUnstableFlipProbability is
// reported as Evidence::unstable ("unstable at this scale") instead. This is an estimate of
// reproducibility, not a test: with 3 seeds a bootstrap has only 10 distinct resamples.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "verify/experiment.hpp"

namespace gradcert::verify {

inline constexpr double kUnstableFlipProbability = 0.10;
inline constexpr int kStabilityReplicates = 200;

// The status of every finding (in the order of `findings`) on the resample `units` (indices into
// the experiment's units, with repeats).
using ResampledJudge = std::function<std::vector<Evidence>(std::span<const int> units)>;

// Sets verdict, flip_probability and resampled of every finding and replaces a verdict that flips
// in more than kUnstableFlipProbability of `replicates` resamples by Evidence::unstable.
// `unit_name` names the units for the report ("seeds", "starts", "grid points"). With fewer than
// 2 units the flip probability stays NaN and the verdicts stand. Deterministic for a given seed.
void assess_stability(std::vector<ClaimFinding>& findings, int units, const std::string& unit_name,
                      const ResampledJudge& judge, int replicates = kStabilityReplicates,
                      std::uint64_t seed = 0x57ab1e);

// "flip 4%" / "flip n/a" for an index cell.
std::string flip_text(const ClaimFinding& f);

}  // namespace gradcert::verify
