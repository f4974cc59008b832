#pragma once
// The engine's instruction-set level. gradcert_engine is compiled for x86-64-v3 (AVX2, FMA, BMI1/2,
// F16C, MOVBE; every x86-64 CPU since Intel Haswell and AMD Zen 1, AVX-512 or not) with
// -ffp-contract=off, never -march=native, so the same
// binary does the same arithmetic on every machine of that level: a seed gives the same bits on
// any such CPU (docs/engine.md, "Same bits on every machine"). This file is compiled for the
// baseline x86-64 so that the check itself runs anywhere.
namespace gradcert::engine {

// The level the engine is built for, as GCC names it.
inline constexpr const char* kEngineIsaLevel = "x86-64-v3";

// True when the running CPU supports kEngineIsaLevel.
bool cpu_supports_engine_isa();

// Throws gradcert::InputError with a one-line message (the CPU lacks the engine's ISA level,
// naming it) unless cpu_supports_engine_isa(). Called before any engine arithmetic runs
// (make_model, train, the benchmarks).
void require_engine_isa();

}  // namespace gradcert::engine
