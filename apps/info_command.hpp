// `qstate info FILE`: what a circuit holds and what simulating it would take (qubits declared and
// used, registers, gate counts as written and as simulated, depth, whether shots must re-run part
// of it, state memory in single and double precision against the memory available), without
// simulating anything.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/passes/program.hpp"

namespace CLI {
class App;
}

namespace qstate::cli {

struct CircuitInfo {
  std::string source;
  std::uint32_t qubits = 0;            // declared
  std::uint32_t simulated_qubits = 0;  // touched by a gate
  std::uint32_t clbits = 0;
  std::vector<Register> qregs;
  std::vector<Register> cregs;
  std::map<std::string, std::uint64_t> written_counts;  // as written (Circuit::written_counts)
  CircuitStats stats;                                   // as simulated
  bool dynamic = false;
  std::uint64_t single_bytes = 0;  // state of the simulated qubits; UINT64_MAX when beyond 16 EiB
  std::uint64_t double_bytes = 0;
  std::uint64_t available_bytes = 0;
};

CircuitInfo describe_circuit(const Circuit& circuit);

struct InfoArgs {
  std::string file;
  std::string format = "text";
};

// Adds the `info` subcommand, filling `args` when it is parsed.
CLI::App* add_info_command(CLI::App& app, InfoArgs& args);

// Runs `qstate info`; throws qstate::Error for anything the user can fix. Returns the exit code.
int run_info(const InfoArgs& args);

}  // namespace qstate::cli
