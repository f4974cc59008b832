#include "verify/empirical/report_support.hpp"

#include <fmt/format.h>

#include <cmath>

namespace gradcert::verify {

ExperimentTable load_experiment_table(const ExperimentContext& ctx, const std::string& name) {
    return ExperimentTable::load(ctx.source / "verify" / "experiments" / (name + ".toml"),
                                 ctx.mode);
}

std::filesystem::path experiment_work(const ExperimentContext& ctx, const std::string& name) {
    return ctx.work / name;
}

std::string sig(double v, int digits) {
    if (!std::isfinite(v)) return "n/a";
    return fmt::format("{:.{}g}", v, digits);
}

std::string with_interval(double v, double lo, double hi, int digits) {
    return sig(v, digits) + " [" + sig(lo, digits) + ", " + sig(hi, digits) + "]";
}

std::string plus_minus(double m, double s, int digits) {
    return sig(m, digits) + " ± " + sig(s, digits > 2 ? digits - 1 : digits);
}

}  // namespace gradcert::verify
