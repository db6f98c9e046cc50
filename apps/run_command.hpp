// `qstate run FILE`: load the OpenQASM file, compile and execute it through the public API
// (api::CompiledCircuit::execute), and write the result as JSON or text to standard output or to an
// --output file that appears only on success. A circuit with inputs (OpenQASM 3 `input float[64]
// theta;`) is bound with --param NAME=VALUE and --params FILE.json; a list of bindings in --params
// is a sweep: the circuit is parsed and planned once and run once per binding, one result each.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace qstate::api {
class Simulator;
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
  std::string statevector_file;
  std::uint64_t exchange_buffer = 0;  // bytes; 0: default
  std::vector<std::string> params;    // --param NAME=VALUE, in the order given
  std::string params_file;            // --params FILE.json
};

// Values for a circuit's inputs: one vector per run, in the order of Circuit::inputs.
struct Bindings {
  std::vector<std::vector<double>> values;
  bool sweep = false;  // --params held a list: one result per binding in one document
};

// The bindings --param and --params ask for, checked against the circuit's inputs: every input
// bound in every binding, no unknown names, numbers (or constant expressions such as pi/4).
// Throws qstate::Error otherwise.
Bindings read_bindings(const RunArgs& args, const std::vector<std::string>& inputs);

// Adds the `run` subcommand, filling `args` when it is parsed.
CLI::App* add_run_command(CLI::App& app, RunArgs& args);

// Runs `qstate run` on every rank of `world` (rank 0 writes); throws qstate::Error for anything
// the user can fix, on every rank. Returns the exit code.
int run_run(const RunArgs& args, const api::Simulator& world);

// "64M", "1G", "4096": a size in bytes with an optional K/M/G suffix (powers of 1024).
std::uint64_t parse_size(const std::string& text);

}  // namespace qstate::cli
