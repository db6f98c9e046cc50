// `qstate run FILE`: parse the OpenQASM file, plan and run it (qstate::run_circuit), and write the
// result as JSON or text to standard output or to an --output file that appears only on success.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace qstate::cli {

struct RunArgs {
  std::string file;
  std::uint64_t shots = 1024;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::string precision = "double";
  bool probabilities = false;
  bool statevector = false;
  bool memory = false;
  std::vector<std::string> observables;
  std::string format = "json";
  std::string output;  // empty: standard output
};

// Adds the `run` subcommand, filling `args` when it is parsed.
CLI::App* add_run_command(CLI::App& app, RunArgs& args);

// Runs `qstate run`; throws qstate::Error for anything the user can fix. Returns the exit code.
int run_run(const RunArgs& args);

}  // namespace qstate::cli
