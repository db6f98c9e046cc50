// The public API for research scripts: build a circuit in code or load it from OpenQASM, compile
// it once (parse and plan once), bind parameter values cheaply, run it on a state that is
// allocated once and re-used, and read expectation values, marginal probabilities, amplitudes,
// samples and the state vector. The same code runs on one process or, under mpirun, with the
// state split across the ranks: every call is then collective and returns the same value on every
// rank. Nothing here includes <mpi.h>; see mpi/mpi_comm.hpp to pass an MPI_Comm.
//
//   #include <qstate/qstate.hpp>
//   namespace qs = qstate::api;
//   qs::Circuit c(2);
//   c.ry("theta", 0).cx(0, 1);
//   qs::Simulator sim;
//   qs::CompiledCircuit prog = sim.compile(c);
//   double e = prog.bind({{"theta", 0.3}}).run().expectation(qs::PauliSum("ZZ - 0.5*XX"));
#pragma once

#include <complex>
#include <cstdint>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/error.hpp"
#include "simulator/result.hpp"
#include "simulator/state.hpp"

namespace qstate::api {

using qstate::Error;      // every mistake a user can make is reported as qstate::Error
using qstate::Precision;  // Precision::kSingle (complex<float>) or kDouble (complex<double>)
using qstate::Result;     // counts, memory and metadata of a shot-based run (simulator/result.hpp)
using Complex = std::complex<double>;
using Values = std::map<std::string, double>;  // parameter values by name

// A gate parameter: a number, a named symbol, or an affine combination of symbols
// (constant + sum of coefficient * symbol), e.g. 2 * Param("gamma") or Param("theta") + 0.5.
class Param {
 public:
  Param(double value = 0.0) : constant_(value) {}            // NOLINT: numbers convert implicitly
  Param(const char* symbol) : Param(std::string(symbol)) {}  // NOLINT
  Param(std::string symbol);                                 // NOLINT

  bool is_constant() const { return terms_.empty(); }
  double constant() const { return constant_; }
  // (symbol, coefficient) pairs, sorted by symbol, no zero coefficients.
  const std::vector<std::pair<std::string, double>>& terms() const { return terms_; }
  // The value with the given symbols' values; throws Error for a symbol not in `values`.
  double evaluate(const Values& values) const;
  std::string to_string() const;

  friend Param operator+(const Param& a, const Param& b);
  friend Param operator-(const Param& a, const Param& b);
  friend Param operator-(const Param& a);
  friend Param operator*(const Param& a, double k);
  friend Param operator*(double k, const Param& a) { return a * k; }
  friend Param operator/(const Param& a, double k) { return a * (1.0 / k); }

 private:
  double constant_ = 0.0;
  std::vector<std::pair<std::string, double>> terms_;
};

// A quantum circuit: one quantum register "q" (and a classical register "c" when num_clbits > 0)
// built gate by gate, or whatever registers an OpenQASM file declares. Qubit k is bit k of a basis
// index (Qiskit's order). Gate methods take parameters first, then qubits (as Qiskit's
// QuantumCircuit does) and return *this so calls chain.
class Circuit {
 public:
  explicit Circuit(unsigned num_qubits, unsigned num_clbits = 0);
  // OpenQASM text (the version line picks the front end; none means OpenQASM 2). Errors carry
  // name:line:col. Inputs (OpenQASM 3 `input float[64] theta;`) become parameters.
  static Circuit from_qasm(std::string_view text, const std::string& name = "<string>");
  static Circuit from_file(const std::string& path);
  // Wraps a circuit model made elsewhere (a front end, a test).
  explicit Circuit(qstate::Circuit model);

  unsigned num_qubits() const { return model_.num_qubits; }
  unsigned num_clbits() const { return model_.num_clbits; }
  // Symbolic parameter names, in the order of their first use (the order bind(vector) takes).
  const std::vector<std::string>& parameters() const { return model_.inputs; }
  std::size_t size() const { return model_.ops.size(); }  // operations (gates, measurements, ...)
  const std::string& name() const { return model_.source; }
  Circuit& set_name(std::string name);
  double global_phase() const { return model_.global_phase; }
  Circuit& set_global_phase(double radians);

