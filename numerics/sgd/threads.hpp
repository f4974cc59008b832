#pragma once
// The engine's single thread pool: OpenMP. Eigen's parallel GEMM runs on the same OpenMP team
// (Eigen runs serially inside an OpenMP parallel region), so there is never a second pool.
//
// Determinism: for a fixed thread count every result is bit-identical from run to run. No
// reduction depends on scheduling: element-wise loops are static, batch-norm, bias and loss
// sums are computed per channel/row by one thread in a fixed order, and Eigen's GEMM gives each
// output element to one thread with a fixed k-blocking. Changing the thread count may change
// the last bits of GEMM results (Eigen's blocking depends on it).

namespace gradcert::sgd {

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

}  // namespace gradcert::sgd
