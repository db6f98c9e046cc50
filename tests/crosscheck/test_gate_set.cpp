// Every gate the engine knows, against the dense reference: each name of standard_gates() on
// random states of 4 and 5 qubits, on every ordered choice of distinct qubits, with random and
// special parameters, in double and single precision; controlled gates with open controls and
// extra controls; controlled global phases (0-target diagonals); dense k-qubit gates up to
// kMaxDenseTargets; diagonal and permutation matrices built by GateMatrix::classify. First, the
// reference's own table is checked against Qiskit's documented matrices.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/state_vector.hpp"
#include "tests/support/engine_io.hpp"
#include "tests/support/random_circuits.hpp"
#include "tests/support/reference.hpp"

namespace {

using qstate::GateMatrix;
using qstate::GateOp;
using qstate::MatrixKind;
using qstate::Qubit;
using qstate::StateVector;
using qstate::test::CMatrix;
using qstate::test::Cplx;
using qstate::test::CVector;
using qstate::test::Reference;
using std::numbers::pi;

constexpr Cplx kI{0.0, 1.0};
constexpr double kDoubleTol = 1e-12;
constexpr double kFloatTol = 1e-5;

double matrix_diff(const CMatrix& a, const CMatrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return 1e300;
  return (a - b).cwiseAbs().maxCoeff();
}

CMatrix mat(int d, std::initializer_list<Cplx> row_major) {
  CMatrix m(d, d);
  auto it = row_major.begin();
  for (int r = 0; r < d; ++r)
    for (int c = 0; c < d; ++c) m(r, c) = *it++;
  return m;
}

// A Qiskit-documented permutation-with-phases matrix: column c goes to row perm[c] times ph[c].
CMatrix monomial(const std::vector<int>& perm, const std::vector<Cplx>& ph) {
  const auto d = static_cast<Eigen::Index>(perm.size());
  CMatrix m = CMatrix::Zero(d, d);
  for (Eigen::Index c = 0; c < d; ++c)
    m(perm[static_cast<std::size_t>(c)], c) = ph[static_cast<std::size_t>(c)];
  return m;
}

// Gate sequence in a k-qubit space, by the reference's names, in circuit order.
CMatrix sequence(
    unsigned k,
    std::initializer_list<std::tuple<const char*, std::vector<double>, std::vector<Qubit>>> ops) {
  CMatrix total = CMatrix::Identity(Eigen::Index{1} << k, Eigen::Index{1} << k);
  for (const auto& [name, params, qubits] : ops)
    total = qstate::test::embed(qstate::test::reference_gate_matrix(
                                    name, params, static_cast<unsigned>(qubits.size())),
                                qubits, k) *
            total;
  return total;
}

// Parameter sets for a gate with np parameters: special angles in every slot, then random ones.
std::vector<std::vector<double>> parameter_sets(unsigned np, qstate::test::SeededRandom& rng) {
  if (np == 0) return {{}};
  std::vector<std::vector<double>> sets;
  for (double special : {0.0, pi, pi / 2, -pi / 4}) sets.emplace_back(np, special);
  std::vector<double> mixed(np);
  for (unsigned i = 0; i < np; ++i) mixed[i] = std::array{pi, pi / 2, -pi / 4, 0.0}[i % 4];
  sets.push_back(mixed);
  for (int r = 0; r < 2; ++r) {
    std::vector<double> p(np);
    for (double& v : p) v = rng.uniform(-2 * pi, 2 * pi);
    sets.push_back(p);
  }
  return sets;
}

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

std::string describe(const std::string& name, const std::vector<double>& params,
                     const std::vector<Qubit>& qubits) {
  std::string s = name + "(";
  for (std::size_t i = 0; i < params.size(); ++i) s += (i ? "," : "") + std::to_string(params[i]);
  s += ")";
  for (Qubit q : qubits) s += " " + std::to_string(q);
  return s;
}

}  // namespace

