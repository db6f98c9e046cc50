// `qstate info`: load, then api::describe (idle qubits, dynamic, counts, state size) and
// api::describe_plan for --ranks; no simulation.
#include "apps/info_command.hpp"

#include <CLI/CLI.hpp>

#include "apps/json_output.hpp"
#include "apps/output_sink.hpp"
#include "apps/run_command.hpp"
#include "apps/text_output.hpp"

namespace qstate::cli {

CLI::App* add_info_command(CLI::App& app, InfoArgs& args) {
  CLI::App* info = app.add_subcommand(
      "info",
      "Describe an OpenQASM file without simulating it: qubits declared and used, "
      "registers, gate counts, depth, whether it is dynamic, and the memory its state needs");
  info->add_option("FILE", args.file, "OpenQASM 2 file to describe")->required()->type_name("");
  info->add_option("--format", args.format,
                   "Output format: text (for people) or json (default text)")
      ->check(CLI::IsMember({"json", "text"}).description(""))
      ->type_name("json|text");
  info->add_option("--ranks", args.ranks,
                   "Also print the plan of a run on P MPI ranks: memory per rank, remaps and "
                   "the bytes each rank will send (P a power of two)")
      ->check(CLI::Range(1, 1 << 20))
      ->type_name("P");
  info->add_option("--precision", args.precision, "Precision of the planned run (default double)")
      ->check(CLI::IsMember({"single", "double"}).description(""))
      ->type_name("single|double");
  info->add_option_function<std::string>(
          "--exchange-buffer",
          [&args](const std::string& text) { args.exchange_buffer = parse_size(text); },
          "Exchange buffer per rank of the planned run (default max(64M, slice/16))")
      ->type_name("SIZE");
  info->footer(
      "Example: qstate info circuit.qasm --format json\n"
      "Environment: QSTATE_MEMORY_LIMIT (bytes, or with K/M/G/T) replaces the detected available "
      "memory.\n"
      "Exit codes: 0 success, 1 the file could not be read or parsed, 2 bad command line.\n");
  return info;
}

int run_info(const InfoArgs& args, const api::Simulator& world) {
  const api::Circuit circuit = world.agreed([&] { return api::Circuit::from_file(args.file); });
  CircuitInfo info = api::describe(circuit);
  if (args.ranks > 0)
    info.distribution = api::describe_plan(
        circuit, args.ranks, args.precision == "single" ? Precision::kSingle : Precision::kDouble,
        args.exchange_buffer);
  if (!world.is_root()) return 0;
  OutputTarget target("");
  if (args.format == "json") {
    write_info_json(info, target.sink());
  } else {
    write_info_text(info, target.sink());
  }
  target.commit();
  return 0;
}

}  // namespace qstate::cli
