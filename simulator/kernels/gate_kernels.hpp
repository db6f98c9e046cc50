// Gate kernels, one per matrix kind: dense, diagonal, permutation (monomial). Each applies a gate
// to the groups [begin, end) of a Placement (see placement.hpp) in an amplitude array; they know
// nothing of threads or ranks. These are the plain (reference) versions, compiled for the
// baseline instruction set; the states call the entry points of simd_kernels.hpp, which run
// vector code or these same kernels compiled for the CPU's instruction set, with equal bits.
#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <utility>
#include <vector>

#include "simulator/kernels/diagonal_chain.hpp"
#include "simulator/kernels/placement.hpp"

namespace qstate::kernels {

inline constexpr unsigned kMaxDenseTargets = 10;

#include "simulator/kernels/plain_kernels.inc"

}  // namespace qstate::kernels
