// Layout bookkeeping and the locality rules shared by the planner and the states.
#include "circuits/passes/layout.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace qstate {

Layout::Layout(unsigned num_qubits) : position_of_(num_qubits), qubit_at_(num_qubits) {
  for (unsigned q = 0; q < num_qubits; ++q) position_of_[q] = qubit_at_[q] = q;
}

Layout Layout::from_positions(std::vector<unsigned> position_of) {
  Layout l;
  l.qubit_at_.assign(position_of.size(), 0);
  for (Qubit q = 0; q < position_of.size(); ++q) l.qubit_at_[position_of[q]] = q;
  l.position_of_ = std::move(position_of);
  return l;
}

std::uint64_t Layout::position_bits(std::uint64_t qubit_bits) const {
  std::uint64_t out = 0;
  for (Qubit q = 0; q < position_of_.size(); ++q)
    if ((qubit_bits >> q) & 1U) out |= std::uint64_t{1} << position_of_[q];
  return out;
}

bool Layout::is_identity() const {
  for (unsigned q = 0; q < position_of_.size(); ++q)
    if (position_of_[q] != q) return false;
  return true;
}

void Layout::swap_qubits(Qubit a, Qubit b) {
  std::swap(position_of_[a], position_of_[b]);
  qubit_at_[position_of_[a]] = a;
  qubit_at_[position_of_[b]] = b;
}

bool is_plain_swap(const GateOp& op) {
  const GateMatrix& m = op.matrix;
  if (!op.may_relabel || !op.controls.empty() || m.kind != MatrixKind::kPermutation ||
      m.num_targets != 2)
    return false;
  const MatrixPerm& p = m.perm;  // {0, 2, 1, 3}
  return p.size() == 4 && p[0] == 0 && p[1] == 2 && p[2] == 1 && p[3] == 3 &&
         std::all_of(m.entries.begin(), m.entries.end(),
                     [](const Complex& c) { return c == Complex(1.0, 0.0); });
}

LocalQubits qubits_needing_local(const Op& op) {
  if (const auto* g = std::get_if<GateOp>(&op)) {
    if (g->matrix.kind == MatrixKind::kDiagonal) return {};
    return LocalQubits(g->targets.begin(), g->targets.end());
  }
  if (const auto* r = std::get_if<ResetOp>(&op)) return {r->qubit};
  if (const auto* branch = std::get_if<IfOp>(&op)) {
    LocalQubits all;
    for (const auto* body : {&branch->then_ops, &branch->else_ops})
      for (const Op& inner : *body) {
        const LocalQubits q = qubits_needing_local(inner);
        all.insert(all.end(), q.begin(), q.end());
      }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }
  return {};
}

}  // namespace qstate
