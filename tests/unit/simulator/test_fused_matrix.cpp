// fused_matrix (simulator/fused_matrix.cpp) against the way it was first written: every gate
// applied with the kernels themselves (kernels::apply_dense / apply_diagonal / apply_permutation
// through a kernels::Placement) to the identity held as a small state, then transposed. Both must
// give the same matrices bit for bit (signs of zeros included), on random groups of every kind
// of standard gate, open controls, widths up to 10.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include "circuits/gates.hpp"
#include "simulator/fused_matrix.hpp"
#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/kernels/placement.hpp"

namespace {

using namespace qstate;
using C = std::complex<double>;

void reference_apply(C* amp, unsigned num_positions, const GateOp& g) {
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

GateMatrix reference_fused(unsigned k, MatrixKind kind, const std::vector<GateOp>& gates) {
  const std::size_t dim = std::size_t{1} << k;
  if (kind == MatrixKind::kDiagonal) {
    std::vector<C> diag(dim, C(1.0, 0.0));
    for (const GateOp& g : gates) reference_apply(diag.data(), k, g);
    return GateMatrix::diagonal(k, std::move(diag));
  }
  std::vector<C> columns(dim * dim, C(0.0, 0.0));
  for (std::size_t c = 0; c < dim; ++c) columns[c + dim * c] = C(1.0, 0.0);
  for (const GateOp& g : gates) reference_apply(columns.data(), 2 * k, g);
  std::vector<C> row_major(dim * dim);
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t c = 0; c < dim; ++c) row_major[r * dim + c] = columns[r + dim * c];
  return GateMatrix::classify(k, std::move(row_major));
}

bool same_bits(const GateMatrix& a, const GateMatrix& b) {
  if (a.kind != b.kind || a.num_targets != b.num_targets || a.entries.size() != b.entries.size() ||
      !(a.perm == b.perm))
    return false;
  for (std::size_t i = 0; i < a.entries.size(); ++i)
    if (std::bit_cast<std::uint64_t>(a.entries[i].real()) !=
            std::bit_cast<std::uint64_t>(b.entries[i].real()) ||
        std::bit_cast<std::uint64_t>(a.entries[i].imag()) !=
            std::bit_cast<std::uint64_t>(b.entries[i].imag()))
      return false;
  return true;
}

}  // namespace

TEST_CASE("fused_matrix gives the kernels' bits", "[simulator][fusion]") {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> angle(-3.5, 3.5);
  std::vector<const StandardGate*> all;
  std::vector<const StandardGate*> diagonal;
  for (const StandardGate& s : standard_gates()) {
    all.push_back(&s);
    std::vector<double> p(s.num_params, 0.3);
    if (s.base(p.data()).kind == MatrixKind::kDiagonal) diagonal.push_back(&s);
  }
  for (int round = 0; round < 600; ++round) {
    const bool diag = round % 3 == 0;
    const unsigned k =
        diag ? 1 + static_cast<unsigned>(rng() % 10) : 1 + static_cast<unsigned>(rng() % 4);
    const auto& pool = diag ? diagonal : all;
    std::vector<GateOp> gates;
    MatrixKind kind = MatrixKind::kDiagonal;
    const int count = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < count; ++i) {
      const StandardGate* s = pool[rng() % pool.size()];
      if (s->num_qubits > k) continue;
      std::vector<double> params(s->num_params);
      for (double& p : params) p = (rng() % 4 == 0) ? 0.0 : angle(rng);
      std::vector<Qubit> qubits(k);
      for (Qubit q = 0; q < k; ++q) qubits[q] = q;
      std::shuffle(qubits.begin(), qubits.end(), rng);
      qubits.resize(s->num_qubits);
      GateOp g = make_gate(*s, params, qubits);
      if (!g.controls.empty()) g.open_controls = rng() % (std::uint64_t{1} << g.controls.size());
      if (g.matrix.kind == MatrixKind::kDense) kind = MatrixKind::kDense;
      if (g.matrix.kind == MatrixKind::kPermutation && kind == MatrixKind::kDiagonal)
        kind = MatrixKind::kPermutation;
      gates.push_back(std::move(g));
    }
    if (gates.empty()) continue;
    INFO("round " << round << ", k " << k);
    const GateMatrix want = reference_fused(k, kind, gates);
    const GateMatrix got = fused_matrix(k, kind, gates);
    REQUIRE(same_bits(got, want));
  }
}
