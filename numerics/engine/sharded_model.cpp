// make_sharded_model: the Model interface over a float Network trained shard by shard
// (distributed.hpp, network_sharded.cpp).
#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "numerics/engine/distributed.hpp"
#include "numerics/engine/model_zoo.hpp"
#include "numerics/engine/network.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace {

// As in make_model's model: evaluation chunks of this many examples (evaluation is exact for any
// chunking, batch norm using running statistics).
constexpr int evaluation_chunk = 256;

class ShardedNetworkModel final : public Model {
  public:
    ShardedNetworkModel(Architecture arch, std::uint64_t seed, int shard_size,
                        std::shared_ptr<Communicator> comm)
        : net_(std::move(arch)), shard_size_(shard_size), comm_(std::move(comm)) {
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
        const ShardRange range = shard_range(n, shard_size_, comm_->rank(), comm_->size());
        const std::size_t first = std::size_t(range.first_example());
        return net_.forward_backward_sharded(images + first * image_size(), labels + first, range,
                                             *comm_, update_buffers, correct);
    }

    double evaluate(const float* images, const std::int32_t* labels, int n, int* correct,
                    float* logits) override {
        double total = 0.0;
        int hits = 0;
        for (int first = 0; first < n; first += evaluation_chunk) {
            const int count = std::min(evaluation_chunk, n - first);
            int chunk_hits = 0;
            const double loss = net_.forward(
                images + first * image_size(), labels + first, count, false, false, &chunk_hits,
                logits == nullptr ? nullptr : logits + std::size_t(first) * spec().classes);
            total += loss * count;
            hits += chunk_hits;
        }
        if (correct != nullptr) *correct = hits;
        return n > 0 ? total / n : 0.0;
    }

  private:
    std::size_t image_size() const {
        return std::size_t(spec().channels) * spec().height * spec().width;
    }

    Network<float> net_;
    int shard_size_;
    std::shared_ptr<Communicator> comm_;
};

}  // namespace

std::unique_ptr<Model> make_sharded_model(const ModelSpec& spec, std::uint64_t seed, int shard_size,
                                          std::shared_ptr<Communicator> comm) {
    if (shard_size < 1)
        throw_input_error("shard",
                          "examples per shard must be ≥ 1, got " + std::to_string(shard_size));
    return std::make_unique<ShardedNetworkModel>(build_architecture(spec), seed, shard_size,
                                                 std::move(comm));
}

}  // namespace gradcert::engine
