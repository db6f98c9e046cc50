// The gate-set crosscheck again under MPI: every gate of qstate::standard_gates() on every
// ordered choice of qubits of a 5-qubit register, on a generic state (a random prefix applied to
// both sides), against the dense Reference, in double and single precision. With 2^g ranks the
// top g qubits sit in global positions when the gate runs, so across all orderings every role
// (control, diagonal target, target brought in by a remap) lands on a global position. Two
// routes: DistributedState directly (every layout known; tiny exchange buffers so exchanges go
// in many pieces) and run_circuit on the MPI backend (planner and executor; gates needing more
// local qubits than a rank holds run on fewer ranks, as the CLI does). Both are also compared
// bit for bit with the single-process engine, and Pauli expectations (X/Y on global qubits
// included) with the Reference. Then, on the state directly: open and extra controls on global
// positions, controlled global phases, random dense unitaries with global targets, diagonals on
// up to all qubits in any order (local and global targets mixed), and permutations with phases.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "circuits/gates.hpp"
#include "circuits/passes/layout.hpp"
#include "mpi/distributed_state.hpp"
#include "simulator/state_vector.hpp"
#include "tests/mpi/mpi_support.hpp"
#include "tests/support/random_circuits.hpp"
#include "tests/support/reference.hpp"

namespace {

using qstate::GateOp;
using qstate::Qubit;
using qstate::test::Reference;
using std::numbers::pi;

constexpr unsigned kQubits = 5;

// All ordered choices of k distinct qubits among n.
std::vector<std::vector<Qubit>> arrangements(unsigned n, unsigned k) {
  std::vector<std::vector<Qubit>> out;
  std::vector<Qubit> cur;
  std::vector<bool> used(n, false);
  auto rec = [&](auto&& self) -> void {
    if (cur.size() == k) {
      out.push_back(cur);
      return;
    }
    for (Qubit q = 0; q < n; ++q) {
      if (used[q]) continue;
      used[q] = true;
      cur.push_back(q);
      self(self);
      cur.pop_back();
      used[q] = false;
    }
  };
  rec(rec);
  return out;
}

// Two parameter sets: special angles, then random ones.
std::vector<std::vector<double>> parameter_sets(unsigned np, qstate::test::SeededRandom& rng) {
  if (np == 0) return {{}};
  std::vector<double> special(np);
  for (unsigned i = 0; i < np; ++i) special[i] = std::array{pi / 2, -pi / 4, pi, 0.0}[i % 4];
  std::vector<double> random(np);
  for (double& v : random) v = rng.uniform(-2 * pi, 2 * pi);
  return {special, random};
}

// A random label over IXYZ, and one with X and Y on the top two qubits (global with 4 ranks).
std::vector<std::string> labels_for(qstate::test::SeededRandom& rng) {
  std::string any(kQubits, 'I'), top(kQubits, 'I');
  for (char& c : any) c = "IXYZ"[rng.below(4)];
  for (char& c : top) c = "IZ"[rng.below(2)];
  top[0] = 'X';  // qubit 4
  top[1] = 'Y';  // qubit 3
  return {any, top};
}

struct Coverage {
  int cases = 0;
  int global_controls = 0;
  int global_diagonal_targets = 0;
  int remapped_targets = 0;
  int skipped = 0;  // needed more local qubits than a rank holds
};

// One gate on one state through DistributedState directly; checks on rank 0.
template <class Real>
void check_state_level(const GateOp& gate, const std::vector<GateOp>& prefix, const Reference& want,
                       const std::vector<std::string>& labels, std::uint64_t buffer_bytes,
                       double tol, Coverage& coverage) {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  qstate::mpi::DistributedState<Real> state(comm, kQubits, buffer_bytes);
  qstate::StateVector<Real> single(kQubits);
  for (const GateOp& op : prefix) {
    qstate::test::apply_with_remap(state, op);
    single.apply(op);
  }
  state.canonicalize();
  const unsigned local = state.local_qubits();
  for (Qubit c : gate.controls)
    if (state.layout().position(c) >= local) ++coverage.global_controls;
  for (Qubit t : gate.targets)
    if (state.layout().position(t) >= local) {
      if (gate.matrix.kind == qstate::MatrixKind::kDiagonal)
        ++coverage.global_diagonal_targets;
      else
        ++coverage.remapped_targets;
    }
  qstate::test::apply_with_remap(state, gate);
  single.apply(gate);
  std::vector<double> ev, ev_single, ev_want;
  for (const std::string& label : labels) {
    ev.push_back(state.expectation(qstate::test::pauli_masks(label)));
    ev_single.push_back(single.expectation(qstate::test::pauli_masks(label)));
    ev_want.push_back(want.expectation(label));
  }
  const std::vector<std::complex<double>> amps = state.amplitudes();  // collective
  ++coverage.cases;
  // Every rank got the same expectation values; only rank 0 holds the amplitudes.
  INFO(qstate::test::describe_gate(gate) << " (" << sizeof(Real) * 8 << "-bit, buffer "
                                         << buffer_bytes << " bytes, " << comm.size() << " ranks)");
  double ev_err = 0;
  for (std::size_t i = 0; i < ev.size(); ++i)
    ev_err = std::max(ev_err, std::abs(ev[i] - ev_want[i]));
  if (ev_err > tol || ev != ev_single) {
    INFO("labels " << labels[0] << " " << labels[1]);
    CHECK(ev_err <= tol);
    CHECK(ev == ev_single);
  }
  if (!comm.is_root()) return;
  const double err = qstate::test::max_abs_diff(amps, want.amplitudes());
  const bool same = amps == single.amplitudes();
  if (err > tol || !same) {
    CHECK(err <= tol);
    CHECK(same);  // same kernels on the same amplitudes: the same bits
  }
}

}  // namespace