TEST_CASE("reference gate table matches Qiskit's documented matrices", "[gates][reference]") {
  using qstate::test::reference_gate_matrix;
  const double t = 0.7;
  const double c = std::cos(t / 2);
  const double s = std::sin(t / 2);
  const double r2 = 1 / std::sqrt(2.0);

  SECTION("one-qubit gates") {
    const double th = 1.1, ph = -0.4, la = 2.3;
    const double ch = std::cos(th / 2), sh = std::sin(th / 2);
    CHECK(matrix_diff(reference_gate_matrix("U", {th, ph, la}),
                      mat(2, {ch, -std::polar(1.0, la) * sh, std::polar(1.0, ph) * sh,
                              std::polar(1.0, ph + la) * ch})) < 1e-14);
    CHECK(matrix_diff(reference_gate_matrix("u2", {ph, la}),
                      mat(2, {r2, -std::polar(r2, la), std::polar(r2, ph),
                              std::polar(r2, ph + la)})) < 1e-14);
    CHECK(matrix_diff(reference_gate_matrix("sx", {}),
                      mat(2, {Cplx(.5, .5), Cplx(.5, -.5), Cplx(.5, -.5), Cplx(.5, .5)})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("sxdg", {}),
                      mat(2, {Cplx(.5, -.5), Cplx(.5, .5), Cplx(.5, .5), Cplx(.5, -.5)})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("h", {}), mat(2, {r2, r2, r2, -r2})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("rz", {t}),
                      mat(2, {std::polar(1.0, -t / 2), 0, 0, std::polar(1.0, t / 2)})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("rx", {t}), mat(2, {c, -kI * s, -kI * s, c})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("ry", {t}), mat(2, {c, -s, s, c})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("t", {}), mat(2, {1, 0, 0, std::polar(1.0, pi / 4)})) <
          1e-15);
    CHECK(matrix_diff(reference_gate_matrix("r", {t, ph}),
                      mat(2, {c, -kI * std::polar(s, -ph), -kI * std::polar(s, ph), c})) < 1e-15);
  }
  SECTION("two-qubit gates") {
    CHECK(matrix_diff(reference_gate_matrix("rxx", {t}), mat(4, {c, 0, 0, -kI * s,  //
                                                                 0, c, -kI * s, 0,  //
                                                                 0, -kI * s, c, 0,  //
                                                                 -kI * s, 0, 0, c})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("ryy", {t}), mat(4, {c, 0, 0, kI * s,   //
                                                                 0, c, -kI * s, 0,  //
                                                                 0, -kI * s, c, 0,  //
                                                                 kI * s, 0, 0, c})) < 1e-15);
    const Cplx em = std::polar(1.0, -t / 2), ep = std::polar(1.0, t / 2);
    CHECK(matrix_diff(reference_gate_matrix("rzz", {t}),
                      mat(4, {em, 0, 0, 0, 0, ep, 0, 0, 0, 0, ep, 0, 0, 0, 0, em})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("rzx", {t}), mat(4, {c, 0, -kI * s, 0,  //
                                                                 0, c, 0, kI * s,   //
                                                                 -kI * s, 0, c, 0,  //
                                                                 0, kI * s, 0, c})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("ecr", {}), mat(4, {0, r2, 0, kI * r2,   //
                                                                r2, 0, -kI * r2, 0,  //
                                                                0, kI * r2, 0, r2,   //
                                                                -kI * r2, 0, r2, 0})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("iswap", {}),
                      mat(4, {1, 0, 0, 0, 0, 0, kI, 0, 0, kI, 0, 0, 0, 0, 0, 1})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("dcx", {}),
                      mat(4, {1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0})) < 1e-15);
    const double beta = 0.9;
    CHECK(matrix_diff(reference_gate_matrix("xx_plus_yy", {t, beta}),
                      mat(4, {1, 0, 0, 0,                                 //
                              0, c, -kI * s * std::polar(1.0, -beta), 0,  //
                              0, -kI * s * std::polar(1.0, beta), c, 0,   //
                              0, 0, 0, 1})) < 1e-14);
    CHECK(matrix_diff(reference_gate_matrix("xx_minus_yy", {t, beta}),
                      mat(4, {c, 0, 0, -kI * s * std::polar(1.0, -beta),  //
                              0, 1, 0, 0,                                 //
                              0, 0, 1, 0,                                 //
                              -kI * s * std::polar(1.0, beta), 0, 0, c})) < 1e-14);
    const double th = 1.1, ph = -0.4, la = 2.3, ga = 0.6;
    const double ch = std::cos(th / 2), sh = std::sin(th / 2);
    CHECK(matrix_diff(reference_gate_matrix("cu", {th, ph, la, ga}),
                      mat(4, {1, 0, 0, 0,                                          //
                              0, std::polar(ch, ga), 0, -std::polar(sh, ga + la),  //
                              0, 0, 1, 0,                                          //
                              0, std::polar(sh, ga + ph), 0, std::polar(ch, ga + ph + la)})) <
          1e-14);
    CHECK(matrix_diff(reference_gate_matrix("ch", {}),
                      mat(4, {1, 0, 0, 0, 0, r2, 0, r2, 0, 0, 1, 0, 0, r2, 0, -r2})) < 1e-15);
    const Cplx a(.5, .5), b(.5, -.5);
    CHECK(matrix_diff(reference_gate_matrix("csx", {}),
                      mat(4, {1, 0, 0, 0, 0, a, 0, b, 0, 0, 1, 0, 0, b, 0, a})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("cs", {}),
                      mat(4, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, kI})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("csdg", {}),
                      mat(4, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -kI})) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("swap", {}),
                      mat(4, {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1})) < 1e-15);
  }
  SECTION("multi-qubit gates: documented matrices") {
    CHECK(matrix_diff(reference_gate_matrix("rccx", {}),
                      monomial({0, 1, 2, 7, 4, 5, 6, 3}, {1, 1, 1, kI, 1, -1.0, 1, -kI})) < 1e-14);
    std::vector<int> perm(16);
    std::vector<Cplx> ph(16, 1.0);
    for (int i = 0; i < 16; ++i) perm[static_cast<std::size_t>(i)] = i;
    perm[7] = 15;
    perm[15] = 7;
    ph[3] = kI;
    ph[11] = -kI;
    ph[7] = -1.0;
    CHECK(matrix_diff(reference_gate_matrix("rc3x", {}), monomial(perm, ph)) < 1e-14);
    CHECK(matrix_diff(reference_gate_matrix("cswap", {}),
                      monomial({0, 1, 2, 5, 4, 3, 6, 7}, std::vector<Cplx>(8, 1.0))) < 1e-15);
    CHECK(matrix_diff(reference_gate_matrix("ccx", {}),
                      monomial({0, 1, 2, 7, 4, 5, 6, 3}, std::vector<Cplx>(8, 1.0))) < 1e-15);
    std::vector<Cplx> ccz(8, 1.0);
    ccz[7] = -1.0;
    CHECK(matrix_diff(reference_gate_matrix("ccz", {}), monomial({0, 1, 2, 3, 4, 5, 6, 7}, ccz)) <
          1e-15);
  }
  SECTION("multi-controlled gates equal their qelib1.inc decompositions") {
    // gate c3sqrtx a,b,c,d (qelib1.inc), multiplied out.
    const double a = pi / 8;
    const CMatrix c3sqrtx =
        sequence(4, {{"h", {}, {3}}, {"cu1", {a}, {0, 3}},  {"h", {}, {3}}, {"cx", {}, {0, 1}},
                     {"h", {}, {3}}, {"cu1", {-a}, {1, 3}}, {"h", {}, {3}}, {"cx", {}, {0, 1}},
                     {"h", {}, {3}}, {"cu1", {a}, {1, 3}},  {"h", {}, {3}}, {"cx", {}, {1, 2}},
                     {"h", {}, {3}}, {"cu1", {-a}, {2, 3}}, {"h", {}, {3}}, {"cx", {}, {0, 2}},
                     {"h", {}, {3}}, {"cu1", {a}, {2, 3}},  {"h", {}, {3}}, {"cx", {}, {1, 2}},
                     {"h", {}, {3}}, {"cu1", {-a}, {2, 3}}, {"h", {}, {3}}, {"cx", {}, {0, 2}},
                     {"h", {}, {3}}, {"cu1", {a}, {2, 3}},  {"h", {}, {3}}});
    CHECK(matrix_diff(c3sqrtx, reference_gate_matrix("c3sqrtx", {})) < 1e-14);
    // gate c4x a,b,c,d,e (Qiskit's C4XGate definition: the second rc3x is its inverse).
    const CMatrix rc3x_dg = reference_gate_matrix("rc3x", {}).adjoint();
    CMatrix c4x = sequence(5, {{"h", {}, {4}},
                               {"cu1", {pi / 2}, {3, 4}},
                               {"h", {}, {4}},
                               {"rc3x", {}, {0, 1, 2, 3}},
                               {"h", {}, {4}},
                               {"cu1", {-pi / 2}, {3, 4}},
                               {"h", {}, {4}}});
    const Qubit first4[4] = {0, 1, 2, 3};
    c4x = qstate::test::embed(rc3x_dg, first4, 5) * c4x;
    c4x = sequence(5, {{"c3sqrtx", {}, {0, 1, 2, 4}}}) * c4x;
    CHECK(matrix_diff(c4x, reference_gate_matrix("c4x", {})) < 1e-14);
    // Qiskit's C3XGate definition (the body its exporter writes for `mcx` on 4 qubits).
    const double e = pi / 8;
    const CMatrix c3x =
        sequence(4, {{"h", {}, {3}},     {"p", {e}, {0}},    {"p", {e}, {1}},    {"p", {e}, {2}},
                     {"p", {e}, {3}},    {"cx", {}, {0, 1}}, {"p", {-e}, {1}},   {"cx", {}, {0, 1}},
                     {"cx", {}, {1, 2}}, {"p", {-e}, {2}},   {"cx", {}, {0, 2}}, {"p", {e}, {2}},
                     {"cx", {}, {1, 2}}, {"p", {-e}, {2}},   {"cx", {}, {0, 2}}, {"cx", {}, {2, 3}},
                     {"p", {-e}, {3}},   {"cx", {}, {1, 3}}, {"p", {e}, {3}},    {"cx", {}, {2, 3}},
                     {"p", {-e}, {3}},   {"cx", {}, {0, 3}}, {"p", {e}, {3}},    {"cx", {}, {2, 3}},
                     {"p", {-e}, {3}},   {"cx", {}, {1, 3}}, {"p", {e}, {3}},    {"cx", {}, {2, 3}},
                     {"p", {-e}, {3}},   {"cx", {}, {0, 3}}, {"h", {}, {3}}});
    CHECK(matrix_diff(c3x, reference_gate_matrix("c3x", {})) < 1e-14);
    CHECK(matrix_diff(reference_gate_matrix("mcx", {}, 4), reference_gate_matrix("c3x", {})) <
          1e-15);
    CHECK(matrix_diff(reference_gate_matrix("mcx", {}, 5), reference_gate_matrix("c4x", {})) <
          1e-15);
  }
  SECTION("every standard gate has a unitary reference matrix") {
    for (const qstate::StandardGate& g : qstate::standard_gates()) {
      INFO(g.name);
      REQUIRE(qstate::test::has_reference_gate(g.name));
      CHECK(qstate::test::reference_gate_params(g.name) == g.num_params);
      CHECK(qstate::test::reference_gate_qubits(g.name) == g.num_qubits);
      const std::vector<double> params(g.num_params, 0.37);
      const CMatrix u = reference_gate_matrix(g.name, params);
      CHECK(matrix_diff(u * u.adjoint(), CMatrix::Identity(u.rows(), u.cols())) < 1e-13);
    }
  }
}

