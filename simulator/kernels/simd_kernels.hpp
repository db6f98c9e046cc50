// SIMD gate kernels (Google Highway; AVX-512, AVX2, SSE4, ... chosen at run time, see simd.hpp)
// and the kernel entry points the states call. Each entry point tries the vector kernel and runs
// the plain kernel of gate_kernels.hpp when the case is not one the vector code handles (or the
// selected target is scalar).
//
// Same bits on every path: a vector kernel computes each output amplitude with exactly the
// operations of the plain kernel, in the same order — complex products written out as
// (mr*ar - mi*ai, mr*ai + mi*ar), no fused multiply-add (the kernels are compiled with
// -ffp-contract=off), sums over matrix columns in increasing order (two-term sums may be
// commuted: IEEE addition is commutative). So a gate gives the same amplitudes whichever
// position its qubits hold, which is what makes results identical across MPI rank counts, where
// the same qubit sits at different positions.
//
// What is vectorised (Nc = complex amplitudes per vector: 4 doubles or 8 floats with AVX-512):
//  - dense gates of any width whose targets and controls all sit at positions >= log2(Nc);
//  - dense 1-qubit gates and X-like swaps whose target is below log2(Nc) (inside one vector) and
//    whose controls are at or above it;
//  - diagonal gates whose positions are all at or above log2(Nc), and 1-target diagonals inside
//    one vector;
//  - permutations with unit phases whose positions are all at or above log2(Nc), and SWAPs with
//    one position inside a vector.
#pragma once

#include <complex>
#include <cstdint>

#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/kernels/placement.hpp"

namespace qstate::kernels {

// Each returns false, having done nothing, when the case is not vectorised.
bool simd_dense(std::complex<float>* amp, const Placement& pl, const std::complex<float>* m,
                std::uint64_t begin, std::uint64_t end);
bool simd_dense(std::complex<double>* amp, const Placement& pl, const std::complex<double>* m,
                std::uint64_t begin, std::uint64_t end);
bool simd_diagonal(std::complex<float>* amp, const Placement& pl, const std::complex<float>* d,
                   std::uint64_t begin, std::uint64_t end);
bool simd_diagonal(std::complex<double>* amp, const Placement& pl, const std::complex<double>* d,
                   std::uint64_t begin, std::uint64_t end);
// X-like permutation: the two amplitudes of each group exchanged.
bool simd_swap_pair(std::complex<float>* amp, const Placement& pl, std::uint64_t begin,
                    std::uint64_t end);
bool simd_swap_pair(std::complex<double>* amp, const Placement& pl, std::uint64_t begin,
                    std::uint64_t end);
// Permutation with unit phases.
bool simd_permute(std::complex<float>* amp, const Placement& pl, const std::uint32_t* perm,
                  std::uint64_t begin, std::uint64_t end);
bool simd_permute(std::complex<double>* amp, const Placement& pl, const std::uint32_t* perm,
                  std::uint64_t begin, std::uint64_t end);

template <class Real>
void dense(std::complex<Real>* amp, const Placement& pl, const std::complex<Real>* m,
           std::uint64_t begin, std::uint64_t end) {
  if (!simd_dense(amp, pl, m, begin, end)) apply_dense(amp, pl, m, begin, end);
}

template <class Real>
void diagonal(std::complex<Real>* amp, const Placement& pl, const std::complex<Real>* d,
              std::uint64_t begin, std::uint64_t end) {
  if (!simd_diagonal(amp, pl, d, begin, end)) apply_diagonal(amp, pl, d, begin, end);
}

template <class Real>
void permutation(std::complex<Real>* amp, const Placement& pl, const std::uint32_t* perm,
                 const std::complex<Real>* phase, bool unit_phases, std::uint64_t begin,
                 std::uint64_t end) {
  if (pl.num_targets() == 1 && unit_phases && perm[0] == 1 && simd_swap_pair(amp, pl, begin, end))
    return;
  if (unit_phases && pl.num_targets() >= 2 && simd_permute(amp, pl, perm, begin, end)) return;
  apply_permutation(amp, pl, perm, phase, unit_phases, begin, end);
}

}  // namespace qstate::kernels
