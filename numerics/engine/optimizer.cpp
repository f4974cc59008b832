#include "numerics/engine/optimizer.hpp"

#include <algorithm>
#include <stdexcept>

#include "numerics/engine/threads.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

OptimizerKind parse_optimizer_kind(const std::string& name) {
    if (name == "sgd") return OptimizerKind::sgd;
    if (name == "shb") return OptimizerKind::shb;
    if (name == "nshb") return OptimizerKind::nshb;
    throw_input_error("optimizer " + name, "unknown optimizer (known: sgd, shb, nshb)");
}

std::string optimizer_kind_name(OptimizerKind kind) {
    switch (kind) {
        case OptimizerKind::sgd:
            return "sgd";
        case OptimizerKind::shb:
            return "shb";
        case OptimizerKind::nshb:
            return "nshb";
    }
    return "unknown";
}

Optimizer::Optimizer(const OptimizerConfig& config, std::size_t parameter_count)
    : config_(config), count_(parameter_count) {
    if (!(config.momentum >= 0.0 && config.momentum < 1.0)) {
        throw_input_error("optimizer",
                          "momentum " + std::to_string(config.momentum) + " is outside [0, 1)");
    }
    if (!(config.weight_decay >= 0.0)) {
        throw_input_error("optimizer",
                          "weight decay " + std::to_string(config.weight_decay) + " is negative");
    }
    if (config.kind != OptimizerKind::sgd) velocity_.assign(count_, 0.0f);
}

void Optimizer::reset() {
    std::fill(velocity_.begin(), velocity_.end(), 0.0f);
}

void Optimizer::step(std::span<float> params, std::span<const float> grads, double lr) {
    if (params.size() != count_ || grads.size() != count_) {
        throw std::invalid_argument("Optimizer::step: buffer size differs from parameter count");
    }
    const float eta = float(lr), wd = float(config_.weight_decay);
    const float beta = float(config_.momentum);
    const float gain = config_.kind == OptimizerKind::nshb ? 1.0f - beta : 1.0f;
    float* x = params.data();
    const float* g = grads.data();
    float* v = velocity_.data();
    const long n = long(count_);
    if (config_.kind == OptimizerKind::sgd) {
#pragma omp parallel for simd schedule(static) if (parallel_worth(n))
        for (long i = 0; i < n; ++i) x[i] -= eta * (g[i] + wd * x[i]);
        return;
    }
#pragma omp parallel for simd schedule(static) if (parallel_worth(n))
    for (long i = 0; i < n; ++i) {
        v[i] = beta * v[i] + gain * (g[i] + wd * x[i]);
        x[i] -= eta * v[i];
    }
}

}  // namespace gradcert::engine
