// Results do not depend on the number of ranks or threads (DESIGN.md, Distribution): random
// circuits (static, and dynamic with mid-circuit measurements, resets and conditionals; 6 to 10
// qubits, fixed seeds) and textbook ones (QFT, GHZ) run on the MPI backend at this job's rank
// count with 1 and 2 threads (and default and 16-byte exchange buffers), and their digests (counts,
// memory, expectation values' bits, raw bytes of probabilities and statevector) must equal those of
// a single-process StateVector run in the same process. ctest runs this at 1, 2, 4 and 8 ranks:
// equal digests at every rank count mean identical results across rank counts. The raw amplitude
// file (--statevector-file, written in place by every rank) must have the same bytes as one
// process's.
#include <stdlib.h>
#include <cstring>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "circuits/gates.hpp"
#include "circuits/passes/program.hpp"
#include "simulator/executor.hpp"
#include "tests/mpi/mpi_support.hpp"
#include "tests/support/corpus.hpp"
#include "tests/support/random_circuits.hpp"

namespace {

using qstate::Qubit;

// Z everywhere but X on the top qubit and Y on the one below (global positions with 2+ ranks).
std::string top_xy_label(unsigned n) {
  std::string s(n, 'Z');
  s[0] = 'X';
  s[1] = 'Y';
  return s;
}

qstate::Circuit qft_circuit(unsigned n) {
  qstate::Circuit c;
  c.source = "<qft " + std::to_string(n) + ">";
  c.add_qreg("q", n);
  c.add_creg("c", n);
  for (Qubit j = 0; j < n; ++j) {
    c.ops.emplace_back(qstate::make_gate("h", std::vector<double>{}, std::vector<Qubit>{j}));
    for (Qubit k = j + 1; k < n; ++k)
      c.ops.emplace_back(qstate::make_gate(
          "cu1", std::vector<double>{std::numbers::pi / std::ldexp(1.0, static_cast<int>(k - j))},
          std::vector<Qubit>{k, j}));
  }
  for (Qubit j = 0; j < n / 2; ++j)
    c.ops.emplace_back(
        qstate::make_gate("swap", std::vector<double>{}, std::vector<Qubit>{j, n - 1 - j}));
  for (Qubit q = 0; q < n; ++q) c.ops.emplace_back(qstate::MeasureOp{q, q});
  return c;
}

struct Case {
  std::string name;
  qstate::Circuit circuit;
  qstate::RunOptions options;
  bool dynamic = false;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  // Static random circuits: counts, memory, probabilities, statevector, observables.
  for (unsigned n = 6; n <= 10; ++n) {
    qstate::test::RandomCircuitOptions ro;
    ro.num_qubits = n;
    ro.depth = 12 * n;
    ro.num_qregs = 2;
    ro.num_cregs = 2;
    ro.barrier_rate = 0.03;
    Case c;
    c.name = "static random n=" + std::to_string(n);
    c.circuit = qstate::test::random_circuit(900 + n, ro).circuit;
    c.options.shots = 400;
    c.options.seed = 4000 + n;
    c.options.memory = true;
    c.options.probabilities = true;
    c.options.statevector = true;
    c.options.observables = {top_xy_label(n), std::string(n, 'X'),
                             "0.5*" + std::string(n - 1, 'I') + "Y - 2*" + std::string(n, 'Z')};
    c.options.precision = n == 8 ? qstate::Precision::kSingle : qstate::Precision::kDouble;
    out.push_back(std::move(c));
  }
  // Dynamic random circuits: every shot runs the measurements, resets and ifs.
  for (unsigned n = 6; n <= 10; n += 2) {
    for (std::uint64_t seed : {11U, 12U}) {
      qstate::test::RandomCircuitOptions ro;
      ro.num_qubits = n;
      ro.depth = 6 * n;
      ro.num_cregs = 2;
      ro.mid_measure_rate = 0.12;
      ro.reset_rate = 0.06;
      ro.conditional_rate = 0.25;
      Case c;
      c.name = "dynamic random n=" + std::to_string(n) + " seed " + std::to_string(seed);
      c.circuit = qstate::test::random_circuit(seed * 100 + n, ro).circuit;
      c.options.shots = 64;
      c.options.seed = seed;
      c.dynamic = true;
      c.options.memory = true;
      c.options.precision = seed == 12 ? qstate::Precision::kSingle : qstate::Precision::kDouble;
      out.push_back(std::move(c));
    }
  }
  // Idle qubits (dropped before simulation, back in the outputs) and a global phase.
  {
    Case c;
    c.name = "idle qubits, global phase";
    qstate::test::RandomCircuitOptions ro;
    ro.num_qubits = 7;
    ro.depth = 60;
    ro.final_measurements = false;
    const qstate::Circuit body = qstate::test::random_circuit(77, ro).circuit;
    // The 7 qubits become declared qubits 0, 1, 3, 4, 6, 8, 10 of 11 (two registers).
    const std::vector<Qubit> where = {0, 1, 3, 4, 6, 8, 10};
    c.circuit.source = "<idle>";
    c.circuit.add_qreg("q", 5);
    c.circuit.add_qreg("r", 6);
    c.circuit.add_creg("c", 11);
    c.circuit.global_phase = 0.7;
    for (qstate::Op op : body.ops) {
      auto* g = std::get_if<qstate::GateOp>(&op);
      if (g == nullptr) continue;
      for (Qubit& q : g->targets) q = where[q];
      for (Qubit& q : g->controls) q = where[q];
      c.circuit.ops.push_back(std::move(op));
    }
    for (Qubit q = 0; q < 11; ++q) c.circuit.ops.emplace_back(qstate::MeasureOp{q, q});
    c.options.shots = 300;
    c.options.seed = 12;
    c.options.memory = true;
    c.options.probabilities = true;
    c.options.statevector = true;
    c.options.observables = {top_xy_label(11), "XIXIIXIXXIY"};
    out.push_back(std::move(c));
  }
  // One local qubit per rank (n = g + 1): every gate has one target, remaps exchange a
  // single amplitude per partner; static and dynamic.
  for (bool dynamic : {false, true}) {
    const unsigned n = qstate::test::world_global_qubits() + 1;
    qstate::test::RandomCircuitOptions ro;
    ro.num_qubits = n;
    ro.depth = 40;
    ro.gates = {"h", "x", "ry", "rz", "u3", "sx", "cx", "cz", "cu1", "cry", "ch", "swap"};
    if (n >= 3) ro.gates.push_back("ccx");
    if (dynamic) {
      ro.mid_measure_rate = 0.1;
      ro.reset_rate = 0.05;
      ro.conditional_rate = 0.2;
    }
    Case c;
    c.name = std::string(dynamic ? "dynamic" : "static") + " with one local qubit per rank";
    c.circuit = qstate::test::random_circuit(dynamic ? 31 : 30, ro).circuit;
    c.options.shots = dynamic ? 64 : 300;
    c.options.seed = 2;
    c.options.memory = true;
    c.dynamic = dynamic;
    if (!dynamic) {
      c.options.probabilities = true;
      c.options.statevector = true;
      c.options.observables = {std::string(n, 'X'), std::string(n, 'Y')};
    }
    out.push_back(std::move(c));
  }
  // Textbook circuits.
  {
    Case c;
    c.name = "qft 9";
    c.circuit = qft_circuit(9);
    c.options.shots = 500;
    c.options.seed = 99;
    c.options.memory = true;
    c.options.probabilities = true;
    c.options.statevector = true;
    c.options.observables = {top_xy_label(9)};
    out.push_back(std::move(c));
  }
  {
    Case c;
    c.name = "ghz 8";
    c.circuit.source = "<ghz>";
    c.circuit.add_qreg("q", 8);
    c.circuit.add_creg("c", 8);
    c.circuit.ops.emplace_back(
        qstate::make_gate("h", std::vector<double>{}, std::vector<Qubit>{0}));
    for (Qubit q = 0; q + 1 < 8; ++q)
      c.circuit.ops.emplace_back(
          qstate::make_gate("cx", std::vector<double>{}, std::vector<Qubit>{q, q + 1}));
    for (Qubit q = 0; q < 8; ++q) c.circuit.ops.emplace_back(qstate::MeasureOp{q, q});
    c.options.shots = 300;
    c.options.seed = 5;
    c.options.memory = true;
    c.options.probabilities = true;
    c.options.observables = {std::string(8, 'X'), top_xy_label(8)};
    out.push_back(std::move(c));
  }
  return out;
}

// Raw amplitude files compared value by value: equal bits, or both an exact zero (+0 / -0).
bool same_amplitudes(const std::string& a, const std::string& b, qstate::Precision precision) {
  if (a.size() != b.size()) return false;
  const auto compare = [&](auto zero) {
    using Real = decltype(zero);
    const std::size_t n = a.size() / sizeof(Real);
    for (std::size_t i = 0; i < n; ++i) {
      Real x;
      Real y;
      std::memcpy(&x, a.data() + i * sizeof(Real), sizeof(Real));
      std::memcpy(&y, b.data() + i * sizeof(Real), sizeof(Real));
      if (std::memcmp(&x, &y, sizeof(Real)) != 0 && !(x == zero && y == zero)) return false;
    }
    return true;
  };
  return precision == qstate::Precision::kSingle ? compare(0.0F) : compare(0.0);
}

}  // namespace

