// A chain of bit-indexed diagonals with controls, for the kernels that apply several diagonal
// gates in one sweep (diagonal_chain, dense_then_diagonals in simd_kernels.hpp): each amplitude
// is multiplied by each diagonal's entry in turn, in chain order, where that diagonal's controls
// hold, with the diagonal kernels' own arithmetic (cmul), so the bits are those of one diagonal
// kernel call per gate.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>

namespace qstate::kernels {

// Most diagonals one chain call takes (a longer run is applied in pieces).
inline constexpr std::size_t kMaxChainDiagonals = 16;
// A chain table must be readable this many entries past its end (the vector code loads a whole
// vector of entries and picks lanes from it).
inline constexpr std::size_t kChainTablePadding = 8;

template <class Real>
struct ChainDiagonal {
  // Amplitude i takes table[extract_bits(i, mask)]: bit j of the entry index is the j-th lowest
  // position of mask; 2^popcount(mask) entries (+ kChainTablePadding readable).
  const std::complex<Real>* table = nullptr;
  std::uint64_t mask = 0;
  // Only amplitudes with (i & control_mask) == control_value are multiplied; the others keep
  // their bits (a controlled gate does not touch them).
  std::uint64_t control_mask = 0;
  std::uint64_t control_value = 0;
};

}  // namespace qstate::kernels
