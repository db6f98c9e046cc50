// Fused gate matrices through the kernels (see fused_matrix.hpp).
//
// Each member gate is applied with kernels::apply_dense / apply_diagonal / apply_permutation, the
// plain (reference) kernels, through a kernels::Placement at its targets and controls shifted by
// `shift`; Placement and the kernels' scratch hold small gates inline, so this allocates nothing
// per gate. The dense product is built directly in row-major order: the row index sits in the
// high k positions of the small state and the column index in the low k, so no transpose is
// needed.
//
// std::fma is a library call on the baseline x86-64; where the CPU has FMA, the same code is run
// compiled for it (one instruction per fma, correctly rounded either way: the same bits).
#include "simulator/fused_matrix.hpp"

#include <algorithm>
#include <cassert>
#include <complex>
#include <cstdint>

#include "circuits/small_vector.hpp"
#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/kernels/placement.hpp"

namespace qstate {
namespace {

using C = std::complex<double>;

// Applies g to amp (2^n amplitudes); target and control j of g sit at position index + shift.
[[gnu::always_inline]] inline void apply_gate(C* amp, unsigned n, unsigned shift, const GateOp& g) {
  SmallVector<unsigned, 8> targets(g.targets.size());
  SmallVector<unsigned, 8> controls(g.controls.size());
  std::uint64_t values = 0;
  for (std::size_t j = 0; j < g.targets.size(); ++j) targets[j] = g.targets[j] + shift;
  for (std::size_t j = 0; j < g.controls.size(); ++j) {
    controls[j] = g.controls[j] + shift;
    if (g.control_value(j)) values |= std::uint64_t{1} << j;
  }
  const kernels::Placement pl(targets, controls, values);
  const std::uint64_t groups = pl.num_groups(n);
  const GateMatrix& m = g.matrix;
  const C* e = m.entries.data();
  switch (m.kind) {
    case MatrixKind::kDense:
      kernels::apply_dense(amp, pl, e, 0, groups);
      return;
    case MatrixKind::kDiagonal:
      kernels::apply_diagonal(amp, pl, e, 0, groups);
      return;
    case MatrixKind::kPermutation: {
      const bool unit = std::all_of(m.entries.begin(), m.entries.end(),
                                    [](const C& c) { return c == C(1.0, 0.0); });
      kernels::apply_permutation(amp, pl, m.perm.data(), e, unit, 0, groups);
      return;
    }
  }
}

[[gnu::always_inline]] inline void apply_all(C* amp, unsigned n, unsigned shift,
                                             std::span<const GateOp> gates) {
  for (const GateOp& g : gates) apply_gate(amp, n, shift, g);
}

void apply_all_baseline(C* amp, unsigned n, unsigned shift, std::span<const GateOp> gates) {
  apply_all(amp, n, shift, gates);
}

#if defined(__GNUC__) && defined(__x86_64__)
[[gnu::flatten, gnu::target("fma")]] void apply_all_fma(C* amp, unsigned n, unsigned shift,
                                                        std::span<const GateOp> gates) {
  apply_all(amp, n, shift, gates);
}
#endif

void apply_gates(C* amp, unsigned n, unsigned shift, std::span<const GateOp> gates) {
#if defined(__GNUC__) && defined(__x86_64__)
  static const bool has_fma = __builtin_cpu_supports("fma");
  if (has_fma) {
    apply_all_fma(amp, n, shift, gates);
    return;
  }
#endif
  apply_all_baseline(amp, n, shift, gates);
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
