// The per-block loops of the read-out kernels (reductions.hpp): |a|^2 of a block, the products
// conj(b) a of a block and its partner block laid out contiguously, and signed sums of limbs.
// Compiled for AVX2 and for the x86-64 baseline, chosen at load time. Both compute every term with
// the same IEEE operations in the same order (no contraction into FMA: the library is built with
// -ffp-contract=off), so the terms, and the exact sums of them, are the same bits on either path.
#include <algorithm>
#include <complex>
#include <cstdint>
#include <utility>

#include "simulator/kernels/reductions.hpp"

namespace qstate::kernels {
namespace {

template <class Real>
[[gnu::always_inline]] inline void norm2_loop(const std::complex<Real>* a, std::uint64_t n,
                                              double* out) {
  const Real* x = reinterpret_cast<const Real*>(a);
  for (std::uint64_t r = 0; r < n; ++r) {
    const double re = static_cast<double>(x[2 * r]);
    const double im = static_cast<double>(x[2 * r + 1]);
    out[r] = re * re + im * im;
  }
}

// re[r] + i im[r] = conj(b[r]) * a[r] for r < n; kPart 0: the real part only, 1: the imaginary
// part only, 2: both (one loop per case, so that each vectorises without branches).
template <int kPart, class Real>
[[gnu::always_inline]] inline void products_part(const Real* a, const Real* b, std::uint64_t n,
                                                 double* re, double* im) {
  for (std::uint64_t r = 0; r < n; ++r) {
    const double ar = static_cast<double>(a[2 * r]);
    const double ai = static_cast<double>(a[2 * r + 1]);
    const double br = static_cast<double>(b[2 * r]);
    const double bi = static_cast<double>(b[2 * r + 1]);
    if constexpr (kPart != 1) re[r] = br * ar + bi * ai;  // Re(conj(b) * a)
    if constexpr (kPart != 0) im[r] = br * ai - bi * ar;  // Im(conj(b) * a)
  }
}

// The same, re or im null when not wanted.
template <class Real>
[[gnu::always_inline]] inline void products_run(const Real* a, const Real* b, std::uint64_t n,
                                                double* re, double* im) {
  if (im == nullptr) return products_part<0>(a, b, n, re, im);
  if (re == nullptr) return products_part<1>(a, b, n, re, im);
  products_part<2>(a, b, n, re, im);
}

// The same with b[r ^ x] for b[r], x < 8 and n a multiple of 8: each aligned group of 8
// partners in a constant order per kXor (read in place: staging them through a small array
// costs a failed store-to-load forwarding per vector).
template <unsigned kXor, class Real>
[[gnu::always_inline]] inline void products_xor8(const Real* a, const Real* b, std::uint64_t n,
                                                 std::uint64_t x, double* re, double* im) {
  for (std::uint64_t r = 0; r < n; r += 8) {
    const Real* q = b + 2 * ((r ^ x) & ~std::uint64_t{7});
    const Real* p = a + 2 * r;
    for (unsigned k = 0; k < 8; ++k) {
      const double ar = static_cast<double>(p[2 * k]);
      const double ai = static_cast<double>(p[2 * k + 1]);
      const double br = static_cast<double>(q[2 * (k ^ kXor)]);
      const double bi = static_cast<double>(q[2 * (k ^ kXor) + 1]);
      if (re != nullptr) re[r + k] = br * ar + bi * ai;  // Re(conj(b) * a)
      if (im != nullptr) im[r + k] = br * ai - bi * ar;  // Im(conj(b) * a)
    }
  }
}

template <class Real>
[[gnu::always_inline]] inline void products_loop(const std::complex<Real>* mine,
                                                 const std::complex<Real>* theirs, std::uint64_t n,
                                                 std::uint64_t x, double* re, double* im) {
  const Real* a = reinterpret_cast<const Real*>(mine);
  const Real* b = reinterpret_cast<const Real*>(theirs);
  const std::uint64_t run = x == 0 ? n : (x & (~x + 1));
  if (run >= 8 || n < 8) {
    for (std::uint64_t r = 0; r < n; r += std::min(run, n))
      products_run(a + 2 * r, b + 2 * (r ^ x), std::min(run, n - r),
                   re == nullptr ? nullptr : re + r, im == nullptr ? nullptr : im + r);
    return;
  }
  // products_xor8<x & 7>, each inlined (a table of pointers would call copies compiled for the
  // baseline, not for this clone's target).
  const unsigned low = static_cast<unsigned>(x & 7U);
  [&]<unsigned... kK>(std::integer_sequence<unsigned, kK...>) {
    (void)((low == kK + 1 && (products_xor8<kK + 1>(a, b, n, x, re, im), true)) || ...);
  }
  (std::make_integer_sequence<unsigned, 7>{});
}

}  // namespace

__attribute__((target_clones("avx2", "default"))) void norm2_block(const std::complex<float>* a,
                                                                   std::uint64_t n, double* out) {
  norm2_loop(a, n, out);
}
__attribute__((target_clones("avx2", "default"))) void norm2_block(const std::complex<double>* a,
                                                                   std::uint64_t n, double* out) {
  norm2_loop(a, n, out);
}
__attribute__((target_clones("avx2", "default"))) void pauli_products(
    const std::complex<float>* mine, const std::complex<float>* theirs, std::uint64_t n,
    std::uint64_t x, double* re, double* im) {
  products_loop(mine, theirs, n, x, re, im);
}
__attribute__((target_clones("avx2", "default"))) void pauli_products(
    const std::complex<double>* mine, const std::complex<double>* theirs, std::uint64_t n,
    std::uint64_t x, double* re, double* im) {
  products_loop(mine, theirs, n, x, re, im);
}

// Limb sums stay below 2^62 for n <= 2^11 terms (each limb below 2^51 in magnitude).
__attribute__((target_clones("avx2", "default"))) ExactSum::Raw signed_limb_sum(
    const std::int64_t* hi, const std::int64_t* lo, const std::int64_t* mask, std::uint64_t n) {
  std::int64_t h = 0;
  std::int64_t l = 0;
  for (std::uint64_t r = 0; r < n; ++r) {
    h += (hi[r] ^ mask[r]) - mask[r];
    l += (lo[r] ^ mask[r]) - mask[r];
  }
  return (static_cast<ExactSum::Raw>(h) << 40) + l;
}

}  // namespace qstate::kernels