TEST_CASE("mpi: every standard gate on every ordered choice of 5 qubits (DistributedState)",
          "[mpi][gates]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const unsigned local = kQubits - qstate::test::world_global_qubits();
  qstate::test::SeededRandom rng(20240611);
  std::uint64_t seed = 1;
  Coverage coverage;
  for (const qstate::StandardGate& g : qstate::standard_gates()) {
    const std::string name(g.name);
    for (const std::vector<Qubit>& qubits : arrangements(kQubits, g.num_qubits)) {
      for (const std::vector<double>& params : parameter_sets(g.num_params, rng)) {
        const GateOp gate = qstate::make_gate(name, params, qubits);
        const std::vector<std::string> labels = labels_for(rng);
        ++seed;
        if (qstate::qubits_needing_local(qstate::Op(gate)).size() > local) {
          ++coverage.skipped;  // covered by the run_circuit test below, on fewer ranks
          continue;
        }
        const std::vector<GateOp> prefix = qstate::test::random_prefix(kQubits, seed % 16);
        Reference want = qstate::test::prefixed_reference(kQubits, seed % 16);
        want.apply_named(name, params, qubits);
        // Small buffers: exchanges in pieces of 1 (16 bytes) or 2 to 4 amplitudes (64 bytes).
        const std::uint64_t buffer = std::array<std::uint64_t, 3>{16, 64, 1 << 20}[seed % 3];
        check_state_level<double>(gate, prefix, want, labels, buffer, 1e-12, coverage);
        check_state_level<float>(gate, prefix, want, labels, buffer, 1e-5, coverage);
      }
    }
  }
  INFO(coverage.cases << " cases; global controls " << coverage.global_controls
                      << ", global diagonal targets " << coverage.global_diagonal_targets
                      << ", remapped targets " << coverage.remapped_targets << ", skipped "
                      << coverage.skipped);
  CHECK(coverage.cases > 1000);
  if (comm.size() > 1) {
    CHECK(coverage.global_controls > 100);
    CHECK(coverage.global_diagonal_targets > 50);
    CHECK(coverage.remapped_targets > 100);
  }
  // rc3x (4 targets) does not fit 3 local qubits; everything else does.
  CHECK(coverage.skipped == (local < 4 ? 120 : 0));
}