TEST_CASE("every standard gate on every ordered choice of qubits matches the reference",
          "[gates]") {
  qstate::test::SeededRandom rng(20240611);
  std::uint64_t state_seed = 1;
  for (const qstate::StandardGate& g : qstate::standard_gates()) {
    const std::string name(g.name);
    DYNAMIC_SECTION("gate " << name) {
      for (unsigned n : {4U, 5U}) {
        if (g.num_qubits > n) continue;
        const std::vector<std::vector<double>> sets = parameter_sets(g.num_params, rng);
        for (const std::vector<Qubit>& qubits : arrangements(n, g.num_qubits)) {
          for (const std::vector<double>& params : sets) {
            const CVector psi = qstate::test::random_state(n, state_seed++);
            Reference ref(n, psi);
            ref.apply_named(name, params, qubits);
            const GateOp op = qstate::make_gate(name, params, qubits);
            const auto d = qstate::test::engine_apply<double>(psi, n, op);
            const auto f = qstate::test::engine_apply<float>(psi, n, op);
            const double err_d = qstate::test::max_abs_diff(d, ref.amplitudes());
            const double err_f = qstate::test::max_abs_diff(f, ref.amplitudes());
            if (err_d > kDoubleTol || err_f > kFloatTol) {
              INFO(describe(name, params, qubits) << " on " << n << " qubits");
              CHECK(err_d <= kDoubleTol);
              CHECK(err_f <= kFloatTol);
            }
          }
        }
      }
    }
  }
}

