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
  std::string statevector_file;
  std::uint64_t exchange_buffer = 0;  // bytes; 0: default
};

// Adds the `run` subcommand, filling `args` when it is parsed.
CLI::App* add_run_command(CLI::App& app, RunArgs& args);

class Ranks;

// Runs `qstate run` on every rank (rank 0 writes); throws qstate::Error for anything the user
// can fix, on every rank. Returns the exit code.
int run_run(const RunArgs& args, const Ranks& ranks);

// "64M", "1G", "4096": a size in bytes with an optional K/M/G suffix (powers of 1024).
std::uint64_t parse_size(const std::string& text);

}  // namespace qstate::cli
