// Staging for cache blocking (see stage.hpp).
#include "circuits/passes/stage.hpp"

#include <algorithm>
#include <functional>
#include <queue>

#include "circuits/passes/distribute.hpp"
#include "circuits/passes/layout.hpp"

namespace qstate {
namespace {

// Stages the gates ops[begin, end) (all GateOps) and appends them to `out`.
void stage_segment(const std::vector<Op>& ops, std::size_t begin, std::size_t end, unsigned n,
                   const StageOptions& o, std::vector<Op>& out) {
  const std::size_t count = end - begin;
  // Per gate: its qubits, its local need, how many predecessors are not taken yet, and its
  // successors (the next gate on each of its qubits).
  std::vector<std::vector<Qubit>> touched(count);
  std::vector<std::vector<Qubit>> need(count);
  std::vector<unsigned> waiting(count, 0);
  std::vector<std::vector<std::size_t>> next(count);
  std::vector<std::size_t> last(n, SIZE_MAX);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& g = std::get<GateOp>(ops[begin + i]);
    touched[i].assign(g.controls.begin(), g.controls.end());
    touched[i].insert(touched[i].end(), g.targets.begin(), g.targets.end());
    if (!is_plain_swap(g)) need[i] = qubits_needing_local(ops[begin + i]);
    for (Qubit q : touched[i]) {
      if (last[q] != SIZE_MAX && (next[last[q]].empty() || next[last[q]].back() != i)) {
        next[last[q]].push_back(i);
        ++waiting[i];
      }
      last[q] = i;
    }
  }
  const unsigned room = o.block_qubits > o.pinned ? o.block_qubits - o.pinned : 0;
  std::vector<char> in_stage(n, 0);
  unsigned used = 0;
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  std::vector<std::size_t> deferred;
  for (std::size_t i = 0; i < count; ++i)
    if (waiting[i] == 0) ready.push(i);
  std::size_t taken = 0;
  while (taken < count) {
    if (ready.empty()) {  // nothing else fits: a new stage, with the gates that waited
      std::fill(in_stage.begin(), in_stage.end(), 0);
      used = 0;
      for (std::size_t i : deferred) ready.push(i);
      deferred.clear();
    }
    const std::size_t i = ready.top();
    ready.pop();
    unsigned extra = 0;
    for (Qubit q : need[i])
      if (q >= o.pinned && !in_stage[q]) ++extra;
    if (used + extra > room && used != 0) {
      deferred.push_back(i);
      continue;
    }
    for (Qubit q : need[i])
      if (q >= o.pinned && !in_stage[q]) in_stage[q] = 1, ++used;
    out.push_back(ops[begin + i]);
    ++taken;
    for (std::size_t s : next[i])
      if (--waiting[s] == 0) ready.push(s);
  }
}

}  // namespace

std::vector<Op> stage_gates(const std::vector<Op>& ops, unsigned n, const StageOptions& o) {
  std::vector<Op> out;
  out.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size();) {
    if (!std::holds_alternative<GateOp>(ops[i])) {
      out.push_back(ops[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < ops.size() && std::holds_alternative<GateOp>(ops[j])) ++j;
    stage_segment(ops, i, j, n, o, out);
    i = j;
  }
  return out;
}

std::uint64_t blocked_runs(const std::vector<Op>& ops, unsigned n, const StageOptions& o) {
  if (o.block_qubits >= n) return 1;
  std::vector<Op> copy = ops;
  const Layout identity(n);
  const DistributionPlan plan = plan_distribution(copy, n, o.block_qubits, &identity, o.pinned);
  return plan.remaps + 1;
}

}  // namespace qstate
