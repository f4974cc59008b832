#pragma once
// The engine's single thread pool: OpenMP. Eigen is only ever called single-threaded (gemm.hpp),
// so there is never a second pool.
//
// Determinism: every result is bit-identical from run to run and for every thread count. Work is
// split into items fixed by the tensor shapes (images, image chunks, channels, GEMM tiles); each
// item's arithmetic is the same whichever thread runs it, and every cross-item sum (weight
// gradients over image chunks, GEMM k-slices) is taken afterwards in item order. Loops over
// unequal items are scheduled dynamically, which only changes who computes what.

namespace gradcert::engine {

// Work (elements touched) below which a loop runs on the calling thread alone: waking the team
// costs more than such a loop, and far more when other processes share the cores. Results never
// depend on this choice (no loop's arithmetic depends on how it is split).
constexpr long parallel_grain = 1L << 17;
inline bool parallel_worth(long work) {
    return work >= parallel_grain;
}

// Sets the number of threads used by every layer and GEMM (n ≥ 1); throws gradcert::InputError
// otherwise. The default is OpenMP's (OMP_NUM_THREADS or the number of cores).
void set_threads(int n);

// The current thread count.
int threads();

}  // namespace gradcert::engine
