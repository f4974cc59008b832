#include "verify/experiment.hpp"

#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "numerics/util/error.hpp"

namespace gradcert::verify {

std::string to_string(Evidence e) {
    switch (e) {
        case Evidence::supported:
            return "supported";
        case Evidence::contradicted:
            return "contradicted";
        case Evidence::not_testable:
            return "not testable";
        case Evidence::inconclusive:
            return "inconclusive";
        case Evidence::unstable:
            return "unstable at this scale";
    }
    return "inconclusive";
}

Evidence evidence_from_string(const std::string& s) {
    for (Evidence e : {Evidence::supported, Evidence::contradicted, Evidence::not_testable,
                       Evidence::inconclusive, Evidence::unstable})
        if (to_string(e) == s) return e;
    throw InternalError("unknown evidence \"" + s + "\"");
}

nlohmann::json to_json(const ExperimentOutcome& o) {
    nlohmann::json findings = nlohmann::json::array(), checks = nlohmann::json::array();
    for (const auto& f : o.findings)
        findings.push_back({{"claim", f.claim},
                            {"evidence", to_string(f.evidence)},
                            {"summary", f.summary},
                            {"verdict", to_string(f.verdict)},
                            {"flip_probability", f.flip_probability},
                            {"resampled", f.resampled},
                            {"power", f.power}});
    for (const auto& c : o.checks)
        checks.push_back({{"name", c.name}, {"value", c.value}, {"band", c.band}, {"why", c.why}});
    return {{"name", o.name},
            {"title", o.title},
            {"one_line", o.one_line},
            {"scale", o.scale},
            {"wall_seconds", o.wall_seconds},
            {"estimate", true},
            {"findings", findings},
            {"checks", checks}};
}

namespace {

// JSON has no NaN: nlohmann writes it as null, which reads back as NaN here.
double number_or_nan(const nlohmann::json& j) {
    return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

}  // namespace

ExperimentOutcome outcome_from_json(const nlohmann::json& j) {
    try {
        ExperimentOutcome o;
        o.name = j.at("name").get<std::string>();
        o.title = j.at("title").get<std::string>();
        o.one_line = j.at("one_line").get<std::string>();
        o.scale = j.at("scale").get<std::string>();
        o.wall_seconds = j.at("wall_seconds").get<double>();
        for (const auto& f : j.at("findings")) {
            ClaimFinding c{f.at("claim").get<std::string>(),
                           evidence_from_string(f.at("evidence").get<std::string>()),
                           f.at("summary").get<std::string>()};
            // Reports written before the stability assessment have only the three fields.
            c.verdict = f.contains("verdict")
                            ? evidence_from_string(f.at("verdict").get<std::string>())
                            : c.evidence;
            if (f.contains("flip_probability"))
                c.flip_probability = number_or_nan(f.at("flip_probability"));
            if (f.contains("resampled")) c.resampled = f.at("resampled").get<std::string>();
            if (f.contains("power")) c.power = f.at("power").get<std::string>();
            o.findings.push_back(c);
        }
        for (const auto& c : j.at("checks"))
            o.checks.push_back({c.at("name").get<std::string>(), number_or_nan(c.at("value")),
                                c.at("band").get<double>(), c.at("why").get<std::string>()});
        return o;
    } catch (const nlohmann::json::exception& e) {
        throw InternalError(std::string("malformed experiment outcome: ") + e.what());
    }
}

}  // namespace gradcert::verify
