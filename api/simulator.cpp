// Simulator and CompiledCircuit: plan once, allocate once, bind and run many times.
#include <chrono>
#include <random>
#include <unordered_map>

#include "api/compiled.hpp"
#include "api/counters.hpp"
#include "circuits/passes/distribute.hpp"
#include "simulator/memory.hpp"
#include "simulator/parallel.hpp"
#include "simulator/preflight.hpp"
#include "simulator/sampling.hpp"
#include "simulator/state_vector.hpp"

#include <qstate/config.hpp>

namespace qstate::api {
namespace detail {

using Clock = std::chrono::steady_clock;

Compiled::Compiled(std::shared_ptr<Context> context, const qstate::Circuit& circuit)
    : context_(std::move(context)), circuit_(circuit) {
  ++global_counters().plans;
  program_ = plan_program(circuit_);
  stats_ = circuit_stats(circuit_);
  compact_.assign(program_.declared_qubits, kIdleQubit);
  for (Qubit k = 0; k < program_.num_qubits(); ++k) compact_[program_.used_qubits[k]] = k;
  bound_ = program_.inputs.empty();

  const SimulatorOptions& o = context_->options();
  const int ranks = context_->ranks();
  distributed_ =
      ranks > 1 && o.distribute && !program_.dynamic && usable_ranks(program_, ranks) == ranks;
  // The memory check (per rank), agreed by all ranks.
  std::string error;
  try {
    RunOptions run;
    run.shots = 0;
    run.precision = o.precision;
    const MemoryPlan plan =
        plan_memory(program_, run, distributed_ ? ranks : 1, o.exchange_buffer_bytes);
    preflight(program_, run, plan, available_memory_bytes());
  } catch (const Error& e) {
    error = e.what();
  }
  context_->agree(error);
}

void Compiled::bind(const std::vector<double>& values) {
  ++global_counters().binds;
  bind_parameters(program_.ops, values);
  if (distributed_) bind_parameters(planned_, values);
  bound_ = true;
}

void Compiled::run() {
  if (program_.dynamic)
    throw Error(
        "this circuit has no single final state (measurement results feed later "
        "operations); use execute() for shots");
  if (!bound_)
    throw Error("bind values to the parameters (" + std::to_string(program_.inputs.size()) +
                ") before running");
  const SimulatorOptions& o = context_->options();
  set_num_threads(o.threads);
  if (!state_) {
    std::string error;
    try {
      if (distributed_) {
        state_ = context_->distributed_backend().make_state(program_.num_qubits(), o.precision);
      } else if (o.precision == Precision::kSingle) {
        state_ = std::make_unique<StateVector<float>>(program_.num_qubits());
      } else {
        state_ = std::make_unique<StateVector<double>>(program_.num_qubits());
      }
    } catch (const Error& e) {
      error = e.what();
    } catch (const std::bad_alloc&) {
      error = "out of memory while allocating the state";
    }
    context_->agree(error);
    ++global_counters().allocations;
    if (state_->local_qubits() < program_.num_qubits()) {
      // Remaps planned once; parameter bindings keep every gate's matrix kind, so the plan holds.
      planned_ = program_.ops;
      initial_layout_ =
          plan_distribution(planned_, program_.num_qubits(), state_->local_qubits()).initial_layout;
      state_->set_initial_layout(initial_layout_);
    } else {
      distributed_ = false;  // one rank after all
    }
  }
  ++global_counters().runs;
  state_->set_zero_state();
  const std::vector<Op>& ops = distributed_ ? planned_ : program_.ops;
  if (!ops.empty()) state_->apply_run(ops.data(), ops.data() + ops.size());
  ran_ = true;
}

qstate::State& Compiled::state() {
  if (!ran_) throw Error("the circuit has not run yet: call run() first");
  return *state_;
}

void Compiled::sum_exact(std::span<ExactSum::Raw> values) const {
  if (distributed_) context_->sum_exact(values);
}

void Compiled::broadcast(void* data, std::size_t bytes, int root) const {
  if (distributed_) context_->broadcast(data, bytes, root);
}

Result Compiled::execute(std::uint64_t shots, std::optional<std::uint64_t> seed, bool memory) {
  const SimulatorOptions& o = context_->options();
  const std::uint64_t the_seed = seed ? *seed : context_->share(random_seed());
  if (!bound_)
    throw Error("bind values to the parameters (" + std::to_string(program_.inputs.size()) +
                ") before running");
  Result result;
  if (program_.dynamic) {
    RunOptions run;
    run.shots = shots;
    run.seed = the_seed;
    run.threads = o.threads;
    run.precision = o.precision;
    run.memory = memory;
    const int ranks = context_->ranks();
    const bool split = ranks > 1 && o.distribute && usable_ranks(program_, ranks) == ranks;
    static const Backend kLocal;
    result = run_program(program_, run, split ? context_->distributed_backend() : kLocal);
  } else {
    const auto start = Clock::now();
    run();
    RunMetadata& meta = result.metadata;
    meta.time_taken.emplace_back("simulate",
                                 std::chrono::duration<double>(Clock::now() - start).count());
    result.shots = shots;
    result.seed = the_seed;
    result.has_counts = program_.num_clbits > 0 && shots > 0;
    meta.shot_method = "sampled from the final state";
    if (result.has_counts) {
      const auto sample_start = Clock::now();
      Rng rng(the_seed);
      std::vector<std::uint64_t> draws(shots);
      for (std::uint64_t& d : draws) d = rng.draw53();
      const std::vector<std::uint64_t> outcomes = state_->sample(draws);
      std::uint64_t measured = 0;
      for (const MeasureOp& m : program_.final_measurements)
        if (m.qubit != kIdleQubit) measured |= std::uint64_t{1} << m.qubit;
      std::unordered_map<std::uint64_t, std::string> keys;
      std::unordered_map<std::string, std::uint64_t> counts;
      std::vector<std::uint8_t> bits(program_.num_clbits);
      if (memory) result.memory.reserve(shots);
      for (std::uint64_t outcome : outcomes) {
        outcome &= measured;
        auto it = keys.find(outcome);
        if (it == keys.end()) {
          std::fill(bits.begin(), bits.end(), 0);
          for (const MeasureOp& m : program_.final_measurements)
            bits[m.clbit] =
                m.qubit == kIdleQubit ? 0 : static_cast<std::uint8_t>((outcome >> m.qubit) & 1U);
          it = keys.emplace(outcome, format_counts_key(bits, program_.cregs)).first;
        }
        ++counts[it->second];
        if (memory) result.memory.push_back(it->second);
      }
      result.counts.insert(counts.begin(), counts.end());
      meta.time_taken.emplace_back(
          "sample", std::chrono::duration<double>(Clock::now() - sample_start).count());
    }
    meta.state_bytes = state_->memory_bytes();
    meta.communication = state_->communication();
    meta.work = state_->work();
  }
  result.seed_given = seed.has_value();
  RunMetadata& meta = result.metadata;
  meta.source = program_.source;
  meta.num_qubits = program_.declared_qubits;
  meta.simulated_qubits = program_.num_qubits();
  meta.num_clbits = program_.num_clbits;
  meta.precision = to_string(o.precision);
  meta.threads = num_threads();
  meta.dynamic = program_.dynamic;
  meta.gate_counts = stats_.gate_counts;
  meta.gates = stats_.gates;
  meta.measurements = stats_.measurements;
  meta.resets = stats_.resets;
  meta.conditionals = stats_.conditionals;
  meta.barriers = stats_.barriers;
  meta.depth = stats_.depth;
  if (meta.communication.ranks < 1) meta.communication.ranks = 1;
  return result;
}

}  // namespace detail

// ---- Simulator -----------------------------------------------------------------------------

Simulator::Simulator(const SimulatorOptions& options) : context_(detail::Context::make(options)) {}
Simulator::Simulator(std::shared_ptr<detail::Context> context) : context_(std::move(context)) {}
Simulator::~Simulator() = default;
Simulator::Simulator(const Simulator&) = default;
Simulator& Simulator::operator=(const Simulator&) = default;

Simulator Simulator::with_mpi_comm_address(const void* mpi_comm, const SimulatorOptions& options) {
  if (mpi_comm == nullptr) throw Error("no communicator given");
  return Simulator(detail::Context::from_comm(mpi_comm, options));
}

const SimulatorOptions& Simulator::options() const {
  return context_->options();
}
int Simulator::rank() const {
  return context_->rank();
}
int Simulator::ranks() const {
  return context_->ranks();
}
bool Simulator::mpi_enabled() {
  return QSTATE_WITH_MPI != 0;
}

CompiledCircuit Simulator::compile(const Circuit& circuit) const {
  return CompiledCircuit(std::make_unique<detail::Compiled>(context_, circuit.model()));
}

Result Simulator::execute(const Circuit& circuit, std::uint64_t shots,
                          std::optional<std::uint64_t> seed, const Values& values,
                          bool memory) const {
  CompiledCircuit compiled = compile(circuit);
  if (!compiled.parameters().empty() || !values.empty()) compiled.bind(values);
  return compiled.execute(shots, seed, memory);
}

// ---- CompiledCircuit -----------------------------------------------------------------------

CompiledCircuit::CompiledCircuit(std::unique_ptr<detail::Compiled> c)
    : c_(std::move(c)), state_(new State(c_.get())) {}
CompiledCircuit::CompiledCircuit(CompiledCircuit&&) noexcept = default;
CompiledCircuit& CompiledCircuit::operator=(CompiledCircuit&&) noexcept = default;
CompiledCircuit::~CompiledCircuit() = default;

unsigned CompiledCircuit::num_qubits() const {
  return c_->program().declared_qubits;
}
unsigned CompiledCircuit::simulated_qubits() const {
  return c_->program().num_qubits();
}
const std::vector<std::string>& CompiledCircuit::parameters() const {
  return c_->program().inputs;
}
bool CompiledCircuit::is_dynamic() const {
  return c_->program().dynamic;
}

const std::vector<Register>& CompiledCircuit::qregs() const {
  return c_->program().qregs;
}
const std::vector<Register>& CompiledCircuit::cregs() const {
  return c_->program().cregs;
}

CompiledCircuit& CompiledCircuit::bind(const Values& values) {
  const std::vector<std::string>& names = parameters();
  std::vector<double> ordered(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto it = values.find(names[i]);
    if (it == values.end()) throw Error("parameter '" + names[i] + "' has no value");
    ordered[i] = it->second;
  }
  for (const auto& [name, value] : values) {
    (void)value;
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw Error("the circuit has no parameter '" + name + "'");
  }
  c_->bind(ordered);
  return *this;
}

CompiledCircuit& CompiledCircuit::bind(const std::vector<double>& values) {
  if (values.size() != parameters().size())
    throw Error("the circuit has " + std::to_string(parameters().size()) + " parameter(s); " +
                std::to_string(values.size()) + " value(s) given");
  c_->bind(values);
  return *this;
}

State& CompiledCircuit::run() {
  c_->run();
  return *state_;
}

State& CompiledCircuit::state() {
  c_->state();  // throws before the first run
  return *state_;
}

Result CompiledCircuit::execute(std::uint64_t shots, std::optional<std::uint64_t> seed,
                                bool memory) {
  return c_->execute(shots, seed, memory);
}

}  // namespace qstate::api