  // Any standard gate by name (Qiskit's names: h, cx, rzz, cu, c3x, ...): qubits as Qiskit
  // passes them (controls first), params in Qiskit's order. Throws Error for an unknown name, a
  // wrong number of qubits or parameters, a repeated or out-of-range qubit.
  Circuit& gate(std::string_view name, const std::vector<unsigned>& qubits,
                const std::vector<Param>& params = {});

  Circuit& id(unsigned q) { return gate("id", {q}); }
  Circuit& h(unsigned q) { return gate("h", {q}); }
  Circuit& x(unsigned q) { return gate("x", {q}); }
  Circuit& y(unsigned q) { return gate("y", {q}); }
  Circuit& z(unsigned q) { return gate("z", {q}); }
  Circuit& s(unsigned q) { return gate("s", {q}); }
  Circuit& sdg(unsigned q) { return gate("sdg", {q}); }
  Circuit& t(unsigned q) { return gate("t", {q}); }
  Circuit& tdg(unsigned q) { return gate("tdg", {q}); }
  Circuit& sx(unsigned q) { return gate("sx", {q}); }
  Circuit& sxdg(unsigned q) { return gate("sxdg", {q}); }
  Circuit& rx(const Param& theta, unsigned q) { return gate("rx", {q}, {theta}); }
  Circuit& ry(const Param& theta, unsigned q) { return gate("ry", {q}, {theta}); }
  Circuit& rz(const Param& theta, unsigned q) { return gate("rz", {q}, {theta}); }
  Circuit& p(const Param& lambda, unsigned q) { return gate("p", {q}, {lambda}); }
  Circuit& u(const Param& theta, const Param& phi, const Param& lambda, unsigned q) {
    return gate("u", {q}, {theta, phi, lambda});
  }
  Circuit& cx(unsigned c, unsigned t) { return gate("cx", {c, t}); }
  Circuit& cy(unsigned c, unsigned t) { return gate("cy", {c, t}); }
  Circuit& cz(unsigned c, unsigned t) { return gate("cz", {c, t}); }
  Circuit& ch(unsigned c, unsigned t) { return gate("ch", {c, t}); }
  Circuit& swap(unsigned a, unsigned b) { return gate("swap", {a, b}); }
  Circuit& crx(const Param& theta, unsigned c, unsigned t) { return gate("crx", {c, t}, {theta}); }
  Circuit& cry(const Param& theta, unsigned c, unsigned t) { return gate("cry", {c, t}, {theta}); }
  Circuit& crz(const Param& theta, unsigned c, unsigned t) { return gate("crz", {c, t}, {theta}); }
  Circuit& cp(const Param& lambda, unsigned c, unsigned t) { return gate("cp", {c, t}, {lambda}); }
  Circuit& rxx(const Param& theta, unsigned a, unsigned b) { return gate("rxx", {a, b}, {theta}); }
  Circuit& rzz(const Param& theta, unsigned a, unsigned b) { return gate("rzz", {a, b}, {theta}); }
  Circuit& ccx(unsigned c0, unsigned c1, unsigned t) { return gate("ccx", {c0, c1, t}); }
  Circuit& cswap(unsigned c, unsigned a, unsigned b) { return gate("cswap", {c, a, b}); }
  // A k-qubit unitary given as a row-major 2^k x 2^k matrix; bit j of its index is qubits[j].
  // Checked to be unitary (within 1e-9).
  Circuit& unitary(const std::vector<Complex>& matrix, const std::vector<unsigned>& qubits,
                   const std::string& name = "unitary");

  Circuit& measure(unsigned qubit, unsigned clbit);
  // Adds a classical register "meas" of num_qubits() bits and measures qubit k into its bit k
  // (what Qiskit's measure_all() does).
  Circuit& measure_all();
  Circuit& reset(unsigned qubit);
  Circuit& barrier();

  // The names of all standard gates gate() accepts.
  static std::vector<std::string> gate_names();

  const qstate::Circuit& model() const { return model_; }

