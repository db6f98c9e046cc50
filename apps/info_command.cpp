// `qstate info`: parse, plan (for idle qubits and dynamic), count, size the state; no simulation.
#include "apps/info_command.hpp"

#include <CLI/CLI.hpp>

#include "apps/json_output.hpp"
#include "apps/output_sink.hpp"
#include "apps/text_output.hpp"
#include "circuits/qasm/qasm.hpp"
#include "simulator/memory.hpp"

namespace qstate::cli {

CircuitInfo describe_circuit(const Circuit& circuit) {
  const Program program = plan_program(circuit);
  CircuitInfo info;
  info.source = circuit.source;
  info.qubits = circuit.num_qubits;
  info.simulated_qubits = program.num_qubits();
  info.clbits = circuit.num_clbits;
  info.qregs = circuit.qregs;
  info.cregs = circuit.cregs;
  info.written_counts = circuit.written_counts;
  info.stats = circuit_stats(circuit);
  info.dynamic = program.dynamic;
  info.single_bytes = amplitude_bytes(program.num_qubits(), 8);
  info.double_bytes = amplitude_bytes(program.num_qubits(), 16);
  info.available_bytes = available_memory_bytes();
  return info;
}

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
  info->footer(
      "Example: qstate info circuit.qasm --format json\n"
      "Environment: QSTATE_MEMORY_LIMIT (bytes, or with K/M/G/T) replaces the detected available "
      "memory.\n"
      "Exit codes: 0 success, 1 the file could not be read or parsed, 2 bad command line.\n");
  return info;
}

int run_info(const InfoArgs& args) {
  const CircuitInfo info = describe_circuit(qasm::parse_file(args.file));
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
