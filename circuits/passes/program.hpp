// Program: what a backend runs, planned from a Circuit. Planning drops idle qubits (a transpiled
// file may declare 127 qubits and use 5), drops resets of qubits still in |0>, and splits off the
// final measurements so that all shots of a circuit without mid-circuit measurement are sampled
// from one final state. Outputs still speak of the declared qubits and clbits: `used_qubits`
// maps back.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"

namespace qstate {

// A measurement of a qubit that no gate ever touches: it always reads 0.
inline constexpr Qubit kIdleQubit = std::numeric_limits<Qubit>::max();

struct Program {
  std::string source;
  std::vector<Register> qregs;  // as declared
  std::vector<Register> cregs;  // as declared
  std::uint32_t declared_qubits = 0;
  std::uint32_t num_clbits = 0;
  double global_phase = 0.0;
  std::vector<std::string> inputs;  // parameters parametric gates are bound to (Circuit::inputs)

  // Simulated qubit k is declared qubit used_qubits[k] (increasing).
  std::vector<Qubit> used_qubits;
  std::uint32_t num_qubits() const { return static_cast<std::uint32_t>(used_qubits.size()); }

  // Measurement results (or resets) feed later operations: each shot runs `ops` from
  // `prefix_length` on (ops before it are unitary and run once).
  bool dynamic = false;
  // Ops on the simulated qubits: gates only for a static program; gates, measurements, resets
  // and IfOps for a dynamic one. Measurements of idle qubits have qubit == kIdleQubit.
  std::vector<Op> ops;
  std::size_t prefix_length = 0;
  // Static programs: the measurements, in program order, sampled jointly from the final state.
  std::vector<MeasureOp> final_measurements;
};

// Plans a circuit for simulation (see above). Pure: does not look at any state.
Program plan_program(const Circuit& circuit);

struct CircuitStats {
  std::map<std::string, std::uint64_t> gate_counts;  // simulated gates by name
  std::uint64_t gates = 0;
  std::uint64_t measurements = 0;
  std::uint64_t resets = 0;
  std::uint64_t conditionals = 0;
  std::uint64_t barriers = 0;
  std::uint64_t depth = 0;  // layers of simulated ops (user gates expanded; barriers skipped)
};

// Counts over the lowered ops (user gates expanded; IfOp bodies included). Depth is that of
// the expanded circuit, so it can exceed Qiskit's depth(), which counts a user gate as one op.
CircuitStats circuit_stats(const Circuit& circuit);

}  // namespace qstate