 private:
  unsigned input_index(const std::string& symbol);
  void check_qubit(unsigned q) const;
  qstate::Circuit model_;
};

// A real combination of Pauli strings, labels in Qiskit's order (the rightmost letter acts on
// qubit 0), one letter per declared qubit of the circuit it is measured on.
class PauliSum {
 public:
  PauliSum() = default;
  // "0.5*ZZ - 1.2*XI + YY" (coefficients optional, '*' optional). Throws Error naming the column.
  PauliSum(std::string_view text);  // NOLINT: strings convert implicitly
  PauliSum(const char* text) : PauliSum(std::string_view(text)) {}  // NOLINT
  // (label, coefficient) pairs, as SparsePauliOp.from_list takes them.
  PauliSum(const std::vector<std::pair<std::string, double>>& terms);  // NOLINT

  PauliSum& add(const std::string& label, double coefficient = 1.0);
  std::size_t size() const { return terms_.size(); }
  unsigned num_qubits() const {
    return terms_.empty() ? 0 : static_cast<unsigned>(terms_[0].second.size());
  }
  // (coefficient, label) pairs, labels upper case.
  const std::vector<std::pair<double, std::string>>& terms() const { return terms_; }
  std::string to_string() const;

 private:
  std::vector<std::pair<double, std::string>> terms_;
};

// How a Simulator under MPI uses its ranks for a circuit that cannot be split over all of them
// (the state is split over a power-of-two number of ranks, each holding at least as many qubits
// as the circuit's widest gate).
enum class RankUse {
  // Every rank runs: the state is split over all ranks when the circuit can use them all, else
  // every rank holds its own full copy (results are identical).
  kAll,
  // The state is split over the largest power-of-two number of ranks the circuit can use (what
  // `qstate run` does); the other ranks take no part in runs: execute() returns an empty Result
  // there at once (see CompiledCircuit::runs_here()) and run() is refused.
  kLargestPowerOfTwo,
};

struct SimulatorOptions {
  Precision precision = Precision::kDouble;
  int threads = 0;  // OpenMP threads per process; 0: OMP_NUM_THREADS or one per core
  // Gate fusion (docs/performance.md) in CompiledCircuit::execute(ExecuteOptions): true lets the
  // cost model choose (the environment variable QSTATE_FUSION overrides it: 0 off, 1 automatic,
  // k >= 2 dense fused gates up to k targets); false turns it off. run() and the State reads
  // apply the gates unfused. Cache blocking is controlled by QSTATE_BLOCKING.
  bool fusion = true;
  std::uint64_t exchange_buffer_bytes = 0;  // under MPI, per rank; 0: max(64 MiB, slice / 16)
  // Under MPI: split the state across the ranks (true), or give every rank its own full copy
  // (false; results are identical, nothing is exchanged). A circuit too small to split over all
  // ranks is replicated anyway (RankUse::kAll) or runs on fewer ranks (kLargestPowerOfTwo).
  bool distribute = true;
  RankUse rank_use = RankUse::kAll;
};

// What CompiledCircuit::execute(ExecuteOptions) computes: shots as the circuit's measurements
// define them, and outputs of the final state (before final measurements).
struct ExecuteOptions {
  std::uint64_t shots = 1024;
  // The seed of every random draw; none: drawn at random on rank 0 and shared (reported in
  // Result::seed, with Result::seed_given false).
  std::optional<std::uint64_t> seed;
  bool memory = false;         // per-shot counts keys, in shot order (Result::memory)
  bool probabilities = false;  // |a|^2 over the declared qubits (Result::probabilities)
  bool statevector = false;    // amplitudes over the declared qubits (Result::statevector)
  // Pauli sums as PauliSum reads them ("0.5*ZZ - XX"); Result::expectation_values keeps the
  // texts as keys, in this order.
  std::vector<std::string> observables;
  // Raw amplitudes of the final state (simulated qubits, index order) to this file as
  // little-endian complex values, with a JSON header in PATH.json; under MPI each rank writes
  // its block in place, nothing is gathered. Empty: no file.
  std::string statevector_file;
};

// What `qstate info --ranks P` prints: the plan of a run on `ranks` MPI ranks (memory per rank,
// remaps and the bytes each rank will send, beside what exchanging data per global gate would
// send). See describe_plan().
struct DistributionInfo {
  int ranks_requested = 1;
  int ranks = 1;  // usable: the largest power of two, at most ranks_requested, the circuit can use
  unsigned local_qubits = 0;
  std::string precision;  // "single" or "double"
  std::uint64_t slice_bytes = 0;
  std::uint64_t buffer_bytes = 0;
  std::uint64_t per_rank_bytes = 0;  // slice + buffer + overhead (rank 0, no gathered outputs)
  std::uint64_t remaps = 0;
  std::vector<unsigned> remap_sizes;
  std::uint64_t relabels = 0;
  unsigned final_exchange = 0;       // qubits a final remap exchanges to read results in order
  std::uint64_t bytes_sent = 0;      // per rank: the remaps and the final one
  double per_gate_slices = 0;        // baseline: slices sent per rank when exchanging per gate
  std::uint64_t per_gate_bytes = 0;  // the same in bytes per rank
};

// What a circuit holds and what simulating it takes, without simulating (`qstate info`).
struct CircuitInfo {
  struct Stats {  // as simulated (user gates expanded; IfOp bodies included)
    std::map<std::string, std::uint64_t> gate_counts;
    std::uint64_t gates = 0;
    std::uint64_t measurements = 0;
    std::uint64_t resets = 0;
    std::uint64_t conditionals = 0;
    std::uint64_t barriers = 0;
    std::uint64_t depth = 0;
  };
  std::string source;
  std::uint32_t qubits = 0;            // declared
  std::uint32_t simulated_qubits = 0;  // touched by a gate
  std::uint32_t clbits = 0;
  std::vector<Register> qregs;
  std::vector<Register> cregs;
  std::vector<std::string> inputs;                      // parameters, in declaration order
  std::map<std::string, std::uint64_t> written_counts;  // gates by name as written
  Stats stats;
  bool dynamic = false;
  std::uint64_t single_bytes = 0;  // state of the simulated qubits; UINT64_MAX beyond 16 EiB
  std::uint64_t double_bytes = 0;
  std::uint64_t available_bytes = 0;  // available_memory_bytes()
  std::optional<DistributionInfo> distribution;
};

// Plans `circuit` (idle qubits, dynamic or not), counts its operations and sizes its state.
CircuitInfo describe(const Circuit& circuit);
// The plan of a run of `circuit` on `ranks` MPI ranks (a power of two, else Error) in this
// precision with this exchange buffer per rank (0: the default); nothing is allocated or run.
DistributionInfo describe_plan(const Circuit& circuit, int ranks, Precision precision,
                               std::uint64_t exchange_buffer_bytes = 0);

// Bytes this process may allocate: MemAvailable, lowered to cgroup and RLIMIT_AS limits, or
// QSTATE_MEMORY_LIMIT (bytes, or with a K/M/G/T suffix) when set.
std::uint64_t available_memory_bytes();
// "1.50 GiB", "512.0 MiB", "100 bytes" (three significant digits).
std::string format_bytes(std::uint64_t bytes);
// A constant expression as OpenQASM 3 reads it ("0.25", "pi/4", "-2*pi/3"); Error (starting with
// `context`) otherwise.
double constant_value(const std::string& text, const std::string& context);

namespace detail {
class Context;
class Compiled;
}  // namespace detail

class CompiledCircuit;

// Counts of the expensive steps, for tests and benchmarks (process-wide, since the start or the
// last reset_counters()).
struct Counters {
  std::uint64_t parses = 0;       // OpenQASM texts or files read
  std::uint64_t plans = 0;        // circuits planned (compile())
  std::uint64_t allocations = 0;  // states allocated
  std::uint64_t binds = 0;        // bind() calls
  std::uint64_t runs = 0;         // runs of a compiled circuit's gates
};
Counters counters();
void reset_counters();

// The final state of a compiled circuit's last run(). Owned by its CompiledCircuit (one per
// compiled circuit, re-used by every run), local or split across ranks: the interface is the
// same. Every method is collective under MPI and returns the same value on every rank. Qubit
// numbers and basis indices speak of the circuit's declared qubits; idle qubits read |0>.
class State {
 public:
  unsigned num_qubits() const;  // declared qubits
  Precision precision() const;
  bool distributed() const;            // split across more than one rank
  std::uint64_t memory_bytes() const;  // amplitude storage on this process
  CommunicationStats communication() const;