TEST_CASE("standard gates with open and extra controls match the reference", "[gates]") {
  // Flipping control j to open is X_j C(U) X_j; extra controls wrap the whole gate.
  qstate::test::SeededRandom rng(77);
  const unsigned n = 6;
  std::uint64_t seed = 1000;
  for (const qstate::StandardGate& g : qstate::standard_gates()) {
    if (g.num_qubits + 2 > n) continue;
    const std::string name(g.name);
    for (int trial = 0; trial < 6; ++trial) {
      const std::vector<std::uint32_t> picks = rng.distinct(n, g.num_qubits + 2);
      const unsigned extra = static_cast<unsigned>(rng.below(3));  // 0, 1 or 2 extra controls
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

      // Reference: the named matrix, conjugated by X on the opened controls, then controlled.
      CMatrix u = qstate::test::reference_gate_matrix(name, params);
      for (unsigned j = 0; j < g.num_controls; ++j) {
        if (((own_open >> j) & 1U) == 0) continue;
        const Qubit local = j;
        const CMatrix x = qstate::test::embed(qstate::test::pauli('X'),
                                              std::span<const Qubit>(&local, 1), g.num_qubits);
        u = x * u * x;
      }
      const CVector psi = qstate::test::random_state(n, seed++);
      Reference ref(n, psi);
      ref.apply_controlled(u, extra_controls, extra_values, gate_qubits);

      const double err_d = qstate::test::max_abs_diff(
          qstate::test::engine_apply<double>(psi, n, op), ref.amplitudes());
      const double err_f = qstate::test::max_abs_diff(qstate::test::engine_apply<float>(psi, n, op),
                                                      ref.amplitudes());
      INFO(describe(name, params, gate_qubits)
           << " open=" << own_open << " extra=" << extra << " values=" << extra_values);
      CHECK(err_d <= kDoubleTol);
      CHECK(err_f <= kFloatTol);
    }
  }
}

