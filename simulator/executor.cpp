// Executor: preflight, the unitary part, shots (sampled or per shot), outputs.
#include "simulator/executor.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>
#include <unordered_map>

#include "circuits/error.hpp"
#include "circuits/passes/distribute.hpp"
#include "circuits/passes/fusion.hpp"
#include "circuits/passes/stage.hpp"
#include "simulator/blocked.hpp"
#include "simulator/fused_matrix.hpp"
#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/memory.hpp"
#include "simulator/parallel.hpp"
#include "simulator/pauli.hpp"
#include "simulator/sampling.hpp"
#include "simulator/state_vector.hpp"

namespace qstate {
namespace {

using Clock = std::chrono::steady_clock;

class PhaseTimer {
 public:
  explicit PhaseTimer(RunMetadata& meta) : meta_(meta), start_(Clock::now()) {}
  void lap(const std::string& phase) {
    const auto now = Clock::now();
    meta_.time_taken.emplace_back(phase, std::chrono::duration<double>(now - start_).count());
    start_ = now;
  }

 private:
  RunMetadata& meta_;
  Clock::time_point start_;
};

// A while loop that runs this many rounds in one shot is taken to be endless.
constexpr std::uint64_t kMaxWhileRounds = 1000000;

// Room kept free beside a snapshot of the state.
constexpr std::uint64_t kSnapshotMargin = std::uint64_t{64} << 20;

// Index over the declared qubits of a simulated basis state.
std::uint64_t declared_index(std::uint64_t compact, const std::vector<Qubit>& used) {
  std::uint64_t out = 0;
  for (std::size_t k = 0; k < used.size(); ++k)
    if ((compact >> k) & 1U) out |= std::uint64_t{1} << used[k];
  return out;
}

bool identity_map(const Program& p) {
  if (p.num_qubits() != p.declared_qubits) return false;
  for (Qubit k = 0; k < p.num_qubits(); ++k)
    if (p.used_qubits[k] != k) return false;
  return true;
}

template <class T>
std::vector<T> expand_to_declared(std::vector<T> compact, const Program& p) {
  if (identity_map(p) || compact.empty()) return compact;  // empty: not the gathering rank
  std::vector<T> out(std::size_t{1} << p.declared_qubits, T{});
  for (std::uint64_t i = 0; i < compact.size(); ++i)
    out[declared_index(i, p.used_qubits)] = compact[i];
  return out;
}

// The JSON header written beside a --statevector-file.
std::string amplitude_file_header(const Program& p, Precision precision) {
  std::string map;
  for (Qubit q : p.used_qubits) map += (map.empty() ? "" : ", ") + std::to_string(q);
  const std::uint64_t count = std::uint64_t{1} << p.num_qubits();
  return "{\n  \"format\": \"qstate-amplitudes\",\n  \"version\": 1,\n  \"dtype\": \"" +
         std::string(precision == Precision::kSingle ? "complex64" : "complex128") +
         "\",\n  \"byte_order\": \"little\",\n  \"count\": " + std::to_string(count) +
         ",\n  \"qubits\": " + std::to_string(p.num_qubits()) +
         ",\n  \"declared_qubits\": " + std::to_string(p.declared_qubits) +
         ",\n  \"qubit_map\": [" + map +
         "],\n  \"index\": \"bit k of an amplitude's index is declared qubit qubit_map[k]; "
         "declared qubits not in the map are idle (|0>)\"\n}\n";
}

// Below this many qubits automatic fusion never makes a gate need more local qubits than the
// program's widest gate does: such a state fits in cache (fusion buys little), and it may run with
// as few as one local qubit per rank, where a wider fused gate would not fit. Fusion must not
// depend on the rank count (results are bit-identical across rank counts), so the limit is taken
// from the program, not from the ranks.
constexpr unsigned kSmallCircuitQubits = 12;

// RunOptions::fusion with QSTATE_FUSION applied: 0 off, kFusionAuto, or a dense width.
int fusion_setting(const RunOptions& o) {
  if (o.fusion != kFusionAuto)
    return std::min(o.fusion, static_cast<int>(kernels::kMaxDenseTargets));
  const char* env = std::getenv("QSTATE_FUSION");
  if (env == nullptr || *env == '\0') return kFusionAuto;
  const std::string v(env);
  if (v == "0" || v == "off") return 0;
  if (v == "1" || v == "on") return kFusionAuto;
  char* end = nullptr;
  const long k = std::strtol(env, &end, 10);
  if (*end != '\0' || k < 2 || k > static_cast<long>(kernels::kMaxDenseTargets))
    throw Error("QSTATE_FUSION='" + v + "': use 0 (off), 1 (on, widths from the cost model) or " +
                "a dense fused-gate width from 2 to " + std::to_string(kernels::kMaxDenseTargets));
  return static_cast<int>(k);
}

// The most local qubits one op of the program needs (plain SWAPs are relabellings), at least 1.
unsigned widest_local_need(const std::vector<Op>& ops) {
  std::size_t widest = 1;
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op); g != nullptr && is_plain_swap(*g)) continue;
    widest = std::max(widest, qubits_needing_local(op).size());
  }
  return static_cast<unsigned>(widest);
}

