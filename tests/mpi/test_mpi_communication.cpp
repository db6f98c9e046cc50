// Communication counters of distributed runs, as counted by the code that sends
// (result.metadata.communication: the most bytes any rank sent point to point, and the
// data-moving remaps, canonicalisation included). On 2^g ranks a slice is 2^(n-g) amplitudes:
//  - textbook QFT (h, cu1 chain, final swaps, measure all): one remap exchanging all g global
//    qubits, the swaps relabelled: bytes <= 2 (1 - 2^-g) slice and remaps <= 2 (in fact one
//    remap of (1 - 2^-g) slice);
//  - GHZ (h, cx chain, measure all): one remap in the chain plus one to canonicalise before
//    sampling: bytes <= 2 (1 - 2^-g) slice, remaps <= 2;
//  - circuits whose gates are diagonal or whose targets stay local send nothing;
//  - gathering probabilities to rank 0 adds exactly one slice of doubles sent by each other rank;
//  - the counters of a run count that run only, also when one communicator serves several runs;
//  - exchanging through a small buffer (many pieces) moves the same bytes;
//  - Pauli strings with X or Y on global qubits stream each partner rank's slice once, however
//    many of them pair with that rank.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "circuits/gates.hpp"
#include "mpi/backend.hpp"
#include "simulator/executor.hpp"
#include "simulator/preflight.hpp"
#include "tests/mpi/mpi_support.hpp"

namespace {

using qstate::Qubit;

qstate::GateOp gate(const char* name, std::vector<double> params, std::vector<Qubit> qubits) {
  return qstate::make_gate(name, params, qubits);
}

// /work/shared/bench/gen.py's qft(n), plus measure all into c.
qstate::Circuit qft(unsigned n) {
  qstate::Circuit c;
  c.source = "<qft>";
  c.add_qreg("q", n);
  c.add_creg("c", n);
  for (Qubit j = 0; j < n; ++j) {
    c.ops.emplace_back(gate("h", {}, {j}));
    for (Qubit k = j + 1; k < n; ++k)
      c.ops.emplace_back(
          gate("cu1", {std::numbers::pi / std::ldexp(1.0, static_cast<int>(k - j))}, {k, j}));
  }
  for (Qubit j = 0; j < n / 2; ++j) c.ops.emplace_back(gate("swap", {}, {j, n - 1 - j}));
  for (Qubit q = 0; q < n; ++q) c.ops.emplace_back(qstate::MeasureOp{q, q});
  return c;
}

qstate::Circuit ghz(unsigned n) {
  qstate::Circuit c;
  c.source = "<ghz>";
  c.add_qreg("q", n);
  c.add_creg("c", n);
  c.ops.emplace_back(gate("h", {}, {0}));
  for (Qubit q = 0; q + 1 < n; ++q) c.ops.emplace_back(gate("cx", {}, {q, q + 1}));
  for (Qubit q = 0; q < n; ++q) c.ops.emplace_back(qstate::MeasureOp{q, q});
  return c;
}

// Non-diagonal targets only on the low n - g qubits; diagonal gates and controls everywhere.
qstate::Circuit local_targets(unsigned n, unsigned g) {
  qstate::Circuit c;
  c.source = "<local targets>";
  c.add_qreg("q", n);
  c.add_creg("c", n);
  const Qubit top = n - 1;
  const Qubit low = n - std::max(g, 1U) - 1;  // a local qubit below the top one
  for (Qubit q = 0; q <= low; ++q) c.ops.emplace_back(gate("h", {}, {q}));
  for (Qubit q = 0; q < n; ++q) c.ops.emplace_back(gate("rz", {0.1 + q}, {q}));
  c.ops.emplace_back(gate("cz", {}, {top, 0}));
  c.ops.emplace_back(gate("cp", {0.7}, {top, top - 1}));
  c.ops.emplace_back(gate("rzz", {0.3}, {top, top - 1}));
  c.ops.emplace_back(gate("t", {}, {top}));
  c.ops.emplace_back(gate("cx", {}, {top, 0}));          // global control, local target
  c.ops.emplace_back(gate("ccx", {}, {top, 1, low}));    // the same with two controls
  c.ops.emplace_back(gate("crx", {0.4}, {top - 1, 2}));  // controlled rotation, local target
  for (Qubit q = 0; q < n; ++q) c.ops.emplace_back(qstate::MeasureOp{q, q});
  return c;
}

struct Counters {
  std::uint64_t bytes = 0;
  std::uint64_t remaps = 0;
  int ranks = 0;
  std::map<std::string, std::uint64_t> counts;
  std::uint64_t state_bytes = 0;
};

Counters run_counters(const qstate::Circuit& c, bool probabilities,
                      std::vector<std::string> observables = {}, std::uint64_t buffer = 0) {
  qstate::RunOptions o;
  o.shots = 200;
  o.seed = 3;
  o.probabilities = probabilities;
  o.observables = std::move(observables);
  const qstate::test::MpiRun run = qstate::test::run_distributed(c, o, buffer);
  const qstate::CommunicationStats& s = run.result.metadata.communication;
  return {s.bytes_sent, s.remaps, s.ranks, run.result.counts, run.result.metadata.state_bytes};
}

}  // namespace