TEST_CASE("generic op path of the reference agrees with its own table", "[gates][reference]") {
  // apply_op_matrix (controls + targets + GateMatrix::to_dense) and apply_named are two routes.
  const unsigned n = 5;
  std::uint64_t seed = 5000;
  for (const qstate::StandardGate& g : qstate::standard_gates()) {
    if (g.num_qubits > n) continue;
    std::vector<Qubit> qubits(g.num_qubits);
    for (unsigned j = 0; j < g.num_qubits; ++j) qubits[j] = (3 * j + 2) % n;
    std::vector<double> params(g.num_params);
    for (std::size_t j = 0; j < params.size(); ++j) params[j] = 0.3 + 0.7 * static_cast<double>(j);
    const CVector psi = qstate::test::random_state(n, seed++);
    Reference by_name(n, psi), by_matrix(n, psi);
    by_name.apply_named(g.name, params, qubits);
    by_matrix.apply_op_matrix(qstate::make_gate(g.name, params, qubits));
    INFO(g.name);
    CHECK(qstate::test::max_abs_diff(by_name.amplitudes(), by_matrix.amplitudes()) < kDoubleTol);
  }
}

TEST_CASE("controlled global phases (0-target diagonal gates) match the reference", "[gates]") {
  qstate::test::SeededRandom rng(31);
  const unsigned n = 5;
  for (unsigned num_controls = 0; num_controls <= 3; ++num_controls) {
    for (int trial = 0; trial < 4; ++trial) {
      const std::vector<std::uint32_t> picks = rng.distinct(n, num_controls);
      const double phi = rng.uniform(-pi, pi);
      GateOp op;
      op.name = "gphase";
      op.controls.assign(picks.begin(), picks.end());
      op.open_controls = rng.below(std::uint64_t{1} << num_controls);
      op.matrix = GateMatrix::diagonal(0, {std::polar(1.0, phi)});
      std::uint64_t values = 0;
      for (unsigned j = 0; j < num_controls; ++j)
        if (((op.open_controls >> j) & 1U) == 0) values |= std::uint64_t{1} << j;
      CMatrix u(1, 1);
      u(0, 0) = std::polar(1.0, phi);
      const CVector psi = qstate::test::random_state(n, 9000 + rng.below(1000));
      Reference ref(n, psi);
      ref.apply_controlled(u, op.controls, values, {});
      INFO("controls " << num_controls << " open " << op.open_controls);
      CHECK(qstate::test::max_abs_diff(qstate::test::engine_apply<double>(psi, n, op),
                                       ref.amplitudes()) <= kDoubleTol);
      CHECK(qstate::test::max_abs_diff(qstate::test::engine_apply<float>(psi, n, op),
                                       ref.amplitudes()) <= kFloatTol);
    }
  }
}