  // <psi|H|psi>: one pass over the state per term that is not the identity; no copy of the state.
  double expectation(const PauliSum& sum);
  // Several sums at once; a Pauli string that occurs in several sums is evaluated once.
  std::vector<double> expectations(const std::vector<PauliSum>& sums);
  // Marginal probabilities of `qubits` (all declared qubits when empty): entry i has qubit
  // qubits[j] equal to bit j of i (Qiskit's Statevector.probabilities(qargs) order). A marginal of
  // at most 26 qubits is read in place in one pass with exact sums (the same bits for any thread
  // or rank count); all qubits give each amplitude's |a|^2, gathered on every rank.
  std::vector<double> probabilities(const std::vector<unsigned>& qubits = {});
  // <index|psi> (global phase included).
  Complex amplitude(std::uint64_t index);
  // `shots` basis indices (over the declared qubits) drawn from |psi|^2 with `seed`; the same
  // for any thread or rank count.
  std::vector<std::uint64_t> sample(std::uint64_t shots, std::uint64_t seed);
  // Counts of sampled bit strings of `qubits` (all when empty), qubits[0] the rightmost bit.
  std::map<std::string, std::uint64_t> counts(std::uint64_t shots, std::uint64_t seed,
                                              const std::vector<unsigned>& qubits = {});
  // All 2^n amplitudes (global phase included), gathered on every rank: each rank needs memory
  // for the whole vector.
  std::vector<Complex> statevector();

