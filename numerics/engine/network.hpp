#pragma once
// A network as a list of layers over numbered tensors, executed forward in order and backward in
// reverse (a fixed tape, llm.c style), templated on the scalar: float for training, double for
// the finite-difference gradient checks.
//
// Tensor 0 is the input batch as given: NCHW images, i.e. rows [n, c·h·w]. Tensors are either
// "rows" ([n, features] row-major, for linear layers and logits) or "planes" ([c, n, h, w], see
// tensor.hpp). Every tensor and its gradient is a GrowBuffer sized for the largest batch seen.
// A tensor read by several layers (a residual block's input) receives the sum of their
// gradients: in backward order the first reader writes its gradient, later readers add.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "numerics/engine/distributed.hpp"
#include "numerics/engine/layer_batchnorm.hpp"
#include "numerics/engine/model.hpp"
#include "numerics/engine/tensor.hpp"

namespace gradcert::engine {

enum class LayerKind {
    rows_to_planes,  // images [n, c·h·w] → planes [c, n, h, w]
    planes_to_rows,  // planes → rows [n, c·h·w] in NCHW order (torch.flatten(x, 1))
    conv,            // weight [k, c, r, r], optional bias [k]
    batchnorm,       // weight, bias [c]; buffers running_mean, running_var [c]
    relu,
    maxpool,  // kernel × kernel window, stride, no padding
    avgpool,
    global_avgpool,  // planes [c, n, h, w] → rows [n, c]
    linear,          // weight [o, f], optional bias [o]
    add,             // y = input + input2
};
// A batchnorm, add or maxpool layer may carry a fused ReLU (LayerSpec::relu): one pass over memory
// instead of two, and one tensor less.

struct TensorShape {
    int c = 0, h = 1, w = 1;
    bool planes = false;
    long per_example() const { return long(c) * h * w; }
};

// How make_network initialises a parameter tensor.
enum class InitRule { kaiming_normal, zeros, ones };

struct LayerSpec {
    LayerKind kind = LayerKind::relu;
    int input = -1, input2 = -1, output = -1;  // tensor ids
    int weight = -1, bias = -1;                // indices into Architecture::params
    int running_mean = -1, running_var = -1;   // indices into Architecture::buffers
    int kernel = 1, stride = 1, pad = 0;
    bool relu = false;  // batchnorm, add and maxpool only: a fused ReLU on the output
};

struct Architecture {
    ModelSpec spec;
    std::vector<TensorShape> tensors;  // tensors[0]: the input images
    std::vector<LayerSpec> layers;     // forward order
    std::vector<ParamInfo> params;     // consecutive in params()
    std::vector<InitRule> init;        // one per params entry
    std::vector<long> fan_in;          // one per params entry (Kaiming: std = √(2/fan_in))
    std::vector<ParamInfo> buffers;    // consecutive in buffers(); running_var starts at 1
    int logits = -1;                   // rows [n, classes]
    std::size_t param_count() const;
    std::size_t buffer_count() const;
};

template <class T>
class Network {
  public:
    explicit Network(Architecture architecture);

    const Architecture& architecture() const { return arch_; }
    std::span<T> params() { return params_; }
    std::span<T> grads() { return grads_; }
    std::span<T> buffers() { return buffers_; }

    // Kaiming-normal weights (fan_in, gain √2) drawn in params() order from one
    // NormalGenerator(seed), computed in double and rounded to T; zero biases; batch-norm weight
    // 1, bias 0, running mean 0, running var 1.
    void initialize(std::uint64_t seed);

    // Forward pass on n examples (images NCHW, labels in [0, classes)). Training mode uses batch
    // statistics (running statistics updated only if update_buffers) and prepares backward();
    // evaluation mode uses running statistics. Returns the mean cross-entropy; `correct` and
    // `logits` ([n, classes]) are optional outputs.
    double forward(const T* images, const std::int32_t* labels, int n, bool train,
                   bool update_buffers, int* correct = nullptr, T* logits = nullptr);

    // Gradient of the mean loss of the last training forward, written to grads().
    void backward();

    // Data-parallel training (distributed.hpp; defined in network_sharded.cpp, float only): a
    // training forward and backward of a batch of range.examples examples of which this rank
    // holds its shards (images, labels: its range.local_examples() examples). Every layer runs
    // shard by shard; batch norm normalises with the statistics of the whole batch; grads() and
    // the returned mean loss (and `correct`) are those of the whole batch, on every rank.
    double forward_backward_sharded(const T* images, const std::int32_t* labels,
                                    const ShardRange& range, Communicator& comm,
                                    bool update_buffers, int* correct);

    // The sign pattern of every ReLU output and every max-pool argmax of the last forward: two
    // points with equal patterns lie in the same smooth piece of the loss (used by the
    // finite-difference tests to reject differences that straddle a kink).
    std::vector<std::int32_t> kink_pattern() const;

    // Read access to a tensor of the last forward (for tests).
    const T* tensor(int id) const { return acts_[id].data(); }
    int batch() const { return n_; }

  private:
    void allocate(int n);
    void forward_layer(std::size_t index, bool train, bool update_buffers);
    void backward_layer(std::size_t index);
    void forward_layer_shard(std::size_t index, int first, int count);
    void backward_layer_shard(std::size_t index, int first, int count, T* dweight, T* dbias);
    void batchnorm_forward_sharded(std::size_t index, const ShardRange& range, Communicator& comm,
                                   bool update_buffers);
    void batchnorm_backward_sharded(std::size_t index, const ShardRange& range, Communicator& comm);
    double loss_sharded(const ShardRange& range, Communicator& comm, const std::int32_t* labels,
                        int* correct);
    void reduce_param_grads_sharded(std::size_t index, const ShardRange& range, Communicator& comm);
    T* param(int index) {
        return index < 0 ? nullptr : params_.data() + arch_.params[index].offset;
    }
    T* grad(int index) { return index < 0 ? nullptr : grads_.data() + arch_.params[index].offset; }
    T* buffer(int index) { return buffers_.data() + arch_.buffers[index].offset; }

    Architecture arch_;
    std::vector<T> params_, grads_, buffers_;
    std::vector<GrowBuffer<T>> acts_, dacts_;
    std::vector<bool> needs_grad_;                           // per tensor
    std::vector<std::vector<bool>> accumulate_;              // per layer, per input slot
    std::vector<std::vector<T>> saved_mean_, saved_invstd_;  // per layer (batch norm)
    std::vector<GrowBuffer<std::int32_t>> argmax_;           // per layer (max pool)
    std::vector<std::int32_t> labels_;
    BatchNormConfig bn_config_;
    int n_ = 0;
    int capacity_ = 0;
    bool backward_ready_ = false;
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace gradcert::engine
