// Network::forward_backward_sharded: the data-parallel training step (distributed.hpp,
// docs/cluster.md). Tensors hold this rank's shards one after another: the activations of local
// shard j (examples [first, first + count) of the rank) start at first·per_example and are laid out
// as for a batch of `count` examples (planes [c, count, h, w] or rows [count, features]), so each
// layer kernel runs on one shard exactly as on a batch of that shard alone.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "numerics/engine/layer_conv.hpp"
#include "numerics/engine/layer_elementwise.hpp"
#include "numerics/engine/layer_linear.hpp"
#include "numerics/engine/layer_pool.hpp"
#include "numerics/engine/network.hpp"
#include "numerics/engine/threads.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace {

// Per-shard leaves of the sums being reduced (reused across layers and steps).
GrowBuffer<float>& float_leaves() {
    static GrowBuffer<float> buffer;
    return buffer;
}
std::vector<double>& double_scratch(int slot) {
    static std::vector<double> buffers[3];
    return buffers[slot];
}

// Local shard j of `range`: its first example among the rank's examples and its size.
int local_begin(const ShardRange& range, int j) {
    return range.begin(range.first + j) - range.first_example();
}
int local_size(const ShardRange& range, int j) {
    return range.size(range.first + j);
}

}  // namespace

template <class T>
void Network<T>::forward_layer_shard(std::size_t index, int first, int count) {
    const LayerSpec& layer = arch_.layers[index];
    const TensorShape& in = arch_.tensors[layer.input];
    const TensorShape& out = arch_.tensors[layer.output];
    const T* x = acts_[layer.input].data() + first * in.per_example();
    T* y = acts_[layer.output].data() + first * out.per_example();
    const int n = count;
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
        case LayerKind::batchnorm:
            throw std::logic_error("forward_layer_shard: batch norm is reduced over all shards");
        case LayerKind::relu:
            relu_forward(n * in.per_example(), x, y);
            break;
        case LayerKind::maxpool:
            max_pool_forward(PoolShape{long(in.c) * n, in.h, in.w, layer.kernel, layer.stride}, x,
                             y, argmax_[index].data() + first * out.per_example(), layer.relu);
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
        case LayerKind::add: {
            const T* x2 = acts_[layer.input2].data() + first * in.per_example();
            if (layer.relu) {
                add_relu_forward(n * in.per_example(), x, x2, y);
            } else {
                add_forward(n * in.per_example(), x, x2, y);
            }
            break;
        }
    }
}

template <class T>
void Network<T>::backward_layer_shard(std::size_t index, int first, int count, T* dweight,
                                      T* dbias) {
    const LayerSpec& layer = arch_.layers[index];
    const TensorShape& in = arch_.tensors[layer.input];
    const TensorShape& out = arch_.tensors[layer.output];
    const long in_offset = first * in.per_example(), out_offset = first * out.per_example();
    const T* x = acts_[layer.input].data() + in_offset;
    const T* y = acts_[layer.output].data() + out_offset;
    const T* dy = dacts_[layer.output].data() + out_offset;
    T* dx = needs_grad_[layer.input] ? dacts_[layer.input].data() + in_offset : nullptr;
    const bool acc = accumulate_[index][0];
    const int n = count;
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
            conv2d_backward(sh, x, param(layer.weight), dy, dweight, dbias, dx, acc);
            break;
        }
        case LayerKind::batchnorm:
            throw std::logic_error("backward_layer_shard: batch norm is reduced over all shards");
        case LayerKind::relu:
            if (dx != nullptr) relu_backward(n * in.per_example(), y, dy, dx, acc);
            break;
        case LayerKind::maxpool:
            if (dx != nullptr) {
                max_pool_backward(PoolShape{long(in.c) * n, in.h, in.w, layer.kernel, layer.stride},
                                  dy, argmax_[index].data() + out_offset, dx, acc,
                                  layer.relu ? y : nullptr);
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
            linear_backward(n, int(in.per_example()), out.c, x, param(layer.weight), dy, dweight,
                            dbias, dx, acc);
            break;
        case LayerKind::add: {
            const long elements = n * in.per_example();
            T* db = needs_grad_[layer.input2] ? dacts_[layer.input2].data() + in_offset : nullptr;
            if (layer.relu) {
                add_relu_backward(elements, y, dy, dx, acc, db, accumulate_[index][1]);
                break;
            }
            if (dx != nullptr) accumulate_copy(elements, dy, dx, acc);
            if (db != nullptr) accumulate_copy(elements, dy, db, accumulate_[index][1]);
            break;
        }
    }
}