TEST_CASE("dense k-qubit gates match the reference", "[gates]") {
  qstate::test::SeededRandom rng(4242);
  SECTION("random unitaries on k = 1..6 of 7 qubits, optionally controlled") {
    const unsigned n = 7;
    for (unsigned k = 1; k <= 6; ++k) {
      for (int trial = 0; trial < 3; ++trial) {
        const unsigned nc = (trial == 2 && k < 6) ? 1 : 0;
        const std::vector<std::uint32_t> picks = rng.distinct(n, k + nc);
        const CMatrix u = qstate::test::random_unitary(k, 100 * k + static_cast<unsigned>(trial));
        std::vector<qstate::Complex> row_major;
        for (Eigen::Index r = 0; r < u.rows(); ++r)
          for (Eigen::Index c = 0; c < u.cols(); ++c) row_major.push_back(u(r, c));
        GateOp op;
        op.name = "unitary";
        op.targets.assign(picks.begin(), picks.begin() + k);
        op.controls.assign(picks.begin() + k, picks.end());
        op.matrix = GateMatrix::dense(k, row_major);
        const CVector psi =
            qstate::test::random_state(n, 300 + 10 * k + static_cast<unsigned>(trial));
        Reference ref(n, psi);
        ref.apply_controlled(u, op.controls, (std::uint64_t{1} << nc) - 1, op.targets);
        INFO("k = " << k << ", controls " << nc);
        CHECK(qstate::test::max_abs_diff(qstate::test::engine_apply<double>(psi, n, op),
                                         ref.amplitudes()) <= kDoubleTol);
        CHECK(qstate::test::max_abs_diff(qstate::test::engine_apply<float>(psi, n, op),
                                         ref.amplitudes()) <= kFloatTol);
      }
    }
  }
  SECTION("k = kMaxDenseTargets on all qubits, in a shuffled order") {
    // Unitary D2 P (u_{k-1} (x) ... (x) u_0) D1, multiplied out densely: every entry non-zero.
    const unsigned k = qstate::kernels::kMaxDenseTargets;
    const Eigen::Index d = Eigen::Index{1} << k;
    CMatrix kr = qstate::test::random_unitary(1, 1);
    for (unsigned j = 1; j < k; ++j)
      kr = qstate::test::kron(qstate::test::random_unitary(1, 1 + j), kr);
    const std::vector<std::uint32_t> perm =
        rng.distinct(static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(d));
    CMatrix u(d, d);
    for (Eigen::Index r = 0; r < d; ++r)
      u.row(perm[static_cast<std::size_t>(r)]) =
          std::polar(1.0, 0.01 * static_cast<double>(r)) * kr.row(r);
    std::vector<qstate::Complex> row_major(static_cast<std::size_t>(d * d));
    for (Eigen::Index r = 0; r < d; ++r)
      for (Eigen::Index c = 0; c < d; ++c) row_major[static_cast<std::size_t>(r * d + c)] = u(r, c);
    GateOp op;
    op.name = "big";
    const std::vector<std::uint32_t> order = rng.distinct(k, k);
    op.targets.assign(order.begin(), order.end());
    op.matrix = GateMatrix::dense(k, std::move(row_major));
    const CVector psi = qstate::test::random_state(k, 777);
    Reference ref(k, psi);
    ref.apply_matrix(u, op.targets);
    CHECK(qstate::test::max_abs_diff(qstate::test::engine_apply<double>(psi, k, op),
                                     ref.amplitudes()) <= 1e-11);
  }
  SECTION("more than kMaxDenseTargets non-diagonal targets is refused with an Error") {
    const unsigned k = qstate::kernels::kMaxDenseTargets + 1;
    GateOp op;
    op.name = "too_big";
    for (Qubit q = 0; q < k; ++q) op.targets.push_back(q);
    std::vector<qstate::Complex> id(std::size_t{1} << (2 * k), 0.0);
    for (std::size_t i = 0; i < (std::size_t{1} << k); ++i)
      id[i * ((std::size_t{1} << k) + 1)] = 1.0;
    op.matrix = GateMatrix::dense(k, std::move(id));
    StateVector<double> sv(k);
    CHECK_THROWS_AS(sv.apply(op), qstate::Error);
  }
  SECTION("a diagonal on more than kMaxDenseTargets targets is applied") {
    const unsigned k = qstate::kernels::kMaxDenseTargets + 1;
    const unsigned n = k + 1;
    std::vector<qstate::Complex> diag(std::size_t{1} << k);
    for (std::size_t i = 0; i < diag.size(); ++i)
      diag[i] = std::polar(1.0, 0.001 * static_cast<double>(i));
    GateOp op;
    op.name = "big_diag";
    const std::vector<std::uint32_t> order = rng.distinct(n, k);
    op.targets.assign(order.begin(), order.end());
    op.matrix = GateMatrix::diagonal(k, diag);
    const CVector psi = qstate::test::random_state(n, 4);
    const auto out = qstate::test::engine_apply<double>(psi, n, op);
    // Analytic: amplitude i times diag[sub(i)], sub(i) bit j = bit targets[j] of i.
    double err = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::size_t sub = 0;
      for (unsigned j = 0; j < k; ++j) sub |= ((i >> op.targets[j]) & 1U) << j;
      err = std::max(err, std::abs(out[i] - diag[sub] * psi(static_cast<Eigen::Index>(i))));
    }
    CHECK(err <= kDoubleTol);
  }
}