TEST_CASE("mpi: every standard gate on every ordered choice of 5 qubits (run_circuit)",
          "[mpi][gates]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  qstate::test::SeededRandom rng(777);
  std::uint64_t seed = 5000;
  int fewer_ranks = 0;
  int runs = 0;
  for (const qstate::StandardGate& g : qstate::standard_gates()) {
    const std::string name(g.name);
    for (const std::vector<Qubit>& qubits : arrangements(kQubits, g.num_qubits)) {
      std::vector<double> params(g.num_params);
      for (double& v : params) v = rng.uniform(-2 * pi, 2 * pi);
      const std::vector<std::string> labels = labels_for(rng);
      qstate::Circuit c;
      c.source = "<gate " + name + ">";
      c.add_qreg("q", kQubits);
      ++seed;
      Reference want = qstate::test::prefixed_reference(kQubits, seed % 16);
      for (const GateOp& op : qstate::test::random_prefix(kQubits, seed % 16))
        c.ops.emplace_back(op);
      c.ops.emplace_back(qstate::make_gate(name, params, qubits));
      want.apply_named(name, params, qubits);

      qstate::RunOptions o;
      o.shots = 0;
      o.seed = 1;
      o.statevector = true;
      o.observables = labels;
      o.precision = (seed % 3 == 0) ? qstate::Precision::kSingle : qstate::Precision::kDouble;
      const double tol = o.precision == qstate::Precision::kSingle ? 1e-5 : 1e-12;
      const qstate::test::MpiRun run = qstate::test::run_distributed(c, o, seed & 1U ? 64 : 0);
      const qstate::Result single = qstate::run_circuit(c, o);
      ++runs;
      if (run.ranks < comm.size()) ++fewer_ranks;
      if (!run.member) continue;
      INFO(name << " on " << qubits.size() << " qubits, case " << seed << ", " << run.ranks
                << " ranks");
      CHECK(run.result.expectation_values.size() == 2);
      if (run.result.expectation_values.size() != 2) continue;
      for (std::size_t i = 0; i < 2; ++i) {
        CHECK(run.result.expectation_values[i].second == single.expectation_values[i].second);
        CHECK(std::abs(run.result.expectation_values[i].second - want.expectation(labels[i])) <=
              tol);
      }
      if (run.result.metadata.communication.ranks > 1)
        CHECK(run.result.metadata.communication.ranks == run.ranks);
      if (!comm.is_root()) continue;
      CHECK(run.result.statevector.has_value());
      if (!run.result.statevector) continue;
      const double err = qstate::test::max_abs_diff(*run.result.statevector, want.amplitudes());
      const bool same = *run.result.statevector == *single.statevector;
      if (err > tol || !same) {
        CHECK(err <= tol);
        CHECK(same);
      }
    }
  }
  CHECK(runs > 1000);
  // rc3x needs 4 local qubits: with 4 ranks it runs on 2 (usable_ranks).
  CHECK(fewer_ranks == (comm.size() >= 4 ? 120 : 0));
}

namespace {

// One op through DistributedState (after a random prefix and canonicalize, so the top g qubits
// are global) against the Reference with the given full-op application; checks on rank 0.
template <class Real>
void check_op(const GateOp& op, unsigned n, std::uint64_t seed, double tol,
              const std::function<void(Reference&)>& reference_op, std::uint64_t buffer) {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const std::vector<GateOp> prefix = qstate::test::random_prefix(n, seed % 16);
  Reference want = qstate::test::prefixed_reference(n, seed % 16);
  reference_op(want);
  qstate::mpi::DistributedState<Real> state(comm, n, buffer);
  qstate::StateVector<Real> single(n);
  for (const GateOp& p : prefix) {
    qstate::test::apply_with_remap(state, p);
    single.apply(p);
  }
  state.canonicalize();
  qstate::test::apply_with_remap(state, op);
  single.apply(op);
  const std::vector<std::complex<double>> amps = state.amplitudes();
  if (!comm.is_root()) return;
  INFO(qstate::test::describe_gate(op)
       << " open " << op.open_controls << ", " << sizeof(Real) * 8 << "-bit");
  CHECK(qstate::test::max_abs_diff(amps, want.amplitudes()) <= tol);
  CHECK(amps == single.amplitudes());
}

template <class Real>
void check_op_both(const GateOp& op, unsigned n, std::uint64_t seed,
                   const std::function<void(Reference&)>& reference_op) {
  check_op<Real>(op, n, seed, sizeof(Real) == 8 ? 1e-12 : 1e-5, reference_op,
                 std::array<std::uint64_t, 3>{16, 64, 1 << 20}[seed % 3]);
}

}  // namespace

