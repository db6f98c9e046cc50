// Executor: preflight, the unitary part, shots (sampled or per shot), outputs.
#include "simulator/executor.hpp"

#include <chrono>
#include <cmath>
#include <random>
#include <unordered_map>

#include "circuits/error.hpp"
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

std::uint64_t bytes_per_amplitude(Precision p) {
  return p == Precision::kSingle ? 8 : 16;
}

// A Pauli sum mapped onto the simulated qubits. A term with X or Y on an idle qubit (always |0>)
// has expectation 0 and is dropped; Z or I there contributes a factor 1.
struct CompiledObservable {
  std::string text;
  std::vector<std::pair<double, kernels::PauliMasks>> terms;
};

std::vector<CompiledObservable> compile_observables(const Program& p,
                                                    const std::vector<std::string>& texts) {
  std::vector<Qubit> compact(p.declared_qubits, kIdleQubit);
  for (Qubit k = 0; k < p.num_qubits(); ++k) compact[p.used_qubits[k]] = k;
  std::vector<CompiledObservable> out;
  for (const std::string& text : texts) {
    const PauliSum sum = parse_pauli_sum(text);
    if (sum.num_qubits() != p.declared_qubits)
      throw Error("observable '" + text + "' has labels of " + std::to_string(sum.num_qubits()) +
                  " letters but the circuit declares " + std::to_string(p.declared_qubits) +
                  " qubits (one letter per qubit, the rightmost is qubit 0)");
    CompiledObservable c{text, {}};
    for (const PauliTerm& term : sum.terms) {
      kernels::PauliMasks masks;
      bool zero = false;
      const std::size_t len = term.label.size();
      for (std::size_t k = 0; k < len; ++k) {
        const char letter = term.label[len - 1 - k];
        if (letter == 'I') continue;
        const Qubit q = compact[k];
        if (q == kIdleQubit) {
          zero = zero || letter != 'Z';
          continue;
        }
        if (letter == 'X' || letter == 'Y') masks.x_mask |= std::uint64_t{1} << q;
        if (letter == 'Z' || letter == 'Y') masks.z_mask |= std::uint64_t{1} << q;
        if (letter == 'Y') ++masks.num_y;
      }
      if (!zero) c.terms.emplace_back(term.coefficient, masks);
    }
    out.push_back(std::move(c));
  }
  return out;
}

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
  if (identity_map(p)) return compact;
  std::vector<T> out(std::size_t{1} << p.declared_qubits, T{});
  for (std::uint64_t i = 0; i < compact.size(); ++i)
    out[declared_index(i, p.used_qubits)] = compact[i];
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
    if (const auto* g = std::get_if<GateOp>(op)) {
      state.apply(*g);
    } else if (const auto* m = std::get_if<MeasureOp>(op)) {
      clbits[m->clbit] = m->qubit == kIdleQubit ? 0 : measure(state, m->qubit, rng, false);
    } else if (const auto* r = std::get_if<ResetOp>(op)) {
      measure(state, r->qubit, rng, true);
    } else if (const auto* branch = std::get_if<IfOp>(op)) {
      const std::vector<Op>& body =
          branch->condition.holds(clbits) ? branch->then_ops : branch->else_ops;
      run_ops(state, body.data(), body.data() + body.size(), clbits, rng);
    }
  }
}

std::uint64_t output_bytes(const Program& p, const RunOptions& o) {
  std::uint64_t bytes = 0;
  const unsigned n = p.num_qubits();
  if (o.probabilities) bytes += amplitude_bytes(n, 8) + amplitude_bytes(p.declared_qubits, 8);
  if (o.statevector) bytes += amplitude_bytes(n, 16) + amplitude_bytes(p.declared_qubits, 16);
  // draws, outcomes and sorted targets per shot, plus the kept keys with --memory
  bytes += o.shots * (48 + (o.memory ? p.num_clbits + 40 : 0));
  return bytes;
}

constexpr std::uint64_t kOverheadBytes = std::uint64_t{64} << 20;

}  // namespace

