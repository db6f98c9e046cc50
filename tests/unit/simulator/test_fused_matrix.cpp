// fused_matrix (simulator/fused_matrix.cpp) against the independent reference (tests/support):
// the product of the member gates' full operators on k qubits, each built from the reference's
// own gate table by name (open controls by conjugating with X), on random groups of every kind of
// standard gate, with open controls. The fused matrix must equal the product to rounding, have
// the kind fusion asked for (a diagonal product stays kDiagonal) and, for dense groups, be stored
// in the cheapest exact kind (a product of permutations is a permutation).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include "circuits/gates.hpp"
#include "simulator/fused_matrix.hpp"
#include "tests/support/reference.hpp"

namespace {

using namespace qstate;
using test::CMatrix;

// The full operator of g on k qubits from the reference's table (g was made by make_gate from
// name, params and qubits as written).
CMatrix reference_operator(const GateOp& g, const std::vector<double>& params,
                           const std::vector<Qubit>& qubits, unsigned k) {
  CMatrix u = test::embed(test::reference_gate_matrix(g.name, params), qubits, k);
  for (std::size_t j = 0; j < g.controls.size(); ++j) {
    if (g.control_value(j)) continue;
    const Qubit c = g.controls[j];
    const CMatrix x = test::embed(test::pauli('X'), std::span<const Qubit>(&c, 1), k);
    u = x * u * x;
  }
  return u;
}

CMatrix as_matrix(const GateMatrix& m) {
  const std::size_t dim = m.dim();
  const std::vector<Complex> dense = m.to_dense();
  CMatrix out(dim, dim);
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t c = 0; c < dim; ++c) out(r, c) = dense[r * dim + c];
  return out;
}

}  // namespace

TEST_CASE("fused_matrix is the product of the member gates", "[simulator][fusion]") {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> angle(-3.5, 3.5);
  std::vector<const StandardGate*> all;
  std::vector<const StandardGate*> diagonal;
  for (const StandardGate& s : standard_gates()) {
    all.push_back(&s);
    std::vector<double> p(s.num_params, 0.3);
    if (s.base(p.data()).kind == MatrixKind::kDiagonal) diagonal.push_back(&s);
  }
  int checked = 0;
  int permutations = 0;
  for (int round = 0; round < 400; ++round) {
    const bool diag = round % 3 == 0;
    const unsigned k =
        diag ? 1 + static_cast<unsigned>(rng() % 7) : 1 + static_cast<unsigned>(rng() % 4);
    const auto& pool = diag ? diagonal : all;
    std::vector<GateOp> gates;
    CMatrix want = CMatrix::Identity(std::size_t{1} << k, std::size_t{1} << k);
    MatrixKind kind = MatrixKind::kDiagonal;
    bool all_permutations = true;
    const int count = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < count; ++i) {
      const StandardGate* s = pool[rng() % pool.size()];
      if (s->num_qubits > k) continue;
      std::vector<double> params(s->num_params);
      for (double& p : params) p = (rng() % 4 == 0) ? 0.0 : angle(rng);
      std::vector<Qubit> qubits(k);
      for (Qubit q = 0; q < k; ++q) qubits[q] = q;
      std::shuffle(qubits.begin(), qubits.end(), rng);
      qubits.resize(s->num_qubits);
      GateOp g = make_gate(*s, params, qubits);
      if (!g.controls.empty()) g.open_controls = rng() % (std::uint64_t{1} << g.controls.size());
      if (g.matrix.kind == MatrixKind::kDense) kind = MatrixKind::kDense;
      if (g.matrix.kind == MatrixKind::kPermutation && kind == MatrixKind::kDiagonal)
        kind = MatrixKind::kPermutation;
      all_permutations = all_permutations && g.matrix.kind == MatrixKind::kPermutation;
      want = reference_operator(g, params, qubits, k) * want;
      gates.push_back(std::move(g));
    }
    if (gates.empty()) continue;
    INFO("round " << round << ", k " << k << ", " << gates.size() << " gates");
    const GateMatrix got = fused_matrix(k, kind, gates);
    REQUIRE(got.num_targets == k);
    if (kind == MatrixKind::kDiagonal) CHECK(got.kind == MatrixKind::kDiagonal);
    if (all_permutations) {
      CHECK(got.kind == MatrixKind::kPermutation);
      ++permutations;
    }
    const CMatrix diff = as_matrix(got) - want;
    CHECK(diff.cwiseAbs().maxCoeff() < 1e-12);
    ++checked;
  }
  CHECK(checked > 300);
  CHECK(permutations > 5);
}
