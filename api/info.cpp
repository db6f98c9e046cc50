// What a circuit holds and what running it would take, without running it (`qstate info`), and
// small public helpers the CLI shares with scripts: memory sizes, constant expressions.
#include <algorithm>
#include <bit>
#include <cmath>

#include "circuits/passes/distribute.hpp"
#include "circuits/passes/program.hpp"
#include "circuits/qasm/qasm3.hpp"
#include "qstate/qstate.hpp"
#include "simulator/executor.hpp"
#include "simulator/memory.hpp"
#include "simulator/preflight.hpp"

namespace qstate::api {

CircuitInfo describe(const Circuit& c) {
  const qstate::Circuit& circuit = c.model();
  const Program program = plan_program(circuit);
  const CircuitStats stats = circuit_stats(circuit);
  CircuitInfo info;
  info.source = circuit.source;
  info.qubits = circuit.num_qubits;
  info.simulated_qubits = program.num_qubits();
  info.clbits = circuit.num_clbits;
  info.qregs = circuit.qregs;
  info.cregs = circuit.cregs;
  info.inputs = circuit.inputs;
  info.written_counts = circuit.written_counts;
  info.stats.gate_counts = stats.gate_counts;
  info.stats.gates = stats.gates;
  info.stats.measurements = stats.measurements;
  info.stats.resets = stats.resets;
  info.stats.conditionals = stats.conditionals;
  info.stats.barriers = stats.barriers;
  info.stats.depth = stats.depth;
  info.dynamic = program.dynamic;
  info.single_bytes = amplitude_bytes(program.num_qubits(), 8);
  info.double_bytes = amplitude_bytes(program.num_qubits(), 16);
  info.available_bytes = qstate::available_memory_bytes();
  return info;
}

DistributionInfo describe_plan(const Circuit& c, int ranks, Precision precision,
                               std::uint64_t exchange_buffer_bytes) {
  if (ranks < 1 || !std::has_single_bit(static_cast<unsigned>(ranks)))
    throw Error("--ranks " + std::to_string(ranks) +
                ": a run needs a power-of-two number of ranks (1, 2, 4, 8, ...)");
  const Program program = plan_program(c.model());
  DistributionInfo d;
  d.ranks_requested = ranks;
  d.ranks = usable_ranks(program, ranks);
  const unsigned n = program.num_qubits();
  const auto g = static_cast<unsigned>(std::countr_zero(static_cast<unsigned>(d.ranks)));
  d.local_qubits = n - std::min(n, g);
  d.precision = to_string(precision);
  RunOptions options;
  options.precision = precision;
  options.shots = 0;
  const MemoryPlan memory = plan_memory(program, options, d.ranks, exchange_buffer_bytes);
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

std::uint64_t available_memory_bytes() {
  return qstate::available_memory_bytes();
}

std::string format_bytes(std::uint64_t bytes) {
  return qstate::format_bytes(bytes);
}

double constant_value(const std::string& text, const std::string& context) {
  return qasm3::evaluate_constant(text, context);
}

}  // namespace qstate::api
