#pragma once
// Internal: per-thread reuse of MPFR endpoint storage. Interval<Mpfr> results need two fresh MPFR
// numbers; allocating them (mpfr_init2 -> malloc) costs more than the directed additions. Storage
// released by destroyed intervals is kept (up to a fixed count per thread) and handed out again.
#include "numerics/interval/precision.hpp"

namespace gradcert::detail {

// An Mpfr of exactly `bits` bits with value +0.
Mpfr acquire_mpfr(long bits);

// Takes x's storage for reuse by this thread; x is left empty (only destructible/assignable).
void release_mpfr(Mpfr& x) noexcept;

}  // namespace gradcert::detail