TEST_CASE("diagonal and permutation matrices from GateMatrix::classify match the reference",
          "[gates]") {
  qstate::test::SeededRandom rng(99);
  const unsigned n = 6;
  for (unsigned k = 1; k <= 4; ++k) {
    const std::size_t d = std::size_t{1} << k;
    for (int variant = 0; variant < 4; ++variant) {
      // variant 0: diagonal phases; 1: permutation, unit phases; 2: permutation with phases;
      // 3: diagonal + one control.
      std::vector<std::uint32_t> perm(d);
      for (std::size_t i = 0; i < d; ++i) perm[i] = static_cast<std::uint32_t>(i);
      if (variant == 1 || variant == 2)
        perm = rng.distinct(static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(d));
      if ((variant == 1 || variant == 2) && std::is_sorted(perm.begin(), perm.end()))
        std::swap(perm[0], perm[1]);
      std::vector<qstate::Complex> row_major(d * d, 0.0);
      CMatrix u = CMatrix::Zero(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
      for (std::size_t c = 0; c < d; ++c) {
        const qstate::Complex v =
            variant == 1 ? qstate::Complex(1.0) : std::polar(1.0, rng.uniform(-pi, pi));
        row_major[perm[c] * d + c] = v;
        u(perm[c], static_cast<Eigen::Index>(c)) = v;
      }
      GateOp op;
      op.name = "classified";
      op.matrix = GateMatrix::classify(k, row_major);
      const MatrixKind want =
          (variant == 0 || variant == 3) ? MatrixKind::kDiagonal : MatrixKind::kPermutation;
      INFO("k = " << k << " variant " << variant);
      CHECK(op.matrix.kind == want);
      CHECK(op.matrix.to_dense() == row_major);
      const unsigned nc = variant == 3 ? 1 : 0;
      const std::vector<std::uint32_t> picks = rng.distinct(n, k + nc);
      op.targets.assign(picks.begin(), picks.begin() + k);
      op.controls.assign(picks.begin() + k, picks.end());
      const CVector psi =
          qstate::test::random_state(n, 60 + 7 * k + static_cast<unsigned>(variant));
      Reference ref(n, psi);
      ref.apply_controlled(u, op.controls, (std::uint64_t{1} << nc) - 1, op.targets);
      CHECK(qstate::test::max_abs_diff(qstate::test::engine_apply<double>(psi, n, op),
                                       ref.amplitudes()) <= kDoubleTol);
      CHECK(qstate::test::max_abs_diff(qstate::test::engine_apply<float>(psi, n, op),
                                       ref.amplitudes()) <= kFloatTol);

      // The adjoint undoes the gate, and is the reference's adjoint.
      GateOp inverse = op;
      inverse.matrix = op.matrix.adjoint();
      const std::vector<qstate::Complex> adj = inverse.matrix.to_dense();
      double adj_err = 0;
      for (std::size_t r = 0; r < d; ++r)
        for (std::size_t c = 0; c < d; ++c)
          adj_err = std::max(adj_err,
                             std::abs(adj[r * d + c] - std::conj(u(static_cast<Eigen::Index>(c),
                                                                   static_cast<Eigen::Index>(r)))));
      CHECK(adj_err == 0.0);
      StateVector<double> sv(n);
      qstate::test::load_state(sv, psi);
      sv.apply(op);
      sv.apply(inverse);
      CHECK(qstate::test::max_abs_diff(sv.amplitudes(), qstate::test::to_vector(psi)) <=
            kDoubleTol);
    }
  }
}
