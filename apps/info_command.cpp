// `qstate info`: parse, plan (for idle qubits and dynamic), count, size the state; no simulation.
#include "apps/info_command.hpp"

#include <CLI/CLI.hpp>

#include <bit>
#include <cmath>

#include "apps/json_output.hpp"
#include "apps/output_sink.hpp"
#include "apps/ranks.hpp"
#include "apps/run_command.hpp"
#include "apps/text_output.hpp"
#include "circuits/passes/distribute.hpp"
#include "circuits/qasm/qasm.hpp"
#include "simulator/executor.hpp"
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
  info.inputs = circuit.inputs;
  info.written_counts = circuit.written_counts;
  info.stats = circuit_stats(circuit);
  info.dynamic = program.dynamic;
  info.single_bytes = amplitude_bytes(program.num_qubits(), 8);
  info.double_bytes = amplitude_bytes(program.num_qubits(), 16);
  info.available_bytes = available_memory_bytes();
  return info;
}

DistributionInfo plan_on_ranks(const Circuit& circuit, int ranks, bool single_precision,
                               std::uint64_t exchange_buffer) {
  if (ranks < 1 || !std::has_single_bit(static_cast<unsigned>(ranks)))
    throw Error("--ranks " + std::to_string(ranks) +
                ": a run needs a power-of-two number of ranks (1, 2, 4, 8, ...)");
  const Program program = plan_program(circuit);
  DistributionInfo d;
  d.ranks_requested = ranks;
  d.ranks = ranks;
  d.ranks = usable_ranks(program, ranks);
  const unsigned n = program.num_qubits();
  const auto g = static_cast<unsigned>(std::countr_zero(static_cast<unsigned>(d.ranks)));
  d.local_qubits = n - std::min(n, g);
  d.precision = single_precision ? "single" : "double";
  RunOptions options;
  options.precision = single_precision ? Precision::kSingle : Precision::kDouble;
  options.shots = 0;
  const MemoryPlan memory = plan_memory(program, options, d.ranks, exchange_buffer);
  d.slice_bytes = memory.slice_bytes;
  d.buffer_bytes = memory.buffer_bytes;
  d.per_rank_bytes = memory.per_rank();
  std::vector<Op> ops = program.ops;
  d.per_gate_slices = per_gate_exchange_slices(ops, n, d.local_qubits);
  const DistributionPlan plan = plan_distribution(ops, n, d.local_qubits);
  d.remaps = plan.remaps;
  d.remap_sizes = plan.remap_sizes;
  d.relabels = plan.relabels;
  d.final_exchange =
      static_cast<unsigned>(canonical_exchanges(plan.final_layout, d.local_qubits).size());
  double slices = plan.slices_sent();
  if (d.final_exchange > 0) slices += 1.0 - std::ldexp(1.0, -static_cast<int>(d.final_exchange));
  d.bytes_sent = static_cast<std::uint64_t>(slices * static_cast<double>(d.slice_bytes));
  d.per_gate_bytes =
      static_cast<std::uint64_t>(d.per_gate_slices * static_cast<double>(d.slice_bytes));
  return d;
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

int run_info(const InfoArgs& args, const Ranks& ranks) {
  const Circuit circuit = ranks.agreed([&] { return qasm::parse_file(args.file); });
  CircuitInfo info = describe_circuit(circuit);
  if (args.ranks > 0)
    info.distribution =
        plan_on_ranks(circuit, args.ranks, args.precision == "single", args.exchange_buffer);
  if (!ranks.root()) return 0;
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
