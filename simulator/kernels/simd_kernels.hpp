// SIMD gate kernels (Google Highway; AVX-512, AVX2, ... chosen at run time, see simd.hpp) and the
// kernel entry points the states call. Each entry point runs the vector kernel, or when the case
// is not one the vector code handles, the plain kernel (plain_kernels.inc) compiled for the same
// target. Targets without FMA (SSE4, scalar) run the plain kernels only.
//
// Same bits on every path: a vector kernel computes each output amplitude with exactly the
// operations of the plain kernel, in the same order: the canonical complex arithmetic of
// plain_kernels.inc (two fused multiply-add/subtracts per amplitude, vfmaddsub on broadcast
// entries in the vector code, std::fma with the same negations in the plain code), sums over
// matrix columns in increasing order, and no other contraction (the simulator is compiled with
// -ffp-contract=off). So a gate gives the same amplitudes whichever
// position its qubits hold, which is what makes results identical across MPI rank counts, where
// the same qubit sits at different positions.
//
// What is vectorised (Nc = complex amplitudes per vector: 4 doubles or 8 floats with AVX-512):
//  - dense gates of up to 6 targets whose targets and controls all sit at positions >= log2(Nc)
//    (register blocked: R output rows x G vectors of sums in registers);
//  - dense gates of 2 to 4 targets with some or all targets inside one vector, the rest and
//    the controls at or above log2(Nc) (lane permutations, blocked over 2-4 vector groups);
//  - dense 1-qubit gates and X-like swaps whose target is below log2(Nc) (inside one vector) and
//    whose controls are at or above it;
//  - diagonal gates whose positions are all at or above log2(Nc), and 1-target diagonals inside
//    one vector; bit-indexed diagonals (diagonal_indexed) of any width, and such a diagonal
//    multiplied into a whole-vector dense gate's inputs as they are loaded
//    (dense_after_diagonal: one sweep of a cache block instead of two); chains of controlled
//    bit-indexed diagonals in one sweep (diagonal_chain), alone or multiplied into a
//    whole-vector dense gate's outputs before they are stored (dense_then_diagonals);
//  - permutations with unit phases whose positions are all at or above log2(Nc), and SWAPs with
//    one position inside a vector.
#pragma once

#include <complex>
#include <cstdint>

#include "simulator/kernels/diagonal_chain.hpp"
#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/kernels/placement.hpp"

