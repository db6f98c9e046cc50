// Errors across ranks: a failure on some ranks only must end every rank with one message (the
// lowest failing rank's) and never leave a rank waiting. MpiCollective::agree and all() directly;
// a memory preflight that fails on one rank only (QSTATE_MEMORY_LIMIT is read per process, so
// one rank sets it), for the state and for the fused gates; a malformed limit on one rank; a
// snapshot decision that differs between ranks; and the errors every rank raises alike: too many
// ranks for the qubits, a rank count that is not a power of two, an operation needing more local
// qubits than a rank holds, an amplitude file that cannot be written.
#include <cstdlib>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "circuits/passes/distribute.hpp"
#include "circuits/passes/program.hpp"
#include "mpi/backend.hpp"
#include "simulator/executor.hpp"
#include "tests/mpi/mpi_support.hpp"
#include "tests/support/circuit_builder.hpp"
#include "tests/support/random_circuits.hpp"

using Catch::Matchers::Contains;

namespace {

struct Outcome {
  bool threw = false;
  std::string message;
};

Outcome agree_with(const qstate::mpi::Communicator& comm, const std::string& error) {
  Outcome out;
  try {
    qstate::mpi::MpiCollective(comm).agree(error);
  } catch (const qstate::Error& e) {
    out.threw = true;
    out.message = e.what();
  }
  return out;
}

// Runs on the whole world (no usable_ranks) and returns what was thrown, the same way on every
// rank; a QSTATE_MEMORY_LIMIT given for one rank is set there only, for this run only.
Outcome run_on_world(const qstate::Circuit& c, const qstate::RunOptions& o, int limited_rank = -1,
                     const char* limit = nullptr, qstate::Result* result = nullptr) {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const char* before = std::getenv("QSTATE_MEMORY_LIMIT");
  const std::string saved = before ? before : "";
  if (comm.rank() == limited_rank) setenv("QSTATE_MEMORY_LIMIT", limit, 1);
  Outcome out;
  try {
    const qstate::mpi::MpiBackend backend(comm, 0);
    qstate::Result r = qstate::run_circuit(c, o, backend.backend());
    if (result) *result = std::move(r);
  } catch (const qstate::Error& e) {
    out.threw = true;
    out.message = e.what();
  }
  if (comm.rank() == limited_rank) {
    if (before)
      setenv("QSTATE_MEMORY_LIMIT", saved.c_str(), 1);
    else
      unsetenv("QSTATE_MEMORY_LIMIT");
  }
  return out;
}

qstate::Circuit small_circuit(unsigned n) {
  qstate::test::CircuitBuilder b({{"q", n}}, {{"c", n}});
  for (qstate::Qubit q = 0; q < n; ++q) b.gate("h", {}, {q});
  for (qstate::Qubit q = 0; q + 1 < n; ++q) b.gate("cx", {}, {q, q + 1});
  for (qstate::Qubit q = 0; q < n; ++q) b.measure(q, q);
  return b.build();
}

// The same message on every rank: rank 0's, broadcast, compared on each rank.
bool same_everywhere(const std::string& text) {
  return qstate::test::world().broadcast(text, 0) == text;
}

}  // namespace

TEST_CASE("mpi: MpiCollective::agree throws the lowest failing rank's message everywhere",
          "[mpi][errors]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const int last = comm.size() - 1;
  SECTION("no rank fails: nobody throws") {
    CHECK_FALSE(agree_with(comm, "").threw);
  }
  SECTION("only the last rank fails") {
    const Outcome o = agree_with(comm, comm.rank() == last ? "disk full on the last rank" : "");
    CHECK(o.threw);
    CHECK(o.message == "disk full on the last rank");
  }
  SECTION("several ranks fail: the lowest one's message wins") {
    // Every odd rank and the last fail, each with its own message (rank 0 alone at 1 rank).
    const bool fails = comm.rank() % 2 == 1 || comm.rank() == last;
    const Outcome o =
        agree_with(comm, fails ? "failure on rank " + std::to_string(comm.rank()) : "");
    const int lowest = comm.size() > 1 ? 1 : 0;
    CHECK(o.threw);
    CHECK(o.message == "failure on rank " + std::to_string(lowest));
  }
  SECTION("rank 0 fails with a long message") {
    const std::string text(100000, 'x');
    const Outcome o = agree_with(comm, comm.is_root() ? text : "");
    CHECK(o.threw);
    CHECK(o.message == text);
  }
  SECTION("all() is true only when every rank says so") {
    const qstate::mpi::MpiCollective collective(comm);
    CHECK(collective.all(true));
    CHECK_FALSE(collective.all(comm.rank() != last));
    CHECK(collective.ranks() == comm.size());
  }
}

