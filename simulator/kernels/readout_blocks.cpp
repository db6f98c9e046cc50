// The per-block loops of the read-out kernels (reductions.hpp): |a|^2 of a block, and the
// per-index Pauli terms of a block with its partner block laid out contiguously. Compiled for
// AVX2 and for the x86-64 baseline, chosen at load time. Both compute every term with the same
// IEEE operations in the same order (no contraction into FMA: the library is built with
// -ffp-contract=off), so the terms, and the exact sums of them, are the same bits on either path.
#include <complex>
#include <cstdint>

#include "simulator/kernels/reductions.hpp"

namespace qstate::kernels {
namespace {

template <class Real>
inline void norm2_loop(const std::complex<Real>* a, std::uint64_t n, double* out) {
  const Real* x = reinterpret_cast<const Real*>(a);
  for (std::uint64_t r = 0; r < n; ++r) {
    const double re = static_cast<double>(x[2 * r]);
    const double im = static_cast<double>(x[2 * r + 1]);
    out[r] = re * re + im * im;
  }
}

template <class Real>
inline void pauli_loop(const std::complex<Real>* mine, const std::complex<Real>* theirs,
                       std::uint64_t n, double cr, double ci, const double* sign, double block_sign,
                       double* out) {
  const Real* a = reinterpret_cast<const Real*>(mine);
  const Real* b = reinterpret_cast<const Real*>(theirs);
  for (std::uint64_t r = 0; r < n; ++r) {
    const double ar = static_cast<double>(a[2 * r]);
    const double ai = static_cast<double>(a[2 * r + 1]);
    const double br = static_cast<double>(b[2 * r]);
    const double bi = static_cast<double>(b[2 * r + 1]);
    const double re = br * ar + bi * ai;  // conj(aj) * ai
    const double im = br * ai - bi * ar;
    out[r] = (cr * re + ci * im) * (block_sign * sign[r]);
  }
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
__attribute__((target_clones("avx2", "default"))) void pauli_block(
    const std::complex<float>* mine, const std::complex<float>* theirs, std::uint64_t n, double cr,
    double ci, const double* sign, double block_sign, double* out) {
  pauli_loop(mine, theirs, n, cr, ci, sign, block_sign, out);
}
__attribute__((target_clones("avx2", "default"))) void pauli_block(
    const std::complex<double>* mine, const std::complex<double>* theirs, std::uint64_t n,
    double cr, double ci, const double* sign, double block_sign, double* out) {
  pauli_loop(mine, theirs, n, cr, ci, sign, block_sign, out);
}

}  // namespace qstate::kernels
