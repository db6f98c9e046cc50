// Builds qstate::Circuit objects in tests without going through the parser:
//   CircuitBuilder b({{"q", 3}}, {{"a", 1}, {"b", 2}});
//   b.gate("h", {}, {0}).measure(0, 0).if_equal("a", 1).gate("x", {}, {1});
#pragma once

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/gates.hpp"

namespace qstate::test {

class CircuitBuilder {
 public:
  CircuitBuilder(std::initializer_list<std::pair<std::string, std::uint32_t>> qregs,
                 std::initializer_list<std::pair<std::string, std::uint32_t>> cregs = {}) {
    circuit_.source = "<test>";
    for (const auto& [name, size] : qregs) circuit_.add_qreg(name, size);
    for (const auto& [name, size] : cregs) circuit_.add_creg(name, size);
  }

  CircuitBuilder& gate(std::string_view name, std::initializer_list<double> params,
                       std::initializer_list<Qubit> qubits) {
    return add(Op(make_gate(name, params, qubits)));
  }
  CircuitBuilder& op(GateOp g) { return add(Op(std::move(g))); }
  CircuitBuilder& measure(Qubit q, Clbit c) { return add(Op(MeasureOp{q, c})); }
  CircuitBuilder& reset(Qubit q) { return add(Op(ResetOp{q})); }
  CircuitBuilder& barrier(std::vector<Qubit> qubits) {
    return add(Op(BarrierOp{std::move(qubits)}));
  }

  // The next operation is wrapped in `if (creg == value)`.
  CircuitBuilder& if_equal(const std::string& creg, std::uint64_t value) {
    for (const Register& r : circuit_.cregs) {
      if (r.name != creg) continue;
      Condition c;
      for (std::uint32_t j = 0; j < r.size; ++j) c.bits.push_back(r.first + j);
      c.value = value;
      pending_ = c;
      has_pending_ = true;
      return *this;
    }
    throw std::invalid_argument("no creg " + creg);
  }

  CircuitBuilder& global_phase(double phase) {
    circuit_.global_phase = phase;
    return *this;
  }

  const Circuit& circuit() const { return circuit_; }
  Circuit build() const { return circuit_; }

 private:
  CircuitBuilder& add(Op op) {
    if (has_pending_) {
      IfOp branch;
      branch.condition = pending_;
      branch.then_ops.push_back(std::move(op));
      circuit_.ops.emplace_back(std::move(branch));
      has_pending_ = false;
    } else {
      circuit_.ops.push_back(std::move(op));
    }
    return *this;
  }

  Circuit circuit_;
  Condition pending_;
  bool has_pending_ = false;
};

}  // namespace qstate::test