namespace qstate::kernels {

// Entry points (float and double, defined in simd_kernels.cpp): the vector kernel where it
// applies, else the plain kernel compiled for the selected target.
template <class Real>
void dense(std::complex<Real>* amp, const Placement& pl, const std::complex<Real>* m,
           std::uint64_t begin, std::uint64_t end);
template <class Real>
void diagonal(std::complex<Real>* amp, const Placement& pl, const std::complex<Real>* d,
              std::uint64_t begin, std::uint64_t end);
template <class Real>
void permutation(std::complex<Real>* amp, const Placement& pl, const std::uint32_t* perm,
                 const std::complex<Real>* phase, bool unit_phases, std::uint64_t begin,
                 std::uint64_t end);

template <>
void dense<float>(std::complex<float>*, const Placement&, const std::complex<float>*, std::uint64_t,
                  std::uint64_t);
template <>
void dense<double>(std::complex<double>*, const Placement&, const std::complex<double>*,
                   std::uint64_t, std::uint64_t);
template <>
void diagonal<float>(std::complex<float>*, const Placement&, const std::complex<float>*,
                     std::uint64_t, std::uint64_t);
template <>
void diagonal<double>(std::complex<double>*, const Placement&, const std::complex<double>*,
                      std::uint64_t, std::uint64_t);
template <>
void permutation<float>(std::complex<float>*, const Placement&, const std::uint32_t*,
                        const std::complex<float>*, bool, std::uint64_t, std::uint64_t);
template <>
void permutation<double>(std::complex<double>*, const Placement&, const std::uint32_t*,
                         const std::complex<double>*, bool, std::uint64_t, std::uint64_t);

// The bit-indexed diagonal of apply_diagonal_indexed (plain_kernels.inc): amplitude i of
// [begin, end) times d[extract_bits(i, mask)] (amplitude indices).
template <class Real>
void diagonal_indexed(std::complex<Real>* amp, const std::complex<Real>* d, std::uint64_t mask,
                      std::uint64_t begin, std::uint64_t end);
template <>
void diagonal_indexed<float>(std::complex<float>*, const std::complex<float>*, std::uint64_t,
                             std::uint64_t, std::uint64_t);
template <>
void diagonal_indexed<double>(std::complex<double>*, const std::complex<double>*, std::uint64_t,
                              std::uint64_t, std::uint64_t);

// diagonal_indexed(d, mask) and then dense(m) in one sweep, with the bits of the two calls, when
// the vector code covers the case (an uncontrolled gate of at most 6 targets at whole-vector
// positions; the mask holding all or none of the lane positions); false and nothing done
// otherwise. The diagonal reaches only the amplitudes of groups [begin, end), so a caller must
// pass every group of the array.
template <class Real>
bool dense_after_diagonal(std::complex<Real>* amp, const Placement& pl, const std::complex<Real>* m,
                          const std::complex<Real>* d, std::uint64_t mask, std::uint64_t begin,
                          std::uint64_t end);
template <>
bool dense_after_diagonal<float>(std::complex<float>*, const Placement&, const std::complex<float>*,
                                 const std::complex<float>*, std::uint64_t, std::uint64_t,
                                 std::uint64_t);
template <>
bool dense_after_diagonal<double>(std::complex<double>*, const Placement&,
                                  const std::complex<double>*, const std::complex<double>*,
                                  std::uint64_t, std::uint64_t, std::uint64_t);

// A chain of diagonals (diagonal_chain.hpp, apply_diagonal_chain in plain_kernels.inc) on
// amplitudes [begin, end), in one sweep: the bits of one diagonal kernel call per link. At most
// kMaxChainDiagonals links; tables padded by kChainTablePadding entries.
template <class Real>
void diagonal_chain(std::complex<Real>* amp, const ChainDiagonal<Real>* chain, std::size_t count,
                    std::uint64_t begin, std::uint64_t end);
template <>
void diagonal_chain<float>(std::complex<float>*, const ChainDiagonal<float>*, std::size_t,
                           std::uint64_t, std::uint64_t);
template <>
void diagonal_chain<double>(std::complex<double>*, const ChainDiagonal<double>*, std::size_t,
                            std::uint64_t, std::uint64_t);

// dense(m) and then diagonal_chain(chain, count), in one sweep (the chain applied to the
// outputs before they are stored), when the vector code covers the dense gate (uncontrolled, at
// most 6 targets at whole-vector positions; any masks and controls in the chain); false and
// nothing done otherwise. Like dense_after_diagonal, a caller must pass every group.
template <class Real>
bool dense_then_diagonals(std::complex<Real>* amp, const Placement& pl, const std::complex<Real>* m,
                          const ChainDiagonal<Real>* chain, std::size_t count, std::uint64_t begin,
                          std::uint64_t end);
template <>
bool dense_then_diagonals<float>(std::complex<float>*, const Placement&, const std::complex<float>*,
                                 const ChainDiagonal<float>*, std::size_t, std::uint64_t,
                                 std::uint64_t);
template <>
bool dense_then_diagonals<double>(std::complex<double>*, const Placement&,
                                  const std::complex<double>*, const ChainDiagonal<double>*,
                                  std::size_t, std::uint64_t, std::uint64_t);

// True when the vector code (not the plain kernel) would run this dense gate; it does run it.
bool simd_dense_applies(std::complex<double>* amp, const Placement& pl,
                        const std::complex<double>* m, std::uint64_t begin, std::uint64_t end);

}  // namespace qstate::kernels
