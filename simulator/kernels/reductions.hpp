// Read-only kernels: weights (sums of |a|^2, per bin of some index bits), Pauli-string
// expectation terms, and the collapse after a measurement (over groups of a Placement). Sums go
// into ExactSum, so the result does not depend on how the work is split between threads or ranks.
#pragma once

#include <algorithm>
#include <bit>
#include <complex>
#include <cstdint>
#include <span>
#include <utility>

#include "simulator/exact_sum.hpp"
#include "simulator/kernels/placement.hpp"

namespace qstate::kernels {

template <class Real>
inline double norm2(std::complex<Real> a) {
  const double re = static_cast<double>(a.real());
  const double im = static_cast<double>(a.imag());
  return re * re + im * im;
}

// Read-out kernels compute their per-index terms in double into a small buffer, one block of
// consecutive indices at a time, and hand the block to exact_sum_of: the vectorised exact sum
// (exact_sum.hpp) of the terms' quantised values. Blocks never change what is summed, only how
// fast: the totals are the same integers as adding ExactSum::quantize of each term.
inline constexpr std::uint64_t kReadBlock = 1024;

// Vectorised block loops (readout_blocks.cpp). norm2_block: out[r] = norm2(a[r]).
// pauli_block: out[r] = (cr * re + ci * im) * (block_sign * sign[r]) with re + i im =
// conj(theirs[r]) * mine[r] (see PhasePick and pauli_block_terms).
void norm2_block(const std::complex<float>* a, std::uint64_t n, double* out);
void norm2_block(const std::complex<double>* a, std::uint64_t n, double* out);
void pauli_block(const std::complex<float>* mine, const std::complex<float>* theirs,
                 std::uint64_t n, double cr, double ci, const double* sign, double block_sign,
                 double* out);
void pauli_block(const std::complex<double>* mine, const std::complex<double>* theirs,
                 std::uint64_t n, double cr, double ci, const double* sign, double block_sign,
                 double* out);

// Sign (+1/-1) of (-1)^popcount(r & mask) for r in [0, kReadBlock): the Z sign of the low bits
// of a block's indices (the block's high bits give one sign for the whole block).
struct BlockSigns {
  explicit BlockSigns(std::uint64_t mask) {
    sign[0] = 1.0;
    for (std::uint64_t r = 1; r < kReadBlock; ++r) {
      const std::uint64_t low = r & (~r + 1);
      sign[r] = sign[r & (r - 1)] * ((low & mask) != 0 ? -1.0 : 1.0);
    }
  }
  double sign[kReadBlock];
};

// Exact sums of |a_i|^2 into bins: bin(i) = OR over j of bit j of `key_base` and, for each
// (memory bit m, bin bit b) in `bits`, bit m of i at bin bit b. For i in [begin, end).
// bins has 2^(bits.size() + high bits of key_base) entries; raw sums are added to it.
template <class Real>
void accumulate_histogram(const std::complex<Real>* amp, std::uint64_t begin, std::uint64_t end,
                          std::span<const std::pair<unsigned, unsigned>> bits,
                          std::uint64_t key_base, ExactSum::Raw* bins) {
  double w[kReadBlock];
  std::int64_t hi[kReadBlock];
  std::int64_t lo[kReadBlock];
  const auto key_of = [&](std::uint64_t i) {
    std::uint64_t key = key_base;
    for (const auto& [m, b] : bits) key |= ((i >> m) & 1U) << b;
    return key;
  };
  std::uint64_t low_mask = 0;  // memory bits below the block size that pick the bin
  for (const auto& [m, b] : bits)
    if ((std::uint64_t{1} << m) < kReadBlock) low_mask |= std::uint64_t{1} << m;
  for (std::uint64_t start = begin; start < end;) {
    const std::uint64_t stop = std::min(end, (start | (kReadBlock - 1)) + 1);
    const std::uint64_t n = stop - start;
    norm2_block(amp + start, n, w);
    if (low_mask == 0) {
      bins[key_of(start)] += exact_sum_of(w, n);
    } else if (quantize_limbs(w, n, hi, lo)) {
      // Per bin: int64 limbs, combined in 128 bits once per block (n <= 2^10 terms).
      for (std::uint64_t r = 0; r < n; ++r) {
        const std::uint64_t key = key_of(start + r);
        bins[key] += (static_cast<ExactSum::Raw>(hi[r]) << 40) + lo[r];
      }
    } else {
      for (std::uint64_t r = 0; r < n; ++r) bins[key_of(start + r)] += ExactSum::quantize(w[r]);
    }
    start = stop;
  }
}

// Weights of the two halves of position p: |a|^2 summed where bit p is 0 and where it is 1.
template <class Real>
void accumulate_half_weights(const std::complex<Real>* amp, unsigned p, std::uint64_t begin,
                             std::uint64_t end, ExactSum::Raw* zero_one) {
  const std::pair<unsigned, unsigned> bit{p, 0};
  accumulate_histogram(amp, begin, end, std::span(&bit, 1), 0, zero_one);
}

// Sum of |a_i|^2 for i in [begin, end).
template <class Real>
ExactSum::Raw weight_of_range(const std::complex<Real>* amp, std::uint64_t begin,
                              std::uint64_t end) {
  ExactSum::Raw bin = 0;
  accumulate_histogram<Real>(amp, begin, end, {}, 0, &bin);
  return bin;
}

// A Pauli string on positions: X on x_mask, Z on z_mask, Y where both; phase i^num_y.
// P|i> = i^num_y (-1)^popcount(i & z_mask) |i ^ x_mask>.
struct PauliMasks {
  std::uint64_t x_mask = 0;
  std::uint64_t z_mask = 0;
  unsigned num_y = 0;
  // Position of the lowest X/Y.
  unsigned pivot() const { return static_cast<unsigned>(std::countr_zero(x_mask)); }
};

// Re(i^num_y * (re + i im)) = cr * re + ci * im, with (cr, ci) one of (1,0), (0,-1), (-1,0),
// (0,1): adding a product with 0 changes no bit of the other (x + 0 == x, and a zero result
// quantises to 0 whatever its sign).
struct PhasePick {
  explicit PhasePick(unsigned num_y) {
    switch (num_y & 3U) {
      case 0:
        cr = 1;
        break;
      case 1:
        ci = -1;
        break;
      case 2:
        cr = -1;
        break;
      default:
        ci = 1;
        break;
    }
  }
  double cr = 0;
  double ci = 0;
};

// Per-index terms of <psi|P|psi> for a block of n <= kReadBlock indices whose first index has no
// bits below n: t[r] = Re(conj(a_j) s_i a_i) with a_i = mine[r], a_j = theirs[r ^ x_low], the
// sign of the Z bits given as block_sign (the block's high bits) times signs.sign[r].
template <class Real>
void pauli_block_terms(const std::complex<Real>* mine, const std::complex<Real>* theirs,
                       std::uint64_t n, std::uint64_t x_low, const PhasePick& pick,
                       const BlockSigns& signs, double block_sign, double* t) {
  if (x_low == 0) {
    pauli_block(mine, theirs, n, pick.cr, pick.ci, signs.sign, block_sign, t);
    return;
  }
  std::complex<Real> partner[kReadBlock];  // theirs in the order of mine
  for (std::uint64_t r = 0; r < n; ++r) partner[r] = theirs[r ^ x_low];
  pauli_block(mine, partner, n, pick.cr, pick.ci, signs.sign, block_sign, t);
}

inline double parity_sign(std::uint64_t bits) {
  return (std::popcount(bits) & 1) ? -1.0 : 1.0;
}

// <psi|P|psi> restricted to the blocks of kReadBlock indices [block_begin, block_end) of an
// array of `size` amplitudes (size a power of two). `index_offset` is added to local indices to
// get the bits z_mask is tested against (0 on one process). Raw sum added to acc.
//
// Pairs (i, j = i ^ x): each of i and j contributes Re(conj(a_partner) s a), and the two values
// are equal to the bit for a Hermitian P (s_j = conj(s_i)), so a pair adds twice the quantised
// value: the same total as summing every index on its own, which is what a block whose partner
// lies in the same block does, and what a rank holding only one side of the pair does. Blocks
// whose partner block is another one (x has bits at or above the block size) are visited from
// the lower of the two, once per pair.
template <class Real>
void accumulate_pauli(const std::complex<Real>* amp, std::uint64_t size, const PauliMasks& p,
                      std::uint64_t index_offset, std::uint64_t block_begin,
                      std::uint64_t block_end, ExactSum& acc) {
  const std::uint64_t block = std::min(size, kReadBlock);
  const std::uint64_t x_low = p.x_mask & (block - 1);
  const std::uint64_t x_high = p.x_mask & ~(block - 1);
  const BlockSigns signs(p.z_mask & (block - 1));
  const PhasePick pick(p.num_y);
  double t[kReadBlock];
  ExactSum::Raw raw = 0;
  ExactSum::Raw paired = 0;  // sums that count twice
  const std::uint64_t lowest_high = x_high & (~x_high + 1);
  for (std::uint64_t b = block_begin; b < block_end; ++b) {
    const std::uint64_t start = b * block;
    if ((start & lowest_high) != 0) continue;  // visited from its partner block
    const double block_sign = parity_sign((start + index_offset) & p.z_mask);
    if (p.x_mask == 0) {
      norm2_block(amp + start, block, t);
      for (std::uint64_t r = 0; r < block; ++r) t[r] *= block_sign * signs.sign[r];
      raw += exact_sum_of(t, block);
      continue;
    }
    pauli_block_terms(amp + start, amp + (start ^ x_high), block, x_low, pick, signs, block_sign,
                      t);
    if (x_high != 0) {
      paired += exact_sum_of(t, block);
    } else {
      raw += exact_sum_of(t, block);
    }
  }
  acc += ExactSum::from_raw(raw + 2 * paired);
}

// The same sum for indices whose partner i ^ x lives in another array (another rank's slice):
// for the `count` amplitudes mine[0..count) at local indices offset.., the partner of mine[i] is
// theirs[i ^ x_low]; index bits for the sign are (index_offset + i). Adds Re(conj(a_j) s_i a_i)
// for every i: the per-index terms whose pairwise sums accumulate_pauli adds.
template <class Real>
void accumulate_pauli_cross(const std::complex<Real>* mine, const std::complex<Real>* theirs,
                            std::uint64_t count, std::uint64_t x_low, const PauliMasks& p,
                            std::uint64_t index_offset, ExactSum& acc) {
  const std::uint64_t block = std::min(count, kReadBlock);
  const std::uint64_t xl = x_low & (block - 1);
  const std::uint64_t xh = x_low & ~(block - 1);
  const BlockSigns signs(p.z_mask & (block - 1));
  const PhasePick pick(p.num_y);
  double t[kReadBlock];
  ExactSum::Raw raw = 0;
  for (std::uint64_t start = 0; start < count; start += block) {
    const double block_sign = parity_sign((start + index_offset) & p.z_mask);
    pauli_block_terms(mine + start, theirs + (start ^ xh), block, xl, pick, signs, block_sign, t);
    raw += exact_sum_of(t, block);
  }
  acc += ExactSum::from_raw(raw);
}

// After measuring the placement's single target: keep the `outcome` half scaled by `scale` and
// zero the other; with `to_zero`, the kept half moves to the |0> half (measure-and-reset).
template <class Real>
void collapse_pairs(std::complex<Real>* amp, const Placement& pl, bool outcome, Real scale,
                    bool to_zero, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t o1 = pl.offsets()[1];
  const std::complex<Real> zero(0, 0);
  pl.for_each_base(begin, end, [&](std::uint64_t b) {
    const std::complex<Real> kept = (outcome ? amp[b + o1] : amp[b]) * scale;
    if (!outcome || to_zero) {
      amp[b] = kept;
      amp[b + o1] = zero;
    } else {
      amp[b] = zero;
      amp[b + o1] = kept;
    }
  });
}

}  // namespace qstate::kernels