TEST_CASE("mpi: a textbook QFT sends at most 2 (1 - 2^-g) slices in at most 2 remaps",
          "[mpi][communication]") {
  const unsigned g = qstate::test::world_global_qubits();
  const int size = qstate::test::world().size();
  for (unsigned n = 12; n <= 14; ++n) {
    const double slice = std::ldexp(16.0, static_cast<int>(n - g));
    const double moved = 1.0 - std::ldexp(1.0, -static_cast<int>(g));
    const Counters shots = run_counters(qft(n), false);
    INFO("QFT on " << n << " qubits, " << size << " ranks: " << shots.bytes << " bytes in "
                   << shots.remaps << " remaps; slice " << slice << " bytes");
    CHECK(shots.ranks == size);
    CHECK(static_cast<double>(shots.bytes) <= 2 * moved * slice);
    CHECK(shots.remaps <= 2);
    // The state of a rank: its slice and the exchange buffer the memory plan counted.
    CHECK(static_cast<double>(shots.state_bytes) <=
          slice + static_cast<double>(
                      qstate::default_exchange_buffer(static_cast<std::uint64_t>(slice))));
    // What the planner promises: one remap that exchanges all g global qubits.
    CHECK(shots.remaps == (g > 0 ? 1U : 0U));
    CHECK(static_cast<double>(shots.bytes) == moved * slice);
    // Gathering probabilities: every other rank sends its slice of doubles to rank 0.
    const Counters gathered = run_counters(qft(n), true);
    CHECK(gathered.remaps == shots.remaps);
    CHECK(static_cast<double>(gathered.bytes - shots.bytes) == (g > 0 ? slice / 2 : 0.0));
    // Exchanges in 4 KiB pieces move the same bytes and give the same shots.
    const Counters pieces = run_counters(qft(n), false, {}, 4096);
    CHECK(pieces.bytes == shots.bytes);
    CHECK(pieces.remaps == shots.remaps);
    CHECK(pieces.counts == shots.counts);
  }
}

TEST_CASE("mpi: GHZ sends at most 2 (1 - 2^-g) slices (one remap in the chain and one to sample)",
          "[mpi][communication]") {
  const unsigned g = qstate::test::world_global_qubits();
  for (unsigned n = 12; n <= 13; ++n) {
    const double slice = std::ldexp(16.0, static_cast<int>(n - g));
    const double moved = 1.0 - std::ldexp(1.0, -static_cast<int>(g));
    const Counters shots = run_counters(ghz(n), false);
    INFO("GHZ on " << n << " qubits: " << shots.bytes << " bytes in " << shots.remaps
                   << " remaps; slice " << slice << " bytes");
    CHECK(static_cast<double>(shots.bytes) <= 2 * moved * slice);
    CHECK(shots.remaps <= 2);
    if (g > 0) CHECK(shots.bytes > 0);
  }
}