// Training-mode batch norm over the whole batch: per shard and channel Σx and Σx² in double, the
// tree sum over all shards, then the formulas of layer_batchnorm.hpp with m = n·h·w of the batch.
template <class T>
void Network<T>::batchnorm_forward_sharded(std::size_t index, const ShardRange& range,
                                           Communicator& comm, bool update_buffers) {
    const LayerSpec& layer = arch_.layers[index];
    const TensorShape& in = arch_.tensors[layer.input];
    const int c = in.c;
    const long hw = long(in.h) * in.w;
    const long m = long(range.examples) * hw;
    if (m < 2) {
        throw_input_error("batch norm", "training needs more than one value per channel, got " +
                                            std::to_string(m));
    }
    std::vector<double>& leaves = double_scratch(0);
    leaves.assign(std::size_t(range.count) * 2 * c, 0.0);
    for (int j = 0; j < range.count; ++j) {
        const long mj = local_size(range, j) * hw;
        const T* x = acts_[layer.input].data() + local_begin(range, j) * in.per_example();
        double* leaf = leaves.data() + std::size_t(j) * 2 * c;
#pragma omp parallel for schedule(static) if (parallel_worth(long(c) * mj))
        for (int ch = 0; ch < c; ++ch) {
            const T* xc = x + ch * mj;
            double sum = 0.0, squares = 0.0;
            for (long i = 0; i < mj; ++i) {
                const double v = double(xc[i]);
                sum += v;
                squares += v * v;
            }
            leaf[ch] = sum;
            leaf[c + ch] = squares;
        }
    }
    std::vector<double>& total = double_scratch(1);
    total.assign(2 * c, 0.0);
    tree_sum(comm, range, leaves.data(), 2 * c, total.data());
    T* running_mean = update_buffers ? buffer(layer.running_mean) : nullptr;
    T* running_var = update_buffers ? buffer(layer.running_var) : nullptr;
    const T* weight = param(layer.weight);
    const T* bias = param(layer.bias);
    std::vector<T> center(c), scale(c);
    for (int ch = 0; ch < c; ++ch) {
        const double mu = total[ch] / double(m);
        const double var = std::max(total[c + ch] / double(m) - mu * mu, 0.0);
        const double inv = 1.0 / std::sqrt(var + bn_config_.eps);
        saved_mean_[index][ch] = T(mu);
        saved_invstd_[index][ch] = T(inv);
        if (running_mean != nullptr) {
            const double mom = bn_config_.momentum;
            running_mean[ch] = T((1.0 - mom) * double(running_mean[ch]) + mom * mu);
            running_var[ch] =
                T((1.0 - mom) * double(running_var[ch]) + mom * var * double(m) / double(m - 1));
        }
        center[ch] = T(mu);
        scale[ch] = T(inv * double(weight[ch]));
    }
    for (int j = 0; j < range.count; ++j) {
        const long mj = local_size(range, j) * hw;
        const long offset = local_begin(range, j) * in.per_example();
        const T* x = acts_[layer.input].data() + offset;
        T* y = acts_[layer.output].data() + offset;
#pragma omp parallel for schedule(static) if (parallel_worth(long(c) * mj))
        for (int ch = 0; ch < c; ++ch) {
            const T* xc = x + ch * mj;
            T* yc = y + ch * mj;
            for (long i = 0; i < mj; ++i) {
                const T v = (xc[i] - center[ch]) * scale[ch] + bias[ch];
                yc[i] = layer.relu ? (v > T(0) ? v : T(0)) : v;
            }
        }
    }
}

