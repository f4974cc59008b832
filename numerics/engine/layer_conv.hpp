#pragma once
// 2-D convolution (cross-correlation, as in PyTorch) on channel planes: by the direct kernels of
// kernels/conv_direct.hpp for 3×3 padding-1 layers (stride 1 or 2) where they are faster, by im2col
// + GEMM otherwise (see ConvAlgorithm).
//
// Shapes (planes layout, see tensor.hpp) as in conv_shape.hpp:
//   x [c, n, h, w], weight [k, c, r, s], bias [k] or null, y [k, n, p, q].
// The batch is processed in chunks of images whose im2col matrix [c·r·s, chunk·p·q] fits a fixed
// budget (the chunk size depends on the shape only, never on the thread count). A 1×1 stride-1
// unpadded convolution reads x directly without im2col.
#include "numerics/engine/conv_shape.hpp"

namespace gradcert::engine {

// Images per im2col chunk: the im2col matrix [c·r·s, chunk·p·q] fits a fixed budget, and the
// batch splits into at least 8 chunks when it has 8 images (load balance). Shape-only.
int conv2d_chunk_images(const Conv2dShape& shape);

// conv2d_forward: y = conv(x, weight) + bias. Work is split over images (direct kernels) or image
// chunks (im2col + single-threaded GEMM per chunk) on the engine's threads; the split depends on
// the shape only, so results are identical for every thread count.
template <class T>
void conv2d_forward(const Conv2dShape& shape, const T* x, const T* weight, const T* bias, T* y);

// conv2d_backward: given dy [k, n, p, q], writes dweight [k, c, r, s], dbias [k] (if non-null)
// and dx [c, n, h, w] (if non-null; added to dx when accumulate_dx). The weight gradient is
// summed per chunk of images inside the GEMM (or in vector lanes), then over chunks in order, in
// double; bias sums in double.
template <class T>
void conv2d_backward(const Conv2dShape& shape, const T* x, const T* weight, const T* dy, T* dweight,
                     T* dbias, T* dx, bool accumulate_dx);

}  // namespace gradcert::engine
