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
#include "simulator/preflight.hpp"
#include "simulator/result.hpp"
#include "simulator/state.hpp"

namespace qstate {

// RunOptions::fusion: let the cost model choose (circuits/passes/fusion.hpp).
inline constexpr int kFusionAuto = -1;

struct RunOptions {
  std::uint64_t shots = 1024;
  std::optional<std::uint64_t> seed;  // drawn at random and reported when absent (under MPI,
                                      // give one: every rank must use the same)
  int threads = 0;                    // 0: OpenMP default
  Precision precision = Precision::kDouble;
  bool memory = false;                   // per-shot keys
  bool probabilities = false;            // |a|^2 of the final state over the declared qubits
  bool statevector = false;              // amplitudes of the final state over the declared qubits
  std::vector<std::string> observables;  // Pauli sums, e.g. "0.5*ZZI - 1.2*XIX"
  // Raw amplitudes of the final state (simulated qubits, logical order) to this file plus a JSON
  // header beside it; written in place by every rank, never gathered.
  std::string statevector_file;
  // Gate fusion before distribution and cache-blocking planning: kFusionAuto lets the cost model
  // choose the widths (the environment variable QSTATE_FUSION overrides it: 0 off, 1 automatic,
  // k >= 2 dense fused gates up to k targets); 0 turns fusion off; k >= 1 fuses dense gates up to
  // k targets. Fused non-diagonal gates never need more local qubits than a rank holds.
  int fusion = kFusionAuto;
};

// Makes the state a program runs on (a StateVector by default; mpi/ supplies a distributed one).
using StateFactory = std::function<std::unique_ptr<State>(unsigned num_qubits, Precision)>;

// How the processes that share one state agree. One process: trivially. Under MPI every rank
// runs the same program and must take the same decisions and fail together.
class Collective {
 public:
  virtual ~Collective() = default;
  virtual int ranks() const { return 1; }
  // True on every rank when `flag` is true on every rank.
  virtual bool all(bool flag) const { return flag; }
  // Throws the same qstate::Error on every rank when `error` is not empty on any rank (the
  // message of the lowest such rank).
  virtual void agree(const std::string& error) const;
};

// Where a program runs.
struct Backend {
  StateFactory make_state;                  // empty: a StateVector in this process
  const Collective* collective = nullptr;   // nullptr: one process
  std::uint64_t exchange_buffer_bytes = 0;  // per rank; 0: default_exchange_buffer
  // When set, a run takes its state from *kept_state if that one has the program's qubits and
  // precision (set back to |0...0>, no allocation or first touch), and leaves its state there
  // afterwards: repeated runs (sweeps) re-use one state's memory.
  std::unique_ptr<State>* kept_state = nullptr;
};

// Runs a planned program: preflight (memory per rank; failures agreed across ranks), the state,
// the remap plan when the state is split, shots and outputs. Throws qstate::Error for anything
// the user can fix.
Result run_program(const Program& program, const RunOptions& options, const Backend& backend = {});

// Copies the circuit's statistics (gate counts, depth, ...) into a run's metadata.
void add_circuit_stats(RunMetadata& meta, const CircuitStats& stats);

// Plans and runs a circuit (adds a "plan" timing).
Result run_circuit(const Circuit& circuit, const RunOptions& options, const Backend& backend = {});

}  // namespace qstate