 private:
  friend class CompiledCircuit;
  explicit State(detail::Compiled* c) : c_(c) {}
  detail::Compiled* c_;
};

// A circuit parsed and planned once, with the state it runs on allocated once. bind() sets
// parameter values (no re-planning, no allocation); run() applies the gates from |0...0>.
class CompiledCircuit {
 public:
  CompiledCircuit(CompiledCircuit&&) noexcept;
  CompiledCircuit& operator=(CompiledCircuit&&) noexcept;
  ~CompiledCircuit();

  unsigned num_qubits() const;        // declared
  unsigned simulated_qubits() const;  // after dropping idle qubits
  const std::vector<std::string>& parameters() const;
  bool is_dynamic() const;  // measurement results feed later operations: no single final state
  const std::vector<Register>& qregs() const;  // as declared (for results)
  const std::vector<Register>& cregs() const;

  // Sets the values of all parameters, by name (every parameter needs a value; unknown names are
  // errors) or in parameters() order.
  CompiledCircuit& bind(const Values& values);
  CompiledCircuit& bind(const std::vector<double>& values);
  // Runs the gates (final measurements left out) on the state; returns it. Throws Error for a
  // dynamic circuit or unbound parameters.
  State& run();
  State& run(const Values& values) { return bind(values).run(); }
  // The state of the last run() (throws Error before the first).
  State& state();

  // Shots and outputs in one run, through the same path as `qstate run`: memory preflight (per
  // rank, outputs included; failures agreed by all ranks), gate fusion (SimulatorOptions::fusion),
  // cache blocking, the state split across ranks as SimulatorOptions says, shots sampled from the
  // final state (or run per shot for a dynamic circuit). The Result holds counts (keyed as
  // Qiskit keys them) and memory, the same on every rank; probabilities and statevector
  // (gathered on rank 0 only under MPI: empty on the others); expectation values (every rank);
  // the seed and metadata (circuit statistics, timings in metadata.time_taken: "simulate",
  // "sample", ...; communication; fusion). Each call allocates the state it runs on and frees it
  // after (run() keeps one). Throws Error for unbound parameters, outputs a dynamic circuit has
  // not (probabilities, ...), bad observables, or too little memory. Ranks that take no part
  // (runs_here() false) return an empty Result at once.
  Result execute(const ExecuteOptions& options);
  // Shots only (ExecuteOptions with shots, seed and memory).
  Result execute(std::uint64_t shots, std::optional<std::uint64_t> seed = std::nullopt,
                 bool memory = false);
  // The checks execute(options) makes before it allocates anything (outputs the circuit can
  // give, observables, memory per rank against available_memory_bytes()); throws Error, the same
  // on every rank, when it would fail.
  void check_memory(const ExecuteOptions& options) const;

