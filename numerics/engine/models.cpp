// make_model: the Model interface (model.hpp) over a float Network built from the model zoo.
#include <algorithm>
#include <memory>
#include <utility>

#include "numerics/engine/isa.hpp"
#include "numerics/engine/model.hpp"
#include "numerics/engine/model_zoo.hpp"
#include "numerics/engine/network.hpp"

namespace gradcert::engine {

namespace {

// Evaluation runs in chunks of this many examples (exact: evaluation-mode batch norm does not
// depend on the batch), so that a whole test set never needs activations for all its images.
constexpr int evaluation_chunk = 256;

class NetworkModel final : public Model {
  public:
    NetworkModel(Architecture arch, std::uint64_t seed) : net_(std::move(arch)) {
        net_.initialize(seed);
    }

    const ModelSpec& spec() const override { return net_.architecture().spec; }
    std::span<float> params() override { return net_.params(); }
    std::span<float> grads() override { return net_.grads(); }
    std::span<float> buffers() override { return net_.buffers(); }
    std::vector<ParamInfo> param_layout() const override { return net_.architecture().params; }
    std::vector<ParamInfo> buffer_layout() const override { return net_.architecture().buffers; }

    double loss_and_gradient(const float* images, const std::int32_t* labels, int n,
                             bool update_buffers, int* correct) override {
        const double loss = net_.forward(images, labels, n, true, update_buffers, correct);
        net_.backward();
        return loss;
    }

    double evaluate(const float* images, const std::int32_t* labels, int n, int* correct,
                    float* logits) override {
        const std::size_t image_size = std::size_t(spec().channels) * spec().height * spec().width;
        double total = 0.0;
        int hits = 0;
        for (int first = 0; first < n; first += evaluation_chunk) {
            const int count = std::min(evaluation_chunk, n - first);
            int chunk_hits = 0;
            const double loss = net_.forward(
                images + first * image_size, labels + first, count, false, false, &chunk_hits,
                logits == nullptr ? nullptr : logits + std::size_t(first) * spec().classes);
            total += loss * count;
            hits += chunk_hits;
        }
        if (correct != nullptr) *correct = hits;
        return n > 0 ? total / n : 0.0;
    }

  private:
    Network<float> net_;
};

}  // namespace

std::unique_ptr<Model> make_model(const ModelSpec& spec, std::uint64_t seed) {
    require_engine_isa();
    return std::make_unique<NetworkModel>(build_architecture(spec), seed);
}

}  // namespace gradcert::engine
