#include "numerics/engine/model_zoo.hpp"

#include <numeric>
#include <string>
#include <utility>

#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace {

[[noreturn]] void reject(const ModelSpec& spec, const std::string& problem) {
    throw_input_error("model " + spec.name, problem);
}

// Appends tensors, parameters and layers to an Architecture, computing shapes as it goes.
class Builder {
  public:
    explicit Builder(const ModelSpec& spec) {
        arch_.spec = spec;
        arch_.tensors.push_back(TensorShape{spec.channels, spec.height, spec.width, false});
    }

    int input() const { return 0; }
    const TensorShape& shape(int t) const { return arch_.tensors[t]; }

    int to_planes(int in) {
        TensorShape s = shape(in);
        s.planes = true;
        return add_layer(LayerSpec{.kind = LayerKind::rows_to_planes, .input = in}, s);
    }

    int flatten(int in) {
        const TensorShape& s = shape(in);
        return add_layer(LayerSpec{.kind = LayerKind::planes_to_rows, .input = in},
                         TensorShape{int(s.per_example()), 1, 1, false});
    }

    int conv(int in, const std::string& name, int out_channels, int kernel, int stride, int pad,
             bool bias) {
        const TensorShape& s = shape(in);
        require_planes(s, name);
        const int p = (s.h + 2 * pad - kernel) / stride + 1;
        const int q = (s.w + 2 * pad - kernel) / stride + 1;
        if (s.h + 2 * pad < kernel || s.w + 2 * pad < kernel || p < 1 || q < 1) {
            reject(arch_.spec, name + " gets a " + std::to_string(s.h) + "×" + std::to_string(s.w) +
                                   " input, smaller than its kernel");
        }
        const long fan_in = long(s.c) * kernel * kernel;
        LayerSpec layer{.kind = LayerKind::conv, .input = in};
        layer.weight = add_param(name + ".weight", {out_channels, s.c, kernel, kernel},
                                 InitRule::kaiming_normal, fan_in);
        if (bias) layer.bias = add_param(name + ".bias", {out_channels}, InitRule::zeros, fan_in);
        layer.kernel = kernel;
        layer.stride = stride;
        layer.pad = pad;
        return add_layer(layer, TensorShape{out_channels, p, q, true});
    }

    // Batch norm with a fused ReLU (y = max(0, bn(x))).
    int bn_relu(int in, const std::string& name) {
        const int out = batchnorm(in, name);
        arch_.layers.back().relu = true;
        return out;
    }

    // y = max(0, a + b).
    int add_relu(int a, int b) {
        const int out = add(a, b);
        arch_.layers.back().relu = true;
        return out;
    }

    int batchnorm(int in, const std::string& name) {
        const TensorShape& s = shape(in);
        require_planes(s, name);
        LayerSpec layer{.kind = LayerKind::batchnorm, .input = in};
        layer.weight = add_param(name + ".weight", {s.c}, InitRule::ones, 1);
        layer.bias = add_param(name + ".bias", {s.c}, InitRule::zeros, 1);
        layer.running_mean = add_buffer(name + ".running_mean", {s.c});
        layer.running_var = add_buffer(name + ".running_var", {s.c});
        return add_layer(layer, s);
    }

    int relu(int in) {
        return add_layer(LayerSpec{.kind = LayerKind::relu, .input = in}, shape(in));
    }

    int maxpool(int in, int kernel, int stride) {
        const TensorShape& s = shape(in);
        require_planes(s, "max pool");
        if (s.h < kernel || s.w < kernel) {
            reject(arch_.spec, "max pool gets a " + std::to_string(s.h) + "×" +
                                   std::to_string(s.w) + " input, smaller than its window");
        }
        LayerSpec layer{.kind = LayerKind::maxpool, .input = in};
        layer.kernel = kernel;
        layer.stride = stride;
        return add_layer(layer, TensorShape{s.c, (s.h - kernel) / stride + 1,
                                            (s.w - kernel) / stride + 1, true});
    }

    int maxpool_relu(int in, int kernel, int stride) {
        const int out = maxpool(in, kernel, stride);
        arch_.layers.back().relu = true;
        return out;
    }

    int global_avgpool(int in) {
        const TensorShape& s = shape(in);
        require_planes(s, "global average pool");
        return add_layer(LayerSpec{.kind = LayerKind::global_avgpool, .input = in},
                         TensorShape{s.c, 1, 1, false});
    }

    int linear(int in, const std::string& name, int out_features) {
        const TensorShape& s = shape(in);
        if (s.planes) reject(arch_.spec, name + " needs a flattened input");
        const long f = s.per_example();
        LayerSpec layer{.kind = LayerKind::linear, .input = in};
        layer.weight =
            add_param(name + ".weight", {out_features, int(f)}, InitRule::kaiming_normal, f);
        layer.bias = add_param(name + ".bias", {out_features}, InitRule::zeros, f);
        return add_layer(layer, TensorShape{out_features, 1, 1, false});
    }

    int add(int a, int b) {
        LayerSpec layer{.kind = LayerKind::add, .input = a, .input2 = b};
        return add_layer(layer, shape(a));
    }

    Architecture finish(int logits) {
        arch_.logits = logits;
        return std::move(arch_);
    }