  // The ranks runs use: all ranks of the simulator, or with RankUse::kLargestPowerOfTwo the
  // largest power of two the circuit can use (1 on one process).
  int ranks_used() const;
  // This rank takes part in runs (rank() < ranks_used()).
  bool runs_here() const;
  // When runs use fewer ranks than the simulator has (kLargestPowerOfTwo): why, as one sentence
  // ("running on 2 of 3 ranks: a run needs a power-of-two number of ranks; the other ranks
  // wait"); empty otherwise.
  std::string unused_ranks_note() const;

 private:
  friend class Simulator;
  explicit CompiledCircuit(std::unique_ptr<detail::Compiled> c);
  std::unique_ptr<detail::Compiled> c_;
  std::unique_ptr<State> state_;
};

// Where and how circuits run. Under an MPI launcher (mpirun, mpiexec, srun) the default
// simulator starts MPI (or joins it when the script started it, e.g. mpi4py) and uses all ranks
// of MPI_COMM_WORLD; otherwise it is one process.
class Simulator {
 public:
  explicit Simulator(const SimulatorOptions& options = {});
  ~Simulator();
  Simulator(const Simulator&);
  Simulator& operator=(const Simulator&);

  // The address of an MPI_Comm (what mpi4py's MPI._addressof(comm) gives); the communicator is
  // duplicated. Prefer mpi/mpi_comm.hpp's typed overload in C++.
  static Simulator with_mpi_comm_address(const void* mpi_comm, const SimulatorOptions& options);

  const SimulatorOptions& options() const;
  int rank() const;
  int ranks() const;
  bool is_root() const { return rank() == 0; }
  static bool mpi_enabled();  // built with MPI

  // Collectives over all ranks of the simulator (nothing to do on one process), for programs
  // that must fail together: under MPI a rank that throws while others wait would hang them.
  // Throws Error with `error` on every rank when `error` is not empty on any rank (the message
  // of the lowest such rank); returns when it is empty everywhere.
  void agree(const std::string& error) const;
  // Runs f() on every rank; when it throws Error (or std::bad_alloc, as "out of memory") on any
  // rank, every rank throws the same Error. Returns f()'s value.
  template <class F>
  auto agreed(F&& f) const -> decltype(f());
  // Rank 0's `value` on every rank (e.g. a seed drawn at random).
  std::uint64_t share(std::uint64_t value) const;
  // A random seed below 2^53 (exact in JSON readers that hold numbers as doubles), drawn on
  // rank 0 and shared.
  std::uint64_t draw_seed() const;
  // Ends every rank with this exit code (MPI_Abort under MPI, else exit): for failures that
  // struck one rank alone and would leave the others waiting.
  [[noreturn]] void abort(int code) const;

  CompiledCircuit compile(const Circuit& circuit) const;
  // Convenience for one-off runs (compiles each time).
  Result execute(const Circuit& circuit, std::uint64_t shots,
                 std::optional<std::uint64_t> seed = std::nullopt, const Values& values = {},
                 bool memory = false) const;

 private:
  explicit Simulator(std::shared_ptr<detail::Context> context);
  std::shared_ptr<detail::Context> context_;
};

template <class F>
auto Simulator::agreed(F&& f) const -> decltype(f()) {
  using R = decltype(f());
  std::string error;
  // Every rank calls agree() exactly once, whatever happened, so collectives stay matched.
  auto attempt = [&](auto&& body) {
    try {
      body();
    } catch (const Error& e) {
      error = e.what();
    } catch (const std::bad_alloc&) {
      error = "out of memory";
    }
    agree(error);
  };
  if constexpr (std::is_void_v<R>) {
    attempt([&] { f(); });
  } else {
    std::optional<R> value;
    attempt([&] { value.emplace(f()); });
    return std::move(*value);
  }
}

}  // namespace qstate::api
