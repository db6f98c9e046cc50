// How the executor sees a circuit after plan_program: which circuits are static (all shots
// sampled from one final state) and which are dynamic (run per shot), final measurements, idle
// qubits, dropped resets, and the unitary prefix of dynamic programs.
#include <catch2/catch.hpp>

#include "circuits/passes/program.hpp"
#include "simulator/executor.hpp"
#include "tests/support/circuit_builder.hpp"

using qstate::GateOp;
using qstate::MeasureOp;
using qstate::plan_program;
using qstate::Program;
using qstate::test::CircuitBuilder;

namespace {

std::size_t count_gates(const std::vector<qstate::Op>& ops) {
  std::size_t n = 0;
  for (const qstate::Op& op : ops) n += std::holds_alternative<GateOp>(op) ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("plan_program: final measurements make a static program", "[simulator][planning]") {
  CircuitBuilder b({{"q", 3}}, {{"c", 3}});
  b.gate("h", {}, {0}).gate("cx", {}, {0, 1}).barrier({0, 1, 2}).measure(0, 0).measure(1, 2);
  const Program p = plan_program(b.circuit());
  CHECK_FALSE(p.dynamic);
  CHECK(p.ops.size() == 2);
  CHECK(count_gates(p.ops) == 2);
  REQUIRE(p.final_measurements.size() == 2);
  CHECK(p.final_measurements[0].clbit == 0);
  CHECK(p.final_measurements[1].clbit == 2);
  CHECK(p.prefix_length == p.ops.size());
  CHECK(p.declared_qubits == 3);
  CHECK(p.used_qubits == std::vector<qstate::Qubit>{0, 1});
}

TEST_CASE("plan_program: gates after a measurement of other qubits stay static",
          "[simulator][planning]") {
  CircuitBuilder b({{"q", 2}}, {{"c", 2}});
  b.gate("h", {}, {0}).measure(0, 0).gate("x", {}, {1}).measure(1, 1);
  const Program p = plan_program(b.circuit());
  CHECK_FALSE(p.dynamic);
  CHECK(count_gates(p.ops) == 2);
  CHECK(p.final_measurements.size() == 2);
  // ... and the counts are what a per-shot run would give: q0 random, q1 = 1.
  qstate::RunOptions o;
  o.shots = 200;
  o.seed = 1;
  const qstate::Result r = qstate::run_circuit(b.circuit(), o);
  CHECK(r.counts.size() == 2);
  for (const auto& [key, n] : r.counts) CHECK(key[0] == '1');
}

TEST_CASE("plan_program: a gate after a measurement of its qubit is dynamic",
          "[simulator][planning]") {
  CircuitBuilder b({{"q", 2}}, {{"c", 2}});
  b.gate("h", {}, {0}).gate("h", {}, {1}).measure(0, 0).gate("x", {}, {0}).measure(0, 1);
  const Program p = plan_program(b.circuit());
  CHECK(p.dynamic);
  CHECK(p.prefix_length == 2);  // the two h gates run once
  CHECK(p.final_measurements.empty());
}

TEST_CASE("plan_program: a controlled gate whose control was measured is dynamic",
          "[simulator][planning]") {
  CircuitBuilder b({{"q", 2}}, {{"c", 1}});
  b.gate("h", {}, {0}).measure(0, 0).gate("cx", {}, {0, 1});
  CHECK(plan_program(b.circuit()).dynamic);
}

TEST_CASE("plan_program: a reset of a fresh qubit is dropped", "[simulator][planning]") {
  CircuitBuilder b({{"q", 2}}, {{"c", 2}});
  b.reset(0).reset(1).gate("h", {}, {0}).measure(0, 0);
  const Program p = plan_program(b.circuit());
  CHECK_FALSE(p.dynamic);
  CHECK(p.ops.size() == 1);
  // q1 is only reset: idle.
  CHECK(p.used_qubits == std::vector<qstate::Qubit>{0});
}

TEST_CASE("plan_program: a reset after a gate is dynamic", "[simulator][planning]") {
  CircuitBuilder b({{"q", 1}}, {{"c", 1}});
  b.gate("h", {}, {0}).reset(0).measure(0, 0);
  const Program p = plan_program(b.circuit());
  CHECK(p.dynamic);
  CHECK(p.prefix_length == 1);
}

TEST_CASE("plan_program: an if makes the program dynamic", "[simulator][planning]") {
  CircuitBuilder b({{"q", 2}}, {{"c", 1}});
  b.gate("h", {}, {1}).if_equal("c", 0).gate("x", {}, {0});
  const Program p = plan_program(b.circuit());
  CHECK(p.dynamic);
  CHECK(p.prefix_length == 1);
  CHECK(p.used_qubits == std::vector<qstate::Qubit>{0, 1});
}

TEST_CASE("plan_program: idle qubits are dropped and the rest renumbered",
          "[simulator][planning]") {
  CircuitBuilder b({{"q", 10}, {"r", 10}}, {{"c", 3}});
  b.gate("h", {}, {12}).gate("cx", {}, {12, 4}).measure(4, 0).measure(12, 1).measure(7, 2);
  const Program p = plan_program(b.circuit());
  CHECK(p.declared_qubits == 20);
  CHECK(p.num_qubits() == 2);
  CHECK(p.used_qubits == std::vector<qstate::Qubit>{4, 12});
  REQUIRE(p.ops.size() == 2);
  const auto& cx = std::get<GateOp>(p.ops[1]);
  CHECK(cx.controls == std::vector<qstate::Qubit>{1});
  CHECK(cx.targets == std::vector<qstate::Qubit>{0});
  REQUIRE(p.final_measurements.size() == 3);
  CHECK(p.final_measurements[0].qubit == 0);
  CHECK(p.final_measurements[1].qubit == 1);
  CHECK(p.final_measurements[2].qubit == qstate::kIdleQubit);
}
