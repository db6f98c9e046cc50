// Result: what a run returns, in the shapes Qiskit users read. Counts and memory are keyed as
// Qiskit's Result.get_counts() keys them: registers in reverse declaration order (the last
// declared first), separated by one space, each register's bit 0 rightmost. Probabilities and
// the state vector are indexed by the declared qubits (index bit k = qubit k, qubits numbered
// across qregs in declaration order), of the state before the final measurements.
#pragma once

#include <complex>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "circuits/circuit.hpp"

namespace qstate {

// What a run sent between processes, as counted by the code that sends.
struct CommunicationStats {
  int ranks = 1;
  std::uint64_t remaps = 0;      // data-moving remaps executed (canonicalisation included)
  std::uint64_t bytes_sent = 0;  // the most any one rank sent
};

// The work the gates did on this process: memory passes (bytes read and written by gate kernels
// over the state's size; a gate controlled on a high qubit touches half, a blocked segment of many
// gates one) and floating-point operations. The benchmark's floor is computed from them.
struct WorkCounters {
  double passes = 0;
  double flops = 0;
  WorkCounters& operator+=(const WorkCounters& o) {
    passes += o.passes;
    flops += o.flops;
    return *this;
  }
};

// What gate fusion did (circuits/passes/fusion.hpp); IfOp bodies count once.
struct FusionReport {
  bool enabled = false;
  unsigned max_dense_width = 0;  // widest dense fused gate allowed
  std::uint64_t gates_in = 0;    // gates before fusion
  std::uint64_t gates_out = 0;   // gates applied after fusion
  std::uint64_t fused = 0;       // gates out that replace two or more
  unsigned widest = 0;           // most targets of a fused gate
};

struct RunMetadata {
  std::string source;
  std::uint32_t num_qubits = 0;        // declared
  std::uint32_t simulated_qubits = 0;  // after dropping idle qubits
  std::uint32_t num_clbits = 0;
  std::string precision;
  int threads = 0;
  // "sampled from the final state", or per shot ("per-shot, prefix snapshot",
  // "per-shot, rerun") when measurements feed later operations.
  std::string shot_method;
  bool dynamic = false;
  std::map<std::string, std::uint64_t> gate_counts;  // simulated gates by name
  std::uint64_t gates = 0;
  std::uint64_t measurements = 0;
  std::uint64_t resets = 0;
  std::uint64_t conditionals = 0;
  std::uint64_t barriers = 0;
  std::uint64_t depth = 0;
  std::uint64_t state_bytes = 0;  // of this process (its slice and buffers under MPI)
  CommunicationStats communication;
  WorkCounters work;  // of the simulation (gates), this process
  FusionReport fusion;
  // Seconds per phase ("parse", "plan", "simulate", "sample", ...), in the order they ran.
  std::vector<std::pair<std::string, double>> time_taken;
};

struct Result {
  std::uint64_t shots = 0;
  std::uint64_t seed = 0;
  bool seed_given = false;
  bool has_counts = false;  // false when the circuit has no classical bits
  std::map<std::string, std::uint64_t> counts;
  std::vector<std::string> memory;  // one key per shot, when asked for
  std::optional<std::vector<double>> probabilities;
  std::optional<std::vector<std::complex<double>>> statevector;
  std::vector<std::pair<std::string, double>> expectation_values;  // in the order given
  RunMetadata metadata;
};

// The Qiskit counts key of one shot's classical bits (bits[i] = clbit i).
std::string format_counts_key(const std::vector<std::uint8_t>& bits,
                              const std::vector<Register>& cregs);

}  // namespace qstate
