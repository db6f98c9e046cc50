// Fused gate matrices from the tested kernels (see fused_matrix.hpp).
#include "simulator/fused_matrix.hpp"

#include <algorithm>
#include <cassert>
#include <complex>
#include <cstdint>
#include <vector>

#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/kernels/placement.hpp"

namespace qstate {
namespace {

using C = std::complex<double>;

// Applies g (targets and controls: positions of `amp`, an array of 2^num_positions amplitudes).
void apply_gate(C* amp, unsigned num_positions, const GateOp& g) {
  const std::vector<unsigned> targets(g.targets.begin(), g.targets.end());
  const std::vector<unsigned> controls(g.controls.begin(), g.controls.end());
  std::uint64_t values = 0;
  for (std::size_t j = 0; j < g.controls.size(); ++j)
    if (g.control_value(j)) values |= std::uint64_t{1} << j;
  const kernels::Placement pl(targets, controls, values);
  const std::uint64_t groups = pl.num_groups(num_positions);
  const GateMatrix& m = g.matrix;
  switch (m.kind) {
    case MatrixKind::kDense:
      kernels::apply_dense(amp, pl, m.entries.data(), 0, groups);
      break;
    case MatrixKind::kDiagonal:
      kernels::apply_diagonal(amp, pl, m.entries.data(), 0, groups);
      break;
    case MatrixKind::kPermutation: {
      const bool unit = std::all_of(m.entries.begin(), m.entries.end(),
                                    [](const C& c) { return c == C(1.0, 0.0); });
      kernels::apply_permutation(amp, pl, m.perm.data(), m.entries.data(), unit, 0, groups);
      break;
    }
  }
}

}  // namespace

GateMatrix fused_matrix(unsigned k, MatrixKind kind, std::span<const GateOp> gates) {
  const std::size_t dim = std::size_t{1} << k;
  if (kind == MatrixKind::kDiagonal) {
    std::vector<C> diag(dim, C(1.0, 0.0));
    for (const GateOp& g : gates) {
      assert(g.matrix.kind == MatrixKind::kDiagonal);
      apply_gate(diag.data(), k, g);
    }
    return GateMatrix::diagonal(k, std::move(diag));
  }
  // Amplitude r + dim * c is entry (r, c): column c of the identity, then each gate on the rows.
  std::vector<C> columns(dim * dim, C(0.0, 0.0));
  for (std::size_t c = 0; c < dim; ++c) columns[c + dim * c] = C(1.0, 0.0);
  for (const GateOp& g : gates) apply_gate(columns.data(), 2 * k, g);
  std::vector<C> row_major(dim * dim);
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t c = 0; c < dim; ++c) row_major[r * dim + c] = columns[r + dim * c];
  return GateMatrix::classify(k, std::move(row_major));
}

}  // namespace qstate
