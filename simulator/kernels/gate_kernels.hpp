// Gate kernels, one per matrix kind: dense, diagonal, permutation (monomial). Each applies a gate
// to the groups [begin, end) of a Placement (see placement.hpp) in an amplitude array; they know
// nothing of threads or ranks. Every path computes each output amplitude with the same
// operations in the same order (sum over matrix columns in increasing order, complex products
// written out), so results do not depend on which path or which positions were used.
#pragma once

#include <vector>
#include <complex>
#include <cstdint>

#include "simulator/kernels/placement.hpp"

namespace qstate::kernels {

inline constexpr unsigned kMaxDenseTargets = 10;

template <class Real>
inline std::complex<Real> cmul(std::complex<Real> a, std::complex<Real> b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

template <class Real>
inline std::complex<Real> cadd(std::complex<Real> a, std::complex<Real> b) {
  return {a.real() + b.real(), a.imag() + b.imag()};
}

// Dense 2^k x 2^k matrix m (row-major) on every group.
template <class Real>
void apply_dense(std::complex<Real>* amp, const Placement& pl, const std::complex<Real>* m,
                 std::uint64_t begin, std::uint64_t end) {
  using C = std::complex<Real>;
  const std::uint64_t* off = pl.offsets();
  switch (pl.num_targets()) {
    case 1: {
      const C m00 = m[0], m01 = m[1], m10 = m[2], m11 = m[3];
      const std::uint64_t o1 = off[1];
      pl.for_each_base(begin, end, [&](std::uint64_t b) {
        const C a0 = amp[b];
        const C a1 = amp[b + o1];
        amp[b] = cadd(cmul(m00, a0), cmul(m01, a1));
        amp[b + o1] = cadd(cmul(m10, a0), cmul(m11, a1));
      });
      return;
    }
    case 2: {
      pl.for_each_base(begin, end, [&](std::uint64_t b) {
        const C a[4] = {amp[b], amp[b + off[1]], amp[b + off[2]], amp[b + off[3]]};
        for (unsigned r = 0; r < 4; ++r) {
          const C* row = m + 4 * r;
          amp[b + off[r]] =
              cadd(cadd(cadd(cmul(row[0], a[0]), cmul(row[1], a[1])), cmul(row[2], a[2])),
                   cmul(row[3], a[3]));
        }
      });
      return;
    }
    default: {
      const std::size_t dim = std::size_t{1} << pl.num_targets();
      std::vector<C> a(dim);  // once per range, not per group
      pl.for_each_base(begin, end, [&](std::uint64_t b) {
        for (std::size_t i = 0; i < dim; ++i) a[i] = amp[b + off[i]];
        for (std::size_t r = 0; r < dim; ++r) {
          const C* row = m + r * dim;
          C acc = cmul(row[0], a[0]);
          for (std::size_t c = 1; c < dim; ++c) acc = cadd(acc, cmul(row[c], a[c]));
          amp[b + off[r]] = acc;
        }
      });
      return;
    }
  }
}

// Diagonal d (2^k entries) on every group.
template <class Real>
void apply_diagonal(std::complex<Real>* amp, const Placement& pl, const std::complex<Real>* d,
                    std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t* off = pl.offsets();
  const std::size_t dim = std::size_t{1} << pl.num_targets();
  if (dim == 1) {
    const std::complex<Real> d0 = d[0];
    pl.for_each_base(begin, end, [&](std::uint64_t b) { amp[b] = cmul(d0, amp[b]); });
    return;
  }
  if (dim == 2) {
    const std::complex<Real> d0 = d[0], d1 = d[1];
    const std::uint64_t o1 = off[1];
    pl.for_each_base(begin, end, [&](std::uint64_t b) {
      amp[b] = cmul(d0, amp[b]);
      amp[b + o1] = cmul(d1, amp[b + o1]);
    });
    return;
  }
  pl.for_each_base(begin, end, [&](std::uint64_t b) {
    for (std::size_t i = 0; i < dim; ++i) amp[b + off[i]] = cmul(d[i], amp[b + off[i]]);
  });
}

// Monomial matrix: the amplitude at group index i moves to perm[i], times phase[i]. With
// unit_phases the amplitudes are only moved (X, CX, SWAP, CCX, ...).
template <class Real>
void apply_permutation(std::complex<Real>* amp, const Placement& pl, const std::uint32_t* perm,
                       const std::complex<Real>* phase, bool unit_phases, std::uint64_t begin,
                       std::uint64_t end) {
  using C = std::complex<Real>;
  const std::uint64_t* off = pl.offsets();
  const std::size_t dim = std::size_t{1} << pl.num_targets();
  if (dim == 2 && unit_phases && perm[0] == 1) {  // X-like: swap the pair
    const std::uint64_t o1 = off[1];
    pl.for_each_base(begin, end, [&](std::uint64_t b) { std::swap(amp[b], amp[b + o1]); });
    return;
  }
  std::vector<C> a(dim);  // once per range, not per group
  pl.for_each_base(begin, end, [&](std::uint64_t b) {
    for (std::size_t i = 0; i < dim; ++i) a[i] = amp[b + off[i]];
    if (unit_phases) {
      for (std::size_t i = 0; i < dim; ++i) amp[b + off[perm[i]]] = a[i];
    } else {
      for (std::size_t i = 0; i < dim; ++i) amp[b + off[perm[i]]] = cmul(phase[i], a[i]);
    }
  });
}

}  // namespace qstate::kernels
