#pragma once
// The paper's closed-form constants, enclosed (what `gradcert constants` prints and what
// verify/golden/constants.json freezes). Each constant carries a stable name, its group, its tag
// from docs/mathematics.md and the statement it encodes.
#include <string>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert::theory {

struct NamedConstant {
    std::string name;       // stable key, e.g. "momentum.shb.resnet18.b128.beta0.9.delta"
    std::string group;      // table section, e.g. "momentum"
    std::string tag;        // "[P]", "[R]" or "[D]" (docs/mathematics.md)
    std::string statement;  // what the number is, with the formula
    IntervalM value;        // rigorous enclosure at the working precision
};

// Every constant, computed at the calling thread's working precision (gradcert::PrecisionScope).
// Groups, in order: sgd-delta, momentum, step-schedules, poly (M, p) = (200, 0.9) and
// (50, 1), invariant, stage-count, work-count, kernel, rastrigin. Deterministic: the same
// precision gives the same enclosures bit for bit.
std::vector<NamedConstant> paper_constants();

// The settings the constants are computed for (exposed for tests and reports).
inline constexpr const char* kPaperLearningRate = "0.1";
inline constexpr int kPaperBatchSizes[] = {32, 64, 128, 256, 512, 1024};
inline constexpr const char* kPaperMomentum = "0.9";

}  // namespace gradcert::theory
