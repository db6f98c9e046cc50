// Fused gate matrices from the kernels' arithmetic (see fused_matrix.hpp).
//
// Each gate is applied with the operations of the plain kernels (kernels/plain_kernels.inc:
// kernels::cmul / cmac, sums over matrix columns in increasing order, the same special cases for
// unit-phase permutations and X-like swaps), so every amplitude gets the same bits as
// kernels::apply_dense / apply_diagonal / apply_permutation give it; only the visit of the groups
// is done here, without a kernels::Placement (two heap blocks per gate). Groups are independent,
// so the order they are visited in does not change any result. The dense product is built
// directly in row-major order: the row index sits in the high k positions of the small state and
// the column index in the low k, so no transpose is needed.
//
// std::fma is a library call on the baseline x86-64; where the CPU has FMA, the same code is run
// compiled for it (one instruction per fma, correctly rounded either way: the same bits).
#include "simulator/fused_matrix.hpp"

#include <algorithm>
#include <cassert>
#include <complex>
#include <cstdint>
#include <vector>

#include "simulator/kernels/gate_kernels.hpp"

namespace qstate {
namespace {

using C = std::complex<double>;

// Calls f(base) for every index whose `fixed` bits equal `bits`, among indices below 2^n.
template <class F>
[[gnu::always_inline]] inline void for_each_base(unsigned n, std::uint64_t fixed,
                                                 std::uint64_t bits, F&& f) {
  const std::uint64_t all = n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  const std::uint64_t free = all & ~fixed;
  std::uint64_t s = 0;
  do {
    f(s | bits);
    s = (s - free) & free;  // next subset of `free`, increasing
  } while (s != 0);
}

// Scratch reused between calls (offsets and the gathered amplitudes of a group).
struct Scratch {
  std::vector<std::uint64_t> offsets;
  std::vector<C> group;
};

// Applies g to amp (2^n amplitudes); target and control j of g sit at position index + shift.
[[gnu::always_inline]] inline void apply_gate(C* amp, unsigned n, unsigned shift, const GateOp& g,
                                              Scratch& scratch) {
  std::uint64_t fixed = 0;
  std::uint64_t control_bits = 0;
  for (std::size_t j = 0; j < g.controls.size(); ++j) {
    const std::uint64_t b = std::uint64_t{1} << (g.controls[j] + shift);
    fixed |= b;
    if (g.control_value(j)) control_bits |= b;
  }
  const std::size_t t = g.targets.size();
  const std::size_t dim = std::size_t{1} << t;
  std::vector<std::uint64_t>& off = scratch.offsets;
  if (off.size() < dim) off.resize(dim);
  off[0] = 0;
  for (std::size_t j = 0; j < t; ++j) {
    const std::uint64_t b = std::uint64_t{1} << (g.targets[j] + shift);
    fixed |= b;
    const std::size_t half = std::size_t{1} << j;
    for (std::size_t i = 0; i < half; ++i) off[half + i] = off[i] | b;
  }
  const std::uint64_t* o = off.data();
  const GateMatrix& m = g.matrix;
  const C* e = m.entries.data();
  switch (m.kind) {
    case MatrixKind::kDense: {
      if (t == 1) {
        const C m00 = e[0], m01 = e[1], m10 = e[2], m11 = e[3];
        const std::uint64_t o1 = o[1];
        for_each_base(n, fixed, control_bits, [&](std::uint64_t b) {
          const C a0 = amp[b];
          const C a1 = amp[b + o1];
          amp[b] = kernels::cmac(kernels::cmul(m00, a0), m01, a1);
          amp[b + o1] = kernels::cmac(kernels::cmul(m10, a0), m11, a1);
        });
        return;
      }
      std::vector<C>& a = scratch.group;
      if (a.size() < dim) a.resize(dim);
      for_each_base(n, fixed, control_bits, [&](std::uint64_t b) {
        for (std::size_t i = 0; i < dim; ++i) a[i] = amp[b + o[i]];
        for (std::size_t r = 0; r < dim; ++r) {
          const C* row = e + r * dim;
          C acc = kernels::cmul(row[0], a[0]);
          for (std::size_t c = 1; c < dim; ++c) acc = kernels::cmac(acc, row[c], a[c]);
          amp[b + o[r]] = acc;
        }
      });
      return;
    }
    case MatrixKind::kDiagonal:
      for_each_base(n, fixed, control_bits, [&](std::uint64_t b) {
        for (std::size_t i = 0; i < dim; ++i) amp[b + o[i]] = kernels::cmul(e[i], amp[b + o[i]]);
      });
      return;
    case MatrixKind::kPermutation: {
      const bool unit = std::all_of(m.entries.begin(), m.entries.end(),
                                    [](const C& c) { return c == C(1.0, 0.0); });
      const std::uint32_t* perm = m.perm.data();
      if (dim == 2 && unit && perm[0] == 1) {  // X-like: swap the pair
        const std::uint64_t o1 = o[1];
        for_each_base(n, fixed, control_bits,
                      [&](std::uint64_t b) { std::swap(amp[b], amp[b + o1]); });
        return;
      }
      std::vector<C>& a = scratch.group;
      if (a.size() < dim) a.resize(dim);
      for_each_base(n, fixed, control_bits, [&](std::uint64_t b) {
        for (std::size_t i = 0; i < dim; ++i) a[i] = amp[b + o[i]];
        if (unit) {
          for (std::size_t i = 0; i < dim; ++i) amp[b + o[perm[i]]] = a[i];
        } else {
          for (std::size_t i = 0; i < dim; ++i) amp[b + o[perm[i]]] = kernels::cmul(e[i], a[i]);
        }
      });
      return;
    }
  }
}

[[gnu::always_inline]] inline void apply_all(C* amp, unsigned n, unsigned shift,
                                             std::span<const GateOp> gates, Scratch& scratch) {
  for (const GateOp& g : gates) apply_gate(amp, n, shift, g, scratch);
}

void apply_all_baseline(C* amp, unsigned n, unsigned shift, std::span<const GateOp> gates,
                        Scratch& scratch) {
  apply_all(amp, n, shift, gates, scratch);
}

#if defined(__GNUC__) && defined(__x86_64__)
[[gnu::flatten, gnu::target("fma")]] void apply_all_fma(C* amp, unsigned n, unsigned shift,
                                                        std::span<const GateOp> gates,
                                                        Scratch& scratch) {
  apply_all(amp, n, shift, gates, scratch);
}
#endif

void apply_gates(C* amp, unsigned n, unsigned shift, std::span<const GateOp> gates) {
  thread_local Scratch scratch;
#if defined(__GNUC__) && defined(__x86_64__)
  static const bool has_fma = __builtin_cpu_supports("fma");
  if (has_fma) {
    apply_all_fma(amp, n, shift, gates, scratch);
    return;
  }
#endif
  apply_all_baseline(amp, n, shift, gates, scratch);
}

}  // namespace

GateMatrix fused_matrix(unsigned k, MatrixKind kind, std::span<const GateOp> gates) {
  const std::size_t dim = std::size_t{1} << k;
  if (kind == MatrixKind::kDiagonal) {
    for ([[maybe_unused]] const GateOp& g : gates) assert(g.matrix.kind == MatrixKind::kDiagonal);
    MatrixEntries diag(dim, C(1.0, 0.0));
    apply_gates(diag.data(), k, 0, gates);
    return GateMatrix::diagonal(k, std::move(diag));
  }
  // Amplitude c + dim * r is entry (r, c): column c of the identity, each gate on the rows (the
  // high k positions).
  MatrixEntries m(dim * dim, C(0.0, 0.0));
  for (std::size_t c = 0; c < dim; ++c) m[c + dim * c] = C(1.0, 0.0);
  apply_gates(m.data(), 2 * k, k, gates);
  return GateMatrix::classify(k, std::move(m));
}

}  // namespace qstate
