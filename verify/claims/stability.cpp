#include "verify/claims/stability.hpp"

#include <fmt/format.h>

#include <cmath>

#include "numerics/engine/train_rng.hpp"

namespace gradcert::verify {

void assess_stability(std::vector<ClaimFinding>& findings, int units, const std::string& unit_name,
                      const ResampledJudge& judge, int replicates, std::uint64_t seed) {
    for (ClaimFinding& f : findings) f.verdict = f.evidence;
    if (units < 2 || replicates < 1) {
        for (ClaimFinding& f : findings)
            f.resampled = fmt::format("{} {}: too few to resample", units, unit_name);
        return;
    }
    std::vector<int> flips(findings.size(), 0);
    std::vector<int> idx(static_cast<std::size_t>(units));
    for (int r = 0; r < replicates; ++r) {
        engine::RunRng rng(
            engine::stream_key(seed, engine::Stream::subset, 0xf11b, static_cast<unsigned>(r)));
        for (int& i : idx) i = static_cast<int>(rng.below(static_cast<std::uint64_t>(units)));
        const std::vector<Evidence> status = judge(idx);
        for (std::size_t k = 0; k < findings.size() && k < status.size(); ++k)
            flips[k] += status[k] != findings[k].verdict;
    }
    for (std::size_t k = 0; k < findings.size(); ++k) {
        ClaimFinding& f = findings[k];
        f.flip_probability = static_cast<double>(flips[k]) / replicates;
        f.resampled = fmt::format("{} {}, {} bootstrap resamples", units, unit_name, replicates);
        if (f.flip_probability > kUnstableFlipProbability && f.verdict != Evidence::not_testable)
            f.evidence = Evidence::unstable;
    }
}

std::string flip_text(const ClaimFinding& f) {
    if (std::isnan(f.flip_probability)) return "flip n/a";
    return fmt::format("flip {:.0f}%", 100 * f.flip_probability);
}

}  // namespace gradcert::verify
