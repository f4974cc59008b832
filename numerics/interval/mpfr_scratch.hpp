#pragma once
// Internal: thread-local MPFR temporaries, so that elementary functions allocate nothing per call
// once warmed up. slot(i, bits) returns temporary i with exactly `bits` bits (value unspecified);
// distinct indices are distinct variables. Not reentrant across nested users of the same index.
#include <mpfr.h>

namespace gradcert::detail {

inline constexpr int kScratchSlots = 12;

mpfr_ptr scratch(int index, long bits);

}  // namespace gradcert::detail