// The batch-norm gradient over the whole batch: per shard and channel Σg and Σg·(x − mean) in
// double (g = dy, or dy where y > 0 with a fused ReLU), their tree sum, then dx shard by shard.
template <class T>
void Network<T>::batchnorm_backward_sharded(std::size_t index, const ShardRange& range,
                                            Communicator& comm) {
    const LayerSpec& layer = arch_.layers[index];
    const TensorShape& in = arch_.tensors[layer.input];
    const int c = in.c;
    const long hw = long(in.h) * in.w;
    const long m = long(range.examples) * hw;
    const T* mean = saved_mean_[index].data();
    const T* invstd = saved_invstd_[index].data();
    auto gradient = [&](const T* dy, const T* y, long i) {
        return (!layer.relu || y[i] > T(0)) ? dy[i] : T(0);
    };
    std::vector<double>& leaves = double_scratch(0);
    leaves.assign(std::size_t(range.count) * 2 * c, 0.0);
    for (int j = 0; j < range.count; ++j) {
        const long mj = local_size(range, j) * hw;
        const long offset = local_begin(range, j) * in.per_example();
        double* leaf = leaves.data() + std::size_t(j) * 2 * c;
#pragma omp parallel for schedule(static) if (parallel_worth(long(c) * mj))
        for (int ch = 0; ch < c; ++ch) {
            const long at = offset + ch * mj;
            const T* x = acts_[layer.input].data() + at;
            const T* y = acts_[layer.output].data() + at;
            const T* dy = dacts_[layer.output].data() + at;
            const double mu = double(mean[ch]);
            double sum_g = 0.0, sum_gx = 0.0;
            for (long i = 0; i < mj; ++i) {
                const double g = double(gradient(dy, y, i));
                sum_g += g;
                sum_gx += g * (double(x[i]) - mu);
            }
            leaf[ch] = sum_g;
            leaf[c + ch] = sum_gx;
        }
    }
    std::vector<double>& total = double_scratch(1);
    total.assign(2 * c, 0.0);
    tree_sum(comm, range, leaves.data(), 2 * c, total.data());
    const T* weight = param(layer.weight);
    T* dweight = grad(layer.weight);
    T* dbias = grad(layer.bias);
    std::vector<T> ta(c), tb(c), tshift(c);
    for (int ch = 0; ch < c; ++ch) {
        const double inv = double(invstd[ch]);
        const double dw = total[c + ch] * inv;
        dweight[ch] = T(dw);
        dbias[ch] = T(total[ch]);
        const double a = double(weight[ch]) * inv;
        ta[ch] = T(a);
        tb[ch] = T(-a * inv * dw / double(m));
        tshift[ch] = T(-a * total[ch] / double(m));
    }
    if (!needs_grad_[layer.input]) return;
    const bool acc = accumulate_[index][0];
    for (int j = 0; j < range.count; ++j) {
        const long mj = local_size(range, j) * hw;
        const long offset = local_begin(range, j) * in.per_example();
#pragma omp parallel for schedule(static) if (parallel_worth(long(c) * mj))
        for (int ch = 0; ch < c; ++ch) {
            const long at = offset + ch * mj;
            const T* x = acts_[layer.input].data() + at;
            const T* y = acts_[layer.output].data() + at;
            const T* dy = dacts_[layer.output].data() + at;
            T* dx = dacts_[layer.input].data() + at;
            for (long i = 0; i < mj; ++i) {
                const T v = ta[ch] * gradient(dy, y, i) + tb[ch] * (x[i] - mean[ch]) + tshift[ch];
                dx[i] = acc ? dx[i] + v : v;
            }
        }
    }
}

// Softmax cross-entropy of the whole batch: per shard the sum of its row losses (in row order)
// and its hits, tree-summed; dlogits = (softmax − onehot)/n with n the whole batch.
template <class T>
double Network<T>::loss_sharded(const ShardRange& range, Communicator& comm,
                                const std::int32_t* labels, int* correct) {
    const int classes = arch_.tensors[arch_.logits].c;
    const int local = range.local_examples();
    for (int b = 0; b < local; ++b) {
        if (labels[b] < 0 || labels[b] >= classes) {
            throw_input_error("labels", "label " + std::to_string(labels[b]) + " of example " +
                                            std::to_string(range.first_example() + b) +
                                            " is outside [0, " + std::to_string(classes) + ")");
        }
    }
    std::vector<double> row_loss(local);
    std::vector<int> row_correct(local);
    const T* logits = acts_[arch_.logits].data();
    T* dlogits = dacts_[arch_.logits].data();
    const double n = double(range.examples);
#pragma omp parallel for schedule(static) if (parallel_worth(long(local) * classes))
    for (int b = 0; b < local; ++b) {
        const T* z = logits + long(b) * classes;
        int best = 0;
        for (int j = 1; j < classes; ++j) {
            if (z[j] > z[best]) best = j;
        }
        const double zmax = double(z[best]);
        double total = 0.0;
        for (int j = 0; j < classes; ++j) total += std::exp(double(z[j]) - zmax);
        row_loss[b] = std::log(total) - (double(z[labels[b]]) - zmax);
        row_correct[b] = best == labels[b] ? 1 : 0;
        T* d = dlogits + long(b) * classes;
        for (int j = 0; j < classes; ++j) {
            const double p = std::exp(double(z[j]) - zmax) / total;
            d[j] = T((p - (j == labels[b] ? 1.0 : 0.0)) / n);
        }
    }
    std::vector<double> leaves(std::size_t(range.count) * 2, 0.0);
    for (int j = 0; j < range.count; ++j) {
        const int begin = local_begin(range, j), size = local_size(range, j);
        for (int b = begin; b < begin + size; ++b) {
            leaves[2 * j] += row_loss[b];
            leaves[2 * j + 1] += row_correct[b];
        }
    }
    double total[2] = {0.0, 0.0};
    tree_sum(comm, range, leaves.data(), 2, total);
    if (correct != nullptr) *correct = int(total[1]);
    return total[0] / n;
}