TEST_CASE("mpi: open and extra controls on global positions (DistributedState)", "[mpi][gates]") {
  // As tests/crosscheck/test_gate_set.cpp: X_j C(U) X_j for an opened control j; extra controls
  // wrap the whole gate. 6 qubits: with 4 ranks the top two are global.
  qstate::test::SeededRandom rng(77);
  const unsigned n = 6;
  const unsigned local = n - qstate::test::world_global_qubits();
  std::uint64_t seed = 1000;
  int global_controls = 0;
  for (const qstate::StandardGate& g : qstate::standard_gates()) {
    if (g.num_qubits + 2 > n) continue;
    const std::string name(g.name);
    for (int trial = 0; trial < 4; ++trial) {
      const std::vector<std::uint32_t> picks = rng.distinct(n, g.num_qubits + 2);
      const unsigned extra = static_cast<unsigned>(rng.below(3));
      const std::vector<Qubit> gate_qubits(picks.begin(), picks.begin() + g.num_qubits);
      const std::vector<Qubit> extra_controls(picks.begin() + g.num_qubits,
                                              picks.begin() + g.num_qubits + extra);
      std::vector<double> params(g.num_params);
      for (double& p : params) p = rng.uniform(-pi, pi);
      GateOp op = qstate::make_gate(name, params, gate_qubits);
      const std::uint64_t own_open = rng.below(std::uint64_t{1} << g.num_controls);
      const std::uint64_t extra_values = rng.below(std::uint64_t{1} << extra);
      op.open_controls = own_open;
      for (unsigned j = 0; j < extra; ++j) {
        op.controls.push_back(extra_controls[j]);
        if (((extra_values >> j) & 1U) == 0)
          op.open_controls |= std::uint64_t{1} << (g.num_controls + j);
      }
      if (qstate::qubits_needing_local(qstate::Op(op)).size() > local) continue;
      for (Qubit c : op.controls) global_controls += c >= local ? 1 : 0;
      qstate::test::CMatrix u = qstate::test::reference_gate_matrix(name, params);
      for (unsigned j = 0; j < g.num_controls; ++j) {
        if (((own_open >> j) & 1U) == 0) continue;
        const Qubit at = j;
        const qstate::test::CMatrix x = qstate::test::embed(
            qstate::test::pauli('X'), std::span<const Qubit>(&at, 1), g.num_qubits);
        u = x * u * x;
      }
      auto reference_op = [&](Reference& r) {
        r.apply_controlled(u, extra_controls, extra_values, gate_qubits);
      };
      ++seed;
      check_op_both<double>(op, n, seed, reference_op);
      check_op_both<float>(op, n, seed, reference_op);
    }
  }
  if (qstate::test::world().size() > 1) CHECK(global_controls > 20);
}

