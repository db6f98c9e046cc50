// `qstate info FILE`: what a circuit holds and what simulating it would take (qubits declared and
// used, registers, gate counts as written and as simulated, depth, whether shots must re-run part
// of it, state memory in single and double precision against the memory available), without
// simulating anything.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <qstate/qstate.hpp>

namespace CLI {
class App;
}

namespace qstate::cli {

// What `info` prints, and the plan of a run on --ranks P ranks: the public API's descriptions.
using api::CircuitInfo;
using api::DistributionInfo;

struct InfoArgs {
  std::string file;
  std::string format = "text";
  int ranks = 0;  // 0: no plan
  std::string precision = "double";
  std::uint64_t exchange_buffer = 0;
};

// Adds the `info` subcommand, filling `args` when it is parsed.
CLI::App* add_info_command(CLI::App& app, InfoArgs& args);

// Runs `qstate info` on every rank of `world` (rank 0 prints); throws qstate::Error for anything
// the user can fix. Returns the exit code.
int run_info(const InfoArgs& args, const api::Simulator& world);

}  // namespace qstate::cli