TEST_CASE("mpi: a memory preflight failing on one rank stops every rank with its message",
          "[mpi][errors]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const int victim = comm.size() > 1 ? 1 : 0;
  const unsigned n = 2 + qstate::test::world_global_qubits();
  qstate::RunOptions o;
  o.shots = 10;
  o.seed = 1;
  const Outcome out = run_on_world(small_circuit(n), o, victim, "1K");
  CHECK(out.threw);
  CHECK_THAT(out.message, Contains("not enough memory"));
  CHECK(same_everywhere(out.message));
  if (comm.size() > 1) CHECK_THAT(out.message, Contains(std::to_string(comm.size()) + " ranks"));
  // The next run, with the limit gone, works on every rank.
  const Outcome again = run_on_world(small_circuit(n), o);
  CHECK_FALSE(again.threw);
}

TEST_CASE("mpi: gates that do not fit next to one rank's slice stop every rank with its message",
          "[mpi][errors]") {
  // 3000 random cz and rz on 14 qubits fuse into 10-qubit diagonals (every rank holds at least
  // 12 qubits here): about 5.7 MiB of gates while they run, against at most 256 KiB of slice,
  // 256 KiB of exchange buffer and 64 MiB of overhead.
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const int victim = comm.size() > 1 ? 1 : 0;
  qstate::test::RandomCircuitOptions ro;
  ro.num_qubits = 14;
  ro.depth = 3000;
  ro.gates = {"cz", "rz"};
  const qstate::Circuit c = qstate::test::random_circuit(7, ro).circuit;
  qstate::RunOptions o;
  o.shots = 10;
  o.seed = 1;
  o.fusion = 2;  // fusion on whatever QSTATE_FUSION says
  const Outcome out = run_on_world(c, o, victim, "68M");
  CHECK(out.threw);
  CHECK_THAT(out.message, Contains("gates to run (after fusion)") && Contains("68.0 MiB"));
  CHECK(same_everywhere(out.message));
  if (comm.size() > 1) CHECK_THAT(out.message, Contains("per rank"));
  CHECK_FALSE(run_on_world(c, o).threw);
}

TEST_CASE("mpi: a malformed memory limit on one rank stops every rank with its message",
          "[mpi][errors]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  qstate::RunOptions o;
  o.shots = 10;
  o.seed = 1;
  const Outcome out = run_on_world(small_circuit(2 + qstate::test::world_global_qubits()), o,
                                   comm.size() - 1, "banana");
  CHECK(out.threw);
  CHECK_THAT(out.message, Contains("QSTATE_MEMORY_LIMIT='banana'"));
  CHECK(same_everywhere(out.message));
}

TEST_CASE("mpi: ranks agree on the per-shot snapshot when one rank has less memory",
          "[mpi][errors]") {
  // A dynamic circuit keeps a snapshot of the state after its unitary prefix when memory allows.
  // Rank `victim` has room for the run (64 MiB overhead + a tiny state) but not for a snapshot
  // (it needs room / 2 > state + 64 MiB): every rank must then rerun the prefix per shot.
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const int victim = comm.size() - 1;
  const unsigned n = 3 + qstate::test::world_global_qubits();
  qstate::test::CircuitBuilder b({{"q", n}}, {{"c", n}});
  for (qstate::Qubit q = 0; q < n; ++q) b.gate("ry", {0.3 + q}, {q});
  for (qstate::Qubit q = 0; q + 1 < n; ++q) b.gate("cx", {}, {q, q + 1});
  b.measure(n - 1, 0).if_equal("c", 1).gate("x", {}, {0});
  for (qstate::Qubit q = 0; q < n; ++q) b.measure(q, q);
  const qstate::Circuit c = b.build();
  qstate::RunOptions o;
  o.shots = 40;
  o.seed = 8;
  o.memory = true;
  qstate::Result limited;
  const Outcome out = run_on_world(c, o, victim, "100M", &limited);
  CHECK_FALSE(out.threw);
  CHECK(limited.metadata.shot_method == "per-shot, rerun");
  CHECK(same_everywhere(limited.metadata.shot_method));
  qstate::Result free;
  CHECK_FALSE(run_on_world(c, o, -1, nullptr, &free).threw);
  CHECK(free.metadata.shot_method == "per-shot, prefix snapshot");
  // The way the shots are run does not change them.
  const qstate::Result single = qstate::run_circuit(c, o);
  CHECK(limited.memory == single.memory);
  CHECK(free.memory == single.memory);
}