TEST_CASE("mpi: diagonal gates and local targets send nothing", "[mpi][communication]") {
  const unsigned g = qstate::test::world_global_qubits();
  const unsigned n = 8;
  const Counters shots = run_counters(local_targets(n, g), false);
  CHECK(shots.bytes == 0);
  CHECK(shots.remaps == 0);
  // Diagonal observables (Z and I only) need no exchange either.
  const Counters z = run_counters(local_targets(n, g), false, {std::string(n, 'Z'), "ZZIIIIIZ"});
  CHECK(z.bytes == 0);
  CHECK(z.remaps == 0);
  // Gathering probabilities is the only traffic.
  const double slice = std::ldexp(16.0, static_cast<int>(n - g));
  const Counters gathered = run_counters(local_targets(n, g), true);
  CHECK(static_cast<double>(gathered.bytes) == (g > 0 ? slice / 2 : 0.0));
  CHECK(gathered.remaps == 0);
  // An X on a global qubit pairs amplitudes across ranks: that is counted too.
  const Counters x = run_counters(local_targets(n, g), false, {"X" + std::string(n - 1, 'I')});
  if (g > 0) CHECK(x.bytes > 0);
  CHECK(x.remaps == 0);
}

TEST_CASE("mpi: Pauli strings that pair with the same rank stream its slice once",
          "[mpi][communication]") {
  // local_targets runs without remaps, so the top g qubits are global when the observables are
  // read. A, B and C have X or Y on qubit 7 (and local X on qubits at and above the 4-amplitude
  // chunks of a 64-byte buffer), D on qubit 6 (global with 4 ranks, local with 2), E none.
  const unsigned g = qstate::test::world_global_qubits();
  const unsigned n = 8;
  const qstate::Circuit c = local_targets(n, g);
  const std::vector<std::string> one = {"XIIIIIII"};
  const std::vector<std::string> all = {"XIIIIIII", "YZIIIXIZ", "XIXIIIIX", "IXIIIIII", "ZZZIIIII"};
  for (const std::uint64_t buffer : {std::uint64_t{64}, std::uint64_t{0}}) {
    INFO("exchange buffer " << buffer << " bytes (0: the default)");
    const Counters single_string = run_counters(c, false, one, buffer);
    const Counters five = run_counters(c, false, all, buffer);
    CHECK(five.bytes == single_string.bytes * (g >= 2 ? 2 : 1));
    if (g > 0) CHECK(single_string.bytes > 0);
    // The values are those of one process, bit for bit (exact sums).
    qstate::RunOptions o;
    o.shots = 0;
    o.observables = all;
    const qstate::test::MpiRun run = qstate::test::run_distributed(c, o, buffer);
    const qstate::Result local = qstate::run_circuit(c, o);
    REQUIRE(run.result.expectation_values.size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      INFO(all[i]);
      CHECK(run.result.expectation_values[i] == local.expectation_values[i]);
    }
  }
}

TEST_CASE("mpi: the counters of a run count that run only (one communicator for two runs)",
          "[mpi][communication]") {
  // A research script keeps one Communicator and MpiBackend for several runs.
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const qstate::mpi::MpiBackend backend(comm, 0);
  qstate::RunOptions o;
  o.shots = 100;
  o.seed = 1;
  const qstate::Circuit c = qft(12);
  const qstate::Result first = qstate::run_circuit(c, o, backend.backend());
  const qstate::Result second = qstate::run_circuit(c, o, backend.backend());
  INFO("first run " << first.metadata.communication.bytes_sent << " bytes, second run "
                    << second.metadata.communication.bytes_sent << " bytes");
  CHECK(second.metadata.communication.remaps == first.metadata.communication.remaps);
  CHECK(second.metadata.communication.bytes_sent == first.metadata.communication.bytes_sent);
}
