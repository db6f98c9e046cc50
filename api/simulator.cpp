// Simulator and CompiledCircuit: plan once, allocate once, bind and run many times.
#include <bit>
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
  const int usable = ranks > 1 ? usable_ranks(program_, ranks) : 1;
  if (o.rank_use == RankUse::kLargestPowerOfTwo) {
    ranks_used_ = usable;
    // As `qstate run` always has: an MPI backend over the ranks used, even one.
    if (context_->has_mpi()) execute_backend_ = context_->backend_on_first(usable);
  } else {
    ranks_used_ = ranks;
  }
  distributed_ = ranks > 1 && o.distribute && !program_.dynamic && usable == ranks;
}

std::string Compiled::unused_ranks_note() const {
  const int ranks = context_->ranks();
  if (ranks_used_ >= ranks) return {};
  const bool circuit_limit =
      ranks_used_ < static_cast<int>(std::bit_floor(static_cast<unsigned>(ranks)));
  return "running on " + std::to_string(ranks_used_) + " of " + std::to_string(ranks) + " ranks: " +
         (circuit_limit ? "this circuit cannot use more (each rank needs at least as many local "
                          "qubits as its widest gate)"
                        : "a run needs a power-of-two number of ranks") +
         "; the other ranks wait";
}

void Compiled::bind(const std::vector<double>& values) {
  ++global_counters().binds;
  bind_parameters(program_.ops, values);
  if (distributed_) bind_parameters(planned_, values);
  bound_ = true;
}

void Compiled::run() {
  if (ranks_used_ < context_->ranks())
    throw Error("run() and the State need every rank of the simulator, and this circuit runs on " +
                std::to_string(ranks_used_) + " of " + std::to_string(context_->ranks()) +
                " (RankUse::kLargestPowerOfTwo): use execute(), or RankUse::kAll");
  if (program_.dynamic)
    throw Error(
        "this circuit has no single final state (measurement results feed later "
        "operations); use execute() for shots");
  if (!bound_)
    throw Error("bind values to the parameters (" + std::to_string(program_.inputs.size()) +
                ") before running");
  const SimulatorOptions& o = context_->options();
  set_num_threads(o.threads);
  if (!checked_) {
    // The memory check (per rank), agreed by all ranks, before the first allocation.
    std::string error;
    try {
      RunOptions run;
      run.shots = 0;
      run.precision = o.precision;
      const MemoryPlan plan =
          plan_memory(program_, run, distributed_ ? context_->ranks() : 1, o.exchange_buffer_bytes);
      preflight(program_, run, plan, qstate::available_memory_bytes());
    } catch (const Error& e) {
      error = e.what();
    }
    context_->agree(error);
    checked_ = true;
  }
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

RunOptions Compiled::run_options(const ExecuteOptions& e, std::uint64_t seed) const {
  const SimulatorOptions& o = context_->options();
  RunOptions run;
  run.shots = e.shots;
  run.seed = seed;
  run.threads = o.threads;
  run.precision = o.precision;
  run.memory = e.memory;
  run.probabilities = e.probabilities;
  run.statevector = e.statevector;
  run.observables = e.observables;
  run.statevector_file = e.statevector_file;
  run.fusion = o.fusion ? kFusionAuto : 0;
  return run;
}

const Backend& Compiled::backend_for_execute() const {
  static const Backend kLocal;
  if (context_->options().rank_use == RankUse::kLargestPowerOfTwo)
    return execute_backend_ ? *execute_backend_ : kLocal;
  // kAll: split over every rank when the circuit can use them all, else a copy on each rank.
  const SimulatorOptions& o = context_->options();
  const int ranks = context_->ranks();
  const bool split = ranks > 1 && o.distribute && usable_ranks(program_, ranks) == ranks;
  return split ? context_->distributed_backend() : kLocal;
}

Result Compiled::execute(const ExecuteOptions& e) {
  // The seed is drawn before anything else, by every rank (a collective over all of them).
  const std::uint64_t seed = e.seed ? *e.seed : context_->share(random_seed());
  if (!bound_)
    throw Error("bind values to the parameters (" + std::to_string(program_.inputs.size()) +
                ") before running");
  if (!runs_here()) return Result{};
  Backend backend = backend_for_execute();
  backend.kept_state = &execute_state_;  // one state's memory for every execute() of this circuit
  Result result = run_program(program_, run_options(e, seed), backend);
  add_circuit_stats(result.metadata, stats_);
  result.seed_given = e.seed.has_value();
  return result;
}

void Compiled::check_memory(const ExecuteOptions& e) const {
  const SimulatorOptions& o = context_->options();
  std::string error;
  try {
    const RunOptions run = run_options(e, 0);
    const Backend& backend = backend_for_execute();
    const int ranks = backend.collective ? backend.collective->ranks() : 1;
    const MemoryPlan plan = plan_memory(program_, run, ranks, o.exchange_buffer_bytes);
    preflight(program_, run, plan, qstate::available_memory_bytes());
  } catch (const Error& err) {
    error = err.what();
  }
  context_->agree(error);
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

void Simulator::agree(const std::string& error) const {
  context_->agree(error);
}
std::uint64_t Simulator::share(std::uint64_t value) const {
  return context_->share(value);
}
std::uint64_t Simulator::draw_seed() const {
  return context_->share(random_seed());
}
void Simulator::abort(int code) const {
  context_->abort(code);
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

Result CompiledCircuit::execute(const ExecuteOptions& options) {
  return c_->execute(options);
}

Result CompiledCircuit::execute(std::uint64_t shots, std::optional<std::uint64_t> seed,
                                bool memory) {
  ExecuteOptions options;
  options.shots = shots;
  options.seed = seed;
  options.memory = memory;
  return c_->execute(options);
}

void CompiledCircuit::check_memory(const ExecuteOptions& options) const {
  c_->check_memory(options);
}
int CompiledCircuit::ranks_used() const {
  return c_->ranks_used();
}
bool CompiledCircuit::runs_here() const {
  return c_->runs_here();
}
std::string CompiledCircuit::unused_ranks_note() const {
  return c_->unused_ranks_note();
}

}  // namespace qstate::api
