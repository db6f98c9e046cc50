// The inside of a CompiledCircuit: the planned program, the ops the state runs (with the remaps
// of the distribution plan when the state is split), the state itself (allocated at the first
// run, re-used after) and the bound parameter values.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "circuits/passes/program.hpp"
#include "qstate/qstate.hpp"
#include "simulator/state.hpp"

namespace qstate::api::detail {

class Compiled {
 public:
  Compiled(std::shared_ptr<Context> context, const qstate::Circuit& circuit);

  const Context& context() const { return *context_; }
  const qstate::Circuit& circuit() const { return circuit_; }
  const Program& program() const { return program_; }
  bool distributed() const { return distributed_; }
  const CircuitStats& stats() const { return stats_; }

  void bind(const std::vector<double>& values);
  // Applies the gates from |0...0> (allocating the state the first time).
  void run();
  bool ran() const { return ran_; }
  qstate::State& state();  // after run()

  // Declared qubit -> simulated qubit, or kIdleQubit.
  Qubit compact(Qubit declared) const { return compact_[declared]; }

  // Collectives over the ranks that share the state (nothing when it is not split).
  void sum_exact(std::span<ExactSum::Raw> values) const;
  void broadcast(void* data, std::size_t bytes, int root) const;

  Result execute(const ExecuteOptions& options);
  void check_memory(const ExecuteOptions& options) const;

  int ranks_used() const { return ranks_used_; }
  bool runs_here() const { return context_->rank() < ranks_used_; }
  std::string unused_ranks_note() const;

 private:
  std::shared_ptr<Context> context_;
  qstate::Circuit circuit_;  // registers and names, for results
  Program program_;
  CircuitStats stats_;
  std::vector<Op> planned_;  // the program's ops plus remaps, when the state is split
  Layout initial_layout_;
  bool distributed_ = false;
  std::unique_ptr<qstate::State> state_;
  std::unique_ptr<qstate::State> execute_state_;  // kept between execute() calls (sweeps)
  std::vector<Qubit> compact_;
  bool bound_ = false;
  bool ran_ = false;
  bool checked_ = false;  // the memory check of run() passed
  int ranks_used_ = 1;
  // The backend execute() runs on (kLargestPowerOfTwo under MPI: the first ranks_used_ ranks;
  // nullptr on the others).
  const Backend* execute_backend_ = nullptr;

  RunOptions run_options(const ExecuteOptions& options, std::uint64_t seed) const;
  const Backend& backend_for_execute() const;
};

}  // namespace qstate::api::detail
