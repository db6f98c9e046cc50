// Staging for cache blocking (circuits/passes/stage.hpp): the staged order keeps every pair of
// gates that share a qubit in program order (so the program means the same), keeps non-gate ops
// in place, and on a brickwork circuit (the benchmark's random circuits) makes fewer blocked
// passes than program order.
#include <catch2/catch.hpp>
#include <map>

#include "circuits/gates.hpp"
#include "circuits/passes/stage.hpp"
#include "tests/support/random_circuits.hpp"

using qstate::GateOp;
using qstate::make_gate;
using qstate::Op;

namespace {

// Brickwork: `cycles` layers of a non-diagonal 1-qubit gate on every qubit, then cz on
// alternating neighbour pairs.
std::vector<Op> brickwork(unsigned n, unsigned cycles) {
  std::vector<Op> ops;
  for (unsigned c = 0; c < cycles; ++c) {
    for (unsigned q = 0; q < n; ++q) ops.emplace_back(make_gate("sx", {}, {q}));
    for (unsigned q = c % 2; q + 1 < n; q += 2) ops.emplace_back(make_gate("cz", {}, {q, q + 1}));
  }
  return ops;
}

// For each qubit, the sequence of ops (by name and qubits) touching it.
std::map<qstate::Qubit, std::vector<std::string>> per_qubit(const std::vector<Op>& ops) {
  std::map<qstate::Qubit, std::vector<std::string>> out;
  for (const Op& op : ops) {
    const auto* g = std::get_if<GateOp>(&op);
    if (g == nullptr) continue;
    std::string id = g->name;
    for (auto q : g->controls) id += " " + std::to_string(q);
    for (auto q : g->targets) id += " " + std::to_string(q);
    for (double p : g->params) id += " " + std::to_string(p);
    for (auto q : g->controls) out[q].push_back(id);
    for (auto q : g->targets) out[q].push_back(id);
  }
  return out;
}

}  // namespace

TEST_CASE("staging keeps the order of gates on each qubit", "[stage]") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    qstate::test::RandomCircuitOptions o;
    o.num_qubits = 9;
    o.depth = 120;
    o.mid_measure_rate = 0.03;
    const std::vector<Op> ops = qstate::test::random_circuit(seed, o).circuit.ops;
    qstate::StageOptions so;
    so.block_qubits = 4;
    so.pinned = 1;
    const std::vector<Op> staged = qstate::stage_gates(ops, 9, so);
    REQUIRE(staged.size() == ops.size());
    CHECK(per_qubit(staged) == per_qubit(ops));
    // Non-gate ops (measurements here) keep their index.
    for (std::size_t i = 0; i < ops.size(); ++i)
      CHECK(std::holds_alternative<GateOp>(ops[i]) == std::holds_alternative<GateOp>(staged[i]));
  }
}

TEST_CASE("staging a brickwork circuit saves blocked passes", "[stage]") {
  const std::vector<Op> ops = brickwork(20, 12);
  qstate::StageOptions so;
  so.block_qubits = 12;
  so.pinned = 4;
  const std::vector<Op> staged = qstate::stage_gates(ops, 20, so);
  const std::uint64_t before = qstate::blocked_runs(ops, 20, so);
  const std::uint64_t after = qstate::blocked_runs(staged, 20, so);
  INFO("blocked runs in program order " << before << ", staged " << after);
  CHECK(after * 2 <= before);
  CHECK(per_qubit(staged) == per_qubit(ops));
}
