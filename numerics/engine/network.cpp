#include "numerics/engine/network.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "numerics/engine/layer_conv.hpp"
#include "numerics/engine/layer_elementwise.hpp"
#include "numerics/engine/layer_linear.hpp"
#include "numerics/engine/layer_pool.hpp"
#include "numerics/engine/loss.hpp"
#include "numerics/engine/rng.hpp"

namespace gradcert::engine {

namespace {

std::size_t element_count(const std::vector<int>& shape) {
    return std::accumulate(shape.begin(), shape.end(), std::size_t{1},
                           [](std::size_t a, int b) { return a * std::size_t(b); });
}

std::size_t layout_end(const std::vector<ParamInfo>& layout) {
    return layout.empty() ? 0 : layout.back().offset + element_count(layout.back().shape);
}

bool has_running_var_name(const std::string& name) {
    const std::string suffix = "running_var";
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::size_t Architecture::param_count() const {
    return layout_end(params);
}
std::size_t Architecture::buffer_count() const {
    return layout_end(buffers);
}

template <class T>
Network<T>::Network(Architecture architecture)
    : arch_(std::move(architecture)),
      params_(arch_.param_count()),
      grads_(arch_.param_count()),
      buffers_(arch_.buffer_count()),
      acts_(arch_.tensors.size()),
      dacts_(arch_.tensors.size()),
      needs_grad_(arch_.tensors.size(), false),
      accumulate_(arch_.layers.size(), std::vector<bool>(2, false)),
      saved_mean_(arch_.layers.size()),
      saved_invstd_(arch_.layers.size()),
      argmax_(arch_.layers.size()) {
    for (const LayerSpec& layer : arch_.layers) {
        const bool from_grad =
            needs_grad_[layer.input] || (layer.input2 >= 0 && needs_grad_[layer.input2]);
        needs_grad_[layer.output] = from_grad || layer.weight >= 0;
    }
    std::vector<bool> seen(arch_.tensors.size(), false);
    for (std::size_t i = arch_.layers.size(); i-- > 0;) {
        const LayerSpec& layer = arch_.layers[i];
        for (int slot = 0; slot < 2; ++slot) {
            const int t = slot == 0 ? layer.input : layer.input2;
            if (t < 0) continue;
            accumulate_[i][slot] = seen[t];
            seen[t] = true;
        }
        if (layer.kind == LayerKind::batchnorm) {
            const int c = arch_.tensors[layer.input].c;
            saved_mean_[i].assign(c, T(0));
            saved_invstd_[i].assign(c, T(0));
        }
    }
}

template <class T>
void Network<T>::initialize(std::uint64_t seed) {
    NormalGenerator normal(seed);
    for (std::size_t i = 0; i < arch_.params.size(); ++i) {
        T* data = params_.data() + arch_.params[i].offset;
        const std::size_t count = element_count(arch_.params[i].shape);
        const double std = std::sqrt(2.0 / double(arch_.fan_in[i]));
        for (std::size_t j = 0; j < count; ++j) {
            switch (arch_.init[i]) {
                case InitRule::kaiming_normal:
                    data[j] = T(std * normal());
                    break;
                case InitRule::zeros:
                    data[j] = T(0);
                    break;
                case InitRule::ones:
                    data[j] = T(1);
                    break;
            }
        }
    }
    for (const ParamInfo& b : arch_.buffers) {
        const T value = has_running_var_name(b.name) ? T(1) : T(0);
        std::fill_n(buffers_.data() + b.offset, element_count(b.shape), value);
    }
    std::fill(grads_.begin(), grads_.end(), T(0));
}

template <class T>
void Network<T>::allocate(int n) {
    if (n <= capacity_) return;
    for (std::size_t t = 0; t < arch_.tensors.size(); ++t) {
        const std::size_t count = std::size_t(n) * arch_.tensors[t].per_example();
        acts_[t].reserve(count);
        if (needs_grad_[t]) dacts_[t].reserve(count);
    }
    for (std::size_t i = 0; i < arch_.layers.size(); ++i) {
        const LayerSpec& layer = arch_.layers[i];
        if (layer.kind == LayerKind::maxpool) {
            argmax_[i].reserve(std::size_t(n) * arch_.tensors[layer.output].per_example());
        }
    }
    capacity_ = n;
}

template <class T>
double Network<T>::forward(const T* images, const std::int32_t* labels, int n, bool train,
                           bool update_buffers, int* correct, T* logits) {
    if (n < 1) throw std::invalid_argument("Network::forward: batch size below 1");
    allocate(n);
    n_ = n;
    std::copy_n(images, std::size_t(n) * arch_.tensors[0].per_example(), acts_[0].data());
    for (std::size_t i = 0; i < arch_.layers.size(); ++i) forward_layer(i, train, update_buffers);
    const T* z = acts_[arch_.logits].data();
    const int classes = arch_.tensors[arch_.logits].c;
    const double loss = softmax_cross_entropy(
        n, classes, z, labels, train ? dacts_[arch_.logits].data() : nullptr, correct);
    if (logits != nullptr) std::copy_n(z, std::size_t(n) * classes, logits);
    backward_ready_ = train;
    return loss;
}

template <class T>
void Network<T>::forward_layer(std::size_t index, bool train, bool update_buffers) {
    const LayerSpec& layer = arch_.layers[index];
    const TensorShape& in = arch_.tensors[layer.input];
    const TensorShape& out = arch_.tensors[layer.output];
    const T* x = acts_[layer.input].data();
    T* y = acts_[layer.output].data();
    const int n = n_;
    const long hw = long(in.h) * in.w;
    switch (layer.kind) {
        case LayerKind::rows_to_planes:
            rows_to_planes(n, in.c, hw, x, y, false);
            break;
        case LayerKind::planes_to_rows:
            planes_to_rows(n, in.c, hw, x, y, false);
            break;
        case LayerKind::conv: {
            const std::vector<int>& ws = arch_.params[layer.weight].shape;
            Conv2dShape sh{n, in.c, in.h, in.w, ws[0], ws[2], ws[3], layer.stride, layer.pad};
            conv2d_forward(sh, x, param(layer.weight), param(layer.bias), y);
            break;
        }
        case LayerKind::batchnorm: {
            T* mean = buffer(layer.running_mean);
            T* var = buffer(layer.running_var);
            BatchNormConfig config = bn_config_;
            config.relu = layer.relu;
            if (train) {
                batchnorm_forward_train(in.c, n * hw, x, param(layer.weight), param(layer.bias), y,
                                        saved_mean_[index].data(), saved_invstd_[index].data(),
                                        update_buffers ? mean : nullptr,
                                        update_buffers ? var : nullptr, config);
            } else {
                batchnorm_forward_eval(in.c, n * hw, x, param(layer.weight), param(layer.bias),
                                       mean, var, y, config);
            }
            break;
        }
        case LayerKind::relu:
            relu_forward(n * in.per_example(), x, y);
            break;
        case LayerKind::maxpool:
            max_pool_forward(PoolShape{long(in.c) * n, in.h, in.w, layer.kernel, layer.stride}, x,
                             y, argmax_[index].data(), layer.relu);
            break;
        case LayerKind::avgpool:
            avg_pool_forward(PoolShape{long(in.c) * n, in.h, in.w, layer.kernel, layer.stride}, x,
                             y);
            break;
        case LayerKind::global_avgpool:
            global_avg_pool_forward(in.c, n, hw, x, y);
            break;
        case LayerKind::linear:
            linear_forward(n, int(in.per_example()), out.c, x, param(layer.weight),
                           param(layer.bias), y);
            break;
        case LayerKind::add:
            if (layer.relu) {
                add_relu_forward(n * in.per_example(), x, acts_[layer.input2].data(), y);
            } else {
                add_forward(n * in.per_example(), x, acts_[layer.input2].data(), y);
            }
            break;
    }
}

template <class T>
void Network<T>::backward() {
    if (!backward_ready_) throw std::logic_error("Network::backward without a training forward");
    for (std::size_t i = arch_.layers.size(); i-- > 0;) backward_layer(i);
}

template <class T>
void Network<T>::backward_layer(std::size_t index) {
    const LayerSpec& layer = arch_.layers[index];
    const TensorShape& in = arch_.tensors[layer.input];
    const TensorShape& out = arch_.tensors[layer.output];
    const T* x = acts_[layer.input].data();
    const T* dy = dacts_[layer.output].data();
    T* dx = needs_grad_[layer.input] ? dacts_[layer.input].data() : nullptr;
    const bool acc = accumulate_[index][0];
    const int n = n_;
    const long hw = long(in.h) * in.w;
    switch (layer.kind) {
        case LayerKind::rows_to_planes:
            if (dx != nullptr) planes_to_rows(n, in.c, hw, dy, dx, acc);
            break;
        case LayerKind::planes_to_rows:
            if (dx != nullptr) rows_to_planes(n, in.c, hw, dy, dx, acc);
            break;
        case LayerKind::conv: {
            const std::vector<int>& ws = arch_.params[layer.weight].shape;
            Conv2dShape sh{n, in.c, in.h, in.w, ws[0], ws[2], ws[3], layer.stride, layer.pad};
            conv2d_backward(sh, x, param(layer.weight), dy, grad(layer.weight), grad(layer.bias),
                            dx, acc);
            break;
        }
        case LayerKind::batchnorm:
            batchnorm_backward(in.c, n * hw, x, dy, param(layer.weight), saved_mean_[index].data(),
                               saved_invstd_[index].data(), grad(layer.weight), grad(layer.bias),
                               dx, acc, layer.relu ? acts_[layer.output].data() : nullptr);
            break;
        case LayerKind::relu:
            if (dx != nullptr)
                relu_backward(n * in.per_example(), acts_[layer.output].data(), dy, dx, acc);
            break;
        case LayerKind::maxpool:
            if (dx != nullptr) {
                max_pool_backward(PoolShape{long(in.c) * n, in.h, in.w, layer.kernel, layer.stride},
                                  dy, argmax_[index].data(), dx, acc,
                                  layer.relu ? acts_[layer.output].data() : nullptr);
            }
            break;
        case LayerKind::avgpool:
            if (dx != nullptr) {
                avg_pool_backward(PoolShape{long(in.c) * n, in.h, in.w, layer.kernel, layer.stride},
                                  dy, dx, acc);
            }
            break;
        case LayerKind::global_avgpool:
            if (dx != nullptr) global_avg_pool_backward(in.c, n, hw, dy, dx, acc);
            break;
        case LayerKind::linear:
            linear_backward(n, int(in.per_example()), out.c, x, param(layer.weight), dy,
                            grad(layer.weight), grad(layer.bias), dx, acc);
            break;
        case LayerKind::add: {
            const long count = n * in.per_example();
            T* db = needs_grad_[layer.input2] ? dacts_[layer.input2].data() : nullptr;
            if (layer.relu) {
                add_relu_backward(count, acts_[layer.output].data(), dy, dx, acc, db,
                                  accumulate_[index][1]);
                break;
            }
            if (dx != nullptr) accumulate_copy(count, dy, dx, acc);
            if (db != nullptr) accumulate_copy(count, dy, db, accumulate_[index][1]);
            break;
        }
    }
}

template <class T>
std::vector<std::int32_t> Network<T>::kink_pattern() const {
    std::vector<std::int32_t> pattern;
    for (std::size_t i = 0; i < arch_.layers.size(); ++i) {
        const LayerSpec& layer = arch_.layers[i];
        const std::size_t count = std::size_t(n_) * arch_.tensors[layer.output].per_example();
        if (layer.kind == LayerKind::relu || layer.relu) {
            const T* y = acts_[layer.output].data();
            for (std::size_t j = 0; j < count; ++j) pattern.push_back(y[j] > T(0) ? 1 : 0);
        }
        if (layer.kind == LayerKind::maxpool) {
            const std::int32_t* a = argmax_[i].data();
            pattern.insert(pattern.end(), a, a + count);
        }
    }
    return pattern;
}

template class Network<float>;
template class Network<double>;

}  // namespace gradcert::engine
