#include "numerics/engine/train_records.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace gradcert::engine {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// JSON cannot hold NaN: NaN and infinities are written as null and read back as NaN.
nlohmann::json num(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}
double get_num(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || j.at(key).is_null()) return kNaN;
    return j.at(key).get<double>();
}

nlohmann::json interval_json(const Interval95& i) {
    return {num(i.value), num(i.lo), num(i.hi)};
}
Interval95 interval_from(const nlohmann::json& j) {
    auto at = [&](int k) { return j.at(k).is_null() ? kNaN : j.at(k).get<double>(); };
    return {at(0), at(1), at(2)};
}

// A sharpness probe's result; `radius_key` names its box parameter ("epsilon" or "rho").
nlohmann::json sharpness_json(const SharpnessResult& r, const char* radius_key) {
    return {{"keskar", num(r.keskar)},       {"increase", num(r.increase)},
            {"base_loss", num(r.base_loss)}, {"max_loss", num(r.max_loss)},
            {radius_key, r.epsilon},         {"steps", r.steps}};
}
SharpnessResult sharpness_from_json(const nlohmann::json& s, const char* radius_key) {
    return SharpnessResult{get_num(s, "base_loss"),        get_num(s, "max_loss"),
                           get_num(s, "increase"),         get_num(s, "keskar"),
                           s.at(radius_key).get<double>(), s.at("steps").get<int>()};
}

std::string fmt_num(double v) {
    if (std::isnan(v)) return "nan";
    return fmt::format("{}", v);
}

}  // namespace

nlohmann::json to_json(const ProbeRecord& p) {
    nlohmann::json j;
    j["estimate"] = true;
    j["step"] = p.step;
    j["epoch"] = p.epoch;
    j["lr"] = p.lr;
    j["batch"] = p.batch;
    if (p.noise) {
        const NoiseEstimate& n = *p.noise;
        j["noise"] = {{"batch", n.batch},
                      {"pool", n.pool},
                      {"population", n.population},
                      {"samples", n.samples},
                      {"confidence", n.confidence},
                      {"mean_sq", interval_json(n.mean_sq)},
                      {"v", interval_json(n.v)},
                      {"c2", interval_json(n.c2)},
                      {"delta", interval_json(n.delta)},
                      {"grad_norm", num(n.grad_norm)},
                      {"interval", "student-t on the K i.i.d. values ||g_k - g_P||^2"}};
    }
    if (p.pool)
        j["pool"] = {
            {"loss", num(p.pool->loss)}, {"acc", p.pool->accuracy}, {"n", p.pool->examples}};
    if (p.hessian)
        j["hessian"] = {{"lambda_max", num(p.hessian->lambda_max)},
                        {"relative_change", num(p.hessian->relative_change)},
                        {"iterations", p.hessian->iterations},
                        {"fd_step", p.hessian->fd_step}};
    if (p.sharpness) j["sharpness"] = sharpness_json(*p.sharpness, "epsilon");
    if (p.adaptive_sharpness)
        j["adaptive_sharpness"] = sharpness_json(*p.adaptive_sharpness, "rho");
    if (p.test)
        j["test"] = {
            {"loss", num(p.test->loss)}, {"acc", p.test->accuracy}, {"n", p.test->examples}};
    j["seconds"] = p.seconds;
    return j;
}

ProbeRecord probe_from_json(const nlohmann::json& j) {
    ProbeRecord p;
    p.step = j.at("step").get<std::uint64_t>();
    p.epoch = j.at("epoch").get<int>();
    p.lr = j.at("lr").get<double>();
    p.batch = j.at("batch").get<int>();
    if (j.contains("noise")) {
        const nlohmann::json& n = j.at("noise");
        NoiseEstimate e;
        e.batch = n.at("batch").get<int>();
        e.pool = n.at("pool").get<int>();
        e.population = n.at("population").get<int>();
        e.samples = n.at("samples").get<int>();
        e.confidence = n.at("confidence").get<double>();
        e.mean_sq = interval_from(n.at("mean_sq"));
        e.v = interval_from(n.at("v"));
        e.c2 = interval_from(n.at("c2"));
        e.delta = interval_from(n.at("delta"));
        e.grad_norm = get_num(n, "grad_norm");
        p.noise = e;
    }
    auto eval_from = [](const nlohmann::json& e) {
        return Evaluation{get_num(e, "loss"), e.at("acc").get<double>(), e.at("n").get<int>()};
    };
    if (j.contains("pool")) p.pool = eval_from(j.at("pool"));
    if (j.contains("test")) p.test = eval_from(j.at("test"));
    if (j.contains("hessian")) {
        const nlohmann::json& h = j.at("hessian");
        p.hessian =
            PowerIterationResult{get_num(h, "lambda_max"), get_num(h, "relative_change"),
                                 h.at("iterations").get<int>(), h.at("fd_step").get<double>()};
    }
    if (j.contains("sharpness")) p.sharpness = sharpness_from_json(j.at("sharpness"), "epsilon");
    if (j.contains("adaptive_sharpness"))
        p.adaptive_sharpness = sharpness_from_json(j.at("adaptive_sharpness"), "rho");
    p.seconds = j.at("seconds").get<double>();
    return p;
}