FusionOptions fusion_options(const Program& p, int setting, unsigned local_qubits) {
  FusionOptions f;
  f.fuse_parametric = true;  // fusion runs here, after binding, on every run
  if (setting > 0) {
    f.max_dense_width = static_cast<unsigned>(setting);
  } else if (p.num_qubits() < kSmallCircuitQubits) {
    f.max_local_width = widest_local_need(p.ops);
  }
  f.max_local_width = std::min(f.max_local_width, std::max(local_qubits, 1U));
  return f;
}

// The ops to run: fused (when fusion is on) and in staged order when staging
// (circuits/passes/stage, cache blocking) makes fewer blocked passes than program order, as the
// planner counts them. Programs above kMaxStagedOps ops are not staged (it costs a second fusion
// and two plans). The choice depends on the program, precision and block size only, so every
// rank count makes the same one.
constexpr std::size_t kMaxStagedOps = 100000;

struct PreparedOps {
  std::vector<Op> ops;  // empty with !rewritten: the program's own ops
  bool rewritten = false;
  FusionStats stats;
};

PreparedOps prepare_ops(const Program& p, Precision precision, int fusion, const FusionOptions& f) {
  PreparedOps out;
  if (fusion != 0) {
    out.ops = fuse_gates(p.ops, fused_matrix, f, &out.stats);
    out.rewritten = true;
  }
  const std::size_t bytes = precision == Precision::kSingle ? 8 : 16;
  const unsigned b = default_block_qubits(bytes);
  const unsigned n = p.num_qubits();
  const unsigned widest = widest_local_need(p.ops);
  if (b == 0 || n < b + 2 || p.ops.size() < 2 || p.ops.size() > kMaxStagedOps || widest > b)
    return out;
  const std::vector<Op>& in_order = out.rewritten ? out.ops : p.ops;
  StageOptions so;
  so.block_qubits = b;
  so.pinned = chunk_qubits(bytes, b, std::max(widest, widest_local_need(in_order)));
  std::vector<Op> staged = stage_gates(p.ops, n, so);
  FusionStats staged_stats;
  if (fusion != 0) staged = fuse_gates(staged, fused_matrix, f, &staged_stats);
  if (widest_local_need(staged) > b || blocked_runs(staged, n, so) >= blocked_runs(in_order, n, so))
    return out;
  out.ops = std::move(staged);
  out.rewritten = true;
  out.stats = staged_stats;
  return out;
}

// Measures (or resets) one qubit: an exact weight pass, one draw, then the collapse.
bool measure(State& state, Qubit q, Rng& rng, bool reset) {
  const std::array<ExactSum, 2> w = state.qubit_weights(q);
  ExactSum total = w[0];
  total += w[1];
  const double p1 = w[1].value() / total.value();
  const bool outcome = rng.uniform() < p1;
  const ExactSum& kept = w[outcome ? 1 : 0];
  const bool certain = kept.raw() == total.raw();
  if (!certain || (reset && outcome))
    state.collapse(q, outcome, 1.0 / std::sqrt(kept.value()), reset);
  return outcome;
}

void run_ops(State& state, const Op* begin, const Op* end, std::vector<std::uint8_t>& clbits,
             Rng& rng) {
  for (const Op* op = begin; op != end; ++op) {
    if (std::holds_alternative<GateOp>(*op) || std::holds_alternative<RemapOp>(*op)) {
      // The longest run of gates and remaps goes to the state at once (cache blocking).
      const Op* run_end = op;
      while (run_end != end && (std::holds_alternative<GateOp>(*run_end) ||
                                std::holds_alternative<RemapOp>(*run_end)))
        ++run_end;
      state.apply_run(op, run_end);
      op = run_end - 1;
    } else if (const auto* m = std::get_if<MeasureOp>(op)) {
      clbits[m->clbit] = m->qubit == kIdleQubit ? 0 : measure(state, m->qubit, rng, false);
    } else if (const auto* r = std::get_if<ResetOp>(op)) {
      measure(state, r->qubit, rng, true);
    } else if (const auto* branch = std::get_if<IfOp>(op)) {
      if (branch->is_while) {
        const std::vector<Op>& body = branch->then_ops;
        for (std::uint64_t round = 0; branch->condition.holds(clbits); ++round) {
          if (round == kMaxWhileRounds)
            throw Error("a while loop ran " + std::to_string(kMaxWhileRounds) +
                        " rounds in one shot; it looks endless");
          run_ops(state, body.data(), body.data() + body.size(), clbits, rng);
        }
        continue;
      }
      const std::vector<Op>& body =
          branch->condition.holds(clbits) ? branch->then_ops : branch->else_ops;
      run_ops(state, body.data(), body.data() + body.size(), clbits, rng);
    }
  }
}

}  // namespace

