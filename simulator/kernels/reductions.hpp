// Read-only kernels over groups of a Placement: weights (sums of |a|^2), Pauli-string
// expectation terms, and the collapse after a measurement. Sums go into ExactSum, so the result
// does not depend on how the groups are split between threads or ranks.
#pragma once

#include <bit>
#include <complex>
#include <cstdint>

#include "simulator/exact_sum.hpp"
#include "simulator/kernels/placement.hpp"

namespace qstate::kernels {

template <class Real>
inline double norm2(std::complex<Real> a) {
  const double re = static_cast<double>(a.real());
  const double im = static_cast<double>(a.imag());
  return re * re + im * im;
}

// Weights of the two halves of a single-target Placement: |a|^2 summed where the target is 0 and
// where it is 1.
struct HalfWeights {
  ExactSum zero;
  ExactSum one;
  HalfWeights& operator+=(const HalfWeights& o) {
    zero += o.zero;
    one += o.one;
    return *this;
  }
};

template <class Real>
void accumulate_half_weights(const std::complex<Real>* amp, const Placement& pl,
                             std::uint64_t begin, std::uint64_t end, HalfWeights& acc) {
  const std::uint64_t o1 = pl.offsets()[1];
  ExactSum::Raw zero = 0;
  ExactSum::Raw one = 0;
  pl.for_each_base(begin, end, [&](std::uint64_t b) {
    zero += ExactSum::quantize(norm2(amp[b]));
    one += ExactSum::quantize(norm2(amp[b + o1]));
  });
  acc.zero += ExactSum::from_raw(zero);
  acc.one += ExactSum::from_raw(one);
}

// Sum of |a_i|^2 for i in [begin, end).
template <class Real>
ExactSum::Raw weight_of_range(const std::complex<Real>* amp, std::uint64_t begin,
                              std::uint64_t end) {
  ExactSum::Raw raw = 0;
  for (std::uint64_t i = begin; i < end; ++i) raw += ExactSum::quantize(norm2(amp[i]));
  return raw;
}

// A Pauli string on positions: X on x_mask, Z on z_mask, Y where both; phase i^num_y.
// P|i> = i^num_y (-1)^popcount(i & z_mask) |i ^ x_mask>.
struct PauliMasks {
  std::uint64_t x_mask = 0;
  std::uint64_t z_mask = 0;
  unsigned num_y = 0;
  // Position of the lowest X/Y; the Placement for a term with x_mask != 0 has this as its only
  // target, so each group is the pair (i, i ^ x_mask) visited once.
  unsigned pivot() const { return static_cast<unsigned>(std::countr_zero(x_mask)); }
};

// Re(conj(aj) s ai) with s = i^num_y (-1)^popcount(z_bits): one index's term of <psi|P|psi>.
inline double pauli_term(std::complex<double> ai, std::complex<double> aj, unsigned num_y,
                         std::uint64_t z_bits) {
  const double re = aj.real() * ai.real() + aj.imag() * ai.imag();  // conj(aj) * ai
  const double im = aj.real() * ai.imag() - aj.imag() * ai.real();
  double v = 0;
  switch (num_y & 3U) {  // Re(i^ny * (re + i im))
    case 0:
      v = re;
      break;
    case 1:
      v = -im;
      break;
    case 2:
      v = -re;
      break;
    default:
      v = im;
      break;
  }
  return (std::popcount(z_bits) & 1) ? -v : v;
}

// <psi|P|psi> restricted to groups [begin, end). `index_offset` is added to local indices to get
// the bits z_mask is tested against (0 on one process).
template <class Real>
void accumulate_pauli(const std::complex<Real>* amp, const Placement& pl, const PauliMasks& p,
                      std::uint64_t index_offset, std::uint64_t begin, std::uint64_t end,
                      ExactSum& acc) {
  ExactSum::Raw raw = 0;
  if (p.x_mask == 0) {
    // Diagonal: sum of sign(i) |a_i|^2 (num_y is 0 here).
    pl.for_each_base(begin, end, [&](std::uint64_t b) {
      const double w = norm2(amp[b]);
      raw += ExactSum::quantize((std::popcount((b + index_offset) & p.z_mask) & 1) ? -w : w);
    });
  } else {
    // Pair (i, j = i ^ x): each of i and j contributes Re(conj(a_partner) s a), and the two
    // values are equal to the bit for a Hermitian P (s_j = conj(s_i)), so the pair adds twice the
    // quantised value: the same total as summing every index on its own, which is what a rank
    // holding only one side of the pair does.
    const std::uint64_t x = p.x_mask;
    pl.for_each_base(begin, end, [&](std::uint64_t i) {
      const std::complex<double> ai(amp[i].real(), amp[i].imag());
      const std::complex<double> aj(amp[i ^ x].real(), amp[i ^ x].imag());
      raw += 2 * ExactSum::quantize(pauli_term(ai, aj, p.num_y, (i + index_offset) & p.z_mask));
    });
  }
  acc += ExactSum::from_raw(raw);
}

// The same sum for indices whose partner i ^ x lives in another array (another rank's slice):
// for the `count` amplitudes mine[0..count) at local indices offset.., the partner of mine[i] is
// theirs[i ^ x_low]; index bits for the sign are (index_offset + i). Adds Re(conj(a_j) s_i a_i)
// for every i: the per-index terms whose pairwise sums accumulate_pauli adds.
template <class Real>
void accumulate_pauli_cross(const std::complex<Real>* mine, const std::complex<Real>* theirs,
                            std::uint64_t count, std::uint64_t x_low, const PauliMasks& p,
                            std::uint64_t index_offset, ExactSum& acc) {
  ExactSum::Raw raw = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::complex<double> ai(mine[i].real(), mine[i].imag());
    const std::complex<double> aj(theirs[i ^ x_low].real(), theirs[i ^ x_low].imag());
    raw += ExactSum::quantize(pauli_term(ai, aj, p.num_y, (index_offset + i) & p.z_mask));
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