TEST_CASE("mpi: results are bit-identical to one process at any rank and thread count",
          "[mpi][identity]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  int full_width = 0;
  for (const Case& tc : cases()) {
    qstate::RunOptions o = tc.options;
    o.threads = 1;
    const qstate::Result single = qstate::run_circuit(tc.circuit, o);
    const qstate::test::ResultDigest want = qstate::test::digest(single);
    {
      INFO(tc.name);
      CHECK(single.metadata.dynamic == tc.dynamic);
      CHECK(single.memory.size() == o.shots);
      CHECK(single.expectation_values.size() == o.observables.size());
    }
    for (int threads : {1, 2}) {
      o.threads = threads;
      // With 2 threads, a 16-byte exchange buffer: exchanges go one amplitude at a time.
      const qstate::test::MpiRun run =
          qstate::test::run_distributed(tc.circuit, o, threads == 2 ? 16 : 0);
      if (threads == 1 && run.ranks == comm.size()) ++full_width;
      if (!run.member) continue;
      const qstate::test::ResultDigest got = qstate::test::digest(run.result);
      INFO(tc.name << ": " << run.ranks << " of " << comm.size() << " ranks, " << threads
                   << " threads; digest " << got << ", one process " << want);
      CHECK(run.result.metadata.threads == threads);
      CHECK(run.result.metadata.dynamic == single.metadata.dynamic);
      CHECK(got.shots == want.shots);
      CHECK(got.expectations == want.expectations);
      if (got.shots != want.shots) CHECK(run.result.counts == single.counts);
      if (got.expectations != want.expectations)
        CHECK(run.result.expectation_values == single.expectation_values);
      if (comm.is_root()) {
        CHECK(got.gathered == want.gathered);
        if (got.gathered != want.gathered && run.result.probabilities && single.probabilities)
          CHECK(*run.result.probabilities == *single.probabilities);
      }
    }
  }
  // At 8 ranks the 6-qubit circuits with 4-target gates run on fewer: most use every rank.
  CHECK(full_width >= 8);
}

