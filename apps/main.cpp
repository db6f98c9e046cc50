// The qstate command-line tool: subcommands `run` and `info` (CLI11), and the one place where
// every error ends: printed once to stderr as "qstate: error: ...", exit code 2 when the command
// line cannot be parsed, 1 when the run fails (bad QASM, bad observable, too little memory, an
// unwritable output...). Nothing reaches stdout on failure. Under mpirun every rank runs this
// main; only rank 0 prints, and every rank exits with the same code.
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <new>
#include <string>

#include <CLI/CLI.hpp>
#include <qstate/config.hpp>

#include <qstate/qstate.hpp>
#include "apps/info_command.hpp"
#include "apps/run_command.hpp"

namespace {

constexpr int kRunError = 1;
constexpr int kUsageError = 2;

bool g_print = true;  // false on ranks other than 0

int fail(const std::string& message) {
  if (g_print) std::cerr << "qstate: error: " << message << '\n';
  return kRunError;
}

// A failure that may have struck this rank alone (qstate::Error is agreed by all ranks, these
// are not): print it here, whatever the rank, and end every rank rather than leave them waiting.
int fail_alone(const qstate::api::Simulator* world, const std::string& message) {
  if (world == nullptr || world->ranks() == 1) return fail(message);
  std::cerr << "qstate: error (rank " << world->rank() << "): " << message << '\n';
  world->abort(kRunError);
}

}  // namespace

int main(int argc, char** argv) {
  // All processes: under an MPI launcher the ranks of MPI_COMM_WORLD (MPI starts here), else
  // this one. Commands make their own Simulator (with their options) on the same processes.
  std::unique_ptr<qstate::api::Simulator> world;
  try {
    world = std::make_unique<qstate::api::Simulator>();
    g_print = world->is_root();
    CLI::App app{"qstate " QSTATE_VERSION_STRING
                 ": a state-vector simulator for OpenQASM circuits. Results are shaped as Qiskit "
                 "reports them (counts keyed with qubit 0 / clbit 0 rightmost).",
                 "qstate"};
    app.set_version_flag("--version", "qstate " QSTATE_VERSION_STRING,
                         "Print the version and exit");
    app.require_subcommand(1);
    // A flag given twice takes its last value (scripts append overrides), not an error.
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    qstate::cli::RunArgs run_args;
    qstate::cli::InfoArgs info_args;
    CLI::App* run = qstate::cli::add_run_command(app, run_args);
    CLI::App* info = qstate::cli::add_info_command(app, info_args);
    app.footer(
        "Run 'qstate <command> --help' for a command's options. Exit codes: 0 success, 1 the run "
        "failed, 2 bad command line. Reference: docs/cli.md.\n");

    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {
      return g_print ? app.exit(e) : 0;  // --help, --version: printed to stdout, exit 0
    } catch (const CLI::ParseError& e) {
      if (!g_print) return kUsageError;
      const std::string command = run->parsed() ? "run " : info->parsed() ? "info " : "";
      std::string message = e.what();
      // Without a known command, CLI11 only says one is required: name what was written.
      if (command.empty() && argc > 1 && argv[1][0] != '-')
        message = std::string("unknown command '") + argv[1] + "' (the commands are run and info)";
      std::cerr << "qstate: error: " << message << "\nRun 'qstate " << command
                << "--help' for the options.\n";
      return kUsageError;
    }

    try {
      return run->parsed() ? qstate::cli::run_run(run_args, *world)
                           : qstate::cli::run_info(info_args, *world);
    } catch (const qstate::Error& e) {
      return fail(e.what());
    } catch (const std::bad_alloc&) {
      return fail_alone(world.get(),
                        "out of memory: an allocation failed. Try --precision single (half the "
                        "memory), fewer outputs, or set QSTATE_MEMORY_LIMIT to what this machine "
                        "can really give");
    }
  } catch (const std::exception& e) {
    return fail_alone(world.get(), std::string("internal error (please report it): ") + e.what());
  } catch (...) {
    return fail_alone(world.get(), "internal error (please report it): unknown exception");
  }
}
