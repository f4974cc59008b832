#pragma once
// Pooling on channel planes. A tensor [c, n, h, w] is c·n independent planes of h × w.
//
// max_pool:  x [planes, h, w] → y [planes, p, q], p = (h − kernel)/stride + 1 (no padding);
//            argmax [planes, p, q] holds the index within the input plane of the first maximum
//            (row-major scan, as PyTorch), used by the backward pass.
// avg_pool:  same shapes, y = mean of the kernel × kernel window (no padding).
// global_avg_pool: x [c, n, h, w] → y [n, c] row-major (ready for a linear layer), mean over
//            h·w accumulated in double.
// Backward functions write dx (added to dx when accumulate_dx).
#include <cstdint>

namespace gradcert::engine {

struct PoolShape {
    long planes = 0;
    int h = 0, w = 0;
    int kernel = 2, stride = 2;
    int p() const { return (h - kernel) / stride + 1; }
    int q() const { return (w - kernel) / stride + 1; }
};

// With relu, y = max(0, window maximum) (= the maximum of the ReLU of the window, so
// conv → ReLU → max pool equals conv → max pool with a fused ReLU, gradients included) and the
// backward pass takes relu_output = y, passing dy only where y > 0.
template <class T>
void max_pool_forward(const PoolShape& shape, const T* x, T* y, std::int32_t* argmax,
                      bool relu = false);
template <class T>
void max_pool_backward(const PoolShape& shape, const T* dy, const std::int32_t* argmax, T* dx,
                       bool accumulate_dx, const T* relu_output = nullptr);

template <class T>
void avg_pool_forward(const PoolShape& shape, const T* x, T* y);
template <class T>
void avg_pool_backward(const PoolShape& shape, const T* dy, T* dx, bool accumulate_dx);

template <class T>
void global_avg_pool_forward(int c, int n, long hw, const T* x, T* y);
template <class T>
void global_avg_pool_backward(int c, int n, long hw, const T* dy, T* dx, bool accumulate_dx);

}  // namespace gradcert::engine