void Collective::agree(const std::string& error) const {
  if (!error.empty()) throw Error(error);
}

Result run_program(const Program& p, const RunOptions& o, const Backend& backend) {
  static const Collective kOneProcess;
  const Collective& collective = backend.collective ? *backend.collective : kOneProcess;
  Result result;
  RunMetadata& meta = result.metadata;
  PhaseTimer timer(meta);

  // Steps that can fail on some ranks only (memory differs between nodes) end in agree(), so
  // all ranks stop together with one message.
  std::string error;
  std::vector<CompiledObservable> observables;
  int fusion = 0;
  const MemoryPlan memory = plan_memory(p, o, collective.ranks(), backend.exchange_buffer_bytes);
  std::unique_ptr<State> kept;
  if (backend.kept_state != nullptr && *backend.kept_state &&
      (*backend.kept_state)->num_qubits() == p.num_qubits() &&
      (*backend.kept_state)->precision() == o.precision)
    kept = std::move(*backend.kept_state);
  try {
    // A kept state's memory is available to this run (it becomes the run's state).
    preflight(p, o, memory, available_memory_bytes() + (kept ? kept->memory_bytes() : 0));
    observables = compile_observables(p, o.observables);
    fusion = fusion_setting(o);
  } catch (const Error& e) {
    error = e.what();
  }
  collective.agree(error);
  set_num_threads(o.threads);

  // Gate fusion on the logical program (the same on every rank), before any planning, in the
  // staged order when staging saves blocked passes; before the state is allocated, so that the
  // memory the gates need while they run is checked with the state's.
  const std::vector<Op>* program_ops = &p.ops;
  std::size_t prefix_length = p.prefix_length;
  std::vector<Op> fused;
  const FusionOptions f =
      fusion_options(p, fusion, kept ? kept->local_qubits() : memory.local_qubits);
  PreparedOps prepared = prepare_ops(p, o.precision, fusion, f);
  const FusionStats& stats = prepared.stats;
  if (prepared.rewritten) {
    fused = std::move(prepared.ops);
    program_ops = &fused;
  }
  try {
    check_gate_memory(memory, run_gate_bytes(*program_ops), program_ops->size(), fusion != 0,
                      available_memory_bytes() + (kept ? kept->memory_bytes() : 0));
  } catch (const Error& e) {
    error = e.what();
  }
  collective.agree(error);

  result.shots = o.shots;
  result.seed_given = o.seed.has_value();
  result.seed = o.seed ? *o.seed : random_seed();
  result.has_counts = p.num_clbits > 0 && o.shots > 0;
  meta.source = p.source;
  meta.num_qubits = p.declared_qubits;
  meta.simulated_qubits = p.num_qubits();
  meta.num_clbits = p.num_clbits;
  meta.precision = to_string(o.precision);
  meta.threads = num_threads();
  meta.dynamic = p.dynamic;

  std::unique_ptr<State> state;
  struct GiveBack {  // leaves the state for the next run, however this one ends
    std::unique_ptr<State>& state;
    std::unique_ptr<State>* to;
    ~GiveBack() {
      if (to != nullptr && state) *to = std::move(state);
    }
  } give_back{state, backend.kept_state};
  try {
    if (kept) {
      state = std::move(kept);
      state->set_zero_state();
      state->reset_counters();
    } else if (backend.make_state) {
      state = backend.make_state(p.num_qubits(), o.precision);
    } else if (o.precision == Precision::kSingle) {
      state = std::make_unique<StateVector<float>>(p.num_qubits());
    } else {
      state = std::make_unique<StateVector<double>>(p.num_qubits());
    }
  } catch (const Error& e) {
    error = e.what();
  } catch (const std::bad_alloc&) {
    error = "out of memory while allocating the state (" + format_bytes(memory.slice_bytes) +
            " per process); the memory check passed, so another process may hold the memory";
  }
  collective.agree(error);
  meta.state_bytes = state->memory_bytes();

  if (fusion != 0) {
    program_ops = &fused;
    prefix_length = 0;
    while (prefix_length < fused.size() && std::holds_alternative<GateOp>(fused[prefix_length]))
      ++prefix_length;
    meta.fusion.enabled = true;
    meta.fusion.max_dense_width = std::min(
        f.max_dense_width != 0 ? f.max_dense_width : f.model.max_dense_width(), f.max_local_width);
    meta.fusion.gates_in = stats.gates_in;
    meta.fusion.gates_out = stats.gates_out;
    meta.fusion.fused = stats.fused;
    meta.fusion.widest = stats.widest;
  }

  // A state split in local and global positions follows a remap plan.
  std::vector<Op> planned;
  if (state->local_qubits() < p.num_qubits()) {
    planned = *program_ops;
    const DistributionPlan plan = plan_distribution(planned, p.num_qubits(), state->local_qubits());
    state->set_initial_layout(plan.initial_layout);
    program_ops = &planned;
    prefix_length = 0;
    while (prefix_length < planned.size() &&
           (std::holds_alternative<GateOp>(planned[prefix_length]) ||
            std::holds_alternative<RemapOp>(planned[prefix_length])))
      ++prefix_length;
  }
  timer.lap("allocate");

  std::unordered_map<std::string, std::uint64_t> counts;
  auto record_shot = [&](const std::vector<std::uint8_t>& bits) {
    std::string key = format_counts_key(bits, p.cregs);
    ++counts[key];
    if (o.memory) result.memory.push_back(std::move(key));
  };

  const Op* ops = program_ops->data();
  const Op* ops_end = ops + program_ops->size();
  if (!p.dynamic) {
    meta.shot_method = "sampled from the final state";
    std::vector<std::uint8_t> no_clbits;
    Rng unused(0);
    run_ops(*state, ops, ops_end, no_clbits, unused);
    meta.work = state->work();
    timer.lap("simulate");
    // Observables first: they need no canonical layout, sampling and gathering do. All their
    // strings in one call, so that a distributed state streams each partner's slice once.
    std::vector<kernels::PauliMasks> strings;
    for (const CompiledObservable& obs : observables)
      for (const auto& [coefficient, masks] : obs.terms)
        if ((masks.x_mask | masks.z_mask) != 0) strings.push_back(masks);
    const std::vector<double> string_values = state->expectations(strings);
    std::size_t next = 0;
    for (const CompiledObservable& obs : observables) {
      double value = 0;
      for (const auto& [coefficient, masks] : obs.terms)
        value += coefficient * ((masks.x_mask | masks.z_mask) == 0 ? 1.0 : string_values[next++]);
      result.expectation_values.emplace_back(obs.text, value);
    }
    if (!observables.empty()) timer.lap("observables");
    if (result.has_counts) {
      Rng rng(result.seed);
      std::vector<std::uint64_t> draws(o.shots);
      for (std::uint64_t& d : draws) d = rng.draw53();
      std::vector<std::uint64_t> outcomes = state->sample(draws);
      std::uint64_t measured = 0;
      for (const MeasureOp& m : p.final_measurements)
        if (m.qubit != kIdleQubit) measured |= std::uint64_t{1} << m.qubit;
      // Keys depend only on the measured bits of the outcome. Count outcomes as integers (sort
      // and run lengths), then format each distinct one once, in key order: with all keys the
      // same length and the register spaces in the same places, Qiskit's key order is the order
      // of the classical-bit value (clbit i = bit i), so the counts map is filled at its end.
      for (std::uint64_t& outcome : outcomes) outcome &= measured;
      std::vector<std::uint64_t> sorted = outcomes;
      std::sort(sorted.begin(), sorted.end());
      struct Distinct {
        std::uint64_t clbits;  // the classical-bit value (when it fits 64 bits)
        std::uint64_t outcome;
        std::uint64_t count;
      };
      std::vector<Distinct> distinct;
      const bool small = p.num_clbits <= 64;
      for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
        std::uint64_t value = 0;
        if (small)
          for (const MeasureOp& m : p.final_measurements)
            if (m.qubit != kIdleQubit && ((sorted[i] >> m.qubit) & 1U))
              value |= std::uint64_t{1} << m.clbit;
        distinct.push_back({value, sorted[i], j - i});
        i = j;
      }
      std::vector<std::uint64_t>().swap(sorted);
      if (small)
        std::sort(distinct.begin(), distinct.end(),
                  [](const Distinct& a, const Distinct& b) { return a.clbits < b.clbits; });
      std::unordered_map<std::uint64_t, const std::string*> keys;
      if (o.memory) keys.reserve(distinct.size());
      std::vector<std::uint8_t> bits(p.num_clbits);
      for (const Distinct& d : distinct) {
        std::fill(bits.begin(), bits.end(), 0);
        for (const MeasureOp& m : p.final_measurements)
          bits[m.clbit] =
              m.qubit == kIdleQubit ? 0 : static_cast<std::uint8_t>((d.outcome >> m.qubit) & 1U);
        auto it = small ? result.counts.emplace_hint(result.counts.end(),
                                                     format_counts_key(bits, p.cregs), 0)
                        : result.counts.emplace(format_counts_key(bits, p.cregs), 0).first;
        it->second += d.count;
        if (o.memory) keys.emplace(d.outcome, &it->first);
      }
      if (o.memory) {
        result.memory.reserve(o.shots);
        for (std::uint64_t outcome : outcomes) result.memory.push_back(*keys.at(outcome));
      }
      timer.lap("sample");
    }
    if (o.probabilities) result.probabilities = expand_to_declared(state->probabilities(), p);
    if (o.statevector) {
      std::vector<std::complex<double>> amps = state->amplitudes();
      if (p.global_phase != 0.0) {
        const std::complex<double> phase = std::polar(1.0, p.global_phase);
        for (auto& a : amps) a *= phase;
      }
      result.statevector = expand_to_declared(std::move(amps), p);
    }
    if (o.probabilities || o.statevector) timer.lap("gather");
    if (!o.statevector_file.empty()) {
      if (p.global_phase != 0.0) {
        GateOp phase;
        phase.name = "global_phase";
        phase.matrix = GateMatrix::diagonal(0, {std::polar(1.0, p.global_phase)});
        state->apply(phase);
      }
      state->write_amplitudes(o.statevector_file, amplitude_file_header(p, o.precision));
      timer.lap("write_statevector");
    }
  } else if (o.shots > 0) {
    // Unitary prefix once; then each shot runs the rest with its own random stream.
    std::vector<std::uint8_t> bits(p.num_clbits);
    Rng unused(0);
    run_ops(*state, ops, ops + prefix_length, bits, unused);
    std::unique_ptr<State> snapshot;
    const std::uint64_t room = available_memory_bytes();
    if (collective.all(prefix_length > 0 && state->memory_bytes() + kSnapshotMargin < room / 2))
      snapshot = state->clone();
    meta.shot_method = snapshot ? "per-shot, prefix snapshot" : "per-shot, rerun";
    if (o.memory) result.memory.reserve(o.shots);
    for (std::uint64_t shot = 0; shot < o.shots; ++shot) {
      if (shot > 0) {
        if (snapshot) {
          state->assign(*snapshot);
        } else {
          state->set_zero_state();
          run_ops(*state, ops, ops + prefix_length, bits, unused);
        }
      }
      std::fill(bits.begin(), bits.end(), 0);
      Rng rng = Rng::for_shot(result.seed, shot);
      run_ops(*state, ops + prefix_length, ops_end, bits, rng);
      if (result.has_counts) record_shot(bits);
    }
    timer.lap("shots");
  } else {
    meta.shot_method = "none (0 shots)";
  }
  if (!result.has_counts) result.memory.clear();
  result.counts.insert(counts.begin(), counts.end());
  meta.communication = state->communication();
  return result;
}

void add_circuit_stats(RunMetadata& meta, const CircuitStats& stats) {
  meta.gate_counts = stats.gate_counts;
  meta.gates = stats.gates;
  meta.measurements = stats.measurements;
  meta.resets = stats.resets;
  meta.conditionals = stats.conditionals;
  meta.barriers = stats.barriers;
  meta.depth = stats.depth;
}

Result run_circuit(const Circuit& circuit, const RunOptions& options, const Backend& backend) {
  const auto start = Clock::now();
  const Program program = plan_program(circuit);
  const CircuitStats stats = circuit_stats(circuit);
  const double plan_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Result result = run_program(program, options, backend);
  RunMetadata& meta = result.metadata;
  std::vector<std::pair<std::string, double>> phases{{"plan", plan_seconds}};
  phases.insert(phases.end(), meta.time_taken.begin(), meta.time_taken.end());
  meta.time_taken = std::move(phases);
  add_circuit_stats(meta, stats);
  return result;
}

}  // namespace qstate