void preflight(const Program& p, const RunOptions& o) {
  if (p.dynamic) {
    const char* asked = o.statevector            ? "--statevector"
                        : o.probabilities        ? "--probabilities"
                        : !o.observables.empty() ? "--observable"
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

  const std::uint64_t state = amplitude_bytes(p.num_qubits(), bytes_per_amplitude(o.precision));
  const std::uint64_t extra = output_bytes(p, o) + kOverheadBytes;
  const std::uint64_t need = state > ~extra ? ~std::uint64_t{0} : state + extra;
  const std::uint64_t available = available_memory_bytes();
  if (p.num_qubits() >= 62 || need > available) {
    throw Error("not enough memory: " + std::to_string(p.num_qubits()) + " qubits in " +
                to_string(o.precision) + " precision need " + format_bytes(state) +
                " for the state (2^" + std::to_string(p.num_qubits()) + " amplitudes of " +
                std::to_string(bytes_per_amplitude(o.precision)) + " bytes) plus " +
                format_bytes(extra) + " for outputs and overhead, but " + format_bytes(available) +
                " is available. Try --precision single (half the memory), fewer outputs, or "
                "mpirun on more ranks (2^g ranks each hold 1/2^g of the state)");
  }
}

Result run_program(const Program& p, const RunOptions& o, const StateFactory& make_state) {
  Result result;
  RunMetadata& meta = result.metadata;
  PhaseTimer timer(meta);
  preflight(p, o);
  const std::vector<CompiledObservable> observables = compile_observables(p, o.observables);
  set_num_threads(o.threads);

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
  if (make_state) {
    state = make_state(p.num_qubits(), o.precision);
  } else if (o.precision == Precision::kSingle) {
    state = std::make_unique<StateVector<float>>(p.num_qubits());
  } else {
    state = std::make_unique<StateVector<double>>(p.num_qubits());
  }
  meta.state_bytes = state->memory_bytes();
  timer.lap("allocate");

  std::unordered_map<std::string, std::uint64_t> counts;
  auto record_shot = [&](const std::vector<std::uint8_t>& bits) {
    std::string key = format_counts_key(bits, p.cregs);
    ++counts[key];
    if (o.memory) result.memory.push_back(std::move(key));
  };

  const Op* ops = p.ops.data();
  if (!p.dynamic) {
    meta.shot_method = "sampled from the final state";
    std::vector<std::uint8_t> no_clbits;
    Rng unused(0);
    run_ops(*state, ops, ops + p.ops.size(), no_clbits, unused);
    timer.lap("simulate");
    if (result.has_counts) {
      Rng rng(result.seed);
      std::vector<std::uint64_t> draws(o.shots);
      for (std::uint64_t& d : draws) d = rng.draw53();
      const std::vector<std::uint64_t> outcomes = state->sample(draws);
      std::uint64_t measured = 0;
      for (const MeasureOp& m : p.final_measurements)
        if (m.qubit != kIdleQubit) measured |= std::uint64_t{1} << m.qubit;
      // Keys depend only on the measured bits of the outcome: format each distinct one once.
      std::unordered_map<std::uint64_t, std::string> keys;
      std::vector<std::uint8_t> bits(p.num_clbits);
      if (o.memory) result.memory.reserve(o.shots);
      for (std::uint64_t outcome : outcomes) {
        outcome &= measured;
        auto it = keys.find(outcome);
        if (it == keys.end()) {
          std::fill(bits.begin(), bits.end(), 0);
          for (const MeasureOp& m : p.final_measurements)
            bits[m.clbit] =
                m.qubit == kIdleQubit ? 0 : static_cast<std::uint8_t>((outcome >> m.qubit) & 1U);
          it = keys.emplace(outcome, format_counts_key(bits, p.cregs)).first;
        }
        ++counts[it->second];
        if (o.memory) result.memory.push_back(it->second);
      }
      timer.lap("sample");
    }
    for (const CompiledObservable& obs : observables) {
      double value = 0;
      for (const auto& [coefficient, masks] : obs.terms)
        value +=
            coefficient * ((masks.x_mask | masks.z_mask) == 0 ? 1.0 : state->expectation(masks));
      result.expectation_values.emplace_back(obs.text, value);
    }
    if (!observables.empty()) timer.lap("observables");
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
  } else if (o.shots > 0) {
    // Unitary prefix once; then each shot runs the rest with its own random stream.
    std::vector<std::uint8_t> bits(p.num_clbits);
    Rng unused(0);
    run_ops(*state, ops, ops + p.prefix_length, bits, unused);
    std::unique_ptr<State> snapshot;
    const std::uint64_t room = available_memory_bytes();
    if (p.prefix_length > 0 && state->memory_bytes() + kOverheadBytes < room / 2)
      snapshot = state->clone();
    meta.shot_method = snapshot ? "per-shot, prefix snapshot" : "per-shot, rerun";
    if (o.memory) result.memory.reserve(o.shots);
    for (std::uint64_t shot = 0; shot < o.shots; ++shot) {
      if (shot > 0) {
        if (snapshot) {
          state->assign(*snapshot);
        } else {
          state->set_zero_state();
          run_ops(*state, ops, ops + p.prefix_length, bits, unused);
        }
      }
      std::fill(bits.begin(), bits.end(), 0);
      Rng rng = Rng::for_shot(result.seed, shot);
      run_ops(*state, ops + p.prefix_length, ops + p.ops.size(), bits, rng);
      if (result.has_counts) record_shot(bits);
    }
    timer.lap("shots");
  } else {
    meta.shot_method = "none (0 shots)";
  }
  if (!result.has_counts) result.memory.clear();
  result.counts.insert(counts.begin(), counts.end());
  return result;
}

Result run_circuit(const Circuit& circuit, const RunOptions& options) {
  const auto start = Clock::now();
  const Program program = plan_program(circuit);
  const CircuitStats stats = circuit_stats(circuit);
  const double plan_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Result result = run_program(program, options);
  RunMetadata& meta = result.metadata;
  std::vector<std::pair<std::string, double>> phases{{"plan", plan_seconds}};
  phases.insert(phases.end(), meta.time_taken.begin(), meta.time_taken.end());
  meta.time_taken = std::move(phases);
  meta.gate_counts = stats.gate_counts;
  meta.gates = stats.gates;
  meta.measurements = stats.measurements;
  meta.resets = stats.resets;
  meta.conditionals = stats.conditionals;
  meta.barriers = stats.barriers;
  meta.depth = stats.depth;
  return result;
}

}  // namespace qstate
