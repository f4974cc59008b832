#pragma once
// Reference layers: the definition of every layer of the engine as plain loops (no intrinsics,
// no blocking, no threads, every sum in double in the obvious order). They are slow and exist to
// be read and to test the fast layers against (tests/engine/reference_layers_test.cpp); training
// never calls them. Shapes and semantics are those of the fast layers (docs/engine.md, Layers):
//
//   conv2d         x [c, n, h, w], weight [k, c, r, s], bias [k] | null → y [k, n, p, q]
//                  (conv_shape.hpp; zero padding, cross-correlation as PyTorch)
//   linear         x [n, f], weight [o, f], bias [o] | null → y [n, o]
//   batchnorm      x [c, m] → y [c, m], training mode (batch mean, biased variance) with
//                  PyTorch's running-statistics update; eval mode with running statistics
//   max_pool       x [planes, h, w] → y [planes, p, q], first maximum in row-major order
//   avg_pool       x [planes, h, w] → y [planes, p, q]
//   global_avg_pool x [c, n, h, w] → y [n, c]
//   relu, add
// Backward functions overwrite their outputs (no accumulate flags) and take every gradient.
#include <cstdint>

#include "numerics/engine/conv_shape.hpp"
#include "numerics/engine/layer_batchnorm.hpp"
#include "numerics/engine/layer_pool.hpp"

namespace gradcert::engine::reference {

template <class T>
void conv2d_forward(const Conv2dShape& shape, const T* x, const T* weight, const T* bias, T* y);
// dweight [k, c, r, s], dbias [k] (if non-null), dx [c, n, h, w] (if non-null).
template <class T>
void conv2d_backward(const Conv2dShape& shape, const T* x, const T* weight, const T* dy, T* dweight,
                     T* dbias, T* dx);

template <class T>
void linear_forward(int n, int f, int o, const T* x, const T* weight, const T* bias, T* y);
// dweight = dyᵀ·x, dbias = Σ_n dy (if non-null), dx = dy·weight (if non-null).
template <class T>
void linear_backward(int n, int f, int o, const T* x, const T* weight, const T* dy, T* dweight,
                     T* dbias, T* dx);

// mean, invstd [c] receive the batch statistics; running_mean/var are updated when non-null.
template <class T>
void batchnorm_forward_train(int c, long m, const T* x, const T* weight, const T* bias, T* y,
                             T* mean, T* invstd, T* running_mean, T* running_var,
                             const BatchNormConfig& config);
template <class T>
void batchnorm_forward_eval(int c, long m, const T* x, const T* weight, const T* bias,
                            const T* running_mean, const T* running_var, T* y,
                            const BatchNormConfig& config);
// The gradient through the batch statistics; with config.relu, dy counts where y > 0 (y the
// forward output, recomputed here).
template <class T>
void batchnorm_backward(int c, long m, const T* x, const T* dy, const T* weight, const T* bias,
                        T* dweight, T* dbias, T* dx, const BatchNormConfig& config);

// With relu, y = max(0, window maximum) and dy passes only where y > 0.
template <class T>
void max_pool_forward(const PoolShape& shape, const T* x, T* y, bool relu);
template <class T>
void max_pool_backward(const PoolShape& shape, const T* x, const T* dy, T* dx, bool relu);
template <class T>
void avg_pool_forward(const PoolShape& shape, const T* x, T* y);
template <class T>
void avg_pool_backward(const PoolShape& shape, const T* dy, T* dx);
template <class T>
void global_avg_pool_forward(int c, int n, long hw, const T* x, T* y);
template <class T>
void global_avg_pool_backward(int c, int n, long hw, const T* dy, T* dx);

template <class T>
void relu_forward(long count, const T* x, T* y);
// dx = dy where y > 0, else 0.
template <class T>
void relu_backward(long count, const T* y, const T* dy, T* dx);

}  // namespace gradcert::engine::reference
