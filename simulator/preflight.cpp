// Option checks and the per-rank memory plan.
#include "simulator/preflight.hpp"

#include <algorithm>
#include <bit>
#include <type_traits>
#include <variant>

#include "circuits/error.hpp"
#include "simulator/executor.hpp"
#include "simulator/memory.hpp"
#include "simulator/pauli.hpp"

namespace qstate {
namespace {

constexpr std::uint64_t kOverheadBytes = std::uint64_t{64} << 20;
constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > ~b ? ~std::uint64_t{0} : a + b;
}

std::uint64_t bytes_per_amplitude(Precision p) {
  return p == Precision::kSingle ? 8 : 16;
}

}  // namespace

std::uint64_t default_exchange_buffer(std::uint64_t slice_bytes) {
  return std::min(slice_bytes, std::max<std::uint64_t>(64 * kMiB, slice_bytes / 16));
}

std::uint64_t MemoryPlan::per_rank() const {
  return saturating_add(saturating_add(slice_bytes, buffer_bytes),
                        saturating_add(outputs_bytes, overhead_bytes));
}

MemoryPlan plan_memory(const Program& p, const RunOptions& o, int ranks,
                       std::uint64_t buffer_bytes) {
  MemoryPlan plan;
  plan.ranks = ranks;
  const unsigned g = static_cast<unsigned>(std::countr_zero(static_cast<unsigned>(ranks)));
  const unsigned n = p.num_qubits();
  const unsigned local = n > g ? n - g : 0;
  plan.local_qubits = local;
  plan.slice_bytes = amplitude_bytes(local, bytes_per_amplitude(o.precision));
  if (n >= 62) plan.slice_bytes = ~std::uint64_t{0};
  if (ranks > 1)
    plan.buffer_bytes = buffer_bytes ? buffer_bytes : default_exchange_buffer(plan.slice_bytes);
  // Rank 0 gathers the outputs (and keeps its own slice of them while sending).
  std::uint64_t out = 0;
  if (o.probabilities)
    out = saturating_add(
        out, saturating_add(amplitude_bytes(p.declared_qubits, 8), amplitude_bytes(local, 8)));
  if (o.statevector)
    out = saturating_add(
        out, saturating_add(amplitude_bytes(p.declared_qubits, 16), amplitude_bytes(local, 16)));
  // Draws, outcomes and sorted targets per shot, and the kept keys with --memory.
  out = saturating_add(out, o.shots * (48 + (o.memory ? p.num_clbits + 40 : 0)));
  plan.outputs_bytes = out;
  plan.overhead_bytes = kOverheadBytes;
  return plan;
}

void preflight(const Program& p, const RunOptions& o, const MemoryPlan& plan,
               std::uint64_t available) {
  if (p.dynamic) {
    const char* asked = o.statevector                 ? "--statevector"
                        : o.probabilities             ? "--probabilities"
                        : !o.observables.empty()      ? "--observable"
                        : !o.statevector_file.empty() ? "--statevector-file"
                                                      : nullptr;
    if (asked != nullptr)
      throw Error(std::string(asked) +
                  ": this circuit's measurement results feed later operations (if, reset, or "
                  "gates after a measurement), so it has no single final state; ask for counts "
                  "or --memory instead");
  }
  if ((o.probabilities || o.statevector) && p.declared_qubits > 40)
    throw Error(std::string(o.statevector ? "--statevector" : "--probabilities") + " over " +
                std::to_string(p.declared_qubits) + " declared qubits would have 2^" +
                std::to_string(p.declared_qubits) + " entries");
  compile_observables(p, o.observables);  // validates the expressions

  if (plan.per_rank() <= available) return;
  const unsigned n = p.num_qubits();
  std::string where = plan.ranks > 1 ? " per rank on " + std::to_string(plan.ranks) + " ranks" : "";
  std::string msg =
      "not enough memory: " + std::to_string(n) + " qubits in " + to_string(o.precision) +
      " precision need " + format_bytes(plan.slice_bytes) + " for the state" + where + " (2^" +
      std::to_string(n - std::min<unsigned>(n, static_cast<unsigned>(std::countr_zero(
                                                   static_cast<unsigned>(plan.ranks))))) +
      " amplitudes of " + std::to_string(bytes_per_amplitude(o.precision)) + " bytes)";
  if (plan.buffer_bytes) msg += " + " + format_bytes(plan.buffer_bytes) + " exchange buffer";
  msg += " + " + format_bytes(saturating_add(plan.outputs_bytes, plan.overhead_bytes)) +
         " for outputs and overhead, but " + format_bytes(available) + " is available";
  // Outputs gathered on rank 0 do not shrink with more ranks.
  const std::uint64_t fixed = saturating_add(plan.outputs_bytes, plan.overhead_bytes);
  if (fixed > available) {
    msg += "; the gathered outputs alone do not fit: drop --statevector/--probabilities";
    if (plan.ranks > 1) msg += " (or write the amplitudes with --statevector-file PATH)";
    throw Error(msg);
  }
  // The smallest power-of-two rank count whose slices (and buffers) fit next to them.
  for (unsigned g = 0; g < n && g < 40; ++g) {
    const MemoryPlan wider = plan_memory(p, o, 1 << g, 0);
    if (wider.per_rank() <= available && (1 << g) > plan.ranks) {
      msg += ". It would fit on " + std::to_string(1 << g) + " ranks of this size (mpirun -np " +
             std::to_string(1 << g) + ")";
      break;
    }
  }
  throw Error(msg + ". --precision single halves the state");
}

std::uint64_t run_gate_bytes(const std::vector<Op>& ops) {
  const auto heap = [](const auto& v) -> std::uint64_t {
    using V = std::remove_cvref_t<decltype(v)>;
    return v.capacity() > V::inline_capacity() ? v.capacity() * sizeof(*v.data()) : 0;
  };
  std::uint64_t bytes = 0;
  for (const Op& op : ops) {
    bytes += sizeof(Op);
    if (const auto* g = std::get_if<GateOp>(&op))
      bytes += heap(g->matrix.entries) + heap(g->matrix.perm) + heap(g->params) +
               heap(g->controls) + heap(g->targets);
  }
  return bytes > ~std::uint64_t{0} / 3 ? ~std::uint64_t{0} : 3 * bytes;
}

void check_gate_memory(const MemoryPlan& plan, std::uint64_t gate_bytes, std::size_t gates,
                       bool fused, std::uint64_t available) {
  const std::uint64_t rest = plan.per_rank();
  if (saturating_add(rest, gate_bytes) <= available) return;
  std::string msg = "not enough memory: the " + std::to_string(gates) + " gates to run" +
                    (fused ? " (after fusion)" : "") + " need " + format_bytes(gate_bytes) +
                    " while they run, on top of " + format_bytes(rest) +
                    " for the state, outputs and overhead" + (plan.ranks > 1 ? " per rank" : "") +
                    ", but " + format_bytes(available) + " is available. Run the circuit in " +
                    "shorter parts";
  if (fused) msg += ", or with fusion off (QSTATE_FUSION=0), which keeps no wide fused matrices";
  throw Error(msg);
}

}  // namespace qstate