std::string epoch_csv_header() {
    return "epoch,updates,lr,batch,delta_rel,delta_rel_target,train_loss,train_acc,test_loss,"
           "test_acc,delta,delta_lo,delta_hi,c2,c2_lo,c2_hi,grad_norm,lambda_max,sharpness,"
           "adaptive_sharpness,train_s,probe_s,wall_s";
}

std::vector<std::string> timing_columns() {
    return {"train_s", "probe_s", "wall_s"};
}

std::string epoch_csv_row(const EpochRecord& e) {
    return fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.3f},{:.3f},{:.3f}", e.epoch,
        e.updates, fmt_num(e.lr), e.batch, fmt_num(e.delta_rel), fmt_num(e.delta_rel_target),
        fmt_num(e.train_loss), fmt_num(e.train_acc), fmt_num(e.test_loss), fmt_num(e.test_acc),
        fmt_num(e.delta), fmt_num(e.delta_lo), fmt_num(e.delta_hi), fmt_num(e.c2), fmt_num(e.c2_lo),
        fmt_num(e.c2_hi), fmt_num(e.grad_norm), fmt_num(e.lambda_max), fmt_num(e.sharpness),
        fmt_num(e.adaptive_sharpness), e.train_seconds, e.probe_seconds, e.wall_seconds);
}

nlohmann::json to_json(const EpochRecord& e) {
    return {{"epoch", e.epoch},
            {"updates", e.updates},
            {"lr", e.lr},
            {"batch", e.batch},
            {"delta_rel", num(e.delta_rel)},
            {"delta_rel_target", num(e.delta_rel_target)},
            {"train_loss", num(e.train_loss)},
            {"train_acc", num(e.train_acc)},
            {"test_loss", num(e.test_loss)},
            {"test_acc", num(e.test_acc)},
            {"delta", num(e.delta)},
            {"delta_lo", num(e.delta_lo)},
            {"delta_hi", num(e.delta_hi)},
            {"c2", num(e.c2)},
            {"c2_lo", num(e.c2_lo)},
            {"c2_hi", num(e.c2_hi)},
            {"grad_norm", num(e.grad_norm)},
            {"lambda_max", num(e.lambda_max)},
            {"sharpness", num(e.sharpness)},
            {"adaptive_sharpness", num(e.adaptive_sharpness)},
            {"train_seconds", e.train_seconds},
            {"probe_seconds", e.probe_seconds},
            {"wall_seconds", e.wall_seconds}};
}

EpochRecord epoch_from_json(const nlohmann::json& j) {
    EpochRecord e;
    e.epoch = j.at("epoch").get<int>();
    e.updates = j.at("updates").get<std::uint64_t>();
    e.lr = j.at("lr").get<double>();
    e.batch = j.at("batch").get<int>();
    e.delta_rel = get_num(j, "delta_rel");
    e.delta_rel_target = get_num(j, "delta_rel_target");
    e.train_loss = get_num(j, "train_loss");
    e.train_acc = get_num(j, "train_acc");
    e.test_loss = get_num(j, "test_loss");
    e.test_acc = get_num(j, "test_acc");
    e.delta = get_num(j, "delta");
    e.delta_lo = get_num(j, "delta_lo");
    e.delta_hi = get_num(j, "delta_hi");
    e.c2 = get_num(j, "c2");
    e.c2_lo = get_num(j, "c2_lo");
    e.c2_hi = get_num(j, "c2_hi");
    e.grad_norm = get_num(j, "grad_norm");
    e.lambda_max = get_num(j, "lambda_max");
    e.sharpness = get_num(j, "sharpness");
    e.adaptive_sharpness = get_num(j, "adaptive_sharpness");  // absent in older records: NaN
    e.train_seconds = j.at("train_seconds").get<double>();
    e.probe_seconds = j.at("probe_seconds").get<double>();
    e.wall_seconds = j.at("wall_seconds").get<double>();
    return e;
}

}  // namespace gradcert::engine
