#pragma once
// First-order optimisers on a flat parameter buffer.
//
// With g the gradient (plus weight_decay·x when weight_decay > 0, as PyTorch adds it):
//   sgd   (the paper's):                          x ← x − η g
//   shb   heavy ball, PyTorch SGD(momentum=β):   v ← β v + g,        x ← x − η v
//   nshb  normalised heavy ball:                  v ← β v + (1 − β) g, x ← x − η v
// v starts at 0, so the first shb step equals PyTorch's (its buffer starts at g); the first nshb
// step is (1 − β)·g (PyTorch's dampening=1−β would start at g instead). Updates are element-wise
// in float (v and x are float), parallel over elements: results do not depend on the thread
// count.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace gradcert::engine {

enum class OptimizerKind { sgd, shb, nshb };

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::sgd;
    double momentum = 0.9;      // β in [0, 1), unused by sgd
    double weight_decay = 0.0;  // ≥ 0
};

// "sgd", "shb" or "nshb"; throws gradcert::InputError naming the value otherwise.
OptimizerKind parse_optimizer_kind(const std::string& name);
std::string optimizer_kind_name(OptimizerKind kind);

class Optimizer {
  public:
    // Throws gradcert::InputError for momentum outside [0, 1) or negative weight decay.
    Optimizer(const OptimizerConfig& config, std::size_t parameter_count);

    // One step with learning rate lr: params and grads have parameter_count elements.
    void step(std::span<float> params, std::span<const float> grads, double lr);

    // The momentum buffer v (empty for sgd), for checkpoints: copy it out and back in.
    std::span<float> state() { return velocity_; }
    const OptimizerConfig& config() const { return config_; }
    // Sets v to zero.
    void reset();

  private:
    OptimizerConfig config_;
    std::size_t count_;
    std::vector<float> velocity_;
};

}  // namespace gradcert::engine