  private:
    void require_planes(const TensorShape& s, const std::string& what) const {
        if (!s.planes) reject(arch_.spec, what + " needs an image-shaped input");
    }

    int add_layer(LayerSpec layer, const TensorShape& out) {
        arch_.tensors.push_back(out);
        layer.output = int(arch_.tensors.size()) - 1;
        arch_.layers.push_back(layer);
        return layer.output;
    }

    static std::size_t count(const std::vector<int>& shape) {
        return std::accumulate(shape.begin(), shape.end(), std::size_t{1},
                               [](std::size_t a, int b) { return a * std::size_t(b); });
    }

    int add_param(const std::string& name, std::vector<int> shape, InitRule rule, long fan_in) {
        const std::size_t offset = arch_.param_count();
        arch_.params.push_back(ParamInfo{name, offset, std::move(shape)});
        arch_.init.push_back(rule);
        arch_.fan_in.push_back(fan_in);
        return int(arch_.params.size()) - 1;
    }

    int add_buffer(const std::string& name, std::vector<int> shape) {
        const std::size_t offset = arch_.buffer_count();
        arch_.buffers.push_back(ParamInfo{name, offset, std::move(shape)});
        return int(arch_.buffers.size()) - 1;
    }

    Architecture arch_;
};

Architecture build_mlp(const ModelSpec& spec) {
    Builder b(spec);
    const int hidden = 512 * spec.width_multiplier;
    int x = b.linear(b.input(), "fc1", hidden);
    x = b.relu(x);
    x = b.linear(x, "fc2", hidden);
    x = b.relu(x);
    return b.finish(b.linear(x, "fc3", spec.classes));
}

Architecture build_cnn_small(const ModelSpec& spec) {
    Builder b(spec);
    const int k = spec.width_multiplier;
    int x = b.to_planes(b.input());
    // ReLU then max pool, computed as max pool with a fused ReLU (the same function and gradient:
    // max and ReLU commute), on a quarter of the values.
    x = b.maxpool_relu(b.conv(x, "conv1", 32 * k, 3, 1, 1, true), 2, 2);
    x = b.maxpool_relu(b.conv(x, "conv2", 64 * k, 3, 1, 1, true), 2, 2);
    return b.finish(b.linear(b.flatten(x), "fc", spec.classes));
}

int basic_block(Builder& b, int x, const std::string& name, int channels, int stride) {
    int out = b.bn_relu(b.conv(x, name + ".conv1", channels, 3, stride, 1, false), name + ".bn1");
    out = b.batchnorm(b.conv(out, name + ".conv2", channels, 3, 1, 1, false), name + ".bn2");
    int shortcut = x;
    if (stride != 1 || b.shape(x).c != channels) {
        shortcut = b.batchnorm(b.conv(x, name + ".downsample.0", channels, 1, stride, 0, false),
                               name + ".downsample.1");
    }
    return b.add_relu(out, shortcut);
}

Architecture build_resnet(const ModelSpec& spec, int stem_channels,
                          const std::vector<int>& blocks_per_stage) {
    Builder b(spec);
    const int k = spec.width_multiplier;
    int x = b.to_planes(b.input());
    x = b.bn_relu(b.conv(x, "conv1", stem_channels * k, 3, 1, 1, false), "bn1");
    for (std::size_t stage = 0; stage < blocks_per_stage.size(); ++stage) {
        const int channels = (stem_channels << stage) * k;
        for (int block = 0; block < blocks_per_stage[stage]; ++block) {
            const int stride = (stage > 0 && block == 0) ? 2 : 1;
            const std::string name =
                "layer" + std::to_string(stage + 1) + "." + std::to_string(block);
            x = basic_block(b, x, name, channels, stride);
        }
    }
    return b.finish(b.linear(b.global_avgpool(x), "fc", spec.classes));
}

void validate(const ModelSpec& spec) {
    if (spec.channels < 1)
        reject(spec, "channels " + std::to_string(spec.channels) + " is below 1");
    if (spec.height < 1 || spec.width < 1) {
        reject(spec, "input size " + std::to_string(spec.height) + "×" +
                         std::to_string(spec.width) + " is empty");
    }
    if (spec.classes < 1) reject(spec, "classes " + std::to_string(spec.classes) + " is below 1");
    if (spec.width_multiplier < 1) {
        reject(spec, "width multiplier " + std::to_string(spec.width_multiplier) + " is below 1");
    }
}

}  // namespace

Architecture build_architecture(const ModelSpec& spec) {
    validate(spec);
    if (spec.name == "mlp") return build_mlp(spec);
    if (spec.name == "cnn-small") return build_cnn_small(spec);
    if (spec.name == "resnet8") return build_resnet(spec, 16, {1, 1, 1});
    if (spec.name == "resnet20") return build_resnet(spec, 16, {3, 3, 3});
    if (spec.name == "resnet18") return build_resnet(spec, 64, {2, 2, 2, 2});
    throw_input_error("model " + spec.name,
                      "unknown model (known: mlp, cnn-small, resnet8, "
                      "resnet20, resnet18)");
}

std::vector<std::string> model_names() {
    return {"mlp", "cnn-small", "resnet8", "resnet20", "resnet18"};
}

}  // namespace gradcert::engine