TEST_CASE("mpi: too many ranks for the qubits is an Error on every rank", "[mpi][errors]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  qstate::RunOptions o;
  o.shots = 10;
  o.seed = 1;
  // One qubit: each of 2+ ranks would hold no local qubit.
  const Outcome out = run_on_world(small_circuit(1), o);
  CHECK(out.threw == (comm.size() > 1));
  CHECK(same_everywhere(out.message));
  if (comm.size() > 1) CHECK_THAT(out.message, Contains("too many"));
  // usable_ranks picks what fits, as the CLI does: the run succeeds on rank 0 alone.
  const qstate::test::MpiRun run = qstate::test::run_distributed(small_circuit(1), o);
  CHECK(run.ranks == 1);
  CHECK(run.member == comm.is_root());
}

TEST_CASE("mpi: a rank count that is not a power of two is an Error on every member",
          "[mpi][errors]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  if (comm.size() < 4) return;  // needs 3 ranks out of 4 or more; the same on every rank
  const qstate::mpi::Communicator three = comm.first(3);
  Outcome out;
  if (three.valid()) {
    qstate::RunOptions o;
    o.shots = 10;
    o.seed = 1;
    try {
      const qstate::mpi::MpiBackend backend(three, 0);
      qstate::run_circuit(small_circuit(6), o, backend.backend());
    } catch (const qstate::Error& e) {
      out.threw = true;
      out.message = e.what();
    }
    CHECK(out.threw);
    CHECK_THAT(out.message, Contains("power-of-two"));
  }
  // Every rank takes part in the broadcast; the members compare their message with rank 0's.
  const std::string from_root = comm.broadcast(out.message, 0);
  if (three.valid()) CHECK(from_root == out.message);
}

TEST_CASE("mpi: an operation needing more local qubits than a rank holds is an Error",
          "[mpi][errors]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  // rc3x has 4 targets: 5 qubits on 4 ranks leave 3 local.
  qstate::test::CircuitBuilder b({{"q", 5}}, {{"c", 5}});
  b.gate("h", {}, {0}).gate("rc3x", {}, {1, 2, 3, 4});
  for (qstate::Qubit q = 0; q < 5; ++q) b.measure(q, q);
  const qstate::Circuit c = b.build();
  qstate::RunOptions o;
  o.shots = 10;
  o.seed = 1;
  const Outcome out = run_on_world(c, o);
  CHECK(out.threw == (comm.size() >= 4));
  CHECK(same_everywhere(out.message));
  if (out.threw) CHECK_THAT(out.message, Contains("use fewer ranks"));
  CHECK(qstate::usable_ranks(qstate::plan_program(c), comm.size()) == std::min(comm.size(), 2));
  const qstate::test::MpiRun run = qstate::test::run_distributed(c, o);
  CHECK(run.ranks == std::min(comm.size(), 2));
}

TEST_CASE("mpi: an amplitude file that cannot be written is an Error on every rank",
          "[mpi][errors]") {
  qstate::RunOptions o;
  o.shots = 0;
  o.statevector_file = "/nonexistent-qstate-dir/amplitudes.bin";
  const Outcome out = run_on_world(small_circuit(2 + qstate::test::world_global_qubits()), o);
  CHECK(out.threw);
  CHECK(same_everywhere(out.message));
  // As on one process ("cannot write 'PATH': No such file or directory"): the message names the
  // file whatever the rank count.
  CHECK_THAT(out.message, Contains("cannot write '/nonexistent-qstate-dir/amplitudes.bin'"));
}
