// SIMD target selection. Kernels are compiled once per instruction set (Google Highway: SSSE3,
// SSE4, AVX2, AVX-512 and a scalar fallback) and the best one the CPU supports is chosen at run
// time, so one binary runs on any x86-64. QSTATE_SIMD=scalar|ssse3|sse4|avx2|avx512 forces a path
// (for tests and comparisons); a path the CPU lacks is an error.
#pragma once

#include <string>
#include <vector>

namespace qstate {

// Applies QSTATE_SIMD once (later calls do nothing); throws qstate::Error for a bad value.
void select_simd_target();

// The target dispatched kernels use now, e.g. "AVX3" (AVX-512), "AVX2", "SCALAR".
std::string simd_target_name();

// Names QSTATE_SIMD accepts that this CPU and build support, best first.
std::vector<std::string> available_simd_targets();

// Floating-point operations per second of fused multiply-adds on `threads` threads with the
// selected target (a register-only loop: the arithmetic ceiling of the kernels).
double measure_peak_flops(int threads, bool single_precision);

}  // namespace qstate
