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
#include <vector>

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

// Vectorised block loop (readout_blocks.cpp): out[r] = norm2(a[r]).
void norm2_block(const std::complex<float>* a, std::uint64_t n, double* out);
void norm2_block(const std::complex<double>* a, std::uint64_t n, double* out);

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

// One string of a group of Pauli strings that share an X mask: its Z mask (on positions) and
// its number of Y letters.
struct PauliZ {
  std::uint64_t z_mask = 0;
  unsigned num_y = 0;
};

// Strings sharing one X mask, ready for the block kernel: per string, the sign masks
// (0 for +1, -1 for -1) of (-1)^popcount(r & z_mask) for the low index bits r < block.
//
// A block's terms are formed once for the whole group: t_r = Re(conj(a_j) a_i) or Im(...) for
// i = start + r and j = i ^ x (|a_i|^2 when x is 0), each quantised into two int64 limbs once
// (exact_sum.hpp). A string's value is then a signed sum of those limbs: its phase i^num_y picks
// +-Re or +-Im, and its Z bits the sign of each term. Quantising is odd-symmetric, so this is
// the same integer as quantising each string's signed term on its own: the result does not
// depend on how strings are grouped, nor on threads, ranks or SIMD width.
struct PauliGroup {
  PauliGroup(std::uint64_t x, std::span<const PauliZ> zs, std::uint64_t block_size)
      : x_mask(x), strings(zs.begin(), zs.end()), block(block_size) {
    masks.resize(strings.size() * block);
    for (std::size_t t = 0; t < strings.size(); ++t) {
      std::int64_t* m = masks.data() + t * block;
      const std::uint64_t z = strings[t].z_mask & (block - 1);
      m[0] = 0;
      for (std::uint64_t r = 1; r < block; ++r) {
        const std::uint64_t low = r & (~r + 1);
        m[r] = m[r & (r - 1)] ^ ((low & z) != 0 ? -1 : 0);
      }
      if (x_mask != 0 && (strings[t].num_y & 1U) != 0) {
        need_im = true;
      } else {
        need_re = true;
      }
    }
  }
  std::uint64_t x_mask;
  std::vector<PauliZ> strings;
  std::uint64_t block;
  std::vector<std::int64_t> masks;
  bool need_re = false;
  bool need_im = false;
};

// Vectorised pieces of the block kernel (readout_blocks.cpp). pauli_products: re[r] + i im[r]
// = conj(theirs[r ^ x]) * mine[r] in double, for x < n (re or im may be null: not computed).
// signed_limb_sum: sum over r of ((hi[r] << 40) + lo[r]) negated where mask[r] is -1 (n <= 2^11).
void pauli_products(const std::complex<float>* mine, const std::complex<float>* theirs,
                    std::uint64_t n, std::uint64_t x, double* re, double* im);
void pauli_products(const std::complex<double>* mine, const std::complex<double>* theirs,
                    std::uint64_t n, std::uint64_t x, double* re, double* im);
ExactSum::Raw signed_limb_sum(const std::int64_t* hi, const std::int64_t* lo,
                              const std::int64_t* mask, std::uint64_t n);

// The quantised terms of one block (re or im): int64 limbs, or (when a term is too large for
// them, never for a normalised state) the 128-bit values.
struct QuantisedTerms {
  bool limbs = true;
  std::int64_t hi[kReadBlock];
  std::int64_t lo[kReadBlock];
  ExactSum::Raw wide[kReadBlock];

  void set(const double* v, std::uint64_t n) {
    limbs = quantize_limbs(v, n, hi, lo);
    if (!limbs)
      for (std::uint64_t r = 0; r < n; ++r) wide[r] = ExactSum::quantize(v[r]);
  }
  ExactSum::Raw signed_sum(const std::int64_t* mask, std::uint64_t n) const {
    if (limbs) return signed_limb_sum(hi, lo, mask, n);
    ExactSum::Raw s = 0;
    for (std::uint64_t r = 0; r < n; ++r) s += mask[r] != 0 ? -wide[r] : wide[r];
    return s;
  }
};

struct PauliScratch {
  double re[kReadBlock];
  double im[kReadBlock];
  QuantisedTerms qre;
  QuantisedTerms qim;
};

