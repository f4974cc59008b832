#pragma once
// Flat, grow-only storage for activations, gradients and workspaces.
//
// The engine allocates every buffer once per shape and reuses it across steps: glibc returns
// large blocks to the system on free and maps them again on the next allocation, which cost
// PyTorch 40% at b = 512 on this machine (docs/engine.md). A GrowBuffer only ever grows; shrinking
// the batch keeps the old block. Memory is 64-byte aligned (one AVX-512 vector, one cache line).
//
// Activation layout inside the engine ("planes"): a tensor of c channels over a batch of n
// examples of h × w pixels is stored channel-major as [c, n, h, w], i.e. one contiguous plane of
// n·h·w values per channel. Images enter as NCHW and logits leave as [n, classes] row-major;
// the conversion happens in the input and flatten/pooling layers. Channel planes make every
// convolution one large GEMM whose long dimension is the batch's pixels, and every batch-norm
// statistic a contiguous reduction.
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <span>

namespace gradcert::engine {

template <class T>
class GrowBuffer {
  public:
    // Returns storage for at least `count` elements; contents are unspecified after a growth.
    T* reserve(std::size_t count) {
        if (count > capacity_) {
            std::size_t bytes = ((count * sizeof(T) + 63) / 64) * 64;
            data_.reset(static_cast<T*>(std::aligned_alloc(64, bytes)));
            if (!data_) throw std::bad_alloc();
            capacity_ = count;
        }
        return data_.get();
    }
    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    std::size_t capacity() const { return capacity_; }

  private:
    struct Free {
        void operator()(T* p) const { std::free(p); }
    };
    std::unique_ptr<T, Free> data_;
    std::size_t capacity_ = 0;
};

}  // namespace gradcert::engine