TEST_CASE("mpi: the amplitude file written by every rank equals one process's file",
          "[mpi][identity]") {
  // --statevector-file: each rank writes its block in place (MPI-IO), nothing is gathered.
  const qstate::mpi::Communicator& comm = qstate::test::world();
  std::string dir;
  if (comm.is_root()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "qstate_mpi_amplitudes.XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) dir = pattern;
  }
  dir = comm.broadcast(dir, 0);
  REQUIRE(!dir.empty());  // the same verdict on every rank: it was broadcast
  int index = 0;
  for (const Case& tc : cases()) {
    if (tc.dynamic || !tc.options.statevector) continue;
    ++index;
    qstate::RunOptions o = tc.options;
    o.probabilities = o.statevector = false;
    o.observables.clear();
    o.memory = false;
    const std::string mine = dir + "/mpi_" + std::to_string(index) + ".bin";
    const std::string theirs = dir + "/single_" + std::to_string(index) + ".bin";
    o.statevector_file = mine;
    const qstate::test::MpiRun run = qstate::test::run_distributed(tc.circuit, o);
    if (!comm.is_root()) continue;
    o.statevector_file = theirs;
    qstate::run_circuit(tc.circuit, o);
    INFO(tc.name << " on " << run.ranks << " ranks");
    const std::string got = qstate::test::read_text_file(mine);
    const std::string want = qstate::test::read_text_file(theirs);
    CHECK(got.size() == want.size());
    const unsigned simulated = qstate::plan_program(tc.circuit).num_qubits();
    CHECK(got.size() ==
          (std::size_t{o.precision == qstate::Precision::kSingle ? 8U : 16U} << simulated));
    CHECK(same_amplitudes(got, want, o.precision));
    CHECK(qstate::test::read_text_file(mine + ".json") ==
          qstate::test::read_text_file(theirs + ".json"));
  }
  CHECK(index >= 3);
  comm.barrier();
  if (comm.is_root()) std::filesystem::remove_all(dir);
}
