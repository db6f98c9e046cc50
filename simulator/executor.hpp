// Executor: runs a planned Program on a State and gathers a Result: the unitary part once,
// shots sampled from the final state in one pass (or, when measurements feed later operations,
// the dynamic part once per shot with its own random stream), probabilities, the state vector and
// Pauli expectation values of the final state. One seed determines every draw; results do not
// depend on the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "circuits/passes/program.hpp"
#include "simulator/result.hpp"
#include "simulator/state.hpp"

namespace qstate {

struct RunOptions {
  std::uint64_t shots = 1024;
  std::optional<std::uint64_t> seed;  // drawn from std::random_device and reported when absent
  int threads = 0;                    // 0: OpenMP default
  Precision precision = Precision::kDouble;
  bool memory = false;                   // per-shot keys
  bool probabilities = false;            // |a|^2 of the final state over the declared qubits
  bool statevector = false;              // amplitudes of the final state over the declared qubits
  std::vector<std::string> observables;  // Pauli sums, e.g. "0.5*ZZI - 1.2*XIX"
};

// Makes the state a program runs on (a StateVector here; MPI supplies a distributed one).
using StateFactory = std::function<std::unique_ptr<State>(unsigned num_qubits, Precision)>;

// Checks that the run fits in memory and that the options make sense for the program, before
// anything is allocated; throws qstate::Error otherwise. `run` calls it first.
void preflight(const Program& program, const RunOptions& options);

// Runs a planned program. Throws qstate::Error for anything the user can fix.
Result run_program(const Program& program, const RunOptions& options,
                   const StateFactory& make_state = {});

// Plans and runs a circuit (adds a "plan" timing).
Result run_circuit(const Circuit& circuit, const RunOptions& options);

}  // namespace qstate
