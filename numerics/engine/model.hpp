#pragma once
// The model interface of the reference SGD engine (the contract between layers/models and the
// trainer, probes and schedules).
//
// Layout (llm.c style): every trainable parameter of a model lives in one flat float buffer,
// params(); its gradient in grads() with the same layout; non-trainable state (batch-norm
// running mean and variance) in buffers(). Images are float32 NCHW, contiguous; labels int32 in
// [0, classes). Losses are the mean softmax cross-entropy over the n examples, accumulated in
// double. Results are bit-identical for a fixed seed and thread count.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace gradcert::engine {

struct ModelSpec {
    std::string
        name;  // one of model_names(): "mlp", "cnn-small", "resnet8", "resnet20", "resnet18"
    int channels = 1;  // 1 (Fashion-MNIST) or 3 (CIFAR)
    int height = 28;
    int width = 28;
    int classes = 10;
    int width_multiplier = 1;  // scales every hidden width (CIFAR ResNets: 16/32/64 × k)
};

// One named parameter tensor inside params() (used for checkpoints and the PyTorch exchange).
struct ParamInfo {
    std::string name;        // e.g. "conv1.weight", "bn1.bias", "fc.weight" (PyTorch naming)
    std::size_t offset = 0;  // into params()
    std::vector<int> shape;  // PyTorch layout: conv [out, in, kh, kw], linear [out, in]
};

class Model {
  public:
    virtual ~Model() = default;
    virtual const ModelSpec& spec() const = 0;

    virtual std::span<float> params() = 0;
    virtual std::span<float> grads() = 0;
    virtual std::span<float> buffers() = 0;
    virtual std::vector<ParamInfo> param_layout() const = 0;
    // Names and offsets of the tensors inside buffers() (e.g. "bn1.running_mean").
    virtual std::vector<ParamInfo> buffer_layout() const = 0;

    // Training-mode forward and backward on n examples: returns the mean cross-entropy loss and
    // overwrites grads() with its gradient. Batch norm normalises with batch statistics and
    // updates its running statistics only when update_buffers is true (probes pass false so
    // that measuring never changes the run). `correct`, if given, receives the number of
    // examples whose arg-max logit equals the label.
    virtual double loss_and_gradient(const float* images, const std::int32_t* labels, int n,
                                     bool update_buffers, int* correct = nullptr) = 0;

    // Evaluation-mode forward (batch norm uses running statistics): mean loss over n examples,
    // the number correct, and optionally the logits (n × classes, row-major).
    virtual double evaluate(const float* images, const std::int32_t* labels, int n, int* correct,
                            float* logits = nullptr) = 0;
};

// Builds a named model with Kaiming-normal initialisation drawn from `seed` (biases zero,
// batch-norm weight 1 and bias 0). Throws gradcert::InputError naming the model for an unknown
// name or an input shape the model cannot take.
std::unique_ptr<Model> make_model(const ModelSpec& spec, std::uint64_t seed);

// The names make_model accepts.
std::vector<std::string> model_names();

}  // namespace gradcert::engine
