// `qstate info FILE`: what a circuit holds and what simulating it would take (qubits declared and
// used, registers, gate counts as written and as simulated, depth, whether shots must re-run part
// of it, state memory in single and double precision against the memory available), without
// simulating anything.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/passes/program.hpp"

namespace CLI {
class App;
}

namespace qstate::cli {

// The plan of a run on `ranks` MPI ranks (qstate info --ranks): memory per rank, remaps and the
// bytes each rank will send, beside what exchanging data per global gate would send.
struct DistributionInfo {
  int ranks_requested = 1;
  int ranks = 1;  // usable (a power of two the circuit can use)
  unsigned local_qubits = 0;
  std::string precision;
  std::uint64_t slice_bytes = 0;
  std::uint64_t buffer_bytes = 0;
  std::uint64_t per_rank_bytes = 0;  // slice + buffer + overhead (rank 0, no gathered outputs)
  std::uint64_t remaps = 0;
  std::vector<unsigned> remap_sizes;
  std::uint64_t relabels = 0;
  unsigned final_exchange = 0;       // qubits a final remap exchanges to read results in order
  std::uint64_t bytes_sent = 0;      // per rank: the remaps and the final one
  double per_gate_slices = 0;        // baseline: per_gate_exchange_slices()
  std::uint64_t per_gate_bytes = 0;  // the same in bytes per rank
};

struct CircuitInfo {
  std::string source;
  std::uint32_t qubits = 0;            // declared
  std::uint32_t simulated_qubits = 0;  // touched by a gate
  std::uint32_t clbits = 0;
  std::vector<Register> qregs;
  std::vector<Register> cregs;
  std::vector<std::string> inputs;  // OpenQASM 3 `input` names, in declaration order
  std::map<std::string, std::uint64_t> written_counts;  // as written (Circuit::written_counts)
  CircuitStats stats;                                   // as simulated
  bool dynamic = false;
  std::uint64_t single_bytes = 0;  // state of the simulated qubits; UINT64_MAX when beyond 16 EiB
  std::uint64_t double_bytes = 0;
  std::uint64_t available_bytes = 0;
  std::optional<DistributionInfo> distribution;
};

DistributionInfo plan_on_ranks(const Circuit& circuit, int ranks, bool single_precision,
                               std::uint64_t exchange_buffer);

struct InfoArgs {
  std::string file;
  std::string format = "text";
  int ranks = 0;  // 0: no plan
  std::string precision = "double";
  std::uint64_t exchange_buffer = 0;
};

// Adds the `info` subcommand, filling `args` when it is parsed.
CLI::App* add_info_command(CLI::App& app, InfoArgs& args);

class Ranks;

// Runs `qstate info` (rank 0 prints); throws qstate::Error for anything the user can fix.
// Returns the exit code.
int run_info(const InfoArgs& args, const Ranks& ranks);

}  // namespace qstate::cli
