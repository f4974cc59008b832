#pragma once
// Counter-based random streams of the trainer.
//
// Every random draw of a training run (epoch shuffles, augmentation, probe batches, power-iteration
// start vectors, synthetic data) comes from a RunRng seeded by stream_key(seed, stream, a, b): a
// pure function of the run seed, a stream tag and up to two counters (epoch, step, example...).
// Nothing random is carried from one step to the next, so a run resumed from a checkpoint draws
// exactly what the uninterrupted run drew, and per-example streams can be used from any thread.
// The generator is SplitMix64 (Steele, Lea & Flood 2014): 64-bit state, passes BigCrush; ample
// for shuffles and augmentation, not for cryptography.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace gradcert::engine {

// Stream tags (never reuse a tag for a different purpose: it would correlate the streams).
enum class Stream : std::uint64_t {
    shuffle = 1,
    augment = 2,
    probe_pool = 3,
    probe_batches = 4,
    power_iteration = 5,
    synthetic = 6,
    subset = 7,
};

// The SplitMix64 finaliser: a bijective 64-bit mixer.
constexpr std::uint64_t splitmix_mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// A key for one stream: distinct (seed, stream, a, b) give unrelated keys.
constexpr std::uint64_t stream_key(std::uint64_t seed, Stream stream, std::uint64_t a = 0,
                                   std::uint64_t b = 0) {
    std::uint64_t k = splitmix_mix(seed + 0x9e3779b97f4a7c15ULL);
    k = splitmix_mix(k ^ (static_cast<std::uint64_t>(stream) * 0xd1b54a32d192ed03ULL));
    k = splitmix_mix(k ^ (a + 0x632be59bd9b4e019ULL));
    return splitmix_mix(k ^ (b * 0x8cb92ba72f3d8dd7ULL + 0x2545f4914f6cdd1dULL));
}

class RunRng {
  public:
    explicit RunRng(std::uint64_t key) : state_(key) {}

    std::uint64_t next() {
        state_ += 0x9e3779b97f4a7c15ULL;
        return splitmix_mix(state_);
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform integer in [0, n), n ≥ 1, without modulo bias (Lemire's multiply-and-reject).
    std::uint64_t below(std::uint64_t n) {
        __uint128_t m = static_cast<__uint128_t>(next()) * n;
        auto low = static_cast<std::uint64_t>(m);
        if (low < n) {
            const std::uint64_t threshold = (0 - n) % n;
            while (low < threshold) {
                m = static_cast<__uint128_t>(next()) * n;
                low = static_cast<std::uint64_t>(m);
            }
        }
        return static_cast<std::uint64_t>(m >> 64);
    }
    // Standard normal by Box–Muller (one value per call; the partner is discarded so that the
    // stream has no hidden state besides state_).
    double normal() {
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    std::uint64_t state() const { return state_; }

  private:
    std::uint64_t state_;
};

// Fisher–Yates shuffle of `v` with `rng` (uniform over all permutations).
template <class T>
void shuffle_in_place(std::vector<T>& v, RunRng& rng) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const std::size_t j = rng.below(i);
        std::swap(v[i - 1], v[j]);
    }
}

// The permutation 0..n-1 shuffled by the stream `key`.
inline std::vector<int> shuffled_indices(int n, std::uint64_t key) {
    std::vector<int> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = i;
    RunRng rng(key);
    shuffle_in_place(v, rng);
    return v;
}

// k distinct indices drawn uniformly without replacement from [0, n) (partial Fisher–Yates over
// a virtual identity array; O(k) memory via a sparse swap map would be possible, but n here is at
// most a training-set size, so the dense version is used).
inline std::vector<int> sample_without_replacement(int n, int k, std::uint64_t key) {
    std::vector<int> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = i;
    RunRng rng(key);
    for (int i = 0; i < k; ++i) {
        const auto j = static_cast<std::size_t>(i) + rng.below(static_cast<std::uint64_t>(n - i));
        std::swap(v[static_cast<std::size_t>(i)], v[j]);
    }
    v.resize(static_cast<std::size_t>(k));
    return v;
}

}  // namespace gradcert::engine
