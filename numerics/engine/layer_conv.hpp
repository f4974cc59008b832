#pragma once
// 2-D convolution (cross-correlation, as in PyTorch) on channel planes: by the direct kernels of
// conv_direct.hpp for 3×3 padding-1 layers (stride 1 or 2) where they are faster, by im2col + GEMM
// otherwise (see ConvAlgorithm).
//
// Shapes (planes layout, see tensor.hpp):
//   x      [c, n, h, w]
//   weight [k, c, r, s]          (PyTorch layout)
//   bias   [k] or null
//   y      [k, n, p, q]          p = (h + 2·pad − r)/stride + 1, q likewise
// The batch is processed in chunks of images whose im2col matrix [c·r·s, chunk·p·q] fits a fixed
// budget (the chunk size depends on the shape only, never on the thread count). A 1×1 stride-1
// unpadded convolution reads x directly without im2col.
namespace gradcert::engine {

// automatic: the direct kernels (conv_direct.hpp) where they apply and are faster — forward when
// the output is at least 8 wide, backward when it is at least 16 wide, or 8 wide with at most
// 64 × 64 channels (measured on this machine: small images with many channels go faster through
// the GEMM) — im2col + GEMM otherwise. direct forces the direct kernels wherever they apply;
// gemm forces im2col + GEMM.
enum class ConvAlgorithm { automatic, direct, gemm };

struct Conv2dShape {
    int n = 0, c = 0, h = 0, w = 0;  // input
    int k = 0, r = 0, s = 0;         // output channels, kernel height and width
    int stride = 1, pad = 0;
    int chunk_images = 0;  // images per im2col chunk; 0 chooses by the workspace budget
    ConvAlgorithm algorithm = ConvAlgorithm::automatic;
    int p() const { return (h + 2 * pad - r) / stride + 1; }
    int q() const { return (w + 2 * pad - s) / stride + 1; }
    long patch() const { return long(c) * r * s; }
    bool is_pointwise() const { return r == 1 && s == 1 && stride == 1 && pad == 0; }
};

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

// dst[e] = Σ_chunk partial[chunk·count + e], summed in chunk order in double (the weight-gradient
// reduction of both convolution paths; the order is fixed, so the result is too).
template <class T>
void sum_chunk_partials(const T* partial, int chunks, long count, T* dst);

}  // namespace gradcert::engine