// Backward of a layer with parameters: each shard's parameter gradient into its own leaf, then the
// tree sum over all shards into grads().
template <class T>
void Network<T>::reduce_param_grads_sharded(std::size_t index, const ShardRange& range,
                                            Communicator& comm) {
    const LayerSpec& layer = arch_.layers[index];
    auto length = [&](int param_index) {
        if (param_index < 0) return std::size_t{0};
        std::size_t count = 1;
        for (int d : arch_.params[param_index].shape) count *= std::size_t(d);
        return count;
    };
    const std::size_t nw = length(layer.weight), nb = length(layer.bias);
    const std::size_t per_shard = nw + nb;
    if constexpr (std::is_same_v<T, float>) {
        float* leaves = float_leaves().reserve(std::max<std::size_t>(1, range.count * per_shard));
        for (int j = 0; j < range.count; ++j) {
            float* leaf = leaves + std::size_t(j) * per_shard;
            backward_layer_shard(index, local_begin(range, j), local_size(range, j), leaf,
                                 nb > 0 ? leaf + nw : nullptr);
        }
        std::vector<double>& total = double_scratch(2);
        total.resize(per_shard);
        tree_sum(comm, range, leaves, long(per_shard), total.data());
        T* dweight = grad(layer.weight);
        for (std::size_t i = 0; i < nw; ++i) dweight[i] = T(total[i]);
        T* dbias = grad(layer.bias);
        for (std::size_t i = 0; i < nb; ++i) dbias[i] = T(total[nw + i]);
    } else {
        throw std::logic_error("sharded training is float only");
    }
}

template <class T>
double Network<T>::forward_backward_sharded(const T* images, const std::int32_t* labels,
                                            const ShardRange& range, Communicator& comm,
                                            bool update_buffers, int* correct) {
    const int n = range.local_examples();
    allocate(std::max(n, 1));
    n_ = n;
    std::copy_n(images, std::size_t(n) * arch_.tensors[0].per_example(), acts_[0].data());
    for (std::size_t i = 0; i < arch_.layers.size(); ++i) {
        if (arch_.layers[i].kind == LayerKind::batchnorm) {
            batchnorm_forward_sharded(i, range, comm, update_buffers);
            continue;
        }
        for (int j = 0; j < range.count; ++j) {
            forward_layer_shard(i, local_begin(range, j), local_size(range, j));
        }
    }
    const double loss = loss_sharded(range, comm, labels, correct);
    for (std::size_t i = arch_.layers.size(); i-- > 0;) {
        const LayerSpec& layer = arch_.layers[i];
        if (layer.kind == LayerKind::batchnorm) {
            batchnorm_backward_sharded(i, range, comm);
        } else if (layer.weight >= 0) {
            reduce_param_grads_sharded(i, range, comm);
        } else {
            for (int j = 0; j < range.count; ++j) {
                backward_layer_shard(i, local_begin(range, j), local_size(range, j), nullptr,
                                     nullptr);
            }
        }
    }
    backward_ready_ = false;
    return loss;
}

// network.hpp declares Network<float> extern, so every member defined here is instantiated here.
template void Network<float>::forward_layer_shard(std::size_t, int, int);
template void Network<float>::backward_layer_shard(std::size_t, int, int, float*, float*);
template void Network<float>::batchnorm_forward_sharded(std::size_t, const ShardRange&,
                                                        Communicator&, bool);
template void Network<float>::batchnorm_backward_sharded(std::size_t, const ShardRange&,
                                                         Communicator&);
template double Network<float>::loss_sharded(const ShardRange&, Communicator&, const std::int32_t*,
                                             int*);
template void Network<float>::reduce_param_grads_sharded(std::size_t, const ShardRange&,
                                                         Communicator&);
template double Network<float>::forward_backward_sharded(const float*, const std::int32_t*,
                                                         const ShardRange&, Communicator&, bool,
                                                         int*);

}  // namespace gradcert::engine
