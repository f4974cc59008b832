#pragma once
// Direct 3×3 stride-1 "same" convolution kernels (no im2col), for the engine's most frequent
// convolution: every 3×3 layer of cnn-small and of the ResNets except the stride-2 ones.
//
// Shapes as in conv_shape.hpp (channel planes): x [c, n, h, w], weight [k, c, 3, 3], y [k, n, h,
// w]. Each image's input planes are copied into zero-bordered (h + 2) × (w + 2) planes; an output
// row y is then a contiguous window of the flattened padded planes, so the kernel computes outputs
// in "padded coordinates" o = y·(w + 2) + x (the two columns x ≥ w are computed and dropped) with
// vector loads at the nine offsets i·(w + 2) + j and register tiles of 8 output channels × 3
// vectors (GCC vector extensions of 64 bytes with explicit FMA, kernels/simd.hpp).
//   forward:         y = conv(x, weight) (+ bias), parallel over images;
//   backward data:   dx = conv(dy, weight transposed and flipped), the same kernel;
//   backward weight: dweight[k, c, i, j] = Σ_pixels dy[k]·x_padded[c] shifted by (i, j), summed in
//                    vector lanes over fixed groups of images, then over the groups in order.
// The arithmetic depends only on the shape (never on the thread count or the schedule), so
// results are bit-identical for any number of threads.
#include "numerics/engine/conv_shape.hpp"

namespace gradcert::engine {

// True for 3×3 kernels with padding 1 and stride 1 or 2.
bool conv2d_direct_applies(const Conv2dShape& shape);

template <class T>
void conv2d_direct_forward(const Conv2dShape& shape, const T* x, const T* weight, const T* bias,
                           T* y);

// Writes dweight [k, c, 3, 3] and, if dx is non-null, dx [c, n, h, w] (added when accumulate_dx).
template <class T>
void conv2d_direct_backward(const Conv2dShape& shape, const T* x, const T* weight, const T* dy,
                            T* dweight, T* dx, bool accumulate_dx);

}  // namespace gradcert::engine