// One block of n <= g.block indices: mine[r] is index `index` + r (index has no bits below n,
// offsets included: the Z signs are taken of it), its partner theirs[r ^ x_low]. Adds weight *
// (each string's signed sum) to acc[0 .. strings).
template <class Real>
void pauli_group_block(const std::complex<Real>* mine, const std::complex<Real>* theirs,
                       std::uint64_t n, std::uint64_t x_low, const PauliGroup& g,
                       std::uint64_t index, int weight, PauliScratch& s, ExactSum::Raw* acc) {
  if (g.x_mask == 0) {
    norm2_block(mine, n, s.re);
    s.qre.set(s.re, n);
  } else {
    pauli_products(mine, theirs, n, x_low, g.need_re ? s.re : nullptr, g.need_im ? s.im : nullptr);
    if (g.need_re) s.qre.set(s.re, n);
    if (g.need_im) s.qim.set(s.im, n);
  }
  for (std::size_t t = 0; t < g.strings.size(); ++t) {
    const PauliZ& z = g.strings[t];
    // Re(i^num_y (re + i im)) = re, -im, -re, im.
    const unsigned phase = g.x_mask == 0 ? 0 : z.num_y & 3U;
    const QuantisedTerms& q = (phase & 1U) ? s.qim : s.qre;
    ExactSum::Raw v = q.signed_sum(g.masks.data() + t * g.block, n);
    const bool negate = (phase == 1 || phase == 2) != ((std::popcount(index & z.z_mask) & 1) != 0);
    acc[t] += negate ? -weight * v : weight * v;
  }
}

// <psi|P|psi> of every string of the group, restricted to the blocks of g.block indices
// [block_begin, block_end) of an array of `size` amplitudes (size a power of two, g.block =
// min(size, kReadBlock)). `index_offset` is added to local indices to get the bits the Z masks
// are tested against (0 on one process). Raw sums added to acc[0 .. strings).
//
// Pairs (i, j = i ^ x): each of i and j contributes Re(conj(a_partner) s a), and the two values
// are equal to the bit for a Hermitian P (s_j = conj(s_i)), so a pair adds twice the quantised
// value: the same total as summing every index on its own, which is what a block whose partner
// lies in the same block does, and what a rank holding only one side of the pair does. Blocks
// whose partner block is another one (x has bits at or above the block size) are visited from
// the lower of the two, once per pair.
template <class Real>
void accumulate_pauli_group(const std::complex<Real>* amp, const PauliGroup& g,
                            std::uint64_t index_offset, std::uint64_t block_begin,
                            std::uint64_t block_end, ExactSum::Raw* acc) {
  const std::uint64_t block = g.block;
  const std::uint64_t x_low = g.x_mask & (block - 1);
  const std::uint64_t x_high = g.x_mask & ~(block - 1);
  const std::uint64_t lowest_high = x_high & (~x_high + 1);
  PauliScratch s;
  for (std::uint64_t b = block_begin; b < block_end; ++b) {
    const std::uint64_t start = b * block;
    if ((start & lowest_high) != 0) continue;  // visited from its partner block
    pauli_group_block(amp + start, amp + (start ^ x_high), block, x_low, g, start + index_offset,
                      x_high != 0 ? 2 : 1, s, acc);
  }
}

// The same sum for indices whose partner i ^ x lives in another array (another rank's slice):
// for the `count` amplitudes mine[0..count) at local indices offset.., the partner of mine[i] is
// theirs[i ^ x_low]; index bits for the sign are (index_offset + i). Adds Re(conj(a_j) s_i a_i)
// for every i: the per-index terms whose pairwise sums accumulate_pauli_group adds.
template <class Real>
void accumulate_pauli_cross(const std::complex<Real>* mine, const std::complex<Real>* theirs,
                            std::uint64_t count, std::uint64_t x_low, const PauliMasks& p,
                            std::uint64_t index_offset, ExactSum& acc) {
  const std::uint64_t block = std::min(count, kReadBlock);
  const std::uint64_t xl = x_low & (block - 1);
  const std::uint64_t xh = x_low & ~(block - 1);
  const PauliZ z{p.z_mask, p.num_y};
  const PauliGroup g(p.x_mask, std::span(&z, 1), block);  // x_mask != 0: a partner rank
  PauliScratch s;
  ExactSum::Raw raw = 0;
  for (std::uint64_t start = 0; start < count; start += block)
    pauli_group_block(mine + start, theirs + (start ^ xh), block, xl, g, start + index_offset, 1, s,
                      &raw);
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
