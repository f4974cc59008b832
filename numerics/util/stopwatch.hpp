#pragma once
// Wall-clock timing for progress lines and the "wall time" cells of reports (never part of a
// result: timings differ between runs and machines).
#include <chrono>

namespace gradcert {

// Seconds of std::chrono::steady_clock elapsed since t0.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace gradcert