TEST_CASE("mpi: controlled global phases and dense diagonal and permutation matrices",
          "[mpi][gates]") {
  qstate::test::SeededRandom rng(4242);
  const unsigned n = 6;
  const unsigned local = n - qstate::test::world_global_qubits();
  std::uint64_t seed = 7000;
  SECTION("0-target diagonals (controlled global phases), controls anywhere") {
    for (unsigned nc = 0; nc <= 3; ++nc) {
      for (int trial = 0; trial < 4; ++trial) {
        const std::vector<std::uint32_t> picks = rng.distinct(n, nc);
        const double phi = rng.uniform(-pi, pi);
        GateOp op;
        op.name = "gphase";
        op.controls.assign(picks.begin(), picks.end());
        op.open_controls = rng.below(std::uint64_t{1} << nc);
        op.matrix = qstate::GateMatrix::diagonal(0, {std::polar(1.0, phi)});
        std::uint64_t values = 0;
        for (unsigned j = 0; j < nc; ++j)
          if (((op.open_controls >> j) & 1U) == 0) values |= std::uint64_t{1} << j;
        qstate::test::CMatrix u(1, 1);
        u(0, 0) = std::polar(1.0, phi);
        auto reference_op = [&](Reference& r) { r.apply_controlled(u, op.controls, values, {}); };
        check_op_both<double>(op, n, ++seed, reference_op);
        check_op_both<float>(op, n, seed, reference_op);
      }
    }
  }
  SECTION("random dense unitaries on k targets, global ones brought in by remaps") {
    for (unsigned k = 1; k <= std::min(local, 4U); ++k) {
      for (int trial = 0; trial < 4; ++trial) {
        const unsigned nc = trial % 2;
        std::vector<std::uint32_t> picks = rng.distinct(n, k + nc);
        if (trial == 0) picks[0] = n - 1;  // make sure the top qubit is a target
        if (std::count(picks.begin(), picks.end(), n - 1) > 1) continue;
        const qstate::test::CMatrix u = qstate::test::random_unitary(k, 100 * k + trial);
        std::vector<qstate::Complex> row_major;
        for (Eigen::Index r = 0; r < u.rows(); ++r)
          for (Eigen::Index c = 0; c < u.cols(); ++c) row_major.push_back(u(r, c));
        GateOp op;
        op.name = "unitary";
        op.targets.assign(picks.begin(), picks.begin() + k);
        op.controls.assign(picks.begin() + k, picks.end());
        op.matrix = qstate::GateMatrix::dense(k, row_major);
        auto reference_op = [&](Reference& r) {
          r.apply_controlled(u, op.controls, (std::uint64_t{1} << nc) - 1, op.targets);
        };
        check_op_both<double>(op, n, ++seed, reference_op);
        check_op_both<float>(op, n, seed, reference_op);
      }
    }
  }
  SECTION("diagonals on up to all qubits, targets in any order, local and global mixed") {
    for (unsigned k = 1; k <= n; ++k) {
      for (int trial = 0; trial < 3; ++trial) {
        const std::vector<std::uint32_t> order = rng.distinct(n, k);
        std::vector<qstate::Complex> diag(std::size_t{1} << k);
        for (auto& d : diag) d = std::polar(1.0, rng.uniform(-pi, pi));
        GateOp op;
        op.name = "diagonal";
        op.targets.assign(order.begin(), order.end());
        op.matrix = qstate::GateMatrix::diagonal(k, diag);
        qstate::test::CMatrix u =
            qstate::test::CMatrix::Zero(Eigen::Index{1} << k, Eigen::Index{1} << k);
        for (std::size_t i = 0; i < diag.size(); ++i)
          u(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i)) = diag[i];
        auto reference_op = [&](Reference& r) { r.apply_matrix(u, op.targets); };
        check_op_both<double>(op, n, ++seed, reference_op);
        check_op_both<float>(op, n, seed, reference_op);
      }
    }
  }
  SECTION("permutations with phases (classified), global targets brought in") {
    for (unsigned k = 1; k <= std::min(local, 3U); ++k) {
      for (int trial = 0; trial < 4; ++trial) {
        const std::size_t d = std::size_t{1} << k;
        std::vector<std::uint32_t> perm =
            rng.distinct(static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(d));
        if (std::is_sorted(perm.begin(), perm.end())) std::swap(perm[0], perm[1]);
        std::vector<qstate::Complex> row_major(d * d, 0.0);
        qstate::test::CMatrix u =
            qstate::test::CMatrix::Zero(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
        for (std::size_t c = 0; c < d; ++c) {
          const qstate::Complex v = std::polar(1.0, rng.uniform(-pi, pi));
          row_major[perm[c] * d + c] = v;
          u(perm[c], static_cast<Eigen::Index>(c)) = v;
        }
        GateOp op;
        op.name = "classified";
        op.matrix = qstate::GateMatrix::classify(k, row_major);
        CHECK(op.matrix.kind == qstate::MatrixKind::kPermutation);
        const std::vector<std::uint32_t> picks = rng.distinct(n, k + 1);
        op.targets.assign(picks.begin(), picks.begin() + k);
        op.controls.assign(picks.begin() + k, picks.end());
        auto reference_op = [&](Reference& r) {
          r.apply_controlled(u, op.controls, 1, op.targets);
        };
        check_op_both<double>(op, n, ++seed, reference_op);
        check_op_both<float>(op, n, seed, reference_op);
      }
    }
  }
}
